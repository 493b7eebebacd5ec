"""What the on-site query terminal (现场查询终端) shows: the latest notices, today's openings, the bid
deadlines of this week, the coming holidays and make-up workdays, and the ledger head. Public data only,
read-only, by the server clock in the display zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.channels.items import TERMINAL, PublishedItem, published_items
from sunshine.config import get_settings
from sunshine.core import calendar, clock
from sunshine.core.workdays import DayInfo
from sunshine.ledger import service as ledger
from sunshine.trading.labels import type_label
from sunshine.trading.models import Project

PANELS: dict[str, str] = {
    "notices": "最新公告",
    "openings": "今日开标",
    "deadlines": "本周截止",
    "holidays": "节假日安排",
}
HOLIDAY_HORIZON_DAYS = 45
CALLED_OFF = ("terminated", "suspended", "failed")  # their openings and deadlines will not happen as announced


@dataclass(frozen=True)
class ProjectMoment:
    """A public project at one of its dates (opening or deadline)."""

    id: int
    code: str
    name: str
    type_label: str
    at: datetime


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = get_settings().tz
    return datetime.combine(first, time.min, tzinfo=tz), datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)


def _moments(session: Session, column, start: datetime, end: datetime, limit: int) -> list[ProjectMoment]:
    rows = session.scalars(
        select(Project)
        .where(
            Project.public_since.is_not(None),
            Project.state.not_in(CALLED_OFF),
            column >= start,
            column < end,
        )
        .order_by(column, Project.id)
        .limit(limit)
    )
    return [ProjectMoment(p.id, p.code, p.name, type_label(p.transaction_type), getattr(p, column.key)) for p in rows]


def openings_today(session: Session, limit: int = 20) -> list[ProjectMoment]:
    today = clock.today_local()
    start, end = _bounds(today, today)
    return _moments(session, Project.opening_at, start, end, limit)


def deadlines_this_week(session: Session, limit: int = 20) -> list[ProjectMoment]:
    """Bid deadlines from now to the end of Sunday of this week (ISO week, Monday first)."""
    today = clock.today_local()
    _, end = _bounds(today, today + timedelta(days=6 - today.weekday()))
    return _moments(session, Project.bid_deadline, clock.now(), end, limit)


def coming_days(session: Session, horizon: int = HOLIDAY_HORIZON_DAYS) -> list[DayInfo]:
    """Holidays and make-up workdays (调休) of the coming weeks: they move every deadline counted in
    working days."""
    cal = calendar.load(session)
    today = clock.today_local()
    days = (cal.day(today + timedelta(days=i)) for i in range(horizon + 1))
    return [d for d in days if d.name not in (None, "周末")]


def latest(session: Session, limit: int = 8) -> list[PublishedItem]:
    return published_items(session, channel=TERMINAL, limit=limit)


@dataclass(frozen=True)
class KioskBoard:
    panel: str
    next_panel: str
    notices: list[PublishedItem]
    openings: list[ProjectMoment]
    deadlines: list[ProjectMoment]
    holidays: list[DayInfo]
    head: ledger.Head | None
    ledger_size: int
    now: datetime


def next_panel(panel: str) -> str:
    names = list(PANELS)
    return names[(names.index(panel) + 1) % len(names)] if panel in PANELS else names[0]


def board(session: Session, panel: str | None = None) -> KioskBoard:
    panel = panel if panel in PANELS else next(iter(PANELS))
    return KioskBoard(
        panel=panel,
        next_panel=next_panel(panel),
        notices=latest(session),
        openings=openings_today(session),
        deadlines=deadlines_this_week(session),
        holidays=coming_days(session),
        head=ledger.latest_head(session),
        ledger_size=ledger.size(session),
        now=clock.now(),
    )
