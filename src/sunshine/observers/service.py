"""Admitting observers (观察席): the centre's staff admit a person to watch one session of a registered kind in a
capacity, and revoke the seat; the owning domain checks that its session exists and may still be watched, then calls
here, and asks ``seat_of`` who is watching. One ledger entry per admission and revocation, naming the seat's number,
kind and capacity — never the person (the observer's identity is personal data). Never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.observers import registry
from sunshine.observers.models import ObserverSeat

#: capacity → (label, the roles a person must hold to sit in it; empty: any active account)
CAPACITIES: dict[str, tuple[str, frozenset[Role]]] = {
    "supervisor": ("行政监督部门", frozenset({Role.SUPERVISOR, Role.INDUSTRY_SUPERVISOR})),
    "witness": ("交易中心见证人员", frozenset({Role.CENTRE_STAFF})),
    "observer": ("观察员（社会监督员、开放日公众）", frozenset()),
}


def capacity_label(code: str) -> str:
    return CAPACITIES[code][0] if code in CAPACITIES else "观察员"


def _require_centre(actor: Principal) -> None:
    if not actor.has(Role.CENTRE_STAFF):
        raise Forbidden("观察席由交易中心安排")


def seats(session: Session, kind: str, subject_id: int, *, active_only: bool = True) -> list[ObserverSeat]:
    stmt = select(ObserverSeat).where(ObserverSeat.kind == kind, ObserverSeat.subject_id == subject_id)
    if active_only:
        stmt = stmt.where(ObserverSeat.revoked_at.is_(None))
    return list(session.scalars(stmt.order_by(ObserverSeat.id)))


def seat_of(session: Session, actor: Principal, kind: str, subject_id: int) -> ObserverSeat | None:
    """The actor's own active seat at the session, if any."""
    if actor.user_id is None:
        return None
    stmt = select(ObserverSeat).where(
        ObserverSeat.kind == kind,
        ObserverSeat.subject_id == subject_id,
        ObserverSeat.user_id == actor.user_id,
        ObserverSeat.revoked_at.is_(None),
    )
    return session.scalar(stmt)


def admit(
    session: Session, actor: Principal, kind: str, subject_id: int, *, user_id: int, capacity: str, ledger_subject: str
) -> ObserverSeat:
    """安排观察席: the person (an active account holding the capacity's role) may watch the session from now on."""
    _require_centre(actor)
    return _seat(
        session, actor.user_id, kind, subject_id, user_id=user_id, capacity=capacity, ledger_subject=ledger_subject
    )


def admit_by_rule(
    session: Session, kind: str, subject_id: int, *, user_id: int, capacity: str, ledger_subject: str
) -> ObserverSeat:
    """A seat the owning domain grants by its own rule, not by a staff member's choice (a social supervisor who
    chose a session with a free seat, or was drawn for it): the person is recorded as admitting themself."""
    return _seat(session, user_id, kind, subject_id, user_id=user_id, capacity=capacity, ledger_subject=ledger_subject)


def _seat(
    session: Session,
    admitted_by: int | None,
    kind: str,
    subject_id: int,
    *,
    user_id: int,
    capacity: str,
    ledger_subject: str,
) -> ObserverSeat:
    registry.get(kind)
    if capacity not in CAPACITIES:
        raise InvalidInput("请选择观察身份：行政监督部门、交易中心见证人员或观察员", field="capacity")
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise InvalidInput("该用户不存在或已停用", field="user_id")
    needed = CAPACITIES[capacity][1]
    held = set(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))
    if needed and not held & {r.value for r in needed}:
        raise InvalidInput(f"该用户不能以“{capacity_label(capacity)}”身份观察", field="capacity")
    if seat_of(session, Principal(user_id=user_id), kind, subject_id) is not None:
        raise Conflict("该用户已有本次会议的观察席")
    seat = ObserverSeat(
        kind=kind,
        subject_id=subject_id,
        user_id=user_id,
        capacity=capacity,
        admitted_by=admitted_by,
        admitted_at=clock.now(),
    )
    session.add(seat)
    session.flush()
    ledger.append(
        session,
        "observers:seat:admitted",
        ledger_subject,
        {"kind": kind, "session": subject_id, "seat": seat.id, "capacity": capacity},
    )
    return seat


def revoke(
    session: Session, actor: Principal, kind: str, subject_id: int, seat_id: int, *, ledger_subject: str
) -> ObserverSeat:
    """撤销观察席: the seat ends; the person no longer sees the session."""
    _require_centre(actor)
    seat = session.get(ObserverSeat, seat_id)
    if seat is None or seat.kind != kind or seat.subject_id != subject_id:
        raise NotFound("观察席不存在")
    if seat.revoked_at is not None:
        raise Conflict("该观察席已撤销")
    seat.revoked_at, seat.revoked_by = clock.now(), actor.user_id
    session.flush()
    ledger.append(
        session, "observers:seat:revoked", ledger_subject, {"kind": kind, "session": subject_id, "seat": seat.id}
    )
    return seat


def release_by_rule(session: Session, seat: ObserverSeat, *, ledger_subject: str) -> ObserverSeat:
    """A seat granted by the owning domain's rule ends by the same rule (the supervisor gave up the session): the
    person is recorded as ending it themself."""
    if seat.revoked_at is None:
        seat.revoked_at, seat.revoked_by = clock.now(), seat.user_id
        session.flush()
        ledger.append(
            session,
            "observers:seat:revoked",
            ledger_subject,
            {"kind": seat.kind, "session": seat.subject_id, "seat": seat.id},
        )
    return seat


def opened(session: Session, kind: str, subject_id: int, *, project_id: int) -> None:
    """The owner opened a session of ``kind`` (an evaluation session at its booked room): the domains that seat
    people at booked sessions seat them here too, in the owner's transaction."""
    if not registry.known(kind):
        return
    registered = registry.get(kind)
    for listener in registry.opened_listeners():
        listener(session, registered, subject_id, project_id)


def mine(session: Session, actor: Principal) -> list[ObserverSeat]:
    """The actor's active seats, newest first (the observer's own list)."""
    if actor.user_id is None:
        return []
    stmt = select(ObserverSeat).where(ObserverSeat.user_id == actor.user_id, ObserverSeat.revoked_at.is_(None))
    return [s for s in session.scalars(stmt.order_by(ObserverSeat.id.desc())) if registry.known(s.kind)]
