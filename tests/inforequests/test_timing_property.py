"""Property of the answer clock (``sunshine.inforequests.timing``): for random event histories, the due
date is the (N + extensions)-th working day after the receipt (or the corrected request) that is not a
consultation day, the restatement as "remaining working days after the anchor" gives the same date (that
is what the calendar tracks), and an open consultation that starts on or before that day pauses the
clock. The oracle enumerates days; the implementation walks and jumps."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.workdays import WorkCalendar
from sunshine.inforequests.timing import ClockEvent, answer_clock, counted_days

CAL = WorkCalendar()  # the package's official schedule (2025, 2026 known; 2027 estimated)
FIRST = date(2025, 1, 1)


def oracle(base: date, total: int, excluded: set[date]) -> date:
    days = (base + timedelta(days=i) for i in range(1, 2000))
    counted = [d for d in days if d not in excluded and CAL.is_workday(d)]
    return counted[total - 1]


@st.composite
def histories(draw):
    base = FIRST + timedelta(days=draw(st.integers(0, 640)))
    events = [ClockEvent("received", base)]
    corrected = draw(st.booleans())
    if corrected:
        notice = base + timedelta(days=draw(st.integers(0, 9)))
        base = notice + timedelta(days=draw(st.integers(0, 20)))
        events += [ClockEvent("correction_requested", notice), ClockEvent("corrected", base)]
    answer_days = draw(st.integers(1, 25))
    extension = 0
    excluded: set[date] = set()
    cursor = base
    for _ in range(draw(st.integers(0, 3))):
        start = cursor + timedelta(days=draw(st.integers(0, 15)))
        end = start + timedelta(days=draw(st.integers(0, 30)))
        if draw(st.booleans()):
            days = draw(st.integers(1, 10))
            extension += days
            events.append(ClockEvent("extended", cursor, days))
        events += [ClockEvent("consultation_started", start), ClockEvent("consultation_ended", end)]
        excluded.update(start + timedelta(days=i) for i in range((end - start).days + 1))
        cursor = end + timedelta(days=1)
    open_start = cursor + timedelta(days=draw(st.integers(0, 40))) if draw(st.booleans()) else None
    return base, answer_days, extension, excluded, events, open_start


@settings(max_examples=300, deadline=None)
@given(histories())
def test_due_is_receipt_plus_n_plus_extension_working_days_skipping_exactly_the_consultation_days(history):
    base, answer_days, extension, excluded, events, open_start = history
    expected = oracle(base, answer_days + extension, excluded)
    if open_start is not None:
        events = [*events, ClockEvent("consultation_started", open_start)]
    clock = answer_clock(CAL, answer_days, events)
    assert clock.base == base and clock.days == answer_days + extension
    if open_start is not None and open_start <= expected:
        assert clock.status == "paused" and clock.due is None
        used = oracle_used(base, open_start, excluded)
        assert clock.counted == used
        return
    assert clock.status == "running"
    assert clock.due == expected
    assert CAL.deadline(clock.anchor, clock.remaining, "working").due == expected
    assert all(not (clock.anchor < d <= expected) for d in excluded)  # nothing excluded after the anchor
    assert counted_days(CAL, events, expected) == answer_days + extension


def oracle_used(base: date, until: date, excluded: set[date]) -> int:
    """Working days counted after ``base`` and before ``until`` (the open consultation's first day)."""
    return sum(
        1
        for i in range(1, (until - base).days)
        if (d := base + timedelta(days=i)) not in excluded and CAL.is_workday(d)
    )


def test_awaiting_a_correction_has_no_due_date():
    events = [ClockEvent("received", date(2026, 2, 9)), ClockEvent("correction_requested", date(2026, 2, 10))]
    clock = answer_clock(CAL, 20, events)
    assert (clock.status, clock.due) == ("awaiting_correction", None)
