"""“The opening is due” is one definition in two forms: the SQL condition the tick selects with and the
predicate the opening room asks. They must agree for every lifecycle, state and deadline."""

from __future__ import annotations

from datetime import timedelta
from itertools import product

from sqlalchemy import select

from sunshine.bidding import opening
from sunshine.bidding.models import OpeningSession
from sunshine.trading.models import Project
from tests.trading.builders import make_project, tender_world


def test_the_sql_condition_and_the_predicate_agree(db, clock) -> None:
    w = tender_world(db)
    project_id = make_project(db, w["agency"], tenderer_id=w["school"], agency_id=w["agency_org"])
    now = clock.now()
    cases = product(
        ("tender", "negotiation", "listing", "auction"),
        ("registered", "notice_published", "bid_closed", "opening", "suspended"),
        (None, now - timedelta(seconds=1), now, now + timedelta(seconds=1)),
    )
    seen = set()
    with db.unit_of_work() as s:
        project = s.get(Project, project_id)
        for lifecycle, state, deadline in cases:
            project.lifecycle, project.state, project.bid_deadline = lifecycle, state, deadline
            s.flush()
            in_sql = s.scalar(select(Project.id).where(Project.id == project_id, opening.due_condition(now)))
            due = opening.is_due(project, None, now)
            assert (in_sql is not None) == due, (lifecycle, state, deadline)
            seen.add(due)
        assert seen == {True, False}
        # once the session exists the opening is no longer due, in either form
        project.lifecycle, project.state, project.bid_deadline = "tender", "bid_closed", now
        started = OpeningSession(project_id=project_id, status="decrypting", started_at=now, decryption_ends_at=now)
        s.add(started)
        s.flush()
        assert s.scalar(select(Project.id).where(Project.id == project_id, opening.due_condition(now))) is None
        assert not opening.is_due(project, started, now)
        s.rollback()
