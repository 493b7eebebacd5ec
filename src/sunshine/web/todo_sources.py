"""The to-dos each role's workbench (``/me``) lists, read from the domains that own them (core/todos.py holds the
registry): the expert's invitations to answer and evaluations ahead (and the tasks other domains add to the
expert's workbench), the observer's seats, the centre's projects awaiting acceptance. Registered when the web
layer loads (``web.portal_views``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.committees import signin, workbench_tasks
from sunshine.core import todos
from sunshine.core.auth import Principal
from sunshine.identity.roles import Role
from sunshine.observers import registry as observer_kinds
from sunshine.observers import service as observers
from sunshine.trading import service as trading


def expert(session: Session, actor: Principal) -> list[todos.Todo]:
    pending, ahead, _ = signin.split(signin.assignments(session, actor))
    out = [todos.Todo(f"确认是否参加评标：{a.title}", "/expert", "评标邀请") for a in pending]
    out += [
        todos.Todo(f"按时到场并签到：{a.title}（{a.place}）", "/expert", "评标", a.request.meeting_at) for a in ahead
    ]
    out += [todos.Todo(f"{t.title}（{t.detail}）", t.href, t.kind) for t in workbench_tasks.tasks(session, actor)]
    return out


def observer(session: Session, actor: Principal) -> list[todos.Todo]:
    out = []
    for seat in observers.mine(session, actor):
        kind = observer_kinds.get(seat.kind)
        label = observers.capacity_label(seat.capacity)
        out.append(
            todos.Todo(
                f"{kind.label}（第 {seat.subject_id} 场）：以{label}身份观察",
                kind.watch_link(seat.subject_id),
                "观察席",
            )
        )
    return out


def centre(session: Session, actor: Principal) -> list[todos.Todo]:
    return [
        todos.Todo(f"受理或退回进场登记：{p.name}", f"/projects/{p.id}", "项目受理")
        for p in trading.acceptance_queue(session)[:10]
    ]


todos.register(Role.EXPERT, expert)
todos.register(None, observer)  # anyone the centre seated: social supervisors, witnesses, officials
todos.register(Role.CENTRE_STAFF, centre)
