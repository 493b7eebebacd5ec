"""The evaluation report (评标报告 / 评审报告), generated from what happened — never typed: the committee (chair,
members, recusals), the bids with their review results, the rejected bids with their statutory reasons and facts,
the clarifications and low-price explanations, every member's score per criterion, the computed ranking, the ties
left to the purchaser (87号令 第六十八条), the deviating scores, and the recommended candidates in the number the
tender declared (条例 第五十三条: no more than three for tenders). Every member signs on the platform: agrees, or
dissents in writing with reasons; one who refuses to sign without a written reason is recorded as agreeing (条例
第五十三条; 87号令 第六十一条). The signed report's SHA-256 goes to the ledger. Delivery to the purchaser within
``report_to_purchaser`` working days and its confirmation within ``purchaser_confirm`` (87号令 第六十八条) are tracked
deadlines of ``core.calendar``; an overdue one raises an alert (the tick).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts, calendar, clock, formatting
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.evaluation import closing, codes, declaration, joint, minutes, pricing, sites, visibility
from sunshine.evaluation.models import (
    EvaluationMember,
    EvaluationQuery,
    EvaluationRound,
    EvaluationScore,
    EvaluationSession,
)
from sunshine.evaluation.service import bids_of, log, members_of, require_member, require_state
from sunshine.identity.roles import Role
from sunshine.rules import service as rules
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Project, Section

DELIVER_PURPOSE, CONFIRM_PURPOSE = "evaluation_report_delivery", "evaluation_report_confirmation"
# what a domain above does when a report reaches the tenderer (purchaser): the results start their clocks
_on_delivered: list = []


_on_final: list = []


def on_final(listener) -> None:  # noqa: ANN001 — (session, row, actor) -> None
    """Call ``listener(session, row, actor)`` when a report is signed by every member (idempotent registration)."""
    if listener not in _on_final:
        _on_final.append(listener)


def on_delivered(listener) -> None:  # noqa: ANN001 — (session, project) -> None
    """Call ``listener(session, project)`` after each report's delivery (idempotent registration)."""
    if listener not in _on_delivered:
        _on_delivered.append(listener)


def canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _member_view(m: EvaluationMember, chair_id: int | None) -> dict:
    return {
        "id": m.id,
        "name": m.name,
        "kind": "专家" if m.kind == "expert" else "招标人（采购人）代表",
        "chair": m.id == chair_id,
        "state": "回避" if m.state == "recused" else "在席",
        "at_opening": m.at_opening,
        "site": m.site,
    }


