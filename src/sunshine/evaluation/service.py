"""The evaluation session (评标会议): opening it per section once the bids are opened and the committee has signed
in, the members (drawn experts who signed in, the tenderer's representatives), each member's declaration per bidder
(回避, 《招标投标法实施条例》第四十六条), the recusal that calls the next expert in the draw's order
(``committees.recusal``), and the election of the chair (组长; in government procurement not the purchaser's
representative, 《政府采购货物和服务招标投标管理办法》第四十五条). Every step is one ledger entry naming positions and
counts, never who. Reading a session goes through ``evaluation.visibility``. Never commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import service as bidding
from sunshine.bidding.models import Bid
from sunshine.committees import calling, recusal
from sunshine.committees import service as committees
from sunshine.committees.calling_models import ExpertCall
from sunshine.committees.models import DrawRequest
from sunshine.core import clock, formatting
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.evaluation import attendance, codes, declaration, joint, visibility
from sunshine.evaluation.models import EvaluationBid, EvaluationConflict, EvaluationMember, EvaluationSession
from sunshine.experts import service as experts
from sunshine.identity.models import Organisation, User
from sunshine.ledger import service as ledger
from sunshine.observers import service as observers
from sunshine.trading.models import Project, Section

EXPERT, REPRESENTATIVE = "expert", "representative"
ACTIVE, RECUSED = "active", "recused"
CHAIR_RULE = "《政府采购货物和服务招标投标管理办法》第四十五条：采购人代表不得担任评标委员会组长"


class SessionState(Conflict):
    code = "evaluation_session_state"
    title = "评标会议当前阶段不允许此操作"


class SessionSealed(Conflict):
    code = "evaluation_session_sealed"
    title = "评标会议已结束并就地封存，会议资料不能再更改"


class CommitteeIncomplete(Conflict):
    code = "evaluation_committee_incomplete"
    title = "评标委员会人数不足"


def log(session: Session, row: EvaluationSession, event: str, payload: dict) -> int:
    project = session.get(Project, row.project_id)
    section = session.get(Section, row.section_id)
    entry = ledger.append(
        session,
        f"evaluation:{event}",
        f"project:{project.code}",
        {"session": row.id, "section": section.number, **payload},
    )
    return entry.seq


def request_of(session: Session, section_id: int) -> DrawRequest | None:
    """The section's evaluation draw request: its own, or the lead section's where it is evaluated together."""
    stmt = select(DrawRequest).where(
        DrawRequest.section_id == joint.lead_of(session, section_id),
        DrawRequest.purpose == "evaluation",
        DrawRequest.state.in_(("drawn", "appointed")),
    )
    return session.scalars(stmt.order_by(DrawRequest.id.desc())).first()


def of_section(session: Session, section_id: int) -> EvaluationSession | None:
    return session.scalar(select(EvaluationSession).where(EvaluationSession.section_id == section_id))


def members_of(session: Session, row: EvaluationSession, *, active_only: bool = False) -> list[EvaluationMember]:
    stmt = select(EvaluationMember).where(EvaluationMember.session_id == row.id)
    if active_only:
        stmt = stmt.where(EvaluationMember.state == ACTIVE)
    return list(session.scalars(stmt.order_by(EvaluationMember.id)))


def bids_of(session: Session, row: EvaluationSession) -> list[EvaluationBid]:
    stmt = select(EvaluationBid).where(EvaluationBid.session_id == row.id)
    return list(session.scalars(stmt.order_by(EvaluationBid.price, EvaluationBid.id)))


def experts_needed(session: Session, request: DrawRequest) -> int:
    return sum(s.count for s in committees.specialties_of(session, request))


def size_needed(session: Session, request: DrawRequest) -> int:
    return experts_needed(session, request) + request.representatives


def is_full(session: Session, row: EvaluationSession) -> bool:
    request = session.get(DrawRequest, row.request_id)
    active = members_of(session, row, active_only=True)
    n_experts = sum(1 for m in active if m.kind == EXPERT)
    n_reps = len(active) - n_experts
    return n_experts == experts_needed(session, request) and n_reps == request.representatives


def require_unsealed(row: EvaluationSession) -> None:
    if row.sealed_at is not None:
        raise SessionSealed()


def require_state(row: EvaluationSession, *states: str) -> None:
    require_unsealed(row)
    if row.state not in states:
        raise SessionState(f"评标会议当前为“{codes.STATES[row.state]}”阶段")


def declaring(row: EvaluationSession) -> tuple[str, ...]:
    """Where a member declares conflicts: while the committee forms; in a re-evaluation also a replacement expert
    joining while the round is scoring (reevaluation)."""
    return ("forming", "scoring") if row.round > 1 else ("forming",)


def electing(row: EvaluationSession) -> tuple[str, ...]:
    """Where the chair is elected: while forming; in a re-evaluation whose chair could not take part, again."""
    return ("forming", "scoring") if row.round > 1 and row.chair_id is None else ("forming",)


def require_member(session: Session, actor: Principal, row: EvaluationSession) -> EvaluationMember:
    member = visibility.member_of(session, actor, row)
    if member is None:
        raise Forbidden("只有评标委员会的成员可以进行此操作")
    return member


def require_chair(session: Session, actor: Principal, row: EvaluationSession) -> EvaluationMember:
    member = require_member(session, actor, row)
    if row.chair_id != member.id:
        raise Forbidden("评标委员会的决定由组长记录")
    return member


# --------------------------------------------------------------------------- opening the session


def _signed_in_calls(session: Session, request: DrawRequest) -> list[ExpertCall]:
    return [c for c in calling.calls_of(session, request.id) if c.state == calling.CONFIRMED and c.signed_in_at]


def _add_expert(session: Session, row: EvaluationSession, call: ExpertCall) -> EvaluationMember:
    expert = experts.get_expert(session, call.expert_id)
    member = EvaluationMember(
        session_id=row.id,
        kind=EXPERT,
        call_id=call.id,
        expert_id=call.expert_id,
        user_id=expert.user_id,
        name=experts.contact(session, call.expert_id)[0],
        state=ACTIVE,
        joined_at=clock.now(),
    )
    session.add(member)
    session.flush()
    how = attendance.flag(session, row, session.get(Project, row.project_id), member)
    if how is not None:
        log(session, row, "member:flagged", {"member": member.id, "at_opening": how, "rule": attendance.RULE})
    return member


def _add_representatives(
    session: Session, row: EvaluationSession, project: Project, user_ids: Sequence[int]
) -> list[EvaluationMember]:
    known = {m.user_id for m in members_of(session, row)}
    added = []
    for uid in user_ids:
        user = session.get(User, uid)
        if user is None or user.organisation_id != project.tenderer_id or not user.is_active:
            raise InvalidInput("招标人（采购人）代表须为本项目招标人（采购人）的在册人员", field="representatives")
        if uid in known:
            raise InvalidInput("同一人不能重复加入评标委员会", field="representatives")
        known.add(uid)
        member = EvaluationMember(
            session_id=row.id,
            kind=REPRESENTATIVE,
            user_id=uid,
            name=user.display_name,
            state=ACTIVE,
            joined_at=clock.now(),
        )
        session.add(member)
        added.append(member)
    return added


def _bidder_name(session: Session, organisation_id: int) -> str:
    org = session.get(Organisation, organisation_id)
    return org.name if org is not None else "投标人"


def _decrypted(session: Session, project: Project, section_id: int) -> list[Bid]:
    bids = [
        b
        for b in bidding.sealed_bids(session, project.id)
        if b.section_id == section_id and b.decryption == "decrypted" and b.price is not None
    ]
    if not bids:
        raise Conflict("该标段（包）没有已解密的投标文件")
    return bids


def start(
    session: Session, actor: Principal, section_id: int, *, representatives: Sequence[int] = ()
) -> EvaluationSession:
    """开始评审: the centre's staff open the section's session at the evaluation's time, with the experts who signed
    in and the tenderer's representatives it names; the opened bids come in for review. Sections evaluated together
    (``joint``) open at once, each its own session with the same committee."""
    if not visibility.runs(actor):
        raise Forbidden("评标会议由交易中心工作人员组织")
    section = session.get(Section, section_id)
    project = session.get(Project, section.project_id) if section is not None else None
    if project is None:
        raise NotFound("标段（包）不存在")
    if project.state != "evaluation":
        raise Conflict("开标记录确认公布后方可开始评审")
    together = joint.sections_of(session, section_id)
    if any(of_section(session, s.id) is not None for s in together):
        raise Conflict("该标段（包）的评标会议已经开始")
    request = request_of(session, section_id)
    if request is None:
        raise CommitteeIncomplete("该标段（包）尚未抽取（确定）评标专家")
    if clock.now() < calling.sign_in_opens_at(session, request):
        raise Conflict(f"评标时间为{formatting.local_time(request.meeting_at)}，签到开放后方可开始")
    prepared = [(s.id, declaration.required(session, s.id), _decrypted(session, project, s.id)) for s in together]
    if len(representatives) != request.representatives:
        raise InvalidInput(f"请确定{request.representatives}名招标人（采购人）代表", field="representatives")
    rows = {
        sid: _open(session, actor, project, request, sid, decl, bids, representatives) for sid, decl, bids in prepared
    }
    if len(rows) > 1:
        for row in rows.values():
            log(session, row, "session:joint", {"sections": [s.number for s in together], "request": request.id})
    return rows[section_id]


def _open(session, actor, project, request, section_id, declared, bids, representatives) -> EvaluationSession:  # noqa: ANN001
    row = EvaluationSession(
        project_id=project.id,
        section_id=section_id,
        request_id=request.id,
        state="forming",
        started_by=actor.user_id,
        started_at=clock.now(),
    )
    session.add(row)
    session.flush()
    for call in _signed_in_calls(session, request):
        _add_expert(session, row, call)
    _add_representatives(session, row, project, representatives)
    for bid in bids:
        session.add(
            EvaluationBid(
                session_id=row.id,
                bid_id=bid.id,
                organisation_id=bid.organisation_id,
                bidder=_bidder_name(session, bid.organisation_id),
                price=bid.price,
            )
        )
    session.flush()
    active = members_of(session, row, active_only=True)
    log(
        session,
        row,
        "session:started",
        {
            "request": request.id,
            "method": declared.method,
            "experts": sum(1 for m in active if m.kind == EXPERT),
            "representatives": sum(1 for m in active if m.kind == REPRESENTATIVE),
            "needed": size_needed(session, request),
            "bids": len(bids),
        },
    )
    observers.opened(session, codes.OBSERVER_KIND, row.id, project_id=project.id)
    return row


def admit(
    session: Session, actor: Principal, session_id: int, *, representatives: Sequence[int] = ()
) -> list[EvaluationMember]:
    """补充入席: the experts called in replacement who have signed in since, and representatives the tenderer named
    in place of a recused one, join the session while it is forming (every section's session, where evaluated
    together)."""
    row, project = visibility.get_readable(session, actor, session_id)
    if not visibility.runs(actor):
        raise Forbidden("评标会议由交易中心工作人员组织")
    require_state(row, "forming")
    request = session.get(DrawRequest, row.request_id)
    added_here: list[EvaluationMember] = []
    for each in joint.group(session, row):
        require_state(each, "forming")
        known_calls = {m.call_id for m in members_of(session, each) if m.call_id}
        added = [_add_expert(session, each, c) for c in _signed_in_calls(session, request) if c.id not in known_calls]
        added += _add_representatives(session, each, project, representatives)
        session.flush()
        if is_full(session, each) is False and not added:
            raise CommitteeIncomplete("没有新签到的专家；等待递补专家签到")
        if added:
            log(session, each, "member:admitted", {"members": [m.id for m in added]})
        if each.id == row.id:
            added_here = added
    return added_here


# --------------------------------------------------------------------------- conflicts and recusal


@dataclass(frozen=True)
class ConflictIn:
    bid_id: int  # the evaluation bid's id in the session
    conflict: bool
    reason: str | None = None


def declare_conflicts(
    session: Session, actor: Principal, session_id: int, items: Sequence[ConflictIn], note: str = ""
) -> EvaluationMember:
    """回避声明: the member declares, for every bidder, whether a conflict exists. A conflict recuses the member:
    an expert's seat is called again from the draw's order, a representative is replaced by the tenderer. Where
    sections are evaluated together the member declares once per bidder across them (any of the bidder's bids in
    the group names it), and the declaration — and a recusal — holds in every section's session."""
    row, _ = visibility.get_readable(session, actor, session_id)
    member = require_member(session, actor, row)
    require_state(row, *declaring(row))
    if member.declared_at is not None:
        raise Conflict("您已作出回避声明")
    sessions = joint.group(session, row)
    by_id = {b.id: b for each in sessions for b in bids_of(session, each)}
    bidders = {b.organisation_id for b in by_id.values()}
    chosen: dict[int, ConflictIn] = {}
    for item in items:
        bid = by_id.get(item.bid_id)
        if bid is None or bid.organisation_id in chosen:
            raise InvalidInput("请对每一个投标人逐一声明是否存在利害关系", field="declarations")
        chosen[bid.organisation_id] = item
    if set(chosen) != bidders:
        raise InvalidInput("请对每一个投标人逐一声明是否存在利害关系", field="declarations")
    for item in items:
        if item.conflict and item.reason not in codes.CONFLICTS:
            raise InvalidInput("存在利害关系的，请选择关系类型", field="declarations")
    conflicted = any(i.conflict for i in items)
    now = clock.now()
    for each in sessions:
        seat = joint.counterpart(session, each, member)
        if seat is None or seat.state != ACTIVE or seat.declared_at is not None:
            continue
        require_state(each, *declaring(each))
        for bid in bids_of(session, each):
            item = chosen[bid.organisation_id]
            session.add(
                EvaluationConflict(
                    member_id=seat.id,
                    bid_id=bid.id,
                    conflict=item.conflict,
                    reason=item.reason if item.conflict else None,
                    declared_at=now,
                )
            )
        seat.declared_at = now
        seat.conflict_note = (note or "").strip()[:500] or None
        session.flush()
        if conflicted:
            seat.state = RECUSED
            for other in members_of(session, each):  # votes cast for the recused member lapse
                if other.vote_for == seat.id:
                    other.vote_for = None
        log(session, each, "member:declared", {"member": seat.id, "kind": seat.kind, "recused": conflicted})
    if conflicted and member.kind == EXPERT and member.call_id is not None:
        recusal.recuse_at_session(session, member.call_id)  # one call for every section: called again once
    session.flush()
    return member


