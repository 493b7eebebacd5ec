"""Pages of social supervision: the 社会监督 hub (the way in for supervisors and citizens), the card check a QR
opens, recruitment and application, the supervisor's workbench (next week's sessions to choose, their card, a
private calendar feed), a session's record, a room's QR landing (sign in, opinion box) and its poster, opinion
tracking, open days (须知, agenda, poll, application, draw record, feedback, report)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Annotated

import segno
from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.inputs import Id, stored_id
from sunshine.core.pagination import cursor_query, page_urls
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.supervision import cards, labels, opendays, opinions, polls, registry, schedule, sessions
from sunshine.venues.models import Room
from sunshine.web.refusals import act, refusals_back_to
from sunshine.web.templating import flash, redirect, render

router = APIRouter(tags=["社会监督"], include_in_schema=False)
PUBLIC = Depends(Access.public())
SIGNED_IN = Depends(Access.signed_in())
SUPERVISOR_ROLE = Depends(Access(Role.SOCIAL_SUPERVISOR))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
HUB_RECRUITMENTS, HUB_OPEN_DAYS = 5, 10  # the hub's pages of recruitments and open days

LABELS = {
    "kinds": labels.KINDS,
    "sources": labels.SOURCES,
    "states": labels.STATES,
    "topics": labels.OPINION_TOPICS,
    "channels": labels.OPINION_CHANNELS,
    "day_kinds": labels.OPEN_DAY_KINDS,
    "day_states": labels.OPEN_DAY_STATES,
    "pstates": labels.PARTICIPANT_STATES,
    "categories": labels.CATEGORIES,
    "att_sources": labels.ATTENDANCE_SOURCES,
    "event_labels": labels.EVENTS,
}


def qr_svg(url: str, title: str) -> str:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, title=title)
    return out.getvalue().decode()


def _full(path: str) -> str:
    return get_settings().public_url.rstrip("/") + path


def _supervision_events(session: Session, limit: int = 12) -> list[dict]:
    rows = [e for e in ledger.recent(session, 300) if e.kind in labels.EVENTS][:limit]
    return [{"seq": e.seq, "at": e.recorded_at, "label": labels.EVENTS[e.kind]} for e in rows]


@router.get("/supervision", response_class=HTMLResponse)
def hub(
    request: Request,
    recruitments_cursor: str | None = cursor_query(),
    open_days_cursor: str | None = cursor_query(),
    session: Session = SessionDep,
    actor: Principal = PUBLIC,
) -> Response:
    row = schedule.latest(session)
    cursors = {"recruitments_cursor": recruitments_cursor, "open_days_cursor": open_days_cursor}
    return render(
        request,
        "supervision/hub.html",
        page_title="社会监督",
        recruitments=registry.recruitment_page(session, cursor=recruitments_cursor, limit=HUB_RECRUITMENTS),
        recruitments_url=page_urls("/supervision", cursors, param="recruitments_cursor", anchor="join"),
        week=row,
        items=schedule.items_of(row),
        open_days=opendays.page(session, cursor=open_days_cursor, limit=HUB_OPEN_DAYS),
        open_days_url=page_urls("/supervision", cursors, param="open_days_cursor", anchor="open-days"),
        published=opinions.published(session, 10),
        events=_supervision_events(session),
        in_office=len(registry.active(session)),
        me=registry.of_user(session, actor.user_id),
        head=ledger.latest_head(session),
        **LABELS,
    )


@router.get("/supervision/cards/{serial}", response_class=HTMLResponse)
def card_check(
    serial: Annotated[str, Path(max_length=24)],
    request: Request,
    v: Annotated[int, Query(ge=0, le=100000)] = 0,
    s: Annotated[str, Query(max_length=200)] = "",
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    check = cards.verify(session, serial, v, s)
    return render(request, "supervision/card_check.html", page_title="社会监督员工作证核验", check=check)


@router.get("/supervision/recruitments/{recruitment_id}", response_class=HTMLResponse)
def recruitment(recruitment_id: Id, request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    rec = registry.get_recruitment(session, recruitment_id)
    return render(request, "supervision/recruitment.html", page_title=rec.title, rec=rec, **LABELS)


@router.post("/supervision/recruitments/{recruitment_id}/apply", response_class=HTMLResponse)
def recruitment_apply(
    recruitment_id: Id,
    request: Request,
    name: str = Form(""),
    phone: str = Form(""),
    employer: str = Form(""),
    statement: str = Form(""),
    session: Session = SessionDep,
    actor: Principal = SIGNED_IN,
) -> Response:
    def call():
        return registry.apply(
            session, actor, recruitment_id, name=name, phone=phone, employer=employer, statement=statement
        )

    return act(request, f"/supervision/recruitments/{recruitment_id}", call, "申请已提交，交易中心审核后通知您")


# --------------------------------------------------------------------------- the supervisor's workbench


@router.get("/supervision/me", response_class=HTMLResponse)
def workbench(request: Request, session: Session = SessionDep, actor: Principal = SUPERVISOR_ROLE) -> Response:
    me = registry.of_user(session, actor.user_id)
    now = clock.now()
    upcoming = schedule.sessions_between(session, now, now + timedelta(days=14))
    mine = {a.booking_id for a, _, _ in sessions.mine(session, actor)}
    rows = [
        {
            **schedule.item(b, room, project),
            "starts": b.starts_at,
            "seats": sessions.seats_of(session, room),
            "taken": sessions.taken(session, b.id),
            "chosen": b.id in mine,
        }
        for b, room, project in upcoming
    ]
    return render(
        request,
        "supervision/me.html",
        page_title="我的社会监督",
        me=me,
        rows=rows,
        mine=[(a, b, room, sessions.remote_links(session, actor, b)) for a, b, room in sessions.mine(session, actor)],
        regular=opendays.announced_regular(session),
        **LABELS,
    )


@router.post("/supervision/me/sessions/{booking_id}/{action}", response_class=HTMLResponse)
def workbench_session(
    booking_id: Id, action: str, request: Request, session: Session = SessionDep, actor: Principal = SUPERVISOR_ROLE
) -> Response:
    if action == "cancel":
        return act(request, "/supervision/me", lambda: sessions.cancel(session, actor, booking_id), "已取消该场次")
    return act(
        request, "/supervision/me", lambda: sessions.choose(session, actor, booking_id), "已选择该场次，观察席已保留"
    )


@router.post("/supervision/me/open-days/{open_day_id}/join", response_class=HTMLResponse)
def workbench_join(
    open_day_id: Id, request: Request, session: Session = SessionDep, actor: Principal = SUPERVISOR_ROLE
) -> Response:
    return act(request, "/supervision/me", lambda: opendays.join_regular(session, actor, open_day_id), "已报名参加")


@router.get("/supervision/me/card.pdf")
def my_card(session: Session = SessionDep, actor: Principal = SUPERVISOR_ROLE) -> Response:
    me = registry.of_user(session, actor.user_id)
    if me is None:
        raise NotFound("您没有在聘的工作证")
    return Response(cards.card_pdf(me, get_settings().public_url), media_type="application/pdf")


@router.get("/supervision/me/schedule.ics")
def my_feed(session: Session = SessionDep, actor: Principal = SUPERVISOR_ROLE) -> Response:
    """The supervisor's private calendar feed: the sessions they chose or were drawn for."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sunshine//supervision//CN", "X-WR-CALNAME:社会监督场次"]
    for a, b, room in sessions.mine(session, actor):
        lines += [
            "BEGIN:VEVENT",
            f"UID:supervision-{a.id}@sunshine",
            f"DTSTAMP:{clock.now():%Y%m%dT%H%M%SZ}",
            f"DTSTART:{_utc(b.starts_at)}",
            f"DTEND:{_utc(b.ends_at)}",
            f"SUMMARY:{b.title}",
            f"LOCATION:{room.name} {room.location}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return Response("\r\n".join(lines) + "\r\n", media_type="text/calendar; charset=utf-8")


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# --------------------------------------------------------------------------- sessions and rooms


@router.get("/supervision/sessions/{booking_id}", response_class=HTMLResponse)
def session_page(
    booking_id: Id, request: Request, session: Session = SessionDep, actor: Principal = PUBLIC
) -> Response:
    b, room = sessions.booking(session, booking_id)
    return render(
        request,
        "supervision/session.html",
        page_title=f"场次监督：{b.title}",
        b=b,
        room=room,
        seats=sessions.seats_of(session, room),
        observers=sessions.record(session, b.id),
        remote=sessions.remote_links(session, actor, b),
        purpose_label=labels.label(schedule.venues.PURPOSES, b.purpose),
        **LABELS,
    )


def _room(session: Session, room_id: int) -> Room:
    room = session.get(Room, room_id)
    if room is None:
        raise NotFound("场室不存在")
    return room


@router.get("/supervision/rooms/{room_id}", response_class=HTMLResponse)
def room_page(room_id: Id, request: Request, session: Session = SessionDep, actor: Principal = PUBLIC) -> Response:
    room = _room(session, room_id)
    return render(
        request,
        "supervision/room.html",
        page_title=f"{room.name} 社会监督",
        room=room,
        me=registry.of_user(session, actor.user_id),
        **LABELS,
    )


@router.post("/supervision/rooms/{room_id}/sign-in", response_class=HTMLResponse)
def room_sign_in(
    room_id: Id, request: Request, session: Session = SessionDep, actor: Principal = SUPERVISOR_ROLE
) -> Response:
    return act(
        request,
        f"/supervision/rooms/{room_id}",
        lambda: sessions.sign_in(session, actor, room_id),
        lambda r: f"已签到：{r[1].title}",
    )


@router.get("/supervision/rooms/{room_id}/poster", response_class=HTMLResponse)
def room_poster(room_id: Id, request: Request, session: Session = SessionDep, _: Principal = CENTRE) -> Response:
    room = _room(session, room_id)
    link = _full(f"/supervision/rooms/{room.id}")
    return render(
        request,
        "supervision/poster.html",
        page_title=f"{room.name} 监督员签到与意见箱",
        room=room,
        link=link,
        qr=qr_svg(link, f"{room.name} 签到与意见箱"),
    )


@router.post("/supervision/opinions", response_class=HTMLResponse)
def opinion_submit(
    request: Request,
    topic: str = Form(""),
    body: str = Form(""),
    contact: str = Form(""),
    channel: str = Form("online"),
    room_id: str = Form(""),
    open_day_id: str = Form(""),
    session: Session = SessionDep,
    actor: Principal = PUBLIC,
) -> Response:
    room = stored_id(room_id) if room_id else None
    day = stored_id(open_day_id) if open_day_id else None
    back = f"/supervision/rooms/{room}" if room else (f"/supervision/open-days/{day}" if day else "/supervision")
    with refusals_back_to(back):
        row, lookup = opinions.submit(
            session, actor, channel=channel, topic=topic, body=body, contact=contact, room_id=room, open_day_id=day
        )
    flash(
        request,
        "success",
        f"意见已收到，编号 {row.code}，查询码 {lookup}（请记下）。"
        f"由{opinions.responsible_label(row)}于 {row.due_on} 前答复。",
    )
    return redirect(request, back)


@router.get("/supervision/opinions/track", response_class=HTMLResponse)
def opinion_track_form(request: Request, _: Principal = PUBLIC) -> Response:
    return render(request, "supervision/track.html", page_title="意见办理查询", found=None)


@router.post("/supervision/opinions/track", response_class=HTMLResponse)
def opinion_track(
    request: Request,
    code: str = Form(""),
    lookup: str = Form(""),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    with refusals_back_to("/supervision/opinions/track"):
        row = opinions.track(session, code, lookup)
    view = {**opinions.public_view(session, row), "due_on": row.due_on, "publish_label": labels.PUBLISH[row.publish]}
    return render(request, "supervision/track.html", page_title="意见办理查询", found=view)


# --------------------------------------------------------------------------- open days


@router.get("/supervision/open-days/{open_day_id}", response_class=HTMLResponse)
def open_day_page(open_day_id: Id, request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    day = opendays.get(session, open_day_id)
    return render(
        request,
        "supervision/open_day.html",
        page_title=day.title,
        day=day,
        agenda=opendays.agenda(day),
        poll=polls.options(session, day),
        poll_open=polls.is_open(day),
        poll_result=polls.result(session, day),
        selected=[p.ref for p in opendays.people(session, day, ("selected",))],
        taking=day.kind == "application"
        and day.state == "announced"
        and day.apply_until
        and clock.now() < day.apply_until,
        **LABELS,
    )


@router.post("/supervision/open-days/{open_day_id}/apply", response_class=HTMLResponse)
def open_day_apply(
    open_day_id: Id,
    request: Request,
    name: str = Form(""),
    phone: str = Form(""),
    purpose: str = Form(""),
    session: Session = SessionDep,
    actor: Principal = PUBLIC,
) -> Response:
    back = f"/supervision/open-days/{open_day_id}"
    with refusals_back_to(back):
        row, lookup = opendays.apply(session, actor, open_day_id, name=name, phone=phone, purpose=purpose)
    flash(request, "success", f"申请已提交，申请编号 {row.ref}，查询码 {lookup}（请记下，反馈意见时使用）。")
    return redirect(request, back)


@router.post("/supervision/open-days/{open_day_id}/poll", response_class=HTMLResponse)
def open_day_vote(
    open_day_id: Id,
    request: Request,
    option_id: str = Form(""),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    key = f"{request.client.host if request.client else ''}|{request.headers.get('user-agent', '')}"
    option = stored_id(option_id) or 0
    return act(
        request,
        f"/supervision/open-days/{open_day_id}",
        lambda: polls.vote(session, open_day_id, option, key),
        "感谢参与社会关注度调查",
    )


@router.post("/supervision/open-days/{open_day_id}/feedback", response_class=HTMLResponse)
def open_day_feedback(
    open_day_id: Id,
    request: Request,
    ref: str = Form(""),
    lookup: str = Form(""),
    text: str = Form(""),
    score: str = Form("5"),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    points = int(score) if score.isdigit() else 0
    return act(
        request,
        f"/supervision/open-days/{open_day_id}",
        lambda: opendays.feedback(session, open_day_id, ref, lookup, text=text, score=points),
        "感谢您的反馈",
    )
