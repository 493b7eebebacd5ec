"""The process rules fire on a built case and stay silent on its near miss: a tracked deadline missed (P01, unless
the owning domain raised its own overdue alert for it with the supervisory department in its audience, or within the
grace), steps out of order (P02), a suspended project touched (P03, but not by lifting or ending the suspension)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from sunshine.core.models import Alert, TrackedDeadline
from sunshine.monitoring import process
from sunshine.monitoring.ruleset import pack
from sunshine.trading.models import Project, Transition

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)


def _project() -> Project:
    return Project(id=7, code="350100G2026000007", name="示范采购项目", lifecycle="tender", state="bidding")


def _step(i: int, step: str, start: str | None, end: str, hours: int) -> Transition:
    return Transition(
        id=i, project_id=7, step=step, from_state=start, to_state=end, ledger_seq=i, at=T0 + timedelta(hours=hours)
    )


def test_p02_a_step_that_does_not_start_where_the_last_ended():
    rule = pack().get("P02")
    kept = [_step(1, "register", None, "new", 0), _step(2, "accept", "new", "accepted", 1)]
    assert process.out_of_order(rule, _project(), kept) == []
    jumped = [*kept, _step(3, "publish_notice", "new", "bidding", 2)]  # the state was changed outside the kernel
    found = process.out_of_order(rule, _project(), jumped)
    assert [f.key for f in found] == ["P02:transition:3"]
    assert found[0].evidence["previous"]["to"] == "accepted" and found[0].evidence["this"]["from"] == "new"


def test_p03_a_step_or_a_bid_while_suspended_but_not_the_resumption(monkeypatch):
    rule = pack().get("P03")
    steps = [
        _step(1, "publish_notice", "accepted", "bidding", 0),
        _step(2, "suspend", "bidding", "suspended", 10),
        _step(3, "resume", "suspended", "bidding", 20),
    ]
    late_bid = SimpleNamespace(id=5, bid_no="TB0005", submitted_at=T0 + timedelta(hours=21))
    monkeypatch.setattr(process.bidding, "sealed_bids", lambda session, project_id: [late_bid])
    assert process.touched_while_suspended(None, rule, _project(), steps) == []  # resumed, then a bid: fine
    touched = [*steps[:2], _step(4, "clarify", "suspended", "suspended", 12), steps[2]]
    monkeypatch.setattr(process.bidding, "sealed_bids", lambda session, project_id: [replace_at(late_bid, hours=15)])
    found = process.touched_while_suspended(None, rule, _project(), touched)
    assert sorted(f.key for f in found) == ["P03:bid:5", "P03:transition:4"]


def replace_at(bid: SimpleNamespace, *, hours: int) -> SimpleNamespace:
    return SimpleNamespace(**{**vars(bid), "submitted_at": T0 + timedelta(hours=hours)})


def test_p01_missed_deadline_unless_its_domain_alerted_the_department(db):
    rule = pack().get("P01")
    now = datetime(2026, 11, 30, 2, tzinfo=UTC)

    def deadline(s, subject: str, due: date) -> TrackedDeadline:
        row = TrackedDeadline(
            subject=subject,
            purpose="答复信息公开申请",
            rule_ref="test",
            start=due - timedelta(days=20),
            days=20,
            unit="workdays",
            due=due,
            provisional=False,
            basis="测试",
            is_open=True,
            created_at=now,
            updated_at=now,
        )
        s.add(row)
        s.flush()
        return row

    with db.unit_of_work() as s:
        missed = deadline(s, "inforequest:901", TODAY - timedelta(days=3))
        deadline(s, "inforequest:902", TODAY)  # due today: not missed yet
        watched = deadline(s, "disclosure:903", TODAY - timedelta(days=3))
        s.add(  # the owning domain's own overdue alert, the supervisory department in its audience
            Alert(
                key="disclosure_overdue:903",
                domain="disclosure",
                kind="overdue",
                subject_kind="obligation",
                subject_id=903,
                message="逾期未公开",
                audience=" supervisor ",
                created_at=now,
                deadline_id=watched.id,
            )
        )
        s.flush()
        found = [f for f in process.missed_deadlines(s, rule, TODAY) if f.subject_id in (missed.id, watched.id)]
        assert [f.key for f in found] == [f"P01:deadline:{missed.id}:{missed.due.isoformat()}"]
        assert found[0].evidence["days_overdue"] == 3
        graced = replace(rule, params={**rule.params, "grace_days": 3})
        assert not [f for f in process.missed_deadlines(s, graced, TODAY) if f.subject_id == missed.id]
        s.rollback()
