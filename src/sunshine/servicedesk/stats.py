"""Figures of the desk in SQL: satisfaction by service, department and month (parties and 特约监督员 counted
apart and together), the monthly publication (frozen figures, one ledger entry with their hash), and work
orders by kind, department and month with the on-time rate. Never commits."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import AlreadyExists, InvalidInput
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.ledger import service as ledger
from sunshine.servicedesk.labels import KINDS, RESPONDENTS, SERVICES
from sunshine.servicedesk.models import DeskDepartment, SatisfactionMonth, SurveyResponse, WorkOrder


def _avg(total, n) -> float | None:  # noqa: ANN001
    return round(float(total) / n, 1) if n else None


def satisfaction(session: Session, month: str) -> dict:
    """A month's figures: overall, by service, by department, by respondent."""
    names = dict(session.execute(select(DeskDepartment.id, DeskDepartment.name)).all())
    base = select(
        func.count(),
        func.coalesce(func.sum(SurveyResponse.score), 0),
        func.sum(case((SurveyResponse.low.is_(True), 1), else_=0)),
    ).where(SurveyResponse.month == month)

    def grouped(column, labels):  # noqa: ANN001, ANN202
        rows = session.execute(base.add_columns(column).group_by(column).order_by(column)).all()
        return [
            {"code": key, "label": labels(key), "count": n, "average": _avg(total, n), "low": int(low or 0)}
            for n, total, low, key in rows
        ]

    n, total, low = session.execute(base).one()
    return {
        "month": month,
        "count": n,
        "average": _avg(total, n),
        "low": int(low or 0),
        "by_service": grouped(SurveyResponse.service, lambda k: SERVICES.get(k, k)),
        "by_department": grouped(SurveyResponse.department_id, lambda k: names.get(k, "交易中心")),
        "by_respondent": grouped(SurveyResponse.respondent, lambda k: RESPONDENTS.get(k, k)),
    }


def previous_month(today: date) -> str:
    first = today.replace(day=1)
    return (date(first.year - 1, 12, 1) if first.month == 1 else first.replace(month=first.month - 1)).strftime("%Y-%m")


def publish_month(session: Session, actor: Principal | None, month: str) -> SatisfactionMonth:
    """Publish a finished month's figures: frozen as they are now, their hash in the ledger."""
    if len(month) != 7 or month >= clock.today_local().strftime("%Y-%m"):
        raise InvalidInput("只能公布已结束月份的测评结果", field="month")
    if session.scalar(select(SatisfactionMonth.id).where(SatisfactionMonth.month == month)) is not None:
        raise AlreadyExists(f"{month} 的测评结果已公布")
    figures = satisfaction(session, month)
    text = json.dumps(figures, ensure_ascii=False, sort_keys=True)
    entry = ledger.append(
        session,
        "servicedesk:satisfaction:publish",
        f"desk-satisfaction:{month}",
        {"month": month, "count": figures["count"], "figures_sha256": hashlib.sha256(text.encode()).hexdigest()},
    )
    row = SatisfactionMonth(
        month=month,
        figures=text,
        published_at=clock.now(),
        published_by=actor.user_id if actor else None,
        ledger_seq=entry.seq,
    )
    session.add(row)
    session.flush()
    return row


def publish_due(session: Session) -> list[str]:
    """The tick publishes last month's figures once the month is over (once), when anyone answered."""
    month = previous_month(clock.today_local())
    if session.scalar(select(SatisfactionMonth.id).where(SatisfactionMonth.month == month)) is not None:
        return []
    if session.scalar(select(SurveyResponse.id).where(SurveyResponse.month == month).limit(1)) is None:
        return []
    publish_month(session, None, month)
    return [month]


PUBLISHED_ORDER = Keyset.of("satisfaction-months", SatisfactionMonth.month, SatisfactionMonth.id)


def published_page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[SatisfactionMonth]:
    """The published months, newest first, one page at a time."""
    return paginate(session, select(SatisfactionMonth), PUBLISHED_ORDER, cursor=cursor, limit=limit)


def published(session: Session, limit: int = 24) -> list[SatisfactionMonth]:
    """The last ``limit`` published months (the page's two-year chart)."""
    stmt = select(SatisfactionMonth).order_by(SatisfactionMonth.month.desc()).limit(limit)
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------- work orders


def orders(session: Session, *, year: int) -> dict:
    """Work orders registered in a year by kind, department and month: received, replied, replied on time and
    the on-time rate (replied by the due date, of those replied). 举报 counted like the others, no detail."""
    tz = get_settings().tz
    names = dict(session.execute(select(DeskDepartment.id, DeskDepartment.name)).all())
    start = datetime(year, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz)
    rows = session.execute(
        select(
            WorkOrder.kind,
            WorkOrder.department_id,
            WorkOrder.created_at,
            WorkOrder.replied_on,
            WorkOrder.on_time,
            WorkOrder.state,
        ).where(WorkOrder.created_at >= start, WorkOrder.created_at < end)
    ).all()

    def blank() -> dict:
        return {"received": 0, "replied": 0, "on_time": 0, "referred": 0}

    by_kind = {k: blank() for k in KINDS}
    by_month = {f"{year}-{m:02d}": blank() for m in range(1, 13)}
    by_department: dict[str, dict] = {}
    total = blank()
    for kind, dept, created, replied, on_time, state in rows:
        month = created.astimezone(tz).strftime("%Y-%m")
        dname = names.get(dept, "未转办")
        for bucket in (
            by_kind.setdefault(kind, blank()),
            by_month[month],
            by_department.setdefault(dname, blank()),
            total,
        ):
            bucket["received"] += 1
            bucket["replied"] += 1 if replied is not None else 0
            bucket["on_time"] += 1 if on_time else 0
            bucket["referred"] += 1 if state == "referred" else 0

    def rated(table: dict, label=lambda k: k) -> list[dict]:  # noqa: ANN001
        return [
            {
                "key": k,
                "label": label(k),
                **v,
                "rate": round(100 * v["on_time"] / v["replied"], 1) if v["replied"] else None,
            }
            for k, v in table.items()
        ]

    return {
        "year": year,
        "total": rated({"合计": total})[0],
        "by_kind": rated(by_kind, lambda k: KINDS.get(k, k)),
        "by_month": rated(by_month),
        "by_department": rated(by_department),
    }
