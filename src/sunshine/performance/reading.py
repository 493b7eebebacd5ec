"""Reading performance: one contract's performance as its reader may see it, the winner's workbench list of its
contracts in performance or accepted, and the implementation of a batch of contracts (payment schedule, payments,
the passed acceptance) for readers above (open data) that publish it once the acceptance is public. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.awards.contract_models import AwardContract
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.identity.roles import Role
from sunshine.performance import schemas
from sunshine.performance import visibility as parties
from sunshine.performance.models import Acceptance, Milestone, MilestonePayment
from sunshine.trading.models import Project

SHOWN_STATES = ("contracted", "performing", "performance_accepted", "closed")


def performance(session: Session, actor: Principal, contract_id: int) -> schemas.PerformanceOut:
    contract, project = parties.contract(session, actor, contract_id)
    side = parties.side_of(actor, contract, project)
    return schemas.performance_out(session, contract, project, side, clock.today_local())


MINE_ORDER = Keyset.of("performance-mine", AwardContract.id)


def mine(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[AwardContract, Project]]:
    """The contracts the actor's organisation won, signed by both (``parties.is_signed``), in performance or
    accepted; newest first, a page at a time."""
    if Role.BIDDER not in actor.roles or actor.organisation_id is None:
        raise Forbidden("履约工作台供中标（成交）人的投标人用户使用")
    stmt = (
        select(AwardContract, Project)
        .join(Project, Project.id == AwardContract.project_id)
        .where(
            AwardContract.winner_id == actor.organisation_id,
            Project.state.in_(SHOWN_STATES),
            AwardContract.tenderer_signed_at.is_not(None),
            AwardContract.winner_signed_at.is_not(None),
        )
    )
    return paginate(session, stmt, MINE_ORDER, cursor=cursor, limit=limit)


@dataclass
class Implementation:
    """What a contract's implementation consists of: its payment milestones, the payments against them (oldest
    first) and its passed acceptance, if any."""

    contract_id: int
    milestones: list[Milestone] = field(default_factory=list)
    payments: list[MilestonePayment] = field(default_factory=list)
    accepted: Acceptance | None = None


def implementation_of(session: Session, contract_ids: Sequence[int]) -> dict[int, Implementation]:
    """The implementation of each contract of ``contract_ids``, read in three queries for the whole batch. The caller
    decides what of it is public (open data: once the acceptance's publication is)."""
    out = {cid: Implementation(cid) for cid in contract_ids}
    if not out:
        return out
    ids = list(out)
    for m in session.scalars(select(Milestone).where(Milestone.contract_id.in_(ids)).order_by(Milestone.seq)):
        out[m.contract_id].milestones.append(m)
    for p in session.scalars(
        select(MilestonePayment)
        .where(MilestonePayment.contract_id.in_(ids))
        .order_by(MilestonePayment.recorded_at, MilestonePayment.id)
    ):
        out[p.contract_id].payments.append(p)
    for a in session.scalars(
        select(Acceptance)
        .where(Acceptance.contract_id.in_(ids), Acceptance.status == "passed")
        .order_by(Acceptance.round)
    ):
        out[a.contract_id].accepted = a
    return out
