"""The statutory outcome of an upheld objection, challenge or complaint, taken as the project's lifecycle step
(``complaints.steps``) with its ledger entry: re-evaluation, the next candidate (the section's determined winner
replaced by the next qualified candidate of the signed report, 94号令 第十六条, with its 更正公告 once the result
notice was public), a new tender, the result or contract void. ``none`` and ``amend_docs`` change no state: the
answer or decision records them. Never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.complaints import base, kinds
from sunshine.complaints.models import ComplaintCase
from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput
from sunshine.results import base as results_base
from sunshine.results import corrections
from sunshine.results.models import SectionWinnerDecision
from sunshine.trading import lifecycle
from sunshine.trading.models import Project

RESULT_TRIGGER = corrections.RESULT_TRIGGER


class NoNextCandidate(Conflict):
    code = "no_next_candidate"
    title = "没有可另行确定的中标（成交）候选人"


def check_remedy(remedy: str, project: Project) -> None:
    if remedy not in kinds.REMEDIES:
        raise InvalidInput(f"处理结果应为：{'、'.join(kinds.REMEDIES.values())}", field="remedy")
    step = kinds.REMEDY_STEPS.get(remedy)
    if step is not None and project.state != "suspended":
        declared = lifecycle.STEPS[step]
        if project.lifecycle not in declared.lifecycles or not declared.allowed_from(project.state):
            raise Conflict(
                f"项目当前为“{lifecycle.state_label(project, project.state)}”，不能“{declared.title}”。"
                f"依据：{declared.rule}"
            )


def apply_remedy(
    session: Session,
    row: ComplaintCase,
    project: Project,
    remedy: str,
    actor: Principal,
    reason: str,
    *,
    ground: str | None = None,
) -> None:
    step = kinds.REMEDY_STEPS.get(remedy)
    if step is None:
        if remedy != "none":
            base.record(session, row, "remedy", actor, payload={"remedy": remedy})
        return
    why = f"{base.kind_of(row).label}{row.code}：{reason}"[:500]
    if remedy == "next_candidate":
        payload = next_candidate(session, row, project, actor, why)
    elif remedy == "reevaluate":
        # the original committee re-evaluates: the evaluation's hook on the step reopens the signed report of the
        # case's section (or every section), on the ground 87号令 第六十四条 requires for a procurement
        payload = {"complaint": row.code, "section": row.section_id, "ground": ground or None}
        lifecycle.apply(session, project, step, actor, reason=why, payload=payload)
        payload = {k: v for k, v in payload.items() if k != "complaint"}
    else:
        lifecycle.apply(session, project, step, actor, reason=why, payload={"complaint": row.code})
        payload = {}
    base.record(session, row, "remedy", actor, payload={"remedy": remedy, "step": step, **payload})


def next_candidate(session: Session, row: ComplaintCase, project: Project, actor: Principal, why: str) -> dict:
    """The section's winner is replaced by the next candidate in the signed report's order."""
    stmt = select(SectionWinnerDecision).where(SectionWinnerDecision.project_id == project.id)
    if row.section_id is not None:
        stmt = stmt.where(SectionWinnerDecision.section_id == row.section_id)
    decision = session.scalars(stmt.order_by(SectionWinnerDecision.section_id)).first()
    if decision is None:
        raise NoNextCandidate("中标（成交）供应商尚未确定：请在确定中标人时依法选择其他候选人")
    ev = next((s for s in results_base.sessions(session, project.id) if s.section_id == decision.section_id), None)
    cands = results_base.candidates(session, ev) if ev is not None else []
    nxt = next((c for c in cands if c.rank > decision.rank and c.organisation_id != decision.organisation_id), None)
    if nxt is None:
        raise NoNextCandidate("评标报告推荐的候选人中没有排名更后的合格候选人，应当重新开展采购活动（重新招标）")
    before = (decision.organisation_id, decision.bidder, decision.rank)
    transition = lifecycle.apply(
        session,
        project,
        "complaint_next_candidate",
        actor,
        reason=why,
        payload={
            "complaint": row.code,
            "section": decision.section_id,
            "from": {"organisation": before[0], "rank": before[2]},
            "to": {"organisation": nxt.organisation_id, "rank": nxt.rank},
        },
    )
    decision.eval_bid_id, decision.organisation_id, decision.bidder = nxt.eval_bid_id, nxt.organisation_id, nxt.bidder
    decision.amount, decision.rank, decision.reason = nxt.price, nxt.rank, "violated_law"
    decision.facts = f"{why}（原中标（成交）供应商：{before[1]}）"
    decision.deemed, decision.decided_by, decision.decided_at = False, actor.user_id, clock.now()
    decision.evidence_sha256 = decision.evidence_name = None
    decision.ledger_seq = transition.ledger_seq
    session.flush()
    corrected = correction_notice(session, row, project, actor, before[1], nxt.bidder, why)
    return {"section": decision.section_id, "winner": nxt.organisation_id, "correction_notice": corrected}


def correction_notice(
    session: Session, row: ComplaintCase, project: Project, actor: Principal, before: str, after: str, why: str
) -> str | None:
    """更正公告: once the result notice is public, the changed winner is published as its correction through the
    disclosure review (``results.corrections``). Before the result notice nothing is published: the notice will name
    the new winner."""
    result = results_base.result_of(session, project.id)
    if result is None or result.notice_published_at is None:
        return None
    return corrections.publish(
        session,
        project,
        actor,
        trigger=corrections.RESULT_TRIGGER,
        original="中标（成交）结果公告",
        first_day=result.notice_published_at.astimezone(get_settings().tz).date(),
        change=f"中标（成交）供应商由“{before}”更正为“{after}”。",
        why=why,
        ref=f"complaint:{row.code}:correction",
    )