def build(session: Session, row: EvaluationSession) -> dict:
    """The report's content as of now (signatures excluded: those are added when members sign)."""
    project = session.get(Project, row.project_id)
    section = session.get(Section, row.section_id)
    decl = declaration.required(session, row.section_id)
    declared = declaration.declared_of(decl)
    method = declaration.method(decl.method)
    members = members_of(session, row)
    active_ids = [m.id for m in members if m.state == "active"]
    bids = bids_of(session, row)
    reasons = codes.rejections_for(project.transaction_type)
    by_id = {b.id: b for b in bids}
    queries = session.scalars(select(EvaluationQuery).where(EvaluationQuery.session_id == row.id)).all()
    scores: dict[str, dict[str, dict[str, str]]] = {}
    if active_ids:
        for s in session.scalars(select(EvaluationScore).where(EvaluationScore.member_id.in_(active_ids))):
            scores.setdefault(str(s.member_id), {}).setdefault(str(s.eval_bid_id), {})[s.criterion] = str(s.score)
    outcome = json.loads(row.outcome_json or "{}")
    results = outcome.get("results", [])
    recommended = [r for r in results if r["rank"] <= declared.candidates]
    kind = "评审报告" if codes.is_procurement(project.transaction_type) else "评标报告"
    return {
        "title": f"{project.name} 第{section.number}标段（包）{kind}",
        "project": {
            "code": project.code,
            "name": project.name,
            "section": section.number,
            "section_name": section.name,
        },
        "method": {"code": method.code, "title": method.title, "basis": method.basis},
        "criteria": [
            {"code": c.code, "title": c.title, "kind": c.kind, "max": str(c.max_score), "min": str(c.min_score)}
            for c in declared.criteria
        ],
        "price_weight": None if declared.price_weight is None else str(declared.price_weight),
        "sme_deduction": str(declared.sme_deduction),
        "committee": [_member_view(m, row.chair_id) for m in members],
        "bids": [
            {
                "id": b.id,
                "bidder": b.bidder,
                "price": f"{Decimal(b.price):.2f}",
                "sme": b.sme,
                "qualification": codes.REVIEWS.get(b.qualification or "", "未审查"),
                "compliance": codes.REVIEWS.get(b.compliance or "", "未审查"),
            }
            for b in bids
        ],
        "rejected": [
            {
                "bidder": b.bidder,
                "reason": reasons[b.rejected_reason].label if b.rejected_reason in reasons else b.rejected_reason,
                "basis": reasons[b.rejected_reason].basis if b.rejected_reason in reasons else "",
                "facts": b.rejected_facts,
            }
            for b in bids
            if b.rejected_reason
        ],
        "queries": [
            {
                "bidder": by_id[q.eval_bid_id].bidder,
                "kind": codes.QUERY_KINDS[q.kind],
                "question": q.question,
                "due_at": formatting.local_time(q.due_at),
                "answer": q.answer,
                "answered_at": formatting.local_time(q.answered_at) if q.answered_at else None,
                "verdict": codes.VERDICTS.get(q.verdict or "", None),
            }
            for q in queries
        ],
        "scores": scores,
        "results": [{**r, "bidder": by_id[int(r["ref"])].bidder} for r in results],
        "tie_pending": [[by_id[int(ref)].bidder for ref in group] for group in outcome.get("tie_pending", [])],
        "deviations": outcome.get("deviations", []),
        "candidates": [
            {"rank": r["rank"], "bidder": by_id[int(r["ref"])].bidder, "price": r["price"], "total": r["total"]}
            for r in recommended
        ],
        "candidates_declared": declared.candidates,
        "minutes": minutes.for_report(session, row),
        "sites": sites.sites_of(session, row),  # 异地评标: where each member sat
        # 合并评审: every section the committee evaluated together in this session (this report is this section's)
        "sections_together": [{"section": j["section"], "name": j["name"]} for j in joint.listing(session, row)],
        **_rounds(session, row),
        **pricing.for_report(session, row),  # 报价修正 (87号令 第五十九条) and 量化折算
    }


def _rounds(session: Session, row: EvaluationSession) -> dict:
    """重新评审: the round's number and the superseded reports it replaces, by their hashes (first rounds: nothing)."""
    if row.round < 2:
        return {}
    stmt = select(EvaluationRound).where(EvaluationRound.session_id == row.id).order_by(EvaluationRound.round)
    return {
        "round": row.round,
        "supersedes": [
            {"round": r.round, "report_sha256": r.report_sha256, "reason": r.reason, "ground": r.ground}
            for r in session.scalars(stmt)
        ],
    }


def draw_up(session: Session, row: EvaluationSession) -> None:
    data = build(session, row)
    row.report_json = json.dumps(data, ensure_ascii=False)
    row.report_sha256 = hashlib.sha256(canonical(data)).hexdigest()


def content(row: EvaluationSession) -> dict:
    return json.loads(row.report_json or "{}")


def signatures(session: Session, row: EvaluationSession) -> list[dict]:
    return [
        {
            "member": m.id,
            "name": m.name,
            "signature": codes.SIGNATURES.get(m.signature or "", "待签署"),
            "dissent": m.dissent,
            "signed_at": formatting.local_time(m.signed_at) if m.signed_at else None,
        }
        for m in members_of(session, row, active_only=True)
    ]


