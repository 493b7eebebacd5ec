"""The to-dos a case file gives each side on its workbench (``/me``, registry in ``core/todos.py``): the
respondent (tenderer or agency) answers a 异议/质疑 or sends its statement, the complainant corrects what
the department asked, the supervisory department accepts, decides and publishes — each with the case's
nearest running time limit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.complaints import base, kinds, reading
from sunshine.complaints.models import ComplaintCase
from sunshine.complaints.visibility import readable
from sunshine.core import calendar, todos
from sunshine.core.auth import Principal
from sunshine.identity.roles import Role
from sunshine.trading.models import Project

LIMIT = 30  # open cases looked at, oldest first

# what each action a case offers asks of the person, in the order they come
ACTIONS = {
    "answer": "答复",
    "statement": "提交书面说明",
    "correct": "补正",
    "accept": "受理审查",
    "decide": "作出处理决定",
    "publish": "公告处理决定",
}


def case_todos(session: Session, actor: Principal) -> list[todos.Todo]:
    stmt = (
        select(ComplaintCase, Project)
        .join(Project, Project.id == ComplaintCase.project_id)
        .where(readable(actor, session), ComplaintCase.state.in_(sorted(kinds.OPEN_STATES | {"decided"})))
        .order_by(ComplaintCase.id)
        .limit(LIMIT)
    )
    rows = session.execute(stmt).all()
    if not rows:
        return []
    cal = calendar.load(session)
    out = []
    for row, project in rows:
        history = [e.step for e in base.events(session, row)]
        wanted = [ACTIONS[a] for a in reading.actions(actor, row, project, history) if a in ACTIONS]
        if not wanted:
            continue
        due = reading.summary(session, row, project, cal)["next_due"]
        out.append(
            todos.Todo(
                f"{'、'.join(wanted)}：{base.kind_of(row).label}（{row.code}），{project.name}",
                f"/complaints/{row.id}",
                base.kind_of(row).label,
                todos.end_of_day(date.fromisoformat(due)) if due else None,
            )
        )
    return out


def install() -> None:
    for role in (Role.TENDERER, Role.AGENCY, Role.SUPERVISOR, Role.BIDDER):
        todos.register(role, case_todos)
