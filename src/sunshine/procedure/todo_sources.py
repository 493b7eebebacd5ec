"""The to-dos the procedures give the supervisory department on its workbench (``/me``, registry in
``core/todos.py``): applications to change the procurement method and direct awards awaiting its decision."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import todos
from sunshine.core.auth import Principal
from sunshine.identity.roles import Role
from sunshine.procedure.models import DirectAward, MethodChange
from sunshine.trading.models import Project

LIMIT = 20


def decisions(session: Session, actor: Principal) -> list[todos.Todo]:
    changes = session.execute(
        select(MethodChange.id, Project.id, Project.name)
        .join(Project, Project.id == MethodChange.project_id)
        .where(MethodChange.state == "submitted")
        .order_by(MethodChange.applied_at, MethodChange.id)
        .limit(LIMIT)
    ).all()
    awards = session.execute(
        select(DirectAward.id, DirectAward.name)
        .where(DirectAward.state == "submitted")
        .order_by(DirectAward.applied_at, DirectAward.id)
        .limit(LIMIT)
    ).all()
    out = [
        todos.Todo(f"审批变更采购方式申请：{name}", f"/projects/{project_id}/method-changes", "采购方式变更")
        for _, project_id, name in changes
    ]
    out += [
        todos.Todo(f"审批依法不招标（直接发包）申请：{name}", f"/procedure/direct-awards/{award_id}", "直接发包")
        for award_id, name in awards
    ]
    return out


def install() -> None:
    todos.register(Role.SUPERVISOR, decisions)
