"""Pages of online auctions (网上竞价): the auction room (/auctions/{id}: live price, leading paddle,
countdown and bid history, refreshed by htmx polling of /auctions/{id}/live, readable without JavaScript)
with the bid form of a qualified bidder, and a project's auctions with the setup form of its tenderer or
agency (/projects/{id}/auctions). Thin: every rule is in ``auctions.service``; a refused form is shown
again with the message beside its field (400), a done step redirects with a flash message."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.auctions import bids, conditions, reading, service
from sunshine.auctions.api import SETTLED
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import SunshineError
from sunshine.core.formatting import yuan
from sunshine.core.inputs import Id, stored_id
from sunshine.identity.roles import Role
from sunshine.rules.pack_format import LIFECYCLE_LABELS
from sunshine.trading import lifecycle, visibility
from sunshine.trading import views as trading_views
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act, refusals_shown_on
from sunshine.web.templating import flash, redirect, render, templates

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER))
BIDDER = Depends(Access(Role.BIDDER))

# Timeline entries of the auction steps (document ``auction:{id}``) link to the auction room.
trading_views.DOCUMENT_LINKS.setdefault("auction", ("网上竞价", "/auctions/{}"))

Errors = dict[str, str]
SETUP_FIELDS = ("section_id", "start_price", "increment", "reserve_price")


def _amount(text: str) -> Decimal | None:
    """ "1,234,567.8" → Decimal('1234567.80'); None when it is not a positive amount with at most 2 places."""
    try:
        value = Decimal((text or "").replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0 or value != value.quantize(service.CENT) or value >= service.MAX_AMOUNT:
        return None
    return value.quantize(service.CENT)


def countdown(seconds: int | None) -> str:
    """``93784`` → ``"1 天 02:03:04"``; ``184`` → ``"00:03:04"``."""
    if seconds is None:
        return "—"
    days, rest = divmod(max(0, seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock_text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days} 天 {clock_text}" if days else clock_text


def _room_context(session: Session, principal: Principal, auction_id: int) -> dict:
    v = reading.view(session, principal, auction_id)
    standing = bids.standing(session, principal, v.auction)
    return {
        "v": v,
        "bids": reading.bid_rows(session, principal, auction_id, newest_first=True, limit=reading.ROOM_HISTORY),
        "standing": standing,
        "can_bid": standing is not None and standing.qualified and v.accepting and not standing.leading,
        "countdown": countdown(v.seconds_left),
        "lifecycle_label": LIFECYCLE_LABELS.get(v.project.lifecycle, v.project.lifecycle),
        "project_state": lifecycle.state_label(v.project, v.project.state),
    }


def _room(
    request: Request,
    session: Session,
    principal: Principal,
    auction_id: int,
    *,
    status: int = 200,
    errors: Errors | None = None,
    amount: str | None = None,
) -> Response:
    ctx = _room_context(session, principal, auction_id)
    v = ctx["v"]
    return render(
        request,
        "auctions_room.html",
        status=status,
        page_title=f"网上竞价：{v.project.name} 第 {v.section.number} 标段",
        errors=errors or {},
        amount=amount if amount is not None else (f"{v.minimum_bid:.2f}" if v.minimum_bid is not None else ""),
        **ctx,
    )


@router.get("/auctions/{auction_id}", response_class=HTMLResponse, dependencies=SETTLED)
def room(request: Request, auction_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC) -> Response:
    return _room(request, session, principal, auction_id)


@router.get("/auctions/{auction_id}/live", response_class=HTMLResponse, dependencies=SETTLED)
def live(request: Request, auction_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC) -> Response:
    """The live part of the room alone (htmx polls it); it carries no flash messages, so it never eats one."""
    ctx = _room_context(session, principal, auction_id)
    # Polled every 2 s by every viewer: only what the fragment needs (no ledger head, no flash cookie).
    context = {"request": request, "principal": principal, **ctx}
    return templates.TemplateResponse(request, "auctions_live.html", context)


@router.post("/auctions/{auction_id}/bids", response_class=HTMLResponse, dependencies=SETTLED)
def bid(
    request: Request,
    auction_id: Id,
    amount: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = BIDDER,
) -> Response:
    def refused(session: Session, exc: SunshineError | None = None) -> Response:
        message = exc.detail if exc else "请填写报价（元），大于 0，最多两位小数"
        return _room(request, session, principal, auction_id, status=400, errors={"amount": message}, amount=amount)

    value = _amount(amount)
    if value is None:
        return refused(session)
    with refusals_shown_on(refused):
        placed = bids.place_bid(session, principal, auction_id, value)
    flash(request, "success", f"报价成功：第 {placed.seq} 次报价，{yuan(placed.amount)} 元")
    return redirect(request, f"/auctions/{auction_id}")


@router.post("/auctions/{auction_id}/paddle")
def claim_paddle(
    request: Request, auction_id: Id, session: Session = SessionDep, principal: Principal = BIDDER
) -> Response:
    return act(
        request,
        f"/auctions/{auction_id}",
        lambda: bids.claim_paddle(session, principal, auction_id),
        lambda bidder: f"本单位在本次竞价中的竞买号为 {bidder.paddle}",
    )


# --------------------------------------------------------------------------- a project's auctions and their setup


def _project_page(
    request: Request,
    session: Session,
    principal: Principal,
    project_id: int,
    *,
    status: int = 200,
    errors: Errors | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    project = visibility.get_visible(session, principal, project_id)
    views = reading.list_for_project(session, principal, project_id)
    sections = conditions.auctionable_sections(session, principal, project)
    return render(
        request,
        "auctions_project.html",
        status=status,
        page_title=f"网上竞价：{project.name}",
        project=project,
        views=views,
        sections=[(str(s.id), f"第 {s.number} 标段：{s.name}") for s in sections],
        lifecycle_label=LIFECYCLE_LABELS.get(project.lifecycle, project.lifecycle),
        auctioned=project.lifecycle in service.LIFECYCLES,
        starts_at=service.bidding_starts_at(project),
        errors=errors or {},
        form=form or ({"section_id": str(sections[0].id)} if len(sections) == 1 else {}),
    )


@router.get("/projects/{project_id}/auctions", response_class=HTMLResponse)
def project_auctions(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC
) -> Response:
    return _project_page(request, session, principal, project_id)


@router.post("/projects/{project_id}/auctions", response_class=HTMLResponse)
def setup(
    request: Request,
    project_id: Id,
    section_id: str = Form(""),
    start_price: str = Form(""),
    increment: str = Form(""),
    reserve_price: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = PARTIES,
) -> Response:
    visibility.get_visible(session, principal, project_id)  # 404 for a project the caller may not see
    form = {"section_id": section_id, "start_price": start_price, "increment": increment, "reserve_price": ""}
    errors: Errors = {}
    if stored_id(section_id) is None:
        errors["section_id"] = "请选择标段"
    values = {}
    for name, label in (("start_price", "起始价"), ("increment", "增价幅度")):
        values[name] = _amount(start_price if name == "start_price" else increment)
        if values[name] is None:
            errors[name] = f"请填写{label}（元），大于 0，最多两位小数"
    reserve = None
    if reserve_price.strip():
        reserve = _amount(reserve_price)
        if reserve is None:
            errors["reserve_price"] = "保留价应为大于 0 的金额（元），最多两位小数；不设保留价的请留空"
    # The reserve price typed into the form is never sent back to the browser.
    if errors:
        return _project_page(request, session, principal, project_id, status=400, errors=errors, form=form)

    def refused(session: Session, exc: SunshineError) -> Response:
        name = exc.extra.get("field")
        errors = {name if name in SETUP_FIELDS else "section_id": exc.detail}
        return _project_page(request, session, principal, project_id, status=400, errors=errors, form=form)

    with refusals_shown_on(refused, passing=()):  # a section not found is told beside its field
        auction = conditions.setup(
            session,
            principal,
            project_id,
            stored_id(section_id),
            start_price=values["start_price"],
            increment=values["increment"],
            reserve_price=reserve,
        )
    flash(
        request,
        "success",
        "已设置网上竞价" + ("；保留价已加密承诺并记入全程留痕，竞价结束前不对任何人显示" if reserve else ""),
    )
    return redirect(request, f"/auctions/{auction.id}")


__all__ = ["router", "countdown"]