def sign(session: Session, actor: Principal, session_id: int, *, agree: bool, dissent: str = "") -> EvaluationMember:
    """签署评标报告: the member agrees, or states a dissent in writing with its reasons."""
    row, _ = visibility.get_readable(session, actor, session_id)
    member = require_member(session, actor, row)
    require_state(row, "signing")
    if member.signed_at is not None:
        raise Conflict("您已签署评标报告")
    dissent = (dissent or "").strip()
    if not agree and not 4 <= len(dissent) <= 2000:
        raise InvalidInput("持不同意见的，应当书面说明不同意见和理由（4至2000字）", field="dissent")
    member.signature = "agree" if agree else "dissent"
    member.dissent = None if agree else dissent
    member.signed_at = clock.now()
    session.flush()
    log(session, row, "report:signed_by", {"member": member.id, "dissent": not agree, "report": row.report_sha256})
    _finalise_if_complete(session, actor, row)
    return member


def record_refusal(session: Session, actor: Principal, session_id: int, member_id: int) -> EvaluationMember:
    """拒绝签字: the staff running the session record that a member refuses to sign and gives no written reason;
    the member is deemed to agree (《招标投标法实施条例》第五十三条)."""
    row, _ = visibility.get_readable(session, actor, session_id)
    if not visibility.runs(actor):
        raise Forbidden("拒绝签字由组织评审的交易中心工作人员记录")
    require_state(row, "signing")
    member = session.get(EvaluationMember, member_id)
    if member is None or member.session_id != row.id or member.state != "active":
        raise NotFound("该成员不在本评标委员会")
    if member.signed_at is not None:
        raise Conflict("该成员已签署")
    member.signature, member.signed_at = "deemed", clock.now()
    session.flush()
    log(session, row, "report:refused", {"member": member.id, "deemed": "agree"})
    _finalise_if_complete(session, actor, row)
    return member


def _rule(project: Project, rule_id: str):
    pack = rules.rules_of(project)
    return pack.rule(rule_id) if pack.has(rule_id) else None


def _finalise_if_complete(session: Session, actor: Principal, row: EvaluationSession) -> None:
    active = members_of(session, row, active_only=True)
    if any(m.signed_at is None for m in active):
        return
    data = content(row)
    data["signatures"] = signatures(session, row)
    data["minutes"] = minutes.for_report(session, row)  # remarks minuted and confirmed while the members signed
    row.report_json = json.dumps(data, ensure_ascii=False)
    row.report_sha256 = hashlib.sha256(canonical(data)).hexdigest()
    row.state, row.finished_at = "finished", clock.now()
    project = session.get(Project, row.project_id)
    row.report_ledger_seq = log(session, row, "report:final", {"report_sha256": row.report_sha256})
    for listener in _on_final:
        listener(session, row, actor)
    subject = f"evaluation_session:{row.id}"
    deliver = _rule(project, "report_to_purchaser")
    if deliver is not None and project.agency_id is not None:
        row.deliver_deadline_id = calendar.track(
            session,
            subject=subject,
            purpose=DELIVER_PURPOSE,
            start=clock.today_local(),
            days=int(deliver.value),
            unit=rules.DAY_UNITS[deliver.unit],
            rule_ref=f"{project.pack_key}:report_to_purchaser",
        ).id
    else:
        _delivered(session, row, project, actor)
    closing.settle(session, actor, project)


