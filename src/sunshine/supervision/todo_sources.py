"""The to-dos open days give the government affairs office (政务办) on its workbench (``/me``, registry in
``core/todos.py``): after an on-application open day's applications close, screen them, then fix who attends —
before the day itself."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core import clock, todos
from sunshine.core.auth import Principal
from sunshine.supervision import opendays
from sunshine.supervision.models import OpenDay, Participant

LIMIT = 20


def screening(session: Session, actor: Principal) -> list[todos.Todo]:
    now = clock.now()
    waiting = (
        select(func.count())
        .where(Participant.open_day_id == OpenDay.id, Participant.role == "applicant", Participant.state == "applied")
        .scalar_subquery()
    )
    stmt = (
        select(OpenDay, waiting)
        .where(
            OpenDay.kind == "application",
            OpenDay.state.in_(("announced", "screening")),
            OpenDay.draw_code.is_(None),
            OpenDay.apply_until.is_(None) | (OpenDay.apply_until <= now),
        )
        .order_by(OpenDay.starts_at, OpenDay.id)
        .limit(LIMIT)
    )
    out = []
    for day, unscreened in session.execute(stmt):
        href = f"/staff/supervision/open-days/{day.id}"
        if unscreened:
            out.append(
                todos.Todo(f"筛选开放日申请：{day.title}（{unscreened} 份待筛选）", href, "开放日", day.starts_at)
            )
        elif day.state == "screening":
            out.append(todos.Todo(f"确定开放日参加人员：{day.title}", href, "开放日", day.starts_at))
    return out


def install() -> None:
    for role in opendays.OFFICE:
        todos.register(role, screening)
