"""The one source of "now" in Sunshine.

Every deadline check asks this module, never ``datetime.now``. In normal operation the clock is the
system clock and cannot be moved; tests and the demo-data loader install an adjustable clock to walk
a tender period or seed a year of history at the right dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from sunshine.core.errors import ClockLocked


class SystemClock:
    adjustable = False

    def now(self) -> datetime:
        return datetime.now(UTC)

    def set(self, when: datetime) -> None:
        raise ClockLocked()

    def advance(self, delta: timedelta) -> None:
        raise ClockLocked()


class AdjustableClock:
    """A clock that stands still until told to move; used by tests and the demo-data loader."""

    adjustable = True

    def __init__(self, start: datetime | None = None) -> None:
        self._now = _aware(start) if start else datetime.now(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = _aware(when)

    def advance(self, delta: timedelta) -> None:
        self._now = self._now + delta


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("时钟时间必须带时区")
    return when.astimezone(UTC)


_current: SystemClock | AdjustableClock = SystemClock()


def now() -> datetime:
    """Current time, timezone-aware, in UTC."""
    return _current.now()


def today_local() -> date:
    from sunshine.config import get_settings

    return now().astimezone(get_settings().tz).date()


def current() -> SystemClock | AdjustableClock:
    return _current


@contextmanager
def use_clock(clock: SystemClock | AdjustableClock) -> Iterator[SystemClock | AdjustableClock]:
    """Install ``clock`` as the source of now for the duration of the block."""
    global _current
    previous, _current = _current, clock
    try:
        yield clock
    finally:
        _current = previous
