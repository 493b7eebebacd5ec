"""Supervisors at sessions (seed 000: 由社会监督员名录库中抽取或邀请社会监督员自由选择项目): a supervisor in
office chooses a session of the schedule while its room has observer seats left, or the centre draws supervisors
for a session from the registry with the verifiable draw (purpose ``supervision_session``); each gets an observer
seat (``observers``, kind ``venue_session``) whose page shows the session and its electronic room; on arrival the
supervisor scans the room's QR and is signed in; the session's record lists its observers by card number. Never
commits."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.core.formatting import local_time
from sunshine.core.pagination import Key, Keyset, Page, bounded_limit, paginate
from sunshine.draws import service as draws
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging
from sunshine.observers import registry as observer_kinds
from sunshine.observers import service as observers
from sunshine.observers.models import ObserverSeat
from sunshine.supervision import registry, schedule, settings
from sunshine.supervision.models import Attendance, SessionDraw, Supervisor
from sunshine.supervision.registry import NotInOffice
from sunshine.venues.models import Booking, Room

KIND = "venue_session"
KIND_LABEL = "开评标场次（社会监督）"
PURPOSE = "supervision_session"
PURPOSE_LABEL = "抽取社会监督员"
GROUP = "supervisors"
MESSAGE_KIND = "supervision_session"
SIGN_IN_EARLY = timedelta(hours=1)


def watch_link(booking_id: int) -> str:
    return f"/supervision/sessions/{booking_id}"


def ledger_subject(booking: Booking) -> str:
    return f"venue-booking:{booking.id}"


def booking(session: Session, booking_id: int) -> tuple[Booking, Room]:
    row = session.get(Booking, booking_id)
    if row is None or row.purpose not in schedule.WATCHED:
        raise NotFound("场次不存在")
    return row, session.get(Room, row.room_id)


def seats_of(session: Session, room: Room) -> int:
    return room.observer_seats or settings.read(session).observers_per_session


def attending(session: Session, booking_id: int) -> list[Attendance]:
    stmt = select(Attendance).where(Attendance.booking_id == booking_id, Attendance.cancelled_at.is_(None))
    return list(session.scalars(stmt.order_by(Attendance.id)))


def taken(session: Session, booking_id: int) -> int:
    stmt = select(func.count(Attendance.id)).where(
        Attendance.booking_id == booking_id, Attendance.cancelled_at.is_(None)
    )
    return int(session.scalar(stmt) or 0)


def _lock_room(session: Session, room_id: int) -> Room:
    return session.scalar(select(Room).where(Room.id == room_id).with_for_update())


def _seat(session: Session, b: Booking, sup: Supervisor, source: str) -> Attendance:
    existing = session.scalar(
        select(Attendance).where(Attendance.booking_id == b.id, Attendance.supervisor_id == sup.id)
    )
    if existing is not None and existing.cancelled_at is None:
        raise Conflict("您已选择参加该场次")
    seat = observers.admit_by_rule(
        session, KIND, b.id, user_id=sup.user_id, capacity="observer", ledger_subject=ledger_subject(b)
    )
    if existing is not None:
        existing.cancelled_at, existing.seat_id, existing.source = None, seat.id, source
        existing.chosen_at, existing.signed_in_at = clock.now(), None
        row = existing
    else:
        row = Attendance(booking_id=b.id, supervisor_id=sup.id, source=source, chosen_at=clock.now(), seat_id=seat.id)
        session.add(row)
    session.flush()
    _seat_remote(session, b, sup.user_id)
    return row


# --------------------------------------------------------------------------- remote observation at the owner's session


def _seat_remote(session: Session, b: Booking, user_id: int) -> None:
    """The supervisor also watches the electronic session held at the booking (the opening room, the evaluation
    session) through the seat kind its owner registered, where that session exists already."""
    if b.project_id is None:
        return
    for kind in observer_kinds.held_at(b.purpose):
        for subject_id in kind.sessions_of(session, b.project_id, b.subject):
            _admit_remote(session, kind.code, subject_id, user_id, b)


def _admit_remote(session: Session, kind: str, subject_id: int, user_id: int, b: Booking) -> None:
    if observers.seat_of(session, Principal(user_id=user_id), kind, subject_id) is None:
        observers.admit_by_rule(
            session, kind, subject_id, user_id=user_id, capacity="observer", ledger_subject=ledger_subject(b)
        )


def _release_remote(session: Session, b: Booking, user_id: int) -> None:
    if b.project_id is None:
        return
    for kind in observer_kinds.held_at(b.purpose):
        for subject_id in kind.sessions_of(session, b.project_id, b.subject):
            seat = observers.seat_of(session, Principal(user_id=user_id), kind.code, subject_id)
            if seat is not None:
                observers.release_by_rule(session, seat, ledger_subject=ledger_subject(b))


def on_opened(session: Session, kind: observer_kinds.Kind, subject_id: int, project_id: int) -> None:
    """An owner opened a session (the evaluation began at its booked room): the supervisors who chose or were
    drawn for that booking take their seats there too."""
    if kind.booked_as is None or kind.sessions_of is None:
        return
    stmt = select(Booking).where(
        Booking.project_id == project_id, Booking.purpose == kind.booked_as, Booking.state == "booked"
    )
    for b in session.scalars(stmt.order_by(Booking.id)):
        if subject_id not in kind.sessions_of(session, project_id, b.subject):
            continue
        for row in attending(session, b.id):
            sup = session.get(Supervisor, row.supervisor_id)
            if sup.user_id is not None and registry.in_office(sup):
                _admit_remote(session, kind.code, subject_id, sup.user_id, b)


def remote_links(session: Session, actor: Principal, b: Booking) -> list[dict]:
    """Where the actor, seated at the booking, watches its electronic sessions remotely (label and link)."""
    out = []
    if b.project_id is None or actor.user_id is None:
        return out
    for kind in observer_kinds.held_at(b.purpose):
        for subject_id in kind.sessions_of(session, b.project_id, b.subject):
            if observers.seat_of(session, actor, kind.code, subject_id) is not None:
                out.append({"label": kind.label, "link": kind.watch_link(subject_id)})
    return out


def choose(session: Session, actor: Principal, booking_id: int) -> Attendance:
    """选择参加: a supervisor in office takes one of the session's observer seats while any is left."""
    sup = registry.of_user(session, actor.user_id)
    if sup is None:
        raise NotInOffice("只有在聘的社会监督员可以选择参加场次")
    b, room = booking(session, booking_id)
    if b.state != "booked" or b.starts_at <= clock.now():
        raise Conflict("该场次已开始或已取消，不能再选择")
    room = _lock_room(session, room.id)
    if taken(session, b.id) >= seats_of(session, room):
        raise Conflict(f"{room.name}的社会监督员观察席（{seats_of(session, room)} 个）已满，请选择其他场次")
    row = _seat(session, b, sup, "chosen")
    ledger.append(session, "supervision:session:chosen", ledger_subject(b), {"booking": b.id, "card": sup.card_serial})
    return row


