"""What an information request has stored, read back: its events (the history the answer clock is
computed from), the rule pack frozen into it, the data of a step, its applicant's other requests in the
month, and the users who can act as its responsible department. Shared by the service, the steps, the
letters, the statistics and the pages; it applies no rule.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.inforequests.models import InfoRequest, RequestEvent
from sunshine.rules.service import ResolvedPack

SUBJECT = "inforequest:{id}"
DEPARTMENT_ROLES = frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF})

ALERT_SUBJECT = "inforequest"  # the subject kind of a request's alerts (core.alerts)


def pack_of(req: InfoRequest) -> ResolvedPack:
    return ResolvedPack.from_snapshot(json.loads(req.rules_snapshot))


def rule_days(pack: ResolvedPack, rule_id: str) -> int | None:
    return int(pack.rule(rule_id).value) if pack.has(rule_id) else None


def subject_of(req: InfoRequest) -> str:
    return SUBJECT.format(id=req.id)


def data_of(event: RequestEvent) -> dict:
    return json.loads(event.data) if event.data else {}


def answer_detail(req: InfoRequest) -> dict:
    return json.loads(req.answer_detail) if req.answer_detail else {}


def events(session: Session, req: InfoRequest) -> list[RequestEvent]:
    return list(
        session.scalars(select(RequestEvent).where(RequestEvent.request_id == req.id).order_by(RequestEvent.id))
    )


def events_for(session: Session, ids: Iterable[int]) -> dict[int, list[RequestEvent]]:
    out: dict[int, list[RequestEvent]] = defaultdict(list)
    ids = list(ids)
    if not ids:
        return out
    for event in session.scalars(
        select(RequestEvent).where(RequestEvent.request_id.in_(ids)).order_by(RequestEvent.id)
    ):
        out[event.request_id].append(event)
    return out


def last(history: Sequence[RequestEvent], *steps: str) -> RequestEvent | None:
    return next((e for e in reversed(history) if e.step in steps), None)


def month_rank(session: Session, req: InfoRequest) -> int:
    """The position of ``req`` among its applicant's requests received in the same natural month."""
    first = req.received_on.replace(day=1)
    rows = session.execute(
        select(InfoRequest.id, InfoRequest.received_on)
        .where(
            InfoRequest.applicant_key == req.applicant_key,
            InfoRequest.received_on >= first,
            InfoRequest.received_on <= req.received_on,
        )
        .order_by(InfoRequest.received_on, InfoRequest.id)
    ).all()
    return next(i for i, (rid, _) in enumerate(rows, start=1) if rid == req.id)


def department_users(session: Session) -> list[tuple[int, str]]:
    """Users who can be a responsible department (承办部门): supervisors and centre staff."""
    rows = session.execute(
        select(User.id, User.display_name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role.in_([r.value for r in DEPARTMENT_ROLES]), User.is_active.is_(True))
        .group_by(User.id, User.display_name)
        .order_by(User.id)
    ).all()
    return [(uid, name) for uid, name in rows]
