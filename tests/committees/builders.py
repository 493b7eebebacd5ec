"""Builders for committee tests: a procurement tender with its parties, a supervisor, the centre, bidders
registered for the section, and a pool of experts in two specialties (some employed by the parties); the
clock can be moved past the bid deadline. Keyword defaults everywhere."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from sunshine.core import clock
from sunshine.db import Database
from sunshine.identity.roles import Role
from sunshine.trading import registrations
from sunshine.trading.models import Section
from tests.experts.builders import add_expert
from tests.trading.builders import accepted_project, actor, publish_notice, tender_world

CIVIL, COST = "A0101", "A0102"


def procurement(
    db: Database,
    *,
    budget: str = "5000000.00",
    experts: int = 12,
    register_bidders: bool = True,
    transaction_type: str = "gov_procurement",
    deadline_days: int = 30,
) -> SimpleNamespace:
    """A published procurement tender (accepted, notice out, bid deadline ``deadline_days`` ahead) with its
    bidders registered and ``experts`` eligible experts, half in each specialty, employed elsewhere."""
    w = SimpleNamespace(**tender_world(db))
    w.project_id = accepted_project(
        db,
        vars(w),
        transaction_type=transaction_type,
        name="示范市第一中学教学设备采购项目",
        sections=[("第一包：教学设备", budget)],
    )
    w.deadline = clock.now() + timedelta(days=deadline_days)
    publish_notice(db, w.agency, w.project_id, bid_deadline=w.deadline)
    with db.unit_of_work() as s:
        w.section_id = s.query(Section).filter_by(project_id=w.project_id).one().id
    if register_bidders:
        for person in w.bidders:
            with db.unit_of_work() as s:
                registrations.register_bidder(s, person, w.project_id, w.section_id, "王经理", "13800138000")
    w.experts = [add_expert(db, specialties=(CIVIL if i % 2 == 0 else COST,)) for i in range(experts)]
    w.expert_user = {e["id"]: e for e in w.experts}
    return w


def expert_actor(db: Database, expert: dict):
    from sunshine.core.auth import Principal

    return Principal(user_id=expert["user_id"], username=expert["username"], roles=frozenset({Role.EXPERT}))


def request_body(w: SimpleNamespace, **overrides) -> dict:
    """A lawful evaluation request: 2 + 2 experts and 1 representative (5, odd, experts 4/5)."""
    meeting: datetime = overrides.pop("meeting_at", w.deadline + timedelta(hours=2))
    body = {
        "section_id": w.section_id,
        "purpose": "evaluation",
        "specialties": [{"code": CIVIL, "count": 2}, {"code": COST, "count": 2}],
        "reserve": 1,
        "representatives": 1,
        "meeting_at": meeting if isinstance(meeting, str) else meeting.isoformat(),
        "place_kind": "room",
        "place": "第三评标室",
    }
    body.update(overrides)
    return body


def after_deadline(clock_fixture, w: SimpleNamespace) -> None:
    clock_fixture.set(w.deadline + timedelta(minutes=5))


__all__ = ["actor", "after_deadline", "procurement", "request_body"]
