"""The opening hall keeps up with registrations (开标室座位随报名复核): the hall is booked with the first notice,
before anyone has registered, so every accepted registration re-checks that the booked hall still seats the
registered bidders' representatives. When it no longer does, the booking moves to the smallest free hall of the
same kind that seats them at the same time (rooms locked as ``venues.service`` does, release and booking in
the ledger); when no such hall is free the booking stays and the centre gets one alert with the numbers, shown
on the staff venues page. A registration is never refused for a room. Installed by ``venues.steps``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts
from sunshine.core.formatting import local_time
from sunshine.identity.roles import Role
from sunshine.trading.models import Project, Registration
from sunshine.venues import service
from sunshine.venues.models import Booking, Room

ALERT_DOMAIN = "venues"
ALERT_KIND = "opening_hall_too_small"
ALERT_SUBJECT = "venue_booking"
#: the release reason stays free of numbers: the ledger is public and the count of registered bidders is
#: confidential until the bid deadline (《招标投标法》第二十二条)
MOVE_REASON = "开标场室座位不足，改订座位更多的开标室"


class _NoHall(Exception):
    """No free hall seats the opening: the savepoint's release is undone."""


def follow_registration(session: Session, project: Project, registration: Registration) -> Booking | None:
    """After ``registration`` is kept: the opening's booking, moved when its hall no longer seats the registered
    bidders; None when the project holds no opening booking."""
    held = service.active_for(session, service.opening_subject(project))
    if held is None:
        return None
    room = session.get(Room, held.room_id)
    if service.opening_attendance(session, project).seats <= room.capacity:
        return held
    # Outgrown: lock the held hall first so that two registrations of the project move the booking one at a
    # time, then read the booking and the count again under the lock.
    room = service._lock_room(session, held.room_id)
    session.expire(held)
    held = service.active_for(session, service.opening_subject(project))
    if held is None or held.room_id != room.id:
        return held
    attendance = service.opening_attendance(session, project)
    if attendance.seats <= room.capacity:
        return held
    candidates = sorted(
        (
            r
            for r in service.rooms(session, active_only=True)
            if r.kind == room.kind and r.id != room.id and r.capacity >= attendance.seats
        ),
        key=lambda r: (r.capacity, r.name),
    )
    starts_at, ends_at, title, purpose = held.starts_at, held.ends_at, held.title, held.purpose
    try:
        with session.begin_nested():
            service.release_subject(session, held.subject, MOVE_REASON)
            for candidate in candidates:
                try:  # a refused hall changed nothing but its lock's version
                    moved = service.book(
                        session,
                        room_id=candidate.id,
                        purpose=purpose,
                        subject=service.opening_subject(project),
                        title=title,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        project_id=project.id,
                        attendance=attendance,
                    )
                except (service.VenueBooked, service.VenueTooSmall):
                    continue
                break
            else:
                raise _NoHall
    except _NoHall:
        session.refresh(held)
        _alert(session, project, held, room, attendance)
        return held
    alerts.resolve(session, subject_kind=ALERT_SUBJECT, subject_id=held.id, kind=ALERT_KIND)
    return moved


def _alert(session: Session, project: Project, held: Booking, room: Room, attendance: service.Attendance) -> None:
    alerts.raise_once(
        session,
        key=f"venues:{ALERT_KIND}:{held.id}",
        domain=ALERT_DOMAIN,
        kind=ALERT_KIND,
        subject_kind=ALERT_SUBJECT,
        subject_id=held.id,
        message=(
            f"“{project.name}”（{project.code}）{local_time(held.starts_at)} 开标：{attendance.detail}，"
            f"预计到场 {attendance.seats} 人，超出{room.name}的座位 {room.capacity} 个；同一时间没有座位足够的空闲"
            f"{service.KINDS[room.kind]}，预约仍保留在{room.name}，请协调场地或与代理机构商定调整开标时间"
        ),
        audience=[Role.CENTRE_STAFF.value],
    )


def open_alerts(session: Session) -> list:
    """The halls outgrown by their registrations whose booking is still held there (the staff venues page)."""
    raised = [a for a in alerts.open_in(session, ALERT_DOMAIN) if a.kind == ALERT_KIND]
    held = (
        set(
            session.scalars(
                select(Booking.id).where(Booking.id.in_([a.subject_id for a in raised]), Booking.state == "booked")
            )
        )
        if raised
        else set()
    )
    return [a for a in raised if a.subject_id in held]
