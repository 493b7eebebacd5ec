"""The clocks of each kind of case, computed from the case's history through the one case clock, across weekends,
the 2026 National Day-free December and the 2027 New Year (a year without an official schedule: provisional), with
excluded inspection and correction periods; and Hypothesis properties of the computation."""

from __future__ import annotations

import json
from datetime import date, timedelta
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.complaints import clocks
from sunshine.complaints.clocks import Step
from sunshine.core.workdays import WorkCalendar
from sunshine.rules import service as rules
from sunshine.rules.registry import registry

CAL = WorkCalendar()


def project(key: str):
    pack = rules.resolve_pack(registry().in_force(key, date(2026, 11, 23)), {}, date(2026, 11, 23))
    kind = key.split(".")[0]
    return SimpleNamespace(rules_snapshot=json.dumps(pack.snapshot()), pack_key=key, transaction_type=kind)


ENG = project("engineering.open_tender")
GP = project("gov_procurement.open_tender")


def by_key(kind, proj, history):
    return {r.key: r for r in clocks.case_clocks(CAL, kind, proj, history)}


def test_objection_answer_in_three_calendar_days_moved_past_the_weekend():
    # received Wednesday 2 December: the third day is Saturday 5th, moved to Monday 7th (民法典 第二百零三条)
    running = by_key("objection", ENG, [Step("filed", date(2026, 12, 2))])["answer"]
    assert running.due == date(2026, 12, 7) and running.limit.text == "3日"
    assert "第二十二条" in running.explanation and "2026年12月7日" in running.explanation


def test_challenge_answered_in_seven_working_days_and_met_late():
    history = [Step("filed", date(2026, 11, 25)), Step("answered", date(2026, 12, 7))]
    running = by_key("challenge", GP, history)["answer"]
    assert running.due == date(2026, 12, 4) and running.limit.unit == "working"
    assert running.met_on == date(2026, 12, 7) and running.late and not running.is_open
    assert "第五十三条" in running.limit.basis


def test_engineering_complaint_decision_runs_into_2027_and_is_provisional():
    history = [Step("filed", date(2026, 11, 27)), Step("accepted", date(2026, 12, 1))]
    got = by_key("eng_complaint", ENG, history)
    assert got["accept"].due == date(2026, 12, 2) and got["accept"].met_on == date(2026, 12, 1)
    decide = got["decide"]
    assert decide.due == date(2027, 1, 13)  # 30 working days from acceptance, 元旦 2027 provisional
    assert decide.clock.provisional and "暂定" in decide.explanation and "第六十一条" in decide.explanation


def test_an_excluded_inspection_period_moves_the_decision():
    base = [Step("filed", date(2026, 11, 27)), Step("accepted", date(2026, 12, 1))]
    paused = [*base, Step("pause", date(2026, 12, 7))]
    assert by_key("eng_complaint", ENG, paused)["decide"].due is None  # no due date while the expert review runs
    resumed = [*paused, Step("resume", date(2026, 12, 11))]  # Monday to Friday: five working days not counted
    decide = by_key("eng_complaint", ENG, resumed)["decide"]
    assert decide.due == date(2027, 1, 20)
    assert "2026年12月7日至2026年12月11日" in decide.explanation


def test_procurement_complaint_correction_stops_the_review_and_is_not_counted_in_the_decision():
    history = [
        Step("filed", date(2026, 12, 1)),
        Step("correction_requested", date(2026, 12, 3)),
        Step("corrected", date(2026, 12, 9)),
        Step("accepted", date(2026, 12, 10)),
        Step("copy_sent", date(2026, 12, 11)),
    ]
    got = by_key("gp_complaint", GP, history)
    assert got["review"].met_on == date(2026, 12, 10) and got["review"].due == date(2026, 12, 16)  # restarted 9th
    assert got["respondent"].due == date(2026, 12, 18)  # 5 working days of receiving the copy
    # 30 working days from receipt (1 Dec), 3 Dec to 9 Dec not counted (5 working days): 20 Jan 2027
    assert got["decide"].due == date(2027, 1, 20) and got["decide"].clock.provisional


def test_filing_windows():
    # engineering complaint: 10 days of knowing, the objection's answer period (3rd to 5th) not counted
    window = clocks.complaint_window(CAL, ENG, date(2026, 12, 1), (date(2026, 12, 3), date(2026, 12, 5)))
    assert window.last_day == date(2026, 12, 14) and "异议答复期间不计算在内" in window.explanation
    assert clocks.challenge_window(CAL, GP, date(2026, 12, 1)).last_day == date(2026, 12, 10)
    assert clocks.gp_complaint_window(CAL, GP, date(2026, 12, 10)).last_day == date(2026, 12, 31)
    tender = clocks.objection_window(ENG, "tender_docs", date(2026, 12, 23))
    assert tender.last_day == date(2026, 12, 13) and "第二十二条" in tender.explanation


DAYS = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 10, 1))


@settings(max_examples=60, deadline=None)
@given(start=DAYS, pause_at=st.integers(1, 40), length=st.integers(0, 20))
def test_a_pause_never_brings_the_decision_forward_and_adds_at_most_its_working_days(start, pause_at, length):
    base = [Step("filed", start - timedelta(days=2)), Step("accepted", start)]
    plain = by_key("eng_complaint", ENG, base)["decide"].due
    first = start + timedelta(days=pause_at)
    last = first + timedelta(days=length)
    paused = by_key("eng_complaint", ENG, [*base, Step("pause", first), Step("resume", last)])["decide"].due
    assert paused >= plain
    if first > plain:
        assert paused == plain  # a pause after the due date changes nothing
    else:
        assert CAL.working_days_between(plain, paused) <= CAL.working_days_between(first - timedelta(days=1), last)


@settings(max_examples=60, deadline=None)
@given(start=DAYS)
def test_a_working_day_due_date_is_a_working_day_with_exactly_the_limit_counted(start):
    got = by_key("challenge", GP, [Step("filed", start)])["answer"]
    assert CAL.day(got.due).is_workday and CAL.working_days_between(start, got.due) == 7
