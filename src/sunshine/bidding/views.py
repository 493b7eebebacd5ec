"""Pages of sealed bidding and of the opening room (开标室): the bidder's bids and receipts (/my/bids), the bid
page of a section — the bid is sealed in the browser (static/js/seal.js), so only the ciphertext and the key
commitment ever reach the server — and the opening room of a project, with the record as it forms (refreshed
by htmx) and the actions of each role. Thin: every rule is in ``service`` and ``opening``; a refused step
comes back as its Chinese reason, beside the field when it concerns one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, Header, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from sunshine.bidding import envelope, hooks, opening, opening_confirmation, opening_record, service
from sunshine.bidding.visibility import own_bid
from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Access, Principal, RecentAuth, SessionDep
from sunshine.core.errors import InvalidInput, SunshineError
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.roles import Role
from sunshine.signing import service as signing
from sunshine.trading import lifecycle, visibility
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import PageRefused, act
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
BIDDER = Depends(Access(Role.BIDDER))
# The organisation's own bids are read by its bidding clerks, its signers and its read-only viewers; only a
# bidding clerk submits, withdraws or decrypts.
MEMBERS = Depends(Access(Role.BIDDER, Role.SIGNER, Role.ORG_VIEWER))
BIDDER_CONFIRMED = Depends(RecentAuth(Role.BIDDER))  # submitting, withdrawing, decrypting: password entered lately
CENTRE = Depends(Access(Role.CENTRE_STAFF))
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER))
OFFICIALS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR))
LIVE = ("decrypting", "recording")
POLL_SECONDS = 3


def _back(target: str, default: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else default


def _remaining(until: datetime | None) -> str | None:
    """“剩余 0 时 49 分 05 秒” by the server clock (the page's JavaScript keeps it ticking)."""
    if until is None:
        return None
    seconds = int((until - clock.now()).total_seconds())
    if seconds <= 0:
        return "已届满"
    hours, rest = divmod(seconds, 3600)
    days, hours = divmod(hours, 24)
    text = f"{rest // 60} 分 {rest % 60:02d} 秒"
    text = f"{hours} 时 {text}" if hours or days else text
    return f"剩余 {days} 天 {text}" if days else f"剩余 {text}"


# --------------------------------------------------------------------------- the bidder's bids


@router.get("/my/bids", response_class=HTMLResponse)
def my_bids(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = MEMBERS
) -> Response:
    page, groups = service.mine_by_section(session, principal, cursor=cursor)
    return render(
        request,
        "bidding_mine.html",
        page_title="我的投标文件",
        can_act=principal.has(Role.BIDDER),
        groups=groups,
        page=page,
        page_url=page_urls("/my/bids", {}),
        status_labels=service.STATUS_LABELS,
        decryption_labels=opening_record.DECRYPTION_LABELS,
    )


@router.get("/my/bids/{bid_no}/receipt")
def receipt(bid_no: str, session: Session = SessionDep, principal: Principal = MEMBERS) -> Response:
    bid = own_bid(session, principal, bid_no)
    return Response(
        json.dumps(service.receipt_of(bid), ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="receipt-{bid.bid_no}.json"'},
    )


@router.post("/my/bids/{bid_no}/withdraw")
def withdraw(
    request: Request,
    bid_no: str,
    next: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = BIDDER_CONFIRMED,
) -> Response:
    return act(
        request,
        _back(next, "/my/bids"),
        lambda: service.withdraw(session, principal, bid_no),
        lambda bid: f"已撤回投标文件 {bid.bid_no}（第 {bid.version} 版）；投标截止前仍可重新递交",
    )


# --------------------------------------------------------------------------- the bid page


@router.get("/projects/{project_id}/sections/{section_id}/bid", response_class=HTMLResponse)
def bid_page(
    request: Request, project_id: Id, section_id: Id, session: Session = SessionDep, principal: Principal = BIDDER
) -> Response:
    desk = service.desk(session, principal, project_id, section_id)
    return render(
        request,
        "bidding_bid.html",
        page_title=f"递交投标文件：{desk.project.name}",
        desk=desk,
        now=clock.now(),
        remaining=_remaining(desk.project.bid_deadline),
        status_labels=service.STATUS_LABELS,
        decryption_labels=opening_record.DECRYPTION_LABELS,
        envelope=envelope,
        max_bytes=get_settings().max_bid_bytes,
        here=request.url.path,
        people=hooks.people(session, principal.organisation_id),
        signing_keys=json.dumps(
            [
                {"id": k.id, "fingerprint": k.fingerprint}
                for k in signing.organisation_keys(session, desk.organisation.id)
                if k.status == "active"
            ]
        ),
        signature_required=service.signature_required(session)[0],
    )


async def ciphertext(request: Request) -> bytes:
    """The sealed bytes as the page's script sends them. A form post is refused before its body is read
    (the CSRF check has already consumed it, and a form could only carry a bid in clear)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/octet-stream":
        raise InvalidInput("请在投标页面加密后递交（请求体应为加密投标文件，application/octet-stream）", field="body")
    return await request.body()


@router.post("/projects/{project_id}/sections/{section_id}/bid")
def submit(
    request: Request,
    project_id: Id,
    section_id: Id,
    session: Session = SessionDep,
    principal: Principal = BIDDER_CONFIRMED,  # before the body: who may call is decided first
    body: bytes = Depends(ciphertext),
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
    key_commitment: str = Header(default="", alias="Sunshine-Key-Commitment"),
    signing_key: Id | None = Header(default=None, alias="Sunshine-Signing-Key"),
    signature: str = Header(default="", alias="Sunshine-Signature", max_length=200),
    device: str = Header(default="", alias="Sunshine-Device", max_length=1000),
) -> Response:
    """The page's fetch: ciphertext (and the signer's signature) in, signed receipt out (201; 200 for a retry); the
    address the server saw and the browser's hashed fingerprint kept for 电子监察 (``service.Origin``)."""
    service.section_of(session, project_id, section_id)
    result = service.submit(
        session,
        principal,
        section_id,
        body,
        key_commitment=key_commitment,
        idempotency_key=idempotency_key,
        signing_key_id=signing_key,
        signature=signature,
        origin=service.Origin(client_ip=request.client.host if request.client else None, device=device),
    )
    return JSONResponse(service.receipt_of(result.bid), status_code=201 if result.created else 200)


# --------------------------------------------------------------------------- the opening room


def _fingerprint(room: opening.Room) -> str:
    """What decides which forms the room shows: when it changes, the live part asks for a reload."""
    if room.opening is None:
        return "none"
    marks = [room.opening.status, [(o["id"], o["answer"] is not None) for o in room.record["objections"]]]
    return hashlib.sha256(json.dumps(marks).encode()).hexdigest()[:16]


def _room_context(room: opening.Room) -> dict[str, Any]:
    project, found = room.project, room.opening
    published = found is not None and found.record_json is not None
    record = json.loads(found.record_json) if published else room.record
    live = room.due or (found is not None and found.status in LIVE)
    pending = {b.bid_no for b in room.my_bids if b.decryption == "pending"}
    return {
        "room": room,
        "project": project,
        "found": found,
        "record": record,
        "published": published,
        "live": live,
        "poll_seconds": POLL_SECONDS,
        "fingerprint": _fingerprint(room),
        "now": clock.now(),
        "state_label": lifecycle.state_label(project, project.state),
        "sealed_lifecycle": project.lifecycle in service.SEALED_LIFECYCLES,
        "remaining": _remaining(found.decryption_ends_at if found and found.status == "decrypting" else None),
        "deadline_remaining": _remaining(project.bid_deadline) if found is None else None,
        "revealable": [b for b in room.my_bids if b.bid_no in pending]
        if found is not None and found.status == "decrypting"
        else [],
        "pending_rows": [
            row
            for section in (record or {}).get("sections", [])
            for row in section["bids"]
            if row["decryption"] == "pending"
        ],
        "unanswered": [o for o in (record or {}).get("objections", []) if o["answer"] is None],
        "window": opening.decryption_window(project)[0] if project.lifecycle in service.SEALED_LIFECYCLES else None,
    }


def _room_page(
    request: Request,
    session: Session,
    principal: Principal,
    project_id: int,
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
) -> Response:
    room = opening.room(session, principal, project_id)
    return render(
        request,
        "bidding_opening.html",
        status=status,
        page_title=f"开标室：{room.project.name}",
        form=form or {},
        **_room_context(room),
    )


@router.get("/projects/{project_id}/opening", response_class=HTMLResponse)
def opening_room(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC
) -> Response:
    return _room_page(request, session, principal, project_id)


@router.get("/projects/{project_id}/opening/live", response_class=HTMLResponse)
def opening_live(
    request: Request,
    project_id: Id,
    v: str = Query("", max_length=40),
    session: Session = SessionDep,
    principal: Principal = PUBLIC,
) -> Response:
    """The record part of the room, polled by htmx while the opening is under way."""
    context = _room_context(opening.room(session, principal, project_id))
    return render(request, "_bidding_opening_live.html", page_v=v or context["fingerprint"], **context)


def _room_act(
    request: Request,
    principal: Principal,
    project_id: int,
    call: Callable[[], Any],
    done: Callable[[Any], str] | str,
    *,
    form: dict[str, Any] | None = None,
) -> Response:
    """One step in the room: done → flash and back to the room; refused → the reason beside its field
    (the room again, 400) or as a flash."""
    back = f"/projects/{project_id}/opening"
    try:
        result = call()
    except SunshineError as exc:
        name = exc.extra.get("field")
        if exc.status == 404:
            raise
        if form is None or name not in form.get("fields", ()):
            raise PageRefused(exc, back=back) from exc

        def page(session: Session, error: SunshineError) -> Response:
            errors = {name: error.detail}
            return _room_page(request, session, principal, project_id, status=400, form={**form, "errors": errors})

        raise PageRefused(exc, page=page) from exc
    flash(request, "success", done(result) if callable(done) else done)
    return redirect(request, back)


@router.post("/projects/{project_id}/opening/start")
def start_opening(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = CENTRE
) -> Response:
    def done(found) -> str:
        if found.status == "failed":
            return "递交投标文件的投标人不足法定数量，不予开标（流标），开标记录已公布"
        return "已开标：请各投标人在解密时限内解密投标文件"

    return _room_act(
        request, principal, project_id, lambda: opening.start_by_staff(session, principal, project_id), done
    )


@router.post("/projects/{project_id}/opening/reveal", response_class=HTMLResponse)
def reveal(
    request: Request,
    project_id: Id,
    bid_no: str = Form(""),
    key: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = BIDDER_CONFIRMED,
) -> Response:
    def done(bid) -> str:
        return f"投标文件 {bid.bid_no} 已解密，投标报价 {bid.price:,.2f} 元已记入开标记录"

    return _room_act(
        request,
        principal,
        project_id,
        lambda: opening.reveal(session, principal, bid_no.strip(), key),
        done,
        form={"name": "reveal", "target": bid_no.strip(), "fields": ("key",)},
    )


@router.post("/projects/{project_id}/opening/platform-fault", response_class=HTMLResponse)
def platform_fault(
    request: Request,
    project_id: Id,
    bid_no: str = Form(""),
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    visibility.get_visible(session, principal, project_id)
    return _room_act(
        request,
        principal,
        project_id,
        lambda: opening.record_platform_fault(session, principal, bid_no.strip(), reason),
        "已记录认定：该投标文件如最终未能解密，按非投标人原因处理（视为撤回）",
        form={"name": "fault", "target": bid_no.strip(), "fields": ("reason",), "values": {"reason": reason}},
    )


@router.post("/projects/{project_id}/opening/close-decryption")
def close_decryption(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = CENTRE
) -> Response:
    def call():
        project = visibility.get_visible(session, principal, project_id)
        return opening.close_decryption(session, principal, project)

    return _room_act(request, principal, project_id, call, "解密已结束，开标记录已形成，请各方确认")


@router.post("/projects/{project_id}/opening/confirm")
def confirm(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = OFFICIALS
) -> Response:
    def done(found) -> str:
        if found.status in ("published", "failed"):
            return "您已确认；各方均已确认，开标记录已公布并记入全程留痕"
        return "您已确认开标记录；待其他各方确认后公布"

    confirm = opening_confirmation.confirm
    return _room_act(request, principal, project_id, lambda: confirm(session, principal, project_id), done)


__all__ = ["router"]


@router.post("/projects/{project_id}/opening/officials", response_class=HTMLResponse)
def officials(
    request: Request,
    project_id: Id,
    reader: str = Form(""),
    recorder: str = Form(""),
    overseer: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    return _room_act(
        request,
        principal,
        project_id,
        lambda: opening_confirmation.set_officials(
            session, principal, project_id, reader=reader, recorder=recorder, overseer=overseer
        ),
        "唱标人、记录人、监标人已记入开标记录",
    )
