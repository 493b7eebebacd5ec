"""The compliance dashboard (公开时效): on-time disclosure rate by catalog item, by responsible body and by
month of the due date; the overdue list; the median delay of late publications in working days.

An obligation counts once its due date has passed or it has been met: on time (published on or before the due
date), late (published after it) or overdue (still unpublished after it). Obligations not yet due and not yet
met are pending and do not count. The rate is on time ÷ (on time + late + overdue).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.models import TrackedDeadline
from sunshine.disclosure.models import CatalogItem, Obligation
from sunshine.identity.models import Organisation

UNASSIGNED = "（未指定公开主体）"


@dataclass
class Tally:
    key: str
    label: str
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    delays: list[int] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        """Share published on time, 0–100 (one decimal), or None when nothing is due yet."""
        return round(100 * self.on_time / self.counted, 1) if self.counted else None

    @property
    def median_delay(self) -> float | None:
        return float(statistics.median(self.delays)) if self.delays else None

    def add(self, outcome: str, delay: int | None) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome == "late" and delay is not None:
            self.delays.append(delay)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "pending": self.pending,
            "rate": self.rate,
            "median_delay_working_days": self.median_delay,
        }


@dataclass(frozen=True)
class OverdueRow:
    obligation_id: int
    item_code: str
    item_name: str
    title: str
    responsible: str
    organisation_id: int | None
    event_date: date
    due: date
    days_overdue: int  # working days since the due date


@dataclass
class Dashboard:
    as_of: date
    total: Tally
    by_item: list[Tally]
    by_body: list[Tally]
    by_month: list[Tally]
    overdue: list[OverdueRow]

    def as_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "total": self.total.as_dict(),
            "by_item": [t.as_dict() for t in self.by_item],
            "by_responsible_body": [t.as_dict() for t in self.by_body],
            "by_month": [t.as_dict() for t in self.by_month],
            "overdue": [
                {
                    "obligation_id": r.obligation_id,
                    "item_code": r.item_code,
                    "item_name": r.item_name,
                    "title": r.title,
                    "responsible": r.responsible,
                    "event_date": r.event_date.isoformat(),
                    "due": r.due.isoformat(),
                    "days_overdue": r.days_overdue,
                }
                for r in self.overdue
            ],
        }


def outcome(status: str, late: bool | None, due: date, today: date) -> str:
    if status == "met":
        return "late" if late else "on_time"
    return "overdue" if today > due else "pending"


def dashboard(session: Session, *, since: date | None = None, until: date | None = None) -> Dashboard:
    """Every figure of the dashboard in one pass over the obligations (due dates within the range, if given)."""
    from sunshine.core import calendar

    today = clock.today_local()
    stmt = (
        select(
            Obligation.id,
            Obligation.status,
            Obligation.late,
            Obligation.delay_days,
            Obligation.title,
            Obligation.event_date,
            Obligation.responsible_org_id,
            TrackedDeadline.due,
            CatalogItem.code,
            CatalogItem.name,
            CatalogItem.responsible_body,
            CatalogItem.sort_order,
            Organisation.name,
        )
        .join(TrackedDeadline, Obligation.deadline_id == TrackedDeadline.id)
        .join(CatalogItem, Obligation.item_id == CatalogItem.id)
        .outerjoin(Organisation, Obligation.responsible_org_id == Organisation.id)
    )
    if since is not None:
        stmt = stmt.where(TrackedDeadline.due >= since)
    if until is not None:
        stmt = stmt.where(TrackedDeadline.due <= until)
    total = Tally("all", "全部")
    items: dict[str, Tally] = {}
    item_order: dict[str, int] = {}
    bodies: dict[str, Tally] = {}
    months: dict[str, Tally] = defaultdict(lambda: Tally("", ""))
    overdue: list[OverdueRow] = []
    cal = None
    for row in session.execute(stmt):
        (oid, status, late, delay, title, event_date, org_id, due, code, name, body_text, order, org_name) = row
        result = outcome(status, late, due, today)
        total.add(result, delay)
        items.setdefault(code, Tally(code, f"{code} {name}")).add(result, delay)
        item_order[code] = order
        body_key = str(org_id) if org_id is not None else "none"
        bodies.setdefault(body_key, Tally(body_key, org_name or UNASSIGNED)).add(result, delay)
        month = f"{due.year:04d}-{due.month:02d}"
        tally = months[month]
        tally.key = tally.label = month
        tally.add(result, delay)
        if result == "overdue":
            cal = cal or calendar.load(session)
            overdue.append(
                OverdueRow(
                    oid,
                    code,
                    name,
                    title,
                    org_name or body_text,
                    org_id,
                    event_date,
                    due,
                    cal.working_days_between(due, today),
                )
            )
    return Dashboard(
        as_of=today,
        total=total,
        by_item=sorted(items.values(), key=lambda t: item_order[t.key]),
        by_body=sorted(bodies.values(), key=lambda t: (-t.counted, t.label)),
        by_month=[months[k] for k in sorted(months)],
        overdue=sorted(overdue, key=lambda r: (r.due, r.obligation_id)),
    )


def month_chart(board: Dashboard) -> dict:
    """An ECharts option: published on time / late / overdue per month (bars) and the on-time rate (line)."""
    months = [t.label for t in board.by_month]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["按时公开", "逾期公开", "逾期未公开", "按时公开率"]},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [
            {"type": "value", "name": "事项数"},
            {"type": "value", "name": "按时公开率（%）", "min": 0, "max": 100},
        ],
        "series": [
            {
                "type": "bar",
                "name": "按时公开",
                "stack": "n",
                "itemStyle": {"color": "#2e7d32"},
                "data": [t.on_time for t in board.by_month],
            },
            {
                "type": "bar",
                "name": "逾期公开",
                "stack": "n",
                "itemStyle": {"color": "#e69500"},
                "data": [t.late for t in board.by_month],
            },
            {
                "type": "bar",
                "name": "逾期未公开",
                "stack": "n",
                "itemStyle": {"color": "#b71c1c"},
                "data": [t.overdue for t in board.by_month],
            },
            {
                "type": "line",
                "name": "按时公开率",
                "yAxisIndex": 1,
                "itemStyle": {"color": "#0b4f9c"},
                "data": [t.rate for t in board.by_month],
            },
        ],
    }