def cancel(session: Session, actor: Principal, booking_id: int) -> Attendance:
    sup = registry.of_user(session, actor.user_id)
    row = sup and session.scalar(
        select(Attendance).where(
            Attendance.booking_id == booking_id, Attendance.supervisor_id == sup.id, Attendance.cancelled_at.is_(None)
        )
    )
    if not row:
        raise NotFound("您没有选择该场次")
    b, _ = booking(session, booking_id)
    if b.starts_at <= clock.now():
        raise Conflict("场次已开始，不能取消")
    row.cancelled_at = clock.now()
    if row.seat_id:
        _end_seat(session, row.seat_id)
    _release_remote(session, b, sup.user_id)
    session.flush()
    return row


def _end_seat(session: Session, seat_id: int) -> None:
    seat = session.get(ObserverSeat, seat_id)
    if seat is not None and seat.revoked_at is None:
        seat.revoked_at, seat.revoked_by = clock.now(), seat.user_id


def sign_in(session: Session, actor: Principal, room_id: int) -> tuple[Attendance, Booking]:
    """扫码签到: the supervisor scans the room's QR; their session in that room now (or within the hour) counts."""
    sup = registry.of_user(session, actor.user_id)
    if sup is None:
        raise NotInOffice("只有在聘的社会监督员可以签到")
    now = clock.now()
    stmt = (
        select(Attendance, Booking)
        .join(Booking, Booking.id == Attendance.booking_id)
        .where(
            Attendance.supervisor_id == sup.id,
            Attendance.cancelled_at.is_(None),
            Booking.room_id == room_id,
            Booking.state == "booked",
            Booking.starts_at <= now + SIGN_IN_EARLY,
            Booking.ends_at >= now,
        )
    )
    found = session.execute(stmt).first()
    if found is None:
        raise Conflict("您在本场室当前没有选择或抽中的场次；请先在“我的监督”中选择场次")
    row, b = found
    if row.signed_in_at is None:
        row.signed_in_at = now
        session.flush()
        ledger.append(
            session, "supervision:session:signed_in", ledger_subject(b), {"booking": b.id, "card": sup.card_serial}
        )
    return row, b


def record(session: Session, booking_id: int) -> list[dict]:
    """The session's observers by card number, how they came and whether they signed in (no names)."""
    out = []
    for row in attending(session, booking_id):
        sup = session.get(Supervisor, row.supervisor_id)
        out.append(
            {
                "card": sup.card_serial,
                "kind": sup.kind,
                "source": row.source,
                "signed_in_at": row.signed_in_at,
            }
        )
    return out


