"""Properties of the case clock (``sunshine.core.caseclock``): a pause of N working days before the due date
moves it by exactly N working days, a restart forgets everything before it, an extension adds exactly its
days, days used plus days left always make the period, and a calendar-day period ends on a working day."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sunshine.core.caseclock import CaseEvent, due_date, progress, used_days
from sunshine.core.workdays import WorkCalendar

CAL = WorkCalendar()  # the package's official schedule
FIRST = date(2025, 1, 1)

starts = st.integers(0, 600).map(lambda n: FIRST + timedelta(days=n))
limits = st.integers(1, 30)


def _pause(first: date, last: date) -> list[CaseEvent]:
    return [CaseEvent("pause", first), CaseEvent("resume", last)]


@settings(max_examples=200, deadline=None)
@given(starts, limits, st.integers(1, 60), st.integers(0, 20))
def test_a_pause_before_the_due_date_moves_it_by_exactly_its_working_days(start, limit, offset, length):
    plain = due_date(CAL, start, limit)
    first = start + timedelta(days=offset)
    last = first + timedelta(days=length)
    assume(last <= plain.due)
    paused_days = CAL.working_days_between(first - timedelta(days=1), last)
    moved = due_date(CAL, start, limit, _pause(first, last))
    assert moved.due == CAL.deadline(plain.due, paused_days, "working").due
    assert CAL.working_days_between(plain.due, moved.due) == paused_days
    assert moved.anchor == last and CAL.deadline(moved.anchor, moved.remaining, "working").due == moved.due


@settings(max_examples=200, deadline=None)
@given(starts, limits, st.integers(0, 40), st.integers(0, 30), st.integers(0, 40), st.booleans())
def test_a_restart_resets_the_count(start, limit, pause_at, pause_len, restart_at, stop_first):
    before = [*_pause(start + timedelta(days=pause_at), start + timedelta(days=pause_at + pause_len))]
    if stop_first:
        before.append(CaseEvent("stop", start + timedelta(days=pause_at + pause_len)))
    again = start + timedelta(days=pause_at + pause_len + restart_at)
    clock = due_date(CAL, start, limit, [*before, CaseEvent("restart", again)])
    assert clock.running and clock.base == again
    assert clock.due == CAL.deadline(again, limit, "working").due


@settings(max_examples=200, deadline=None)
@given(starts, limits, st.integers(1, 20), st.integers(0, 30), st.integers(0, 10))
def test_an_extension_adds_exactly_its_days(start, limit, extra, pause_at, pause_len):
    last = start + timedelta(days=pause_at + 1 + pause_len)
    events = _pause(start + timedelta(days=pause_at + 1), last)
    plain = due_date(CAL, start, limit, events)
    assume(last < plain.due)  # the pause lies before the due date, not across the extension
    longer = due_date(CAL, start, limit, [*events, CaseEvent("extend", plain.due, extra)])
    assert longer.days == plain.days + extra and longer.extension == extra
    assert longer.due == CAL.deadline(plain.due, extra, "working").due


@settings(max_examples=150, deadline=None)
@given(starts, limits, st.integers(0, 60), st.integers(0, 20), st.integers(0, 90))
def test_used_plus_remaining_is_the_period_and_the_due_day_uses_it_all(start, limit, pause_at, pause_len, on):
    last = start + timedelta(days=pause_at + 1 + pause_len)
    events = _pause(start + timedelta(days=pause_at + 1), last)
    clock = due_date(CAL, start, limit, events)
    assume(last < clock.due)
    today = start + timedelta(days=on)
    p = progress(CAL, start, limit, events, today)
    assert p.used + p.remaining == limit
    assert used_days(CAL, start, events, clock.due) == limit
    if today >= clock.due:  # overdue by the working days since the due date
        assert p.remaining == -CAL.working_days_between(clock.due, today)
    else:
        assert p.remaining >= 1


@settings(max_examples=150, deadline=None)
@given(starts, st.integers(1, 60), st.integers(1, 40), st.integers(0, 10))
def test_calendar_days_skip_the_pause_and_end_on_a_working_day(start, limit, pause_at, pause_len):
    first = start + timedelta(days=pause_at)
    last = first + timedelta(days=pause_len)
    plain = due_date(CAL, start, limit, unit="calendar")
    moved = due_date(CAL, start, limit, _pause(first, last), unit="calendar")
    assert CAL.is_workday(moved.due)
    if pause_at <= limit:
        assert moved.due == CAL.deadline(start, limit + pause_len + 1, "calendar").due
    else:
        assert moved.due == plain.due


def test_an_open_pause_or_a_stop_has_no_due_date():
    start = date(2026, 3, 2)
    paused = due_date(CAL, start, 15, [CaseEvent("pause", date(2026, 3, 5))])
    assert (paused.status, paused.due, paused.counted) == ("paused", None, 2)  # 3 and 4 March
    stopped = due_date(CAL, start, 15, [CaseEvent("stop", date(2026, 3, 5))])
    assert (stopped.status, stopped.due) == ("stopped", None)


def test_unknown_events_and_negative_days_are_refused():
    start = date(2026, 3, 2)
    for bad in ([CaseEvent("sleep", start)], [CaseEvent("extend", start, -1)]):
        try:
            due_date(CAL, start, 15, bad)
        except ValueError:
            continue
        raise AssertionError(bad)
