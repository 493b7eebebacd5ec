"""A case's due date computed from its event history alone (pure: a calendar, a start, a limit and a list of
events in; the due date and the days used and left out). Information requests use it today; complaints,
work orders, opinions and incidents reuse it.

The counting follows 《民法典》第二百零一条 to 第二百零三条 as ``WorkCalendar.deadline`` does: the start day is
not counted; a period in working days ends on its N-th working day; a period in calendar days ends on its
N-th day, moved to the next working day when that is a rest day. The events a case may record:

* ``pause`` (day D): D and the days after it do not count (征求意见、鉴定、检验等不计入期限的时间).
* ``resume`` (day R): R is the last day of the pause, both ends included (条例第三十三条第二款 counts a
  consultation that way); counting resumes the next day. A pause without its resume leaves the clock
  paused, with no due date.
* ``stop`` (day D): the clock waits for a ``restart`` (补正: the period is counted anew once the corrected
  application arrives); no due date meanwhile.
* ``restart`` (day D): the count starts again from zero on D (D itself not counted); earlier pauses and a
  stop are forgotten. Extensions already granted are kept: they were granted for the case, not for a count.
* ``extend`` (``days``): adds that many days of the same unit (经批准延长).

``anchor`` and ``remaining`` restate the due date as "``remaining`` days after ``anchor``" with no pause after
``anchor``: the form ``sunshine.core.calendar.track`` keeps and recomputes when the calendar changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from sunshine.core.workdays import Unit, WorkCalendar

_ONE = timedelta(days=1)
#: A walk this long can only come from broken input (the largest statutory period is a few hundred days).
MAX_WALK = 4000

EventKind = Literal["pause", "resume", "stop", "restart", "extend"]
Status = Literal["running", "paused", "stopped"]
EVENT_KINDS: frozenset[str] = frozenset({"pause", "resume", "stop", "restart", "extend"})

Pause = tuple[date, date | None]


@dataclass(frozen=True)
class CaseEvent:
    kind: str  # one of EVENT_KINDS
    day: date
    days: int = 0  # extend: days added


@dataclass(frozen=True)
class History:
    """What the events leave of a case's count: where it counts from, the extensions and the pauses since."""

    base: date  # the start, or the last restart
    extension: int
    pauses: tuple[Pause, ...]
    stopped: bool


@dataclass(frozen=True)
class CaseClock:
    status: Status
    base: date  # the day the period counts from: the start or the last restart
    unit: Unit
    days: int  # the limit plus every extension
    extension: int  # the extension part of ``days``
    due: date | None  # None while paused or stopped
    provisional: bool  # the due date depends on a year without an official holiday schedule
    anchor: date | None  # due == ``remaining`` days (of ``unit``) after ``anchor``
    remaining: int | None
    counted: int  # days used up to the due date, or up to the pause
    pauses: tuple[Pause, ...] = field(default=())

    @property
    def running(self) -> bool:
        return self.status == "running"


@dataclass(frozen=True)
class Progress:
    """Days of the period used up to a day (pauses excluded) and days left (negative once overdue)."""

    used: int
    remaining: int


def history(start: date, events: Iterable[CaseEvent]) -> History:
    base, extension, stopped = start, 0, False
    pauses: list[Pause] = []
    for event in events:
        if event.kind == "restart":
            base, pauses, stopped = event.day, [], False
        elif event.kind == "stop":
            stopped = True
        elif event.kind == "pause":
            pauses.append((event.day, None))
        elif event.kind == "resume":
            if pauses and pauses[-1][1] is None:
                first = pauses[-1][0]
                pauses[-1] = (first, max(event.day, first))
        elif event.kind == "extend":
            if event.days < 0:
                raise ValueError("延长的天数不能为负数")
            extension += event.days
        else:
            raise ValueError(f"未知的计时事件：{event.kind}")
    return History(base, extension, tuple(pauses), stopped)


def _in_pause(day: date, pauses: Sequence[Pause]) -> Pause | None:
    for first, last in pauses:
        if first <= day and (last is None or day <= last):
            return first, last
    return None


def _counts(cal: WorkCalendar, day: date, unit: Unit) -> bool:
    return unit == "calendar" or cal.day(day).is_workday


def due_date(
    cal: WorkCalendar, start: date, limit: int, events: Sequence[CaseEvent] = (), unit: Unit = "working"
) -> CaseClock:
    """The clock of a case that started on ``start`` with ``limit`` days, after ``events`` (in order)."""
    if limit < 0:
        raise ValueError("期限天数不能为负数")
    span = history(start, events)
    total = limit + span.extension
    if span.stopped:
        return CaseClock("stopped", span.base, unit, total, span.extension, None, False, None, None, 0, span.pauses)
    day, counted, provisional, anchor = span.base, 0, False, span.base
    for _ in range(MAX_WALK):
        if counted >= total:
            break
        day += _ONE
        pause = _in_pause(day, span.pauses)
        if pause is not None:
            if pause[1] is None:
                return CaseClock(
                    "paused", span.base, unit, total, span.extension, None, False, None, None, counted, span.pauses
                )
            day = anchor = pause[1]  # the pause's last day; counting resumes after it
            continue
        info = cal.day(day)
        provisional = provisional or (unit == "working" and info.source == "provisional")
        if _counts(cal, day, unit):
            counted += 1
    else:
        raise ValueError("期限超出可计算的范围")
    if unit == "working":
        return CaseClock(
            "running",
            span.base,
            unit,
            total,
            span.extension,
            day,
            provisional,
            anchor,
            cal.working_days_between(anchor, day),
            counted,
            span.pauses,
        )
    end = cal.deadline(anchor, (day - anchor).days, "calendar")  # 第二百零三条: a rest day moves the end
    remaining = (day - anchor).days
    return CaseClock(
        "running",
        span.base,
        unit,
        total,
        span.extension,
        end.due,
        end.provisional,
        anchor,
        remaining,
        counted,
        span.pauses,
    )


def used_days(cal: WorkCalendar, start: date, events: Sequence[CaseEvent], until: date, unit: Unit = "working") -> int:
    """Days of the period counted from the base (exclusive) to ``until`` (inclusive), pauses excluded."""
    span = history(start, events)
    count, day = 0, span.base
    while day < until:
        day += _ONE
        if _in_pause(day, span.pauses) is None and _counts(cal, day, unit):
            count += 1
    return count


def progress(
    cal: WorkCalendar, start: date, limit: int, events: Sequence[CaseEvent], on: date, unit: Unit = "working"
) -> Progress:
    """Days used up to ``on`` and days left of ``limit`` plus extensions (negative once overdue)."""
    used = used_days(cal, start, events, on, unit)
    return Progress(used, limit + history(start, events).extension - used)
