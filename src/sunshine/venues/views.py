"""Pages of the centre's rooms: the public schedule (`/venues`: which room is booked when, for which project,
the rooms and the published room rules) and the staff page (`/staff/venues`) where the centre adds and changes
rooms, books and releases them and sends the room rules to the disclosure office's review."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import Id, IsoDate, stored_id, whole_number
from sunshine.core.inputs import count as bounded
from sunshine.identity.roles import Role
from sunshine.venues import opening_seats, regulations, service, visibility
from sunshine.venues.api import window
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["场地与场室"], include_in_schema=False)
PUBLIC = Depends(Access.public())
CENTRE = Depends(Access(Role.CENTRE_STAFF))
BACK = "/staff/venues"


def _moment(text: str, field: str, what: str) -> datetime:
    """A ``datetime-local`` value, read as Beijing time by the service."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"请按“年-月-日 时:分”填写{what}，如 2026-12-14 09:30", field=field) from None


def _number(text: str, field: str, what: str) -> int:
    value = whole_number(text, 0, 2000)
    if value is None:
        raise InvalidInput(f"{what}应为 0 至 2000 之间的整数", field=field)
    return value


def _labels(session: Session) -> dict:
    r = service.venue_rules(session)
    return {
        "kinds": service.KINDS,
        "purposes": service.PURPOSES,
        "zone_label": service.zone_label,
        "isolated_kinds": service.ISOLATED_KINDS,
        "hours": f"{service.hhmm(r.open_from)}–{service.hhmm(r.open_until)}",
        "venue_rules": r,
    }


@router.get("/venues", response_class=HTMLResponse)
def public_schedule(
    request: Request,
    since: Annotated[IsoDate | None, Query()] = None,
    days: Annotated[int, bounded(1, 62), Query()] = 14,
    session: Session = SessionDep,
    principal: Principal = PUBLIC,
) -> Response:
    start, end = window(since, days)
    rows = service.schedule(session, since=start, until=end)
    return render(
        request,
        "venues_schedule.html",
        page_title="场地安排",
        rooms=service.rooms(session, active_only=True),
        bookings=visibility.schedule_rows(session, None, rows),
        start=start,
        end=end,
        days=days,
        rules=regulations.published_rules(session),
        **_labels(session),
    )


@router.get("/staff/venues", response_class=HTMLResponse)
def staff_page(
    request: Request,
    since: Annotated[IsoDate | None, Query()] = None,
    days: Annotated[int, bounded(1, 62), Query()] = 14,
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    start, end = window(since, days)
    rows = service.schedule(session, since=start, until=end, include_released=True)
    return render(
        request,
        "venues_staff.html",
        page_title="场地与场室管理",
        rooms=service.rooms(session),
        bookings=visibility.schedule_rows(session, principal, rows),
        start=start,
        end=end,
        days=days,
        rules=regulations.published_rules(session),
        pending=regulations.pending_rules(session),
        rules_text=regulations.rules_text(session),
        outgrown=opening_seats.open_alerts(session),
        **_labels(session),
    )


def _room_data(name: str, kind: str, location: str, capacity: str, observer_seats: str, equipment: str, active: str):
    return service.RoomData(
        name=name,
        kind=kind,
        location=location,
        capacity=_number(capacity, "capacity", "座位数"),
        observer_seats=_number(observer_seats or "0", "observer_seats", "旁听席位"),
        equipment=equipment,
        active=active == "1",
    )


@router.post("/staff/venues/rooms", response_class=HTMLResponse)
def staff_create_room(
    request: Request,
    name: str = Form(""),
    kind: str = Form(""),
    location: str = Form(""),
    capacity: str = Form(""),
    observer_seats: str = Form("0"),
    equipment: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    def call():
        data = _room_data(name, kind, location, capacity, observer_seats, equipment, "1")
        return service.create_room(session, principal, data)

    return act(request, BACK, call, lambda r: f"已登记场室“{r.name}”")


@router.post("/staff/venues/rooms/{room_id}", response_class=HTMLResponse)
def staff_update_room(
    room_id: Id,
    request: Request,
    name: str = Form(""),
    kind: str = Form(""),
    location: str = Form(""),
    capacity: str = Form(""),
    observer_seats: str = Form("0"),
    equipment: str = Form(""),
    active: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    def call():
        data = _room_data(name, kind, location, capacity, observer_seats, equipment, active)
        return service.update_room(session, principal, room_id, data)

    return act(request, BACK, call, lambda r: f"已修改场室“{r.name}”")


@router.post("/staff/venues/bookings", response_class=HTMLResponse)
def staff_book(
    request: Request,
    room_id: str = Form(""),
    purpose: str = Form(""),
    title: str = Form(""),
    starts_at: str = Form(""),
    ends_at: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    def call():
        room = stored_id(room_id)
        if room is None:
            raise InvalidInput("请选择场室", field="room_id")
        data = service.ManualBooking(
            room_id=room,
            purpose=purpose,
            title=title,
            starts_at=_moment(starts_at, "starts_at", "开始时间"),
            ends_at=_moment(ends_at, "ends_at", "结束时间"),
        )
        return service.book_manual(session, principal, data)

    return act(request, BACK, call, lambda b: f"已预约：{b.title}")


@router.post("/staff/venues/bookings/{booking_id}/release", response_class=HTMLResponse)
def staff_release(
    booking_id: Id,
    request: Request,
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    def call():
        return service.release(session, principal, booking_id, reason)

    return act(request, BACK, call, lambda b: f"已释放预约：{b.title}")


@router.post("/staff/venues/rules", response_class=HTMLResponse)
def staff_publish_rules(request: Request, session: Session = SessionDep, principal: Principal = CENTRE) -> Response:
    def call():
        return regulations.publish_rules(session, principal)

    return act(request, BACK, call, lambda p: f"场室管理制度已送政务公开办保密审查（第 {p.id} 号），审查通过后发布")