def mine(session: Session, actor: Principal) -> list[tuple[Attendance, Booking, Room]]:
    sup = registry.of_user(session, actor.user_id)
    if sup is None:
        return []
    stmt = (
        select(Attendance, Booking, Room)
        .join(Booking, Booking.id == Attendance.booking_id)
        .join(Room, Room.id == Booking.room_id)
        .where(Attendance.supervisor_id == sup.id, Attendance.cancelled_at.is_(None))
        .order_by(Booking.starts_at)
    )
    return [tuple(r) for r in session.execute(stmt).all()]


MINE_ORDER = Keyset.of("supervisor-sessions", Key(Booking.starts_at, False), Key(Attendance.id, False))


def mine_page(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[Attendance, Booking, Room]]:
    """``mine`` one page at a time."""
    sup = registry.of_user(session, actor.user_id)
    if sup is None:
        return Page([], None, bounded_limit(limit))
    stmt = (
        select(Attendance, Booking, Room)
        .join(Booking, Booking.id == Attendance.booking_id)
        .join(Room, Room.id == Booking.room_id)
        .where(Attendance.supervisor_id == sup.id, Attendance.cancelled_at.is_(None))
    )
    return paginate(session, stmt, MINE_ORDER, cursor=cursor, limit=limit)


# --------------------------------------------------------------------------- drawing supervisors for a session


def ref_of(sup: Supervisor) -> str:
    return f"card:{sup.card_serial}"


def draw_for_session(
    session: Session, actor: Principal, booking_id: int, *, count: int, party_user_id: int
) -> SessionDraw:
    """The centre prepares a verifiable draw of ``count`` supervisors for the session among those in office not
    already seated; a supervisory department's person is the independent party who commits to a secret."""
    registry.require_manager(actor)
    b, room = booking(session, booking_id)
    if b.state != "booked" or b.starts_at <= clock.now():
        raise Conflict("该场次已开始或已取消，不能抽取")
    free = seats_of(session, room) - taken(session, b.id)
    if not 1 <= count <= free:
        raise InvalidInput(f"抽取人数应为1至{max(free, 1)}人（剩余观察席 {free} 个）", field="count")
    party = session.get(User, party_user_id)
    roles = set(session.scalars(select(UserRole.role).where(UserRole.user_id == party_user_id)))
    if party is None or not party.is_active or Role.SUPERVISOR.value not in roles:
        raise InvalidInput("独立参与方须为行政监督部门的在岗人员", field="party_user_id")
    seated = {a.supervisor_id for a in attending(session, b.id)}
    pool = [s for s in registry.active(session) if s.id not in seated and s.user_id is not None]
    if len(pool) < count:
        raise Conflict(f"在聘且未参加本场次的监督员只有 {len(pool)} 人，不足 {count} 人")
    draw = draws.prepare(
        session,
        actor,
        purpose=PURPOSE,
        title=f"{b.title} 社会监督员抽取",
        owner=f"venue-booking:{b.id}",
        project_id=b.project_id,
        groups=[draws.Group(GROUP, "社会监督员", count, reserve=0)],
        candidates=[draws.Candidate(ref_of(s), [GROUP], "eligible") for s in pool],
        parties=[draws.PartySpec(f"supervisor:{party_user_id}", "行政监督部门", party_user_id)],
        witnesses=[draws.WitnessSpec(Role.CENTRE_STAFF.value, "交易中心")],
        scheduled_at=clock.now(),
    )
    row = SessionDraw(booking_id=b.id, draw_code=draw.code, count=count, created_at=clock.now())
    session.add(row)
    session.flush()
    return row


def on_drawn(session: Session, draw) -> None:  # noqa: ANN001
    """The order is fixed: the drawn supervisors take seats and are told; the draw is disclosed (the refs are
    card numbers, already printed on the cards)."""
    row = session.scalar(select(SessionDraw).where(SessionDraw.draw_code == draw.code))
    if row is None:
        return
    b = session.get(Booking, row.booking_id)
    for seat in draws.seats(session, draw):
        if seat.kind != "seat":
            continue
        sup = session.scalar(select(Supervisor).where(Supervisor.card_serial == seat.ref.removeprefix("card:")))
        if sup is None or not registry.in_office(sup):
            continue
        try:
            _seat(session, b, sup, "drawn")
        except Conflict:
            continue
        messaging.send(
            session,
            user_id=sup.user_id,
            subject="您被抽取参加开评标现场监督",
            body=f"{b.title}，{local_time(b.starts_at)}，请按时到场扫码签到。",
            link=watch_link(b.id),
            sms_to=sup.phone,
            kind=MESSAGE_KIND,
        )
    ledger.append(session, "supervision:session:drawn", ledger_subject(b), {"booking": b.id, "draw": draw.code})
    draws.disclose(session, draw.code)


def names(session: Session, draw) -> dict[str, str]:  # noqa: ANN001
    """The public record names each candidate by card number only."""
    return {}
