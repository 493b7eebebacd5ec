"""Counts of 异议、质疑、投诉 for the statistics pages (统计分析): per kind, how many were raised and how they stand
or ended — in hand, not accepted (不予受理), withdrawn, founded (异议/质疑 answered as founded, 投诉 decided 投诉成立)
or not founded. One GROUP BY in SQL; no party, no contents: only counts, which the public statistics may show. Read
by the monitoring domain (above) through ``outcome_counts``; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from sunshine.complaints import kinds
from sunshine.complaints.models import ComplaintCase

BEIJING = timezone(timedelta(hours=8))
#: the outcome columns, in the order the pages show them; they add up to the cases raised
OUTCOMES: tuple[tuple[str, str], ...] = (
    ("open", "处理中"),
    ("rejected", "不予受理"),
    ("withdrawn", "撤回"),
    ("founded", "成立"),
    ("unfounded", "不成立（驳回）"),
)


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str  # 异议, 投诉（招标投标）, 质疑, 投诉（政府采购）
    raised: int
    outcomes: dict[str, int]  # OUTCOMES' keys → cases


def outcome_counts(session: Session, year: int | None = None) -> list[KindCount]:
    """Cases per kind (all kinds, zero included) and their outcome; ``year``: those filed in that year (Beijing)."""
    c = ComplaintCase
    concluded = c.state.in_(("answered", "decided", "published"))
    # never NULL (a NULL would fall out of both "founded" and "not founded")
    founded = or_(c.founded.is_(True), func.coalesce(c.outcome, "") == "upheld")
    columns = {
        "open": c.state.in_(sorted(kinds.OPEN_STATES)),
        "rejected": c.state == "rejected",
        "withdrawn": c.state == "withdrawn",
        "founded": and_(concluded, founded),
        "unfounded": and_(concluded, ~founded),
    }
    stmt = select(
        c.kind, func.count(c.id), *(func.sum(case((cond, 1), else_=0)) for cond in columns.values())
    ).group_by(c.kind)
    if year is not None:
        start = datetime(year, 1, 1, tzinfo=BEIJING)
        stmt = stmt.where(c.filed_at >= start, c.filed_at < start.replace(year=year + 1))
    found = {row[0]: row[1:] for row in session.execute(stmt)}
    out = []
    for code, kind in kinds.KINDS.items():
        raised, *counts = found.get(code, (0,) + (0,) * len(columns))
        out.append(
            KindCount(code, kind.label, int(raised), {k: int(v or 0) for k, v in zip(columns, counts, strict=True)})
        )
    return out
