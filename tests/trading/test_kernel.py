"""The lifecycle kernel as the next domains use it: guards are callables a reader can follow, a domain adds
side effects with after-step hooks, a step checks once and writes one ledger entry, and the time a project
stood suspended is added to its announced dates where the rule says so."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from sunshine.disclosure.models import Obligation, Publication
from sunshine.ledger import service as ledger
from sunshine.trading import lifecycle, service
from sunshine.trading.models import Project
from tests.disclosure.builders import load_catalog
from tests.trading.builders import accepted_project, publish_notice, tender_world


@pytest.fixture
def w(db):
    return tender_world(db)


def test_every_guard_is_a_callable_declared_with_its_step():
    guarded = {name: step.guard for name, step in lifecycle.STEPS.items() if step.guard is not None}
    assert {"publish_notice", "amend_notice", "close_bidding", "open_bids", "start_auction"} <= set(guarded)
    assert all(callable(guard) for guard in guarded.values())


def test_a_hook_added_by_a_domain_runs_after_its_step_in_the_same_transaction(db, w):
    seen: list[tuple[str, str, str]] = []

    def hook(session, event: lifecycle.StepEvent) -> None:
        seen.append((event.step.name, event.before, event.after))

    entry = lifecycle.after_step(["accept"], hook)
    try:
        accepted_project(db, w)
    finally:
        lifecycle._HOOKS.remove((frozenset({"accept"}), entry))
    assert seen == [("accept", "registered", "accepted")]


def test_a_hook_that_refuses_leaves_nothing_of_the_step(db, w):
    project_id = accepted_project(db, w)

    def refuse(session, event):
        raise lifecycle.IllegalStep("测试：后续环节拒绝")

    lifecycle.after_step(["suspend"], refuse)
    try:
        with pytest.raises(lifecycle.IllegalStep), db.unit_of_work() as s:
            service.suspend(s, w["supervisor"], project_id, "收到投诉")
    finally:
        lifecycle._HOOKS.remove((frozenset({"suspend"}), refuse))
    with db.unit_of_work() as s:
        project = s.get(Project, project_id)
        assert project.state == "accepted"
        assert not [e for e in ledger.entries_for(s, f"project:{project.code}") if "suspend" in e.kind]


def test_publishing_the_first_notice_writes_one_ledger_entry_and_owes_its_disclosure(db, w):
    load_catalog(db)
    project_id = accepted_project(db, w)
    with db.unit_of_work() as s:
        code = s.get(Project, project_id).code
        before = len(ledger.entries_for(s, f"project:{code}"))
    publish_notice(db, w["agency"], project_id)
    with db.unit_of_work() as s:
        entries = ledger.entries_for(s, f"project:{code}")[before:]
        owed = s.scalars(select(Obligation).where(Obligation.subject == f"project:{code}")).all()
        published = s.scalars(select(Publication).where(Publication.subject == f"project:{code}")).all()
    assert [e.kind for e in entries] == ["trading:notice:published"]
    payload = json.loads(entries[0].payload)
    assert payload["step"] == "publish_notice" and payload["to"] == "notice_published" and payload["version"] == 1
    assert owed and all(o.trigger == "trading.notice" and o.met_at is not None for o in owed)
    assert [p.source_ref for p in published] == [f"notice:{payload['notice']}"] * len(owed)


def test_resuming_adds_the_suspended_days_to_the_dates_still_ahead(db, w, clock):
    project_id = accepted_project(db, w)
    publish_notice(db, w["agency"], project_id)
    with db.unit_of_work() as s:
        before = s.get(Project, project_id)
        deadline, sale_end = before.bid_deadline, before.docs_sale_end
    clock.advance(timedelta(days=2))
    with db.unit_of_work() as s:
        service.suspend(s, w["supervisor"], project_id, "收到对招标文件的异议，暂停招标投标活动")
    clock.advance(timedelta(days=3, hours=2))  # three days and a part of a fourth
    with db.unit_of_work() as s:
        project = service.resume(s, w["supervisor"], project_id, "异议已答复")
        assert project.state == "notice_published"
        assert project.bid_deadline == deadline + timedelta(days=4)
        assert project.docs_sale_end == sale_end + timedelta(days=4)
        entry = ledger.entries_for(s, f"project:{project.code}")[-1]
    payload = json.loads(entry.payload)
    assert payload["step"] == "resume" and payload["days_added"] == 4
    assert set(payload["moved"]) == {"docs_sale_end", "bid_deadline", "opening_at"}


def test_dates_already_past_at_the_suspension_stay(db, w, clock):
    project_id = accepted_project(db, w)
    publish_notice(db, w["agency"], project_id)
    with db.unit_of_work() as s:
        sale_end = s.get(Project, project_id).docs_sale_end
    clock.advance(timedelta(days=9))  # the documents sale (8 days) is over
    with db.unit_of_work() as s:
        service.suspend(s, w["supervisor"], project_id, "监督检查")
    clock.advance(timedelta(days=1))
    with db.unit_of_work() as s:
        project = service.resume(s, w["supervisor"], project_id, None)
        assert project.docs_sale_end == sale_end


@given(st.integers(min_value=0, max_value=60 * 86400))
def test_suspended_days_count_a_part_of_a_day_as_a_whole_day(seconds):
    start = datetime(2026, 11, 23, 9, 0).astimezone()
    days = service.suspended_days(start, start + timedelta(seconds=seconds))
    assert days * 86400 >= seconds > (days - 1) * 86400
