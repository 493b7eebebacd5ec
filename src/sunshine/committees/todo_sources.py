"""The to-dos expert draw requests give the supervisory department on its workbench (``/me``, registry in
``core/todos.py``): each request awaiting its approval, due before the evaluation it is for."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees.composition import PURPOSES
from sunshine.committees.models import DrawRequest
from sunshine.core import todos
from sunshine.core.auth import Principal
from sunshine.identity.roles import Role
from sunshine.trading.models import Project

LIMIT = 20


def approvals(session: Session, actor: Principal) -> list[todos.Todo]:
    stmt = (
        select(DrawRequest, Project.name)
        .join(Project, Project.id == DrawRequest.project_id)
        .where(DrawRequest.state == "submitted")
        .order_by(DrawRequest.meeting_at, DrawRequest.id)
        .limit(LIMIT)
    )
    return [
        todos.Todo(
            f"审批专家抽取申请（{PURPOSES[r.purpose]}）：{name}",
            f"/expert-draws/{r.id}",
            "专家抽取审批",
            r.meeting_at,
        )
        for r, name in session.execute(stmt)
    ]


def install() -> None:
    todos.register(Role.SUPERVISOR, approvals)
