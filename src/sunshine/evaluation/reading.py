"""What a reader sees of a session, shared by the API and the pages: members (names only to those inside), the bids
with their review results, the questions, the criteria, the scores the reader may see (``scoring.visible_scores``),
the computed outcome and the report's state. Reads only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.evaluation import codes, declaration, joint, report, reviews, scoring, service, visibility
from sunshine.evaluation.models import EvaluationQuery, EvaluationSession
from sunshine.trading.models import Project


def query_view(q: EvaluationQuery, bidder: str | None = None, project_name: str | None = None) -> dict[str, Any]:
    return {
        "id": q.id,
        "bid_id": q.eval_bid_id,
        "bidder": bidder,
        "project_name": project_name,
        "kind": q.kind,
        "kind_label": codes.QUERY_KINDS[q.kind],
        "question": q.question,
        "due_at": q.due_at,
        "answer": q.answer,
        "answered_at": q.answered_at,
        "verdict": q.verdict,
    }


def session_view(session: Session, actor: Principal, session_id: int) -> dict[str, Any]:
    row, project = visibility.get_readable(session, actor, session_id)
    return view_of(session, actor, row, project)


def view_of(session: Session, actor: Principal, row: EvaluationSession, project: Project) -> dict[str, Any]:
    me = visibility.member_of(session, actor, row)
    decl = declaration.required(session, row.section_id)
    method = declaration.method(decl.method)
    reasons = codes.rejections_for(project.transaction_type)
    bids = service.bids_of(session, row)
    names = {b.id: b.bidder for b in bids}
    scores = scoring.visible_scores(session, actor, row)
    return {
        "id": row.id,
        "project_id": project.id,
        "project_name": project.name,
        "section_id": row.section_id,
        "state": row.state,
        "state_label": codes.STATES[row.state],
        "round": row.round,  # 重新评审: the round under way (1: the first evaluation)
        "method": method.code,
        "method_title": method.title,
        "chair_id": row.chair_id,
        "members": [
            {
                "id": m.id,
                "name": m.name,
                "kind": m.kind,
                "kind_label": "评标专家" if m.kind == service.EXPERT else "招标人（采购人）代表",
                "state": m.state,
                "chair": m.id == row.chair_id,
                "declared": m.declared_at is not None,
                "scores_submitted": m.scores_submitted_at is not None,
                "signed": m.signed_at is not None,
                "me": me is not None and me.id == m.id,
                "at_opening": m.at_opening,  # 评委不参加开标会: flagged when seated
                "site": m.site,  # 异地评标: the remote centre and room; None: the session's own place
                "site_centre_id": m.site_centre_id,  # the remote centre whose staff sign the member in there
                "site_signed_in_at": m.site_signed_in_at,
            }
            for m in service.members_of(session, row)
        ],
        "bids": [
            {
                "id": b.id,
                "bidder": b.bidder,
                "price": Decimal(b.price),
                "sme": b.sme,
                "qualification": b.qualification,
                "compliance": b.compliance,
                "rejected_reason": b.rejected_reason,
                "rejected_reason_label": reasons[b.rejected_reason].label if b.rejected_reason in reasons else None,
                "rejected_facts": b.rejected_facts,
            }
            for b in bids
        ],
        "queries": [query_view(q, names.get(q.eval_bid_id)) for q in reviews.queries_of(session, row)],
        "joint": joint.listing(session, row),  # 合并评审: the sections evaluated together in this session
        "bidders": [{"bid_id": b.id, "bidder": b.bidder} for b in joint.bidders(session, row)],
        "criteria": json.loads(decl.criteria_json or "[]"),
        "scores": {
            str(m): {str(b): {c: v for c, v in per.items()} for b, per in bids_.items()} for m, bids_ in scores.items()
        },
        "outcome": json.loads(row.outcome_json) if row.outcome_json else None,
        "failure_reason": row.failure_reason,
        "report_sha256": row.report_sha256,
        "report_ledger_seq": row.report_ledger_seq,
        "delivered_at": row.delivered_at,
        "received_at": row.received_at,
        "sealed_at": row.sealed_at,
        "seal_sha256": row.seal_sha256,
    }


# The methods whose report holds each bid's total score, which a procurement letter tells each unsuccessful supplier
# of its own bid: 综合评分法 (87号令 第六十九条) and 竞争性磋商, scored by 综合评分法 (财库〔2014〕214号, 条号未核实;
# told as under 87号令 第六十九条, 平台默认值).
SCORED_IN_LETTERS = frozenset({"comprehensive_scoring", "competitive_consultation"})


@dataclass(frozen=True)
class Standing:
    """One bidder's own place in a section's signed report: its total score (综合评分法) and its rank."""

    method_title: str
    scoring: bool  # 综合评分法 (also 竞争性磋商): the report holds each bid's total score
    score: str | None
    rank: int | None
    unqualified: str | None = None  # why the committee's qualification review rejected the bid (its own reason)


def standing(session: Session, section_id: int, organisation_id: int) -> Standing | None:
    """The organisation's own score and rank in the section's signed report (none before the report is signed or
    for a bid the report does not rank): what an unsuccessful supplier is told of itself (87号令 第六十九条), never
    another bidder's figures."""
    row = service.of_section(session, section_id)
    if row is None or row.state != "finished" or not row.report_json:
        return None
    data = report.content(row)
    own = [b for b in service.bids_of(session, row) if b.organisation_id == organisation_id]
    method = data.get("method", {})
    rejected = next((b for b in own if b.qualification == "rejected" and b.rejected_reason), None)
    if rejected is not None:
        project = session.get(Project, row.project_id)
        reason = codes.rejections_for(project.transaction_type).get(rejected.rejected_reason)
        why = reason.label if reason is not None else rejected.rejected_reason
        if rejected.rejected_facts:
            why = f"{why}（{rejected.rejected_facts}）"
        return Standing(method.get("title", ""), False, None, None, unqualified=why)
    mine = {b.id for b in own}
    found = next((r for r in data.get("results", []) if int(r["ref"]) in mine), None)
    if found is None:
        return None
    scoring_method = method.get("code") in SCORED_IN_LETTERS
    total = found.get("total")
    return Standing(
        method_title=method.get("title", ""),
        scoring=scoring_method,
        score=f"{Decimal(str(total)):.2f}" if scoring_method and total is not None else None,
        rank=int(found["rank"]),
    )
