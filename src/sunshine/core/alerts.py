"""Alerts and reminders (预警与提醒) for every domain, in one table: a domain raises an alert once per fact
(idempotent by its key, so a tick may run twice), names who watches it (roles, and the user or organisation
that must act), and handles it when the fact is over; a person acknowledges what they have seen. Lists read
by subject (a domain's own page), by domain, or by audience (the workbench of a signed-in person).

Never commits: the caller's unit of work does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.core.models import Alert
from sunshine.core.pagination import Keyset, Page, paginate

MESSAGE_MAX = 500


def audience_of(roles: Iterable[str]) -> str:
    """Roles stored padded by spaces (`` disclosure_office supervisor ``) so that one role matches exactly."""
    names = sorted({str(r) for r in roles})
    return f" {' '.join(names)} " if names else ""


def roles_of(alert: Alert) -> frozenset[str]:
    return frozenset(alert.audience.split())


def raise_once(
    session: Session,
    *,
    key: str,
    domain: str,
    kind: str,
    subject_kind: str,
    subject_id: int,
    message: str,
    audience: Iterable[str] = (),
    organisation_id: int | None = None,
    user_id: int | None = None,
    due: date | None = None,
    deadline_id: int | None = None,
) -> Alert | None:
    """Raise the alert for the fact ``key`` unless it was raised before; the new alert, or None. An overdue alert
    names the tracked deadline it is about (``deadline_id``): the one overdue alert of that deadline, which
    电子监察's generic rule P01 does not repeat."""
    if session.scalar(select(Alert.id).where(Alert.key == key)) is not None:
        return None
    alert = Alert(
        key=key,
        domain=domain,
        kind=kind,
        subject_kind=subject_kind,
        subject_id=subject_id,
        due=due,
        deadline_id=deadline_id,
        message=message[:MESSAGE_MAX],
        audience=audience_of(audience),
        organisation_id=organisation_id,
        user_id=user_id,
        created_at=clock.now(),
    )
    session.add(alert)
    session.flush()
    return alert


def raised_subjects(session: Session, *, kind: str, subject_kind: str) -> set[int]:
    """Ids of the subjects that already have an alert of ``kind`` (handled or not): a tick's bulk check."""
    stmt = select(Alert.subject_id).where(Alert.kind == kind, Alert.subject_kind == subject_kind)
    return set(session.scalars(stmt))


def resolve(session: Session, *, subject_kind: str, subject_id: int, kind: str | None = None) -> int:
    """The fact is over (the obligation met, the request concluded): its open alerts are handled."""
    stmt = (
        update(Alert)
        .where(Alert.subject_kind == subject_kind, Alert.subject_id == subject_id, Alert.resolved_at.is_(None))
        .values(resolved_at=clock.now())
        .execution_options(synchronize_session="fetch")
    )
    if kind is not None:
        stmt = stmt.where(Alert.kind == kind)
    return session.execute(stmt).rowcount or 0


def _visible(principal: Principal):
    clauses = [Alert.audience.contains(f" {role.value} ", autoescape=True) for role in principal.roles]
    if principal.user_id is not None:
        clauses.append(Alert.user_id == principal.user_id)
    return or_(*clauses) if clauses else None


def acknowledge(session: Session, actor: Principal, alert_id: int) -> Alert:
    """The actor has seen the alert (it stays open until its fact is over). Only its audience may."""
    visible = _visible(actor)
    alert = session.scalar(select(Alert).where(Alert.id == alert_id, visible)) if visible is not None else None
    if alert is None:
        raise NotFound("预警不存在")
    if alert.acknowledged_at is None:
        alert.acknowledged_at = clock.now()
        alert.acknowledged_by = actor.user_id
        session.flush()
    return alert


def for_principal(session: Session, principal: Principal, *, open_only: bool = True, limit: int = 50) -> list[Alert]:
    """The alerts a signed-in person watches (by role) or must act on (by user), newest first."""
    visible = _visible(principal)
    if visible is None:
        return []
    stmt = select(Alert).where(visible).order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit)
    if open_only:
        stmt = stmt.where(Alert.resolved_at.is_(None))
    return list(session.scalars(stmt))


PRINCIPAL_ORDER = Keyset.of("alerts", Alert.created_at, Alert.id)


def page_for_principal(
    session: Session,
    principal: Principal,
    *,
    open_only: bool = True,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Alert]:
    """``for_principal`` one page at a time."""
    visible = _visible(principal)
    stmt = select(Alert).where(visible) if visible is not None else select(Alert).where(Alert.id.is_(None))
    if open_only:
        stmt = stmt.where(Alert.resolved_at.is_(None))
    return paginate(session, stmt, PRINCIPAL_ORDER, cursor=cursor, limit=limit)


def open_in(session: Session, domain: str, *, limit: int = 200) -> list[Alert]:
    """A domain's alerts not yet handled, newest first."""
    stmt = (
        select(Alert)
        .where(Alert.domain == domain, Alert.resolved_at.is_(None))
        .order_by(Alert.created_at.desc(), Alert.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


DOMAIN_ORDER = Keyset.of("domain-alerts", Alert.created_at, Alert.id)


def open_page(
    session: Session, domain: str, *, cursor: str | None = None, limit: int | None = None, count: bool = False
) -> Page[Alert]:
    """``open_in`` one page at a time (``count``: with how many there are, up to the pagination's cap)."""
    stmt = select(Alert).where(Alert.domain == domain, Alert.resolved_at.is_(None))
    return paginate(session, stmt, DOMAIN_ORDER, cursor=cursor, limit=limit, count=count)


def for_subjects(session: Session, subject_kind: str, ids: Sequence[int]) -> dict[int, list[Alert]]:
    """Every alert (handled or not) of each subject, newest first."""
    out: dict[int, list[Alert]] = defaultdict(list)
    if ids:
        stmt = (
            select(Alert)
            .where(Alert.subject_kind == subject_kind, Alert.subject_id.in_(list(ids)))
            .order_by(Alert.created_at.desc(), Alert.id.desc())
        )
        for alert in session.scalars(stmt):
            out[alert.subject_id].append(alert)
    return out
