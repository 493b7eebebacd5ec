"""Who may see which work order and which of its parts: the desk (centre staff) sees every order except a
举报; a department's members see the orders routed to it; a 举报 — its reporter, its text and its history — is
seen only by the members of the supervisory department it went to. The requester follows their own order by
its number and lookup code. An order a viewer may not see answers 404."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.identity.roles import Role
from sunshine.servicedesk import desk
from sunshine.servicedesk.models import WorkOrder


def is_desk(actor: Principal) -> bool:
    return Role.CENTRE_STAFF in actor.roles


def readable(session: Session, actor: Principal):  # noqa: ANN201
    """The condition every list of orders starts from."""
    mine = desk.departments_of(session, actor.user_id)
    clauses = []
    if is_desk(actor):
        clauses.append(WorkOrder.kind != "report")
    if mine:
        clauses.append(WorkOrder.department_id.in_(sorted(mine)))
    return or_(*clauses) if clauses else WorkOrder.id < 0


def get_visible(session: Session, actor: Principal, order_id: int) -> WorkOrder:
    order = session.scalar(select(WorkOrder).where(WorkOrder.id == order_id, readable(session, actor)))
    if order is None:
        raise NotFound("工单不存在")
    return order


def may_see_requester(session: Session, actor: Principal, order: WorkOrder) -> bool:
    """The requester's name and phone: the desk and the department, except a 举报 (its department only)."""
    member = order.department_id is not None and order.department_id in desk.departments_of(session, actor.user_id)
    if order.kind == "report":
        return member
    return member or is_desk(actor)
