"""Public statistics of information requests: requests received and answered by month, outcomes in
the groups of the annual report, and the working days taken to answer (consultation days excluded).
Only counts leave this module — never an applicant or the content of a request."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sunshine.core import calendar, clock
from sunshine.inforequests import deadlines, repository, states
from sunshine.inforequests.models import InfoRequest
from sunshine.inforequests.timing import counted_days

OUTCOME_GROUPS: list[tuple[str, str]] = [
    ("disclosed", "予以公开"),
    ("partly", "部分公开"),
    ("withheld", "不予公开"),
    ("unable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other", "其他处理"),
]


def group_of(category: str | None) -> str | None:
    if category in ("disclosed", "partly"):
        return category
    for group, leaves in states.REPORT_GROUPS.items():
        if category in leaves:
            return group
    return None


def month_starts(today: date, months: int) -> list[date]:
    year, month = today.year, today.month
    out = []
    for _ in range(months):
        out.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(out))


@dataclass(frozen=True)
class Stats:
    months: list[str]
    received: list[int]
    answered: list[int]
    median_days: list[float | None]
    outcomes: dict[str, int]
    outcome_labels: dict[str, str]
    total_received: int
    total_answered: int
    median_days_overall: float | None
    on_time_rate: float | None


def public_stats(session: Session, months: int = 12, today: date | None = None) -> Stats:
    today = today or clock.today_local()
    starts = month_starts(today, months)
    first = starts[0]
    reqs = list(
        session.scalars(
            select(InfoRequest).where(or_(InfoRequest.received_on >= first, InfoRequest.concluded_on >= first))
        )
    )
    history = repository.events_for(session, [r.id for r in reqs if r.answered_on is not None])
    cal = calendar.load(session)
    keys = [(d.year, d.month) for d in starts]
    received = dict.fromkeys(keys, 0)
    answered = dict.fromkeys(keys, 0)
    days_by_month: dict[tuple[int, int], list[int]] = {k: [] for k in keys}
    outcomes = {g: 0 for g, _ in OUTCOME_GROUPS}
    on_time = late = 0
    for req in reqs:
        key = (req.received_on.year, req.received_on.month)
        if key in received:
            received[key] += 1
        if req.concluded_on is not None and req.concluded_on >= first and req.concluded_on <= today:
            group = group_of(req.category)
            if group:
                outcomes[group] += 1
        if req.answered_on is None or req.answered_on < first or req.answered_on > today:
            continue
        key = (req.answered_on.year, req.answered_on.month)
        answered[key] += 1
        events = history[req.id]
        days_by_month[key].append(counted_days(cal, deadlines.clock_events(events), req.answered_on))
        answer_event = repository.last(events, "answer")
        if answer_event is not None and repository.data_of(answer_event).get("on_time") is False:
            late += 1
        else:
            on_time += 1
    all_days = [d for values in days_by_month.values() for d in values]
    return Stats(
        months=[f"{y}-{m:02d}" for y, m in keys],
        received=[received[k] for k in keys],
        answered=[answered[k] for k in keys],
        median_days=[float(statistics.median(days_by_month[k])) if days_by_month[k] else None for k in keys],
        outcomes=outcomes,
        outcome_labels=dict(OUTCOME_GROUPS),
        total_received=sum(received.values()),
        total_answered=sum(answered.values()),
        median_days_overall=float(statistics.median(all_days)) if all_days else None,
        on_time_rate=round(on_time / (on_time + late), 4) if on_time + late else None,
    )
