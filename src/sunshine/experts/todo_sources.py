"""The to-dos expert admission gives its two deciders on their workbenches (``/me``, registry in
``core/todos.py``): the industry supervisory department reviews each submitted application, the committee
office approves each reviewed one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import todos
from sunshine.core.auth import Principal
from sunshine.experts import codes
from sunshine.experts.models import ExpertApplication

LIMIT = 20
QUEUE = "/staff/experts-applications"


def _waiting(session: Session, state: str, verb: str) -> list[todos.Todo]:
    stmt = (
        select(ExpertApplication.id, ExpertApplication.code, ExpertApplication.name)
        .where(ExpertApplication.state == state)
        .order_by(ExpertApplication.submitted_at, ExpertApplication.id)
        .limit(LIMIT)
    )
    return [
        todos.Todo(f"{verb}专家入库申请：{name}（{code}）", f"{QUEUE}/{app_id}", "专家入库")
        for app_id, code, name in session.execute(stmt)
    ]


def reviews(session: Session, actor: Principal) -> list[todos.Todo]:
    return _waiting(session, "submitted", "审核")


def approvals(session: Session, actor: Principal) -> list[todos.Todo]:
    return _waiting(session, "reviewed", "审批")


def install() -> None:
    for role in codes.REVIEWERS:
        todos.register(role, reviews)
    for role in codes.APPROVERS:
        todos.register(role, approvals)
