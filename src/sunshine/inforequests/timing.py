"""The answer clock of an information request, computed from its event history alone (pure: a
calendar and a list of events in, a due date out).

The rules it encodes (《政府信息公开条例》2019):

* 第三十三条: the answer is due within N working days counted from the receipt date (the receipt day
  itself not counted, 《民法典》第二百零一条); an approved extension adds up to M working days.
* 第三十条: once a correction (补正) is requested the clock waits; it starts again, from zero, on the
  day the corrected request is received.
* 第三十三条第二款 (with 第三十二条): the time spent consulting a third party or another agency does
  not count. Here that time is every day from the day the request for an opinion is sent to the day
  the opinion is received (or the opinion period lapses), both included; counting resumes the next
  day. While a consultation is open the clock is paused and there is no due date.
* 第三十五条: a reasonable delay for an excessive volume adds working days like an extension.

So the due date is the (N + extensions)-th working day after the base date (receipt, or the last
corrected request) that falls outside every consultation period. ``anchor`` and ``remaining`` restate
it as "``remaining`` working days after ``anchor``" with no consultation after ``anchor``, which is the
form ``sunshine.core.calendar.track`` keeps and recomputes when the calendar changes. The counting itself is
the general case clock of ``sunshine.core.caseclock``; this module maps a request's steps onto it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sunshine.core import caseclock
from sunshine.core.caseclock import CaseEvent
from sunshine.core.formatting import cn_day
from sunshine.core.workdays import WorkCalendar

EventKind = Literal[
    "received", "correction_requested", "corrected", "consultation_started", "consultation_ended", "extended"
]
Status = Literal["running", "awaiting_correction", "paused"]

#: How each step of a request moves the general case clock (``sunshine.core.caseclock``).
CASE_EVENTS: dict[str, str] = {
    "received": "restart",
    "correction_requested": "stop",
    "corrected": "restart",
    "consultation_started": "pause",
    "consultation_ended": "resume",
    "extended": "extend",
}
_STATUS: dict[str, Status] = {"running": "running", "stopped": "awaiting_correction", "paused": "paused"}


@dataclass(frozen=True)
class ClockEvent:
    kind: str
    day: date
    days: int = 0  # working days added (extended)


@dataclass(frozen=True)
class AnswerClock:
    status: Status
    base: date  # the day the period counts from: receipt, or the corrected request
    days: int  # statutory days plus every extension
    extension: int  # the extension part of ``days``
    due: date | None  # None while awaiting a correction or paused by a consultation
    provisional: bool  # the due date depends on a year without an official holiday schedule
    anchor: date | None  # due == ``remaining`` working days after ``anchor``
    remaining: int | None
    counted: int  # working days used so far (up to the due date, or up to the pause)
    pauses: tuple[tuple[date, date | None], ...] = field(default=())

    @property
    def running(self) -> bool:
        return self.status == "running"


_fmt = cn_day


def case_events(events: Iterable[ClockEvent]) -> tuple[date, list[CaseEvent]]:
    """The receipt day and the request's history as case-clock events."""
    received: date | None = None
    out = []
    for event in events:
        kind = CASE_EVENTS.get(event.kind)
        if kind is None:
            raise ValueError(f"未知的计时事件：{event.kind}")
        if event.kind == "received":
            received = event.day
        out.append(CaseEvent(kind, event.day, event.days))
    if received is None:
        raise ValueError("计时事件中没有收到申请的日期")
    return received, out


def answer_clock(cal: WorkCalendar, answer_days: int, events: Sequence[ClockEvent]) -> AnswerClock:
    """The answer clock after ``events`` (in the order they happened)."""
    start, history = case_events(events)
    c = caseclock.due_date(cal, start, answer_days, history, "working")
    return AnswerClock(
        _STATUS[c.status], c.base, c.days, c.extension, c.due, c.provisional, c.anchor, c.remaining, c.counted, c.pauses
    )


def counted_days(cal: WorkCalendar, events: Sequence[ClockEvent], until: date) -> int:
    """Working days of the answer period used up to ``until`` (consultation days excluded): the time a
    request took to answer, as the public statistics report it."""
    start, history = case_events(events)
    return caseclock.used_days(cal, start, history, until, "working")


def explain(clock: AnswerClock, answer_days: int) -> str:
    """The basis of the due date in one Chinese paragraph."""
    parts = [f"自{_fmt(clock.base)}的次日起算{answer_days}个工作日（开始当日不计入）"]
    if clock.extension:
        parts.append(f"经批准延长{clock.extension}个工作日，共{clock.days}个工作日")
    closed = [(s, e) for s, e in clock.pauses if e is not None]
    if closed:
        spans = "、".join(f"{_fmt(s)}至{_fmt(e)}" for s, e in closed)
        parts.append(f"征求意见期间（{spans}）不计算在内")
    if clock.status == "awaiting_correction":
        parts.append("已告知补正，答复期限自收到补正的申请之日起重新计算")
    elif clock.status == "paused":
        parts.append(f"正在征求意见，暂停计时（已用{clock.counted}个工作日）")
    elif clock.due is not None:
        parts.append(f"期限届满日为{_fmt(clock.due)}")
        if clock.provisional:
            parts.append("其中部分年份国务院放假安排尚未公布，按周末及法定节日推算，为暂定日期")
    return "；".join(parts) + "。"
