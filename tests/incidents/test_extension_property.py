"""The arithmetic of an incident's extension, for any times: an interrupted clock restarts with at least the
time it had left and at least the minimum, and is never shortened; the announced dates move by whole days
covering every moment the project stood still."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sunshine.trading.service import restarted_end, suspended_days

BASE = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
seconds = st.integers(min_value=0, max_value=40 * 86400)


@given(ends=seconds, since=seconds, stopped_for=seconds, minimum=st.integers(min_value=0, max_value=7200))
def test_a_restarted_clock_keeps_what_it_had_left(ends, since, stopped_for, minimum) -> None:
    ends_at, since_at = BASE + timedelta(seconds=ends), BASE + timedelta(seconds=since)
    now = since_at + timedelta(seconds=stopped_for)
    minimum_left = timedelta(seconds=minimum)
    after = restarted_end(ends_at, since_at, now, minimum_left)
    if ends_at <= since_at:
        assert after is None  # it had run out before the failure began: nothing to give back
        return
    if after is None:  # only when restarting would not move it later
        assert now + max(ends_at - since_at, minimum_left) <= ends_at
        return
    assert after > ends_at
    assert after - now >= ends_at - since_at
    assert after - now >= minimum_left
    assert after - now == max(ends_at - since_at, minimum_left)


@given(stopped=seconds, lasted=seconds)
def test_whole_days_cover_the_whole_stop(stopped, lasted) -> None:
    start = BASE + timedelta(seconds=stopped)
    end = start + timedelta(seconds=lasted)
    days = suspended_days(start, end)
    assert timedelta(days=days) >= end - start  # a date ahead moves at least as far as the time lost
    assert timedelta(days=days) < end - start + timedelta(days=1)  # and by less than one day more
    assert suspended_days(end, start) == 0
