"""Avoidance (回避): who of the pool may not sit for a request, each with a reason code, and the candidate list the
draw commits (every pool member holding a requested specialty, eligible or not).

Excluded, in this order (the first reason that applies is recorded):
- the pool's own reasons (on leave, suspended, term expired, banned …: ``experts.service.REASONS``);
- employees of the tenderer (招标人/采购人) and of its agency (《招标投标法》第三十七条, 《政府采购法实施条例》第九条,
  87号令第四十七条: 采购代理机构工作人员不得参加本机构代理的项目);
- employees of every bidder of the section, once the bids are known (after the bid deadline; before it the
  bidders' names stay confidential and ``avoidance_for`` checks again at the evaluation's sign-in);
- declared standing conflicts with the tenderer, the agency or a bidder;
- experts who reviewed this project's tender documents (seed 003: 项目评审专家不得参加该项目评标), for an evaluation;
- experts drawn for the same tenderer within ``expert_recent_draw_days`` (平台默认值).
No names leave this module: the draw sees ``expert:<id>`` refs and reason codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.bidding import service as bidding
from sunshine.committees import packrules
from sunshine.committees.composition import DOC_REVIEW, EVALUATION
from sunshine.committees.models import CommitteeSeat, DrawRequest, DrawRequestSpecialty
from sunshine.core import clock
from sunshine.core.errors import InvalidInput
from sunshine.experts import poolquery, specialties
from sunshine.experts import service as experts
from sunshine.trading.models import Project, Registration

ELIGIBLE = "eligible"
REASONS: dict[str, str] = {
    "tenderer_employee": "招标人（采购人）的工作人员",
    "agency_employee": "本项目代理机构的工作人员",
    "bidder_employee": "本标段投标人（供应商）的工作人员",
    "declared_conflict": "申报与招标人、代理机构或投标人存在利害关系",
    "doc_reviewer": "已参加本项目招标文件审查",
    "recent_same_tenderer": "近期已被抽取参加同一招标人（采购人）项目的评审",
}
POOL_PREFIX = "expert_"  # the pool's own reasons, as draw reason codes (expert_banned, expert_on_leave …)
SAT = frozenset({"called", "confirmed", "appointed"})  # seats whose expert served (or is to serve)


class UnknownSpecialty(InvalidInput):
    code = "unknown_specialty"
    title = "专业代码不在专家专业分类中"


class AppointeeNotEligible(InvalidInput):
    code = "appointee_not_eligible"
    title = "直接确定的专家不符合条件"


@dataclass(frozen=True)
class Context:
    """What avoidance is judged against for one request at one moment."""

    purpose: str
    tenderer_id: int
    agency_id: int | None
    bidder_ids: frozenset[int]
    doc_reviewers: frozenset[int]
    recent: frozenset[int]

    @property
    def parties(self) -> frozenset[int]:
        ids = {self.tenderer_id, *self.bidder_ids}
        if self.agency_id is not None:
            ids.add(self.agency_id)
        return frozenset(ids)


def bids_known(project: Project, at: datetime | None = None) -> bool:
    at = at or clock.now()
    return project.bid_deadline is not None and project.bid_deadline <= at


def bidder_ids(session: Session, project: Project, section_id: int) -> frozenset[int]:
    """The organisations that registered for the section (not withdrawn) or sealed a bid for it."""
    regs = session.scalars(
        select(Registration.organisation_id).where(
            Registration.section_id == section_id, Registration.withdrawn_at.is_(None)
        )
    )
    bids = {b.organisation_id for b in bidding.sealed_bids(session, project.id) if b.section_id == section_id}
    return frozenset(set(regs) | bids)


def _seated(session: Session, *where) -> frozenset[int]:
    stmt = (
        select(CommitteeSeat.expert_id)
        .join(DrawRequest, DrawRequest.id == CommitteeSeat.request_id)
        .where(CommitteeSeat.state.in_(SAT), CommitteeSeat.reserve.is_(False), *where)
    )
    return frozenset(session.scalars(stmt))


def doc_reviewers(session: Session, project: Project) -> frozenset[int]:
    return _seated(session, DrawRequest.project_id == project.id, DrawRequest.purpose == DOC_REVIEW)


def recent_for_tenderer(session: Session, project: Project, request_id: int | None, at: datetime) -> frozenset[int]:
    days = packrules.recent_days(session, project)
    if days <= 0:
        return frozenset()
    since = at - timedelta(days=days)
    others = select(Project.id).where(Project.tenderer_id == project.tenderer_id)
    return _seated(
        session,
        DrawRequest.project_id.in_(others),
        DrawRequest.id != (request_id or 0),
        func.coalesce(DrawRequest.drawn_at, DrawRequest.decided_at, CommitteeSeat.updated_at) >= since,
    )


def context(session: Session, request: DrawRequest, project: Project, at: datetime | None = None) -> Context:
    at = at or clock.now()
    known = bids_known(project, at)
    return Context(
        purpose=request.purpose,
        tenderer_id=project.tenderer_id,
        agency_id=project.agency_id,
        bidder_ids=bidder_ids(session, project, request.section_id) if known else frozenset(),
        doc_reviewers=doc_reviewers(session, project) if request.purpose == EVALUATION else frozenset(),
        recent=recent_for_tenderer(session, project, request.id, at),
    )


def requested_codes(session: Session, request: DrawRequest) -> list[str]:
    stmt = select(DrawRequestSpecialty.specialty).where(DrawRequestSpecialty.request_id == request.id)
    return list(session.scalars(stmt.order_by(DrawRequestSpecialty.position)))


def rules(ctx: Context, at: datetime, *, recent: bool = True) -> list[poolquery.Rule]:
    """Avoidance as SQL conditions on the expert's row, in their precedence (see the module's description)."""
    out = [poolquery.Rule("tenderer_employee", poolquery.employed_by([ctx.tenderer_id]))]
    if ctx.agency_id is not None:
        out.append(poolquery.Rule("agency_employee", poolquery.employed_by([ctx.agency_id])))
    if ctx.bidder_ids:
        out.append(poolquery.Rule("bidder_employee", poolquery.employed_by(ctx.bidder_ids)))
    out.append(poolquery.Rule("declared_conflict", poolquery.declared_conflict(ctx.parties, at)))
    if ctx.doc_reviewers:
        out.append(poolquery.Rule("doc_reviewer", poolquery.one_of(ctx.doc_reviewers)))
    if recent and ctx.recent:
        out.append(poolquery.Rule("recent_same_tenderer", poolquery.one_of(ctx.recent)))
    return out


def columns(session: Session, request: DrawRequest, project: Project, at: datetime | None = None):
    """The candidate list of a draw for ``request``: every pool member holding a requested specialty, sorted by ref,
    with the codes each serves, and ``statuses`` (position → reason code, every other member eligible) — decided
    by the database in one statement (``experts.poolquery``: the pool's reasons, then avoidance's)."""
    at = at or clock.now()
    ctx = context(session, request, project, at)
    cols = poolquery.members(
        session, specialties=requested_codes(session, request), at=at, rules=rules(ctx, at), prefix=POOL_PREFIX
    )
    return cols, cols.statuses


def statuses(session: Session, request: DrawRequest, project: Project, at: datetime | None = None) -> dict[int, str]:
    """Expert id → ``eligible`` or the reason code, for every member of ``request``'s candidate list."""
    return columns(session, request, project, at)[0].status_of()


