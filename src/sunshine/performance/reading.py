"""Reading performance: one contract's performance as its reader may see it, and the winner's workbench list of its
contracts in performance or accepted. Never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.awards.contract_models import AwardContract
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden
from sunshine.identity.roles import Role
from sunshine.performance import schemas
from sunshine.performance import visibility as parties
from sunshine.trading.models import Project

SHOWN_STATES = ("contracted", "performing", "performance_accepted", "closed")


def performance(session: Session, actor: Principal, contract_id: int) -> schemas.PerformanceOut:
    contract, project = parties.contract(session, actor, contract_id)
    side = parties.side_of(actor, contract, project)
    return schemas.performance_out(session, contract, project, side, clock.today_local())


def mine(session: Session, actor: Principal) -> list[tuple[AwardContract, Project]]:
    """The contracts the actor's organisation won, signed by both, in performance or accepted."""
    if Role.BIDDER not in actor.roles or actor.organisation_id is None:
        raise Forbidden("履约工作台供中标（成交）人的投标人用户使用")
    rows = session.execute(
        select(AwardContract, Project)
        .join(Project, Project.id == AwardContract.project_id)
        .where(AwardContract.winner_id == actor.organisation_id, Project.state.in_(SHOWN_STATES))
        .order_by(AwardContract.id.desc())
        .limit(200)
    ).all()
    return [(c, p) for c, p in rows if parties.is_signed(c)]
