"""The working-day calendar as the rest of Sunshine uses it: the package schedule plus the
administrator's overrides from the database, deadline computation, tracked deadlines, and their
recomputation (in the ledger) whenever an administrator changes the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import InvalidInput, NotFound
from sunshine.core.models import CalendarOverride, CalendarYear, TrackedDeadline
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.core.workdays import (
    MAX_DAYS,
    CalendarRangeError,
    DayInfo,
    DeadlineResult,
    Override,
    Unit,
    WorkCalendar,
)
from sunshine.ledger import service as ledger

LEGAL_BASIS = (
    "《中华人民共和国民法典》第二百零一条至第二百零三条；《全国年节及纪念日放假办法》；国务院办公厅年度放假安排"
)


def load(session: Session) -> WorkCalendar:
    """A calendar with every override and official year currently in the database."""
    overrides = {row.day: Override(row.kind, row.name) for row in session.scalars(select(CalendarOverride))}
    years = session.scalars(select(CalendarYear.year)).all()
    return WorkCalendar(overrides, official_years=years)


def compute(session: Session, start: date, days: int, unit: Unit) -> DeadlineResult:
    return _checked(lambda: load(session).deadline(start, days, unit))


def latest_before(session: Session, end: date, days: int, unit: Unit) -> DeadlineResult:
    return _checked(lambda: load(session).latest_before(end, days, unit))


def _checked(fn):
    try:
        return fn()
    except CalendarRangeError as exc:
        raise InvalidInput(str(exc), field="start") from exc
    except OverflowError as exc:  # date arithmetic past 9999-12-31 or before 0001-01-01
        raise InvalidInput("日期超出可计算的范围（公元1年至9999年）", field="start") from exc
    except (ValueError, TypeError) as exc:
        raise InvalidInput(str(exc)) from exc


def days_of_year(session: Session, year: int) -> list[DayInfo]:
    """Every day of ``year`` that is not an ordinary weekday or an ordinary weekend."""
    if not 1900 <= year <= 2099:
        raise InvalidInput("年份应在1900至2099之间", field="year")
    cal = load(session)
    day = date(year, 1, 1)
    out = []
    while day.year == year:
        info = _checked(lambda d=day: cal.day(d))
        if info.name not in (None, "周末") or info.source == "override":
            out.append(info)
        day += timedelta(days=1)
    return out


def official_years(session: Session) -> list[CalendarYear]:
    return list(session.scalars(select(CalendarYear).order_by(CalendarYear.year)))


@dataclass(frozen=True)
class Recomputed:
    deadline_id: int
    subject: str
    purpose: str
    old_due: date
    new_due: date
    old_provisional: bool
    new_provisional: bool


def set_day(
    session: Session,
    *,
    actor: Principal,
    day: date,
    kind: str,
    name: str | None,
    reason: str | None,
    recompute: bool = True,
) -> list[Recomputed]:
    """Declare ``day`` a holiday or a workday (an administrator's override of the package)."""
    if kind not in ("holiday", "workday"):
        raise InvalidInput("类型应为 holiday（休息日）或 workday（工作日）", field="kind")
    # The columns are String(50) / String(300); PostgreSQL would refuse longer text with an error.
    if name is not None and len(name) > 50:
        raise InvalidInput("名称最多 50 个字符", field="name")
    if reason is not None and len(reason) > 300:
        raise InvalidInput("依据最多 300 个字符", field="reason")
    row = session.get(CalendarOverride, day)
    if row is None:
        row = CalendarOverride(day=day, created_at=clock.now())
        session.add(row)
    row.kind, row.name, row.reason, row.created_by = kind, name, reason, actor.user_id
    session.flush()
    ledger.append(
        session,
        "calendar:day:set",
        f"calendar-day:{day.isoformat()}",
        {"day": day.isoformat(), "kind": kind, "name": name, "reason": reason, "by": actor.user_id},
    )
    return recompute_open(session, actor=actor, reason=f"调整 {day.isoformat()}") if recompute else []


def clear_day(session: Session, *, actor: Principal, day: date) -> list[Recomputed]:
    row = session.get(CalendarOverride, day)
    if row is None:
        raise NotFound(f"{day.isoformat()} 没有人工调整")
    session.delete(row)
    session.flush()
    ledger.append(
        session,
        "calendar:day:cleared",
        f"calendar-day:{day.isoformat()}",
        {"day": day.isoformat(), "by": actor.user_id},
    )
    return recompute_open(session, actor=actor, reason=f"撤销 {day.isoformat()} 的调整")


@dataclass(frozen=True)
class YearSchedule:
    year: int
    source: str
    holidays: list[tuple[date, str]]
    workdays: list[tuple[date, str]]


def import_year(session: Session, *, actor: Principal, schedule: YearSchedule) -> list[Recomputed]:
    """Enter a year's official schedule (国务院办公厅放假安排): its holidays and make-up workdays
    replace any earlier overrides for that year, the year counts as official from now on, and every
    open deadline is recomputed."""
    year = schedule.year
    if not 2000 <= year <= 2099:
        raise InvalidInput("年份应在2000至2099之间", field="year")
    if not schedule.source.strip():
        raise InvalidInput("请填写放假安排的文号或来源", field="source")
    if len(schedule.source) > 300:
        raise InvalidInput("文号或来源最多 300 个字符", field="source")
    seen: set[date] = set()
    for day, day_name in schedule.holidays + schedule.workdays:
        if len(day_name) > 50:
            raise InvalidInput(f"{day.isoformat()} 的名称最多 50 个字符", field="days")
        if day.year != year:
            raise InvalidInput(f"{day.isoformat()} 不属于 {year} 年", field="days")
        if day in seen:
            raise InvalidInput(f"{day.isoformat()} 重复出现", field="days")
        seen.add(day)
    session.execute(
        delete(CalendarOverride).where(
            CalendarOverride.day >= date(year, 1, 1), CalendarOverride.day <= date(year, 12, 31)
        )
    )
    now = clock.now()
    for kind, items in (("holiday", schedule.holidays), ("workday", schedule.workdays)):
        for day, name in items:
            session.add(
                CalendarOverride(
                    day=day, kind=kind, name=name, reason=schedule.source, created_by=actor.user_id, created_at=now
                )
            )
    row = session.get(CalendarYear, year) or CalendarYear(year=year)
    row.source, row.declared_by, row.declared_at = schedule.source, actor.user_id, now
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "calendar:year:declared",
        f"calendar-year:{year}",
        {
            "year": year,
            "source": schedule.source,
            "holidays": [[d.isoformat(), n] for d, n in sorted(schedule.holidays)],
            "workdays": [[d.isoformat(), n] for d, n in sorted(schedule.workdays)],
            "by": actor.user_id,
        },
    )
    return recompute_open(session, actor=actor, reason=f"录入 {year} 年放假安排（{schedule.source}）")


