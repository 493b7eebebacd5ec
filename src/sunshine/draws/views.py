"""Pages of draws: the public list of disclosed draws, a draw's public record with the check in the visitor's
browser (js/draw-verify.js over js/ledger-verify.js), and the draw room — live state polled by htmx, sign-in,
start, finish and beacon buttons, and for an independent party the panel that generates its secret in its own
browser and commits and reveals it (js/draw-room.js). No page shows a candidate's ref or name before disclosure."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.draws import engine, purposes, reasons, record, visibility
from sunshine.draws import service as draws
from sunshine.identity.roles import Role
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
SIGNED_IN = Depends(Access.signed_in())
CENTRE = Depends(Access(Role.CENTRE_STAFF))
Code = Annotated[str, Path(min_length=1, max_length=32, pattern="^[A-Za-z0-9]+$")]
POLL_SECONDS = 3


def _labels(draw) -> dict:
    return {
        "groups": visibility.group_labels(draw),
        "kind": visibility.call_kind_label,
        "call_state": draws.CALL_STATE_LABELS,
        "purpose": purposes.label(draw.purpose),
        "state": draws.STATE_LABELS[draw.state],
    }


@router.get("/draws", response_class=HTMLResponse)
def draw_list(
    request: Request,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    rows, total = visibility.disclosed(session, limit=30, offset=(page - 1) * 30)
    return render(
        request,
        "draws_list.html",
        page_title="公开抽取结果",
        rows=rows,
        total=total,
        page=page,
        purpose_label=purposes.label,
    )


@router.get("/draws/{code}", response_class=HTMLResponse)
def record_page(code: Code, request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    draw = draws.get(session, code)
    data = record.build(session, draw)
    statuses = Counter(c["status"] for c in data["candidates"] or [])
    return render(
        request,
        "draws_record.html",
        page_title=f"公开抽取记录：{draw.title}",
        draw=draw,
        r=data,
        labels=_labels(draw),
        excluded=[(reasons.label(s), n) for s, n in sorted(statuses.items()) if s != engine.ELIGIBLE],
    )


def _room_context(session: Session, principal: Principal, draw) -> dict:
    return {
        "draw": draw,
        "room": visibility.room_state(session, principal, draw),
        "me": visibility.steps(session, principal, draw),
        "labels": _labels(draw),
        "poll_seconds": POLL_SECONDS,
        "live": draw.state not in (draws.DISCLOSED, draws.CANCELLED),
    }


@router.get("/draws/{code}/room", response_class=HTMLResponse)
def room_page(code: Code, request: Request, session: Session = SessionDep, principal: Principal = PUBLIC) -> Response:
    draw = draws.get(session, code)
    return render(
        request, "draws_room.html", page_title=f"抽取室：{draw.title}", **_room_context(session, principal, draw)
    )


@router.get("/draws/{code}/room/live", response_class=HTMLResponse)
def room_live(
    code: Code,
    request: Request,
    session: Session = SessionDep,
    principal: Principal = PUBLIC,
    v: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    draw = draws.get(session, code)
    return render(
        request, "_draws_room_live.html", page_state=v or draw.state, **_room_context(session, principal, draw)
    )


def _back(code: str) -> str:
    return f"/draws/{code}/room"


@router.post("/draws/{code}/room/sign-in", response_class=HTMLResponse)
def sign_in(code: Code, request: Request, session: Session = SessionDep, principal: Principal = SIGNED_IN) -> Response:
    return act(request, _back(code), lambda: draws.sign_in(session, principal, code), "已签到进入抽取室")


@router.post("/draws/{code}/room/start", response_class=HTMLResponse)
def start(code: Code, request: Request, session: Session = SessionDep, principal: Principal = SIGNED_IN) -> Response:
    return act(
        request,
        _back(code),
        lambda: draws.start_reveal(session, principal, code),
        "抽取已开始：平台已揭示随机数，请各参与方在揭示期限内揭示",
    )


@router.post("/draws/{code}/room/finish", response_class=HTMLResponse)
def finish(code: Code, request: Request, session: Session = SessionDep, principal: Principal = SIGNED_IN) -> Response:
    return act(request, _back(code), lambda: draws.finish(session, principal, code), "抽取已完成")


@router.post("/draws/{code}/room/beacon", response_class=HTMLResponse)
def beacon(
    code: Code,
    request: Request,
    value: Annotated[str, Form(max_length=1000)] = "",
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    return act(request, _back(code), lambda: draws.enter_beacon(session, principal, code, value), "公开信标已录入")


@router.post("/draws/{code}/room/commit")
def commit(
    code: Code,
    commitment: Annotated[str, Form(max_length=64)] = "",
    session: Session = SessionDep,
    principal: Principal = SIGNED_IN,
) -> Response:
    """From the party's browser (js/draw-room.js): only the commitment; the secret stays in that browser."""
    party = draws.commit(session, principal, code, commitment)
    return JSONResponse({"ok": True, "party": party.party, "message": "承诺已提交，随机数保存在本浏览器中"})


@router.post("/draws/{code}/room/reveal")
def reveal(
    code: Code,
    secret: Annotated[str, Form(max_length=64)] = "",
    session: Session = SessionDep,
    principal: Principal = SIGNED_IN,
) -> Response:
    """From the party's browser: the secret it kept, checked against the commitment."""
    draw = draws.reveal(session, principal, code, secret)
    return JSONResponse({"ok": True, "state": draw.state, "message": "随机数已揭示，与承诺一致"})
