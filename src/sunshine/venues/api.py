"""JSON routes of the centre's rooms: the rooms and the schedule for everyone, the rules as drawn from the rooms
and the pack; the centre's staff add and change rooms, book and release them and send the rules to the
disclosure office's review."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, IsoDate
from sunshine.core.inputs import count as bounded
from sunshine.identity.roles import Role
from sunshine.venues import regulations, service, visibility
from sunshine.venues.models import Room
from sunshine.venues.schemas import (
    BookingIn,
    BookingOut,
    ReleaseIn,
    RoomIn,
    RoomOut,
    RulesOut,
    RulesSubmitted,
)

router = APIRouter(prefix="/api/v1/venues", tags=["场地与场室"])
ANYONE = Depends(Access.public())
CENTRE = Depends(Access(Role.CENTRE_STAFF))


def room_out(room: Room) -> RoomOut:
    return RoomOut(
        id=room.id,
        name=room.name,
        kind=room.kind,
        kind_label=service.KINDS[room.kind],
        zone_label=service.zone_label(room.kind),
        isolated=room.kind in service.ISOLATED_KINDS,
        location=room.location,
        capacity=room.capacity,
        observer_seats=room.observer_seats,
        equipment=[e for e in room.equipment.split("、") if e],
        active=room.active,
    )


def room_data(data: RoomIn) -> service.RoomData:
    return service.RoomData(
        data.name, data.kind, data.location, data.capacity, data.observer_seats, data.equipment, data.active
    )


def window(since, days: int) -> tuple[datetime, datetime]:
    """The schedule's days in Beijing time, from ``since`` (today by default)."""
    tz = get_settings().tz
    start = datetime.combine(since or clock.today_local(), time(0), tzinfo=tz)
    return start, start + timedelta(days=days)


@router.get("/rooms", response_model=list[RoomOut], summary="交易中心的场室")
def list_rooms(session=SessionDep, principal: Principal = ANYONE) -> list[RoomOut]:
    staff = visibility.may_manage(principal)
    return [room_out(r) for r in service.rooms(session, active_only=not staff)]


@router.post("/rooms", response_model=RoomOut, status_code=201, summary="登记场室")
def create_room(data: RoomIn, session=SessionDep, principal: Principal = CENTRE) -> RoomOut:
    return room_out(service.create_room(session, principal, room_data(data)))


@router.put("/rooms/{room_id}", response_model=RoomOut, summary="修改场室（类型、启用）")
def update_room(room_id: Id, data: RoomIn, session=SessionDep, principal: Principal = CENTRE) -> RoomOut:
    return room_out(service.update_room(session, principal, room_id, room_data(data)))


@router.get("/schedule", response_model=list[BookingOut], summary="场地安排表")
def schedule(
    since: Annotated[IsoDate | None, Query(description="起始日期 YYYY-MM-DD，默认今天")] = None,
    days: Annotated[int, bounded(1, 62), Query(description="天数")] = 14,
    session=SessionDep,
    principal: Principal = ANYONE,
) -> list[BookingOut]:
    start, end = window(since, days)
    staff = visibility.may_manage(principal)
    rows = service.schedule(session, since=start, until=end, include_released=staff)
    return [BookingOut(**row) for row in visibility.schedule_rows(session, principal, rows)]


@router.get("/projects/{project_id}/bookings", response_model=list[BookingOut], summary="项目的场地预约")
def project_bookings(project_id: Id, session=SessionDep, principal: Principal = CENTRE) -> list[BookingOut]:
    rows = service.bookings_of_project(session, project_id)
    return [BookingOut(**row) for row in visibility.schedule_rows(session, principal, rows)]


@router.post("/bookings", response_model=BookingOut, status_code=201, summary="预约场室")
def book(data: BookingIn, session=SessionDep, principal: Principal = CENTRE) -> BookingOut:
    row = service.book_manual(
        session,
        principal,
        service.ManualBooking(
            data.room_id,
            data.purpose,
            data.title,
            data.starts_at,
            data.ends_at,
            data.project_id,
            attendance=data.attendance,
            observers=data.observers,
        ),
    )
    return BookingOut(**visibility.schedule_rows(session, principal, [row])[0])


@router.post("/bookings/{booking_id}/release", response_model=BookingOut, summary="释放预约")
def release(booking_id: Id, data: ReleaseIn, session=SessionDep, principal: Principal = CENTRE) -> BookingOut:
    row = service.release(session, principal, booking_id, data.reason)
    return BookingOut(**visibility.schedule_rows(session, principal, [row])[0])


@router.get("/rules", response_model=RulesOut, summary="场室管理制度")
def rules(session=SessionDep, principal: Principal = ANYONE) -> RulesOut:
    published = regulations.published_rules(session)
    staff = visibility.may_manage(principal)
    pending = regulations.pending_rules(session) if staff else None
    draft = regulations.rules_text(session) if staff else ""  # the public reads only the reviewed text
    return RulesOut(
        text=published.body if published is not None else draft,
        published_id=published.id if published is not None else None,
        published_at=published.published_at if published is not None else None,
        pending_id=pending.id if pending is not None else None,
    )


@router.post("/rules/publish", response_model=RulesSubmitted, status_code=201, summary="场室管理制度送审发布")
def publish_rules(session=SessionDep, principal: Principal = CENTRE) -> RulesSubmitted:
    pub = regulations.publish_rules(session, principal)
    return RulesSubmitted(publication_id=pub.id, status=pub.status)