# --------------------------------------------------------------------------- the chair


def vote_chair(session: Session, actor: Principal, session_id: int, candidate_id: int) -> EvaluationSession:
    """推选组长: once the committee is whole and every member has declared, each member votes; a majority of the
    active members elects the chair, and the review begins. Sections evaluated together elect one chair: the vote
    counts in every section's session."""
    row, project = visibility.get_readable(session, actor, session_id)
    member = require_member(session, actor, row)
    require_state(row, *electing(row))
    active = members_of(session, row, active_only=True)
    for each in joint.group(session, row):
        require_state(each, *electing(each))
        if not is_full(session, each):
            raise CommitteeIncomplete("评标委员会成员尚未到齐（含递补专家），不能推选组长")
        if any(m.declared_at is None for m in members_of(session, each, active_only=True)):
            raise Conflict("全体成员作出回避声明后方可推选组长")
    candidate = next((m for m in active if m.id == candidate_id), None)
    if candidate is None:
        raise InvalidInput("请选择评标委员会的一名成员", field="candidate")
    if codes.is_procurement(project.transaction_type) and candidate.kind == REPRESENTATIVE:
        raise InvalidInput(CHAIR_RULE, field="candidate")
    for each in joint.group(session, row):
        voter, chosen = joint.counterpart(session, each, member), joint.counterpart(session, each, candidate)
        if voter is None or chosen is None:
            continue
        voter.vote_for = chosen.id
        session.flush()
        seated = members_of(session, each, active_only=True)
        tally = Counter(m.vote_for for m in seated if m.vote_for is not None)
        leader, votes = tally.most_common(1)[0]
        if votes * 2 > len(seated):
            each.chair_id = leader
            if each.state == "forming":  # a re-evaluation's new chair keeps the round at its scoring
                each.state = "review"
            log(session, each, "chair:elected", {"chair": leader, "votes": votes, "members": len(seated)})
    return row


def chair_of(session: Session, row: EvaluationSession) -> EvaluationMember | None:
    return session.get(EvaluationMember, row.chair_id) if row.chair_id else None


def bid_of(session: Session, row: EvaluationSession, eval_bid_id: int) -> EvaluationBid:
    bid = session.get(EvaluationBid, eval_bid_id)
    if bid is None or bid.session_id != row.id:
        raise NotFound("该投标不在本次评审中")
    return bid


def bid_row(session: Session, bid: EvaluationBid) -> Bid:
    return session.get(Bid, bid.bid_id)
