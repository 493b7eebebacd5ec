"""Who sees what of the rooms: the schedule of booked rooms is public (room, time, session, project code), never
who sits on an evaluation committee (the booking does not know); released bookings and inactive rooms only for
centre staff, who manage them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.identity.roles import Role
from sunshine.trading.models import Project
from sunshine.venues import service
from sunshine.venues.models import Booking, Room

MANAGERS = frozenset({Role.CENTRE_STAFF})


def may_manage(actor: Principal | None) -> bool:
    return actor is not None and bool(actor.roles & MANAGERS)


def booking_row(booking: Booking, room: Room, project_code: str | None) -> dict:
    """One line of the schedule, as the API and the pages show it."""
    return {
        "id": booking.id,
        "room_id": room.id,
        "room": room.name,
        "room_kind_label": service.KINDS[room.kind],
        "zone_label": service.zone_label(room.kind),
        "purpose": booking.purpose,
        "purpose_label": service.PURPOSES[booking.purpose],
        "title": booking.title,
        "project_code": project_code,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "state": booking.state,
        "state_label": service.STATES[booking.state],
    }


def schedule_rows(session: Session, actor: Principal | None, bookings: list[Booking]) -> list[dict]:
    rooms = {r.id: r for r in session.scalars(select(Room).where(Room.id.in_({b.room_id for b in bookings})))}
    ids = {b.project_id for b in bookings if b.project_id is not None}
    codes = dict(session.execute(select(Project.id, Project.code).where(Project.id.in_(ids))).all()) if ids else {}
    staff = may_manage(actor)
    return [
        booking_row(b, rooms[b.room_id], codes.get(b.project_id))
        for b in bookings
        if staff or (b.state == "booked" and rooms[b.room_id].active)
    ]
