"""The to-dos the trading kernel gives a tenderer or an agency on its workbench (``/me``, registry in
``core/todos.py``): each active project of its own where a lifecycle step now waits for its side — the step
titles, the project page where they are taken, and the nearest open legal time limit on the project."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, defer

from sunshine.core import todos
from sunshine.core.auth import Principal
from sunshine.core.models import TrackedDeadline
from sunshine.identity.roles import Role
from sunshine.trading import lifecycle
from sunshine.trading.models import Project
from sunshine.trading.service import HANDLING_PURPOSE

LIMIT = 20  # projects looked at, most recently changed first


def _own_projects(session: Session, actor: Principal) -> list[Project]:
    org = actor.organisation_id
    if org is None:
        return []
    sides = []
    if actor.has(Role.TENDERER):
        sides.append(Project.tenderer_id == org)
    if actor.has(Role.AGENCY):
        sides.append(Project.agency_id == org)
    if not sides:
        return []
    stmt = (
        select(Project)
        .options(defer(Project.rules_snapshot), defer(Project.description))
        .where(or_(*sides), Project.state.in_(sorted(lifecycle.ACTIVE_STATES)))
        .order_by(Project.updated_at.desc(), Project.id.desc())
        .limit(LIMIT)
    )
    return list(session.scalars(stmt))


def steps_for(project: Project, actor: Principal) -> list[lifecycle.Step]:
    """The steps that move ``project`` on and that ``actor``'s side takes: not those open from any state
    (suspension, termination) nor those ending the project."""
    return [
        s
        for s in lifecycle.available_steps(project)
        if s.roles & actor.roles
        and s.sources != lifecycle.ANY_ACTIVE
        and s.target not in lifecycle.FINAL_STATES
        and s.target != lifecycle.SAME
    ]


def _due(session: Session, projects: list[Project]) -> dict[str, datetime]:
    """Each project's nearest open legal time limit."""
    if not projects:
        return {}
    subjects = {f"project:{p.code}": p.code for p in projects}
    rows = session.execute(
        select(TrackedDeadline.subject, TrackedDeadline.due).where(
            TrackedDeadline.subject.in_(sorted(subjects)),
            TrackedDeadline.is_open.is_(True),
            TrackedDeadline.purpose != HANDLING_PURPOSE,
        )
    ).all()
    out: dict[str, datetime] = {}
    for subject, due in rows:
        moment = todos.end_of_day(due)
        code = subjects[subject]
        if code not in out or moment < out[code]:
            out[code] = moment
    return out


def tenderer_side(session: Session, actor: Principal) -> list[todos.Todo]:
    projects = _own_projects(session, actor)
    waiting = [(p, steps) for p in projects if (steps := steps_for(p, actor))]
    due = _due(session, [p for p, _ in waiting])
    return [
        todos.Todo(
            f"办理“{'、'.join(s.title for s in steps)}”：{p.name}",
            f"/projects/{p.id}",
            "项目环节",
            due.get(p.code),
        )
        for p, steps in waiting
    ]


def install() -> None:
    todos.register(Role.TENDERER, tenderer_side)
    todos.register(Role.AGENCY, tenderer_side)