def _delivered(session: Session, row: EvaluationSession, project: Project, actor: Principal) -> None:
    row.delivered_at, row.delivered_by = clock.now(), actor.user_id
    if row.deliver_deadline_id is not None:
        calendar.close(session, row.deliver_deadline_id)
    confirm = _rule(project, "purchaser_confirm")
    if confirm is not None:
        row.confirm_deadline_id = calendar.track(
            session,
            subject=f"evaluation_session:{row.id}",
            purpose=CONFIRM_PURPOSE,
            start=clock.today_local(),
            days=int(confirm.value),
            unit=rules.DAY_UNITS[confirm.unit],
            rule_ref=f"{project.pack_key}:purchaser_confirm",
        ).id
    log(session, row, "report:delivered", {"report_sha256": row.report_sha256})
    for listener in _on_delivered:
        listener(session, project)


def deliver(session: Session, actor: Principal, session_id: int) -> EvaluationSession:
    """送交评标报告: the agency (or the centre) delivers the signed report to the purchaser on the platform."""
    row = session.get(EvaluationSession, session_id)
    project = session.get(Project, row.project_id) if row is not None else None
    if project is None or not (
        visibility.may_read(session, actor, row, project) or trading_visibility.is_party(actor, project)
    ):
        raise NotFound("评标会议不存在")
    if not (actor.has(Role.AGENCY) and trading_visibility.is_party(actor, project)) and not visibility.runs(actor):
        raise Forbidden("评标报告由采购代理机构（或交易中心）送交采购人")
    if row.state != "finished":
        raise Conflict("评标报告尚未经全体成员签署")
    if row.delivered_at is not None:
        raise Conflict("评标报告已送交")
    _delivered(session, row, project, actor)
    return row


def confirm(session: Session, actor: Principal, session_id: int) -> EvaluationSession:
    """The purchaser (tenderer) confirms the delivered report on the platform."""
    row = session.get(EvaluationSession, session_id)
    project = session.get(Project, row.project_id) if row is not None else None
    if project is None or not visibility.may_read_report(session, actor, row, project):
        raise NotFound("评标会议不存在")
    if actor.organisation_id != project.tenderer_id:
        raise Forbidden("由招标人（采购人）确认评标报告")
    if row.delivered_at is None:
        raise Conflict("评标报告尚未送交")
    if row.received_at is not None:
        raise Conflict("已确认")
    row.received_at = clock.now()
    if row.confirm_deadline_id is not None:
        calendar.close(session, row.confirm_deadline_id)
    log(session, row, "report:confirmed", {"report_sha256": row.report_sha256})
    return row


def raise_overdue(session: Session) -> list[int]:
    """The tick: an alert, once, for each report not delivered (or not confirmed) by its tracked due date."""
    today = clock.today_local()
    raised = []
    for deadline in calendar.open_deadlines(session):
        if deadline.purpose not in (DELIVER_PURPOSE, CONFIRM_PURPOSE) or deadline.due >= today:
            continue
        session_id = int(deadline.subject.split(":")[1])
        row = session.get(EvaluationSession, session_id)
        project = session.get(Project, row.project_id)
        what = "评标报告未按期送交采购人" if deadline.purpose == DELIVER_PURPOSE else "采购人未按期确认评标报告"
        alert = alerts.raise_once(
            session,
            key=f"evaluation:{deadline.purpose}:{deadline.id}",
            domain="evaluation",
            kind="alert",
            subject_kind="evaluation_session",
            subject_id=row.id,
            message=f"“{project.name}”{what}（期限{deadline.due.isoformat()}）",
            audience=[Role.CENTRE_STAFF.value, Role.SUPERVISOR.value],
            organisation_id=project.agency_id if deadline.purpose == DELIVER_PURPOSE else project.tenderer_id,
            due=deadline.due,
            deadline_id=deadline.id,
        )
        if alert is not None:
            raised.append(row.id)
    return raised


def readable_report(session: Session, actor: Principal, session_id: int) -> tuple[EvaluationSession, Project]:
    row = session.get(EvaluationSession, session_id)
    project = session.get(Project, row.project_id) if row is not None else None
    if project is None or not visibility.may_read_report(session, actor, row, project) or not row.report_json:
        raise NotFound("评标报告不存在")
    return row, project