def track(
    session: Session, *, subject: str, purpose: str, start: date, days: int, unit: Unit, rule_ref: str | None = None
) -> TrackedDeadline:
    """Compute a deadline and keep it, so that a later calendar change recomputes it."""
    result = compute(session, start, days, unit)
    now = clock.now()
    row = TrackedDeadline(
        subject=subject,
        purpose=purpose,
        rule_ref=rule_ref,
        start=start,
        days=days,
        unit=unit,
        due=result.due,
        provisional=result.provisional,
        basis=result.basis,
        is_open=True,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def close(session: Session, deadline_id: int) -> None:
    row = session.get(TrackedDeadline, deadline_id)
    if row is None:
        raise NotFound("期限不存在")
    row.is_open = False
    row.updated_at = clock.now()


def postpone(session: Session, deadline_id: int, days: int, reason: str) -> TrackedDeadline:
    """A period that stood still (the case was suspended) starts ``days`` calendar days later and its due date is
    computed again from the calendar, so the whole period is still given; the ledger records the move."""
    row = session.get(TrackedDeadline, deadline_id)
    if row is None:
        raise NotFound("期限不存在")
    if days <= 0 or not row.is_open:
        return row
    old_due = row.due
    row.start = row.start + timedelta(days=days)
    result = _checked(lambda: load(session).deadline(row.start, row.days, row.unit))
    row.due, row.provisional, row.basis, row.updated_at = result.due, result.provisional, result.basis, clock.now()
    ledger.append(
        session,
        "calendar:deadline:postponed",
        f"deadline:{row.id}",
        {
            "subject": row.subject,
            "purpose": row.purpose,
            "days": days,
            "old_due": old_due.isoformat(),
            "new_due": row.due.isoformat(),
            "reason": reason,
        },
    )
    session.flush()
    return row


def open_deadlines(session: Session, limit: int = 500) -> list[TrackedDeadline]:
    stmt = select(TrackedDeadline).where(TrackedDeadline.is_open.is_(True)).order_by(TrackedDeadline.due).limit(limit)
    return list(session.scalars(stmt))


DEADLINE_ORDER = Keyset.of("open-deadlines", Key(TrackedDeadline.due, False), Key(TrackedDeadline.id, False))


def open_deadline_page(
    session: Session, *, cursor: str | None = None, limit: int | None = None
) -> Page[TrackedDeadline]:
    """The deadlines running, the nearest first, one page at a time."""
    stmt = select(TrackedDeadline).where(TrackedDeadline.is_open.is_(True))
    return paginate(session, stmt, DEADLINE_ORDER, cursor=cursor, limit=limit)


def recompute_open(session: Session, *, actor: Principal, reason: str) -> list[Recomputed]:
    cal = load(session)
    changes = []
    for row in session.scalars(select(TrackedDeadline).where(TrackedDeadline.is_open.is_(True))):
        result = _checked(lambda r=row: cal.deadline(r.start, r.days, r.unit))
        if result.due == row.due and result.provisional == row.provisional:
            if result.basis != row.basis:  # same due date, but the days skipped on the way changed
                row.basis, row.updated_at = result.basis, clock.now()
            continue
        change = Recomputed(row.id, row.subject, row.purpose, row.due, result.due, row.provisional, result.provisional)
        row.due, row.provisional, row.basis, row.updated_at = result.due, result.provisional, result.basis, clock.now()
        ledger.append(
            session,
            "calendar:deadline:recomputed",
            f"deadline:{row.id}",
            {
                "subject": row.subject,
                "purpose": row.purpose,
                "old_due": change.old_due.isoformat(),
                "new_due": change.new_due.isoformat(),
                "provisional": change.new_provisional,
                "reason": reason,
                "by": actor.user_id,
            },
        )
        changes.append(change)
    session.flush()
    return changes


__all__ = ["MAX_DAYS", "LEGAL_BASIS", "DayInfo", "DeadlineResult", "YearSchedule", "Recomputed"]