def avoidance_for(session: Session, request: DrawRequest, expert_id: int) -> str | None:
    """Checked again at the evaluation's sign-in (bids known by then): the reason code that now excludes the
    expert from ``request``'s committee, or None. Labels: ``label(code)``. One expert: read by primary key."""
    project = session.get(Project, request.project_id)
    at = clock.now()
    ctx = context(session, request, project, at)
    found = poolquery.members(
        session,
        specialties=requested_codes(session, request),
        at=at,
        rules=rules(ctx, at, recent=False),
        prefix=POOL_PREFIX,
        expert_ids=[expert_id],
    ).status_of()
    if expert_id not in found:
        return "not_in_pool"
    status = found[expert_id]
    return None if status == ELIGIBLE else status


def pool_reasons() -> dict[str, str]:
    return {POOL_PREFIX + code: f"专家{label}" for code, label in experts.REASONS.items()}


def all_reasons() -> dict[str, str]:
    return {**pool_reasons(), **REASONS}


def label(code: str) -> str:
    if code == "not_in_pool":
        return "不在所需专业的专家库中"
    return all_reasons().get(code, "其他原因")


def specialty_labels(session: Session, codes: list[str]) -> dict[str, str]:
    """Code → name of the requested specialties that the pool's classification knows (shipped tree and the
    centre's additions)."""
    known = specialties.labels(session)
    return {code: known[code] for code in codes if code in known}


def specialty_options(session: Session) -> list[tuple[str, str]]:
    """(code, "code 工程类 › … › name") of every specialty a request may name, depth first."""
    all_nodes = specialties.nodes(session)
    return [(n.code, f"{n.code} {specialties.path_label(all_nodes, n.code)}") for n in specialties.flat(session)]


def check_specialties(session: Session, codes: list[str]) -> None:
    known = specialty_labels(session, codes)
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UnknownSpecialty(f"专业代码不在专家专业分类中：{'、'.join(unknown)}", field="specialties")


def check_appointees(session: Session, project: Project, section_id: int, purpose: str, appointees) -> None:
    """Each directly appointed expert holds the specialty and passes the same avoidance as a drawn one."""
    at = clock.now()
    ctx = Context(
        purpose,
        project.tenderer_id,
        project.agency_id,
        bidder_ids(session, project, section_id) if bids_known(project, at) else frozenset(),
        doc_reviewers(session, project) if purpose == EVALUATION else frozenset(),
        recent_for_tenderer(session, project, None, at),
    )
    for a in appointees:
        found = poolquery.members(
            session,
            specialties=[a.specialty],
            at=at,
            rules=rules(ctx, at),
            prefix=POOL_PREFIX,
            expert_ids=[a.expert_id],
        ).status_of()
        if a.expert_id not in found:
            raise AppointeeNotEligible(f"专家（编号 {a.expert_id}）不在所列专业的专家库中", field="appointees")
        status = found[a.expert_id]
        if status != ELIGIBLE:
            raise AppointeeNotEligible(f"专家（编号 {a.expert_id}）应当回避：{label(status)}", field="appointees")
