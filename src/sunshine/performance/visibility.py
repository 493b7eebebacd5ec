"""Who stands where in a contract's performance (its visibility rules): the tenderer's side (招标人/采购人 and its
agency) and the winner (中标人/成交人); the contract as the reader may see it (awards' own reading rules), and the
states in which a contract is being performed. Shared by the performance use cases; never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.awards import contracts as award_contracts
from sunshine.awards.contract_models import AwardContract
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.trading import lifecycle, visibility
from sunshine.trading.models import Project

PERFORMING = frozenset({"contracted", "performing"})  # 合同已签订, 履约中
SIDES = {"tenderer": "甲方（招标人/采购人）", "winner": "乙方（中标人/成交人）"}


class NotInPerformance(Conflict):
    code = "contract_not_in_performance"
    title = "合同不在履行阶段"


def contract(session: Session, actor: Principal, contract_id: int) -> tuple[AwardContract, Project]:
    """The contract the actor may read (404 otherwise), with its project."""
    found = award_contracts.readable(session, actor, contract_id)
    return found, session.get(Project, found.project_id)


def is_signed(c: AwardContract) -> bool:
    return c.tenderer_signed_at is not None and c.winner_signed_at is not None


def performing(c: AwardContract, project: Project, what: str) -> None:
    """Refuses (409) unless the contract is signed by both and the project is being performed."""
    if not is_signed(c) or project.state not in PERFORMING:
        label = lifecycle.state_label(project, project.state)
        raise NotInPerformance(f"项目当前为“{label}”，合同签订后、履约验收合格前方可{what}")


def side_of(actor: Principal, c: AwardContract, project: Project) -> str | None:
    if visibility.is_party(actor, project):
        return "tenderer"
    if actor.organisation_id == c.winner_id and Role.BIDDER in actor.roles:
        return "winner"
    return None


def tenderer_side(actor: Principal, c: AwardContract, project: Project, what: str) -> None:
    if side_of(actor, c, project) != "tenderer":
        raise Forbidden(f"{what}由招标人（采购人）或其代理机构办理")


def winner_side(actor: Principal, c: AwardContract, project: Project, what: str) -> None:
    if side_of(actor, c, project) != "winner":
        raise Forbidden(f"{what}由中标（成交）人办理")


def users_of(session: Session, organisation_id: int | None, *roles: Role) -> list[int]:
    """The active users of an organisation (with one of ``roles`` when given), to tell them something."""
    if organisation_id is None:
        return []
    query = select(User.id).where(User.organisation_id == organisation_id, User.is_active.is_(True))
    if roles:
        query = query.join(UserRole, UserRole.user_id == User.id).where(UserRole.role.in_([str(r) for r in roles]))
    return sorted(set(session.scalars(query)))


def role_users(session: Session, role: Role) -> list[int]:
    """The active users holding ``role`` (the supervisory department's staff, say)."""
    query = select(User.id).join(UserRole, UserRole.user_id == User.id)
    return sorted(set(session.scalars(query.where(UserRole.role == str(role), User.is_active.is_(True)))))
