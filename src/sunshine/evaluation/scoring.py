"""Independent scoring (独立评分) and the platform's computation: each member scores each criterion the tender
declared (not the price) within its range on their own page, once; nobody sees another member's scores before
submitting their own. The chair then has the platform compute through the declared method (``methods.get``): price
scores, totals, the ranking with the statutory tie rule, the ties left to the purchaser and the scores deviating
from the other members' mean — never typed by anyone. The report follows (``report.build``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput
from sunshine.evaluation import declaration, pricing, report, visibility
from sunshine.evaluation.methods.base import BidInput, Outcome
from sunshine.evaluation.models import EvaluationMember, EvaluationScore, EvaluationSession
from sunshine.evaluation.reviews import valid_bids
from sunshine.evaluation.service import (
    CommitteeIncomplete,
    is_full,
    log,
    members_of,
    require_chair,
    require_member,
    require_state,
)
from sunshine.trading.models import Project


def scored_criteria(session: Session, row: EvaluationSession):
    declared = declaration.declared_of(declaration.required(session, row.section_id))
    return [c for c in declared.criteria if c.kind != "price"]


def is_scored(session: Session, row: EvaluationSession) -> bool:
    decl = declaration.required(session, row.section_id)
    return bool(declaration.method(decl.method).scored) and bool(scored_criteria(session, row))


def scores_of(session: Session, member_ids: list[int]) -> dict[int, dict[int, dict[str, Decimal]]]:
    """member id → evaluation bid id → criterion → score."""
    out: dict[int, dict[int, dict[str, Decimal]]] = {}
    if not member_ids:
        return out
    for s in session.scalars(select(EvaluationScore).where(EvaluationScore.member_id.in_(member_ids))):
        out.setdefault(s.member_id, {}).setdefault(s.eval_bid_id, {})[s.criterion] = s.score
    return out


ScoreTable = dict[int, dict[int, dict[str, Decimal]]]


def visible_scores(session: Session, actor: Principal, row: EvaluationSession) -> ScoreTable:
    """What the actor may see of the scores: their own always; the others' only once they have submitted their own
    (and the others theirs), or for the staff once the platform has computed the result."""
    member = visibility.member_of(session, actor, row)
    submitted = [m.id for m in members_of(session, row, active_only=True) if m.scores_submitted_at]
    if member is not None and member.scores_submitted_at is not None:
        return scores_of(session, submitted)
    if member is not None:
        return scores_of(session, [member.id])
    if row.state in ("signing", "finished"):
        return scores_of(session, submitted)
    return {}


def submit(
    session: Session, actor: Principal, session_id: int, scores: Mapping[int, Mapping[str, object]]
) -> EvaluationMember:
    """The member's scores of every valid bid on every scored criterion, once (a second submission is refused)."""
    row, _ = visibility.get_readable(session, actor, session_id)
    member = require_member(session, actor, row)
    require_state(row, "scoring")
    locked = session.scalar(select(EvaluationMember).where(EvaluationMember.id == member.id).with_for_update())
    if locked.scores_submitted_at is not None:
        raise Conflict("您已提交评分，不能重复提交")
    if locked.declared_at is None:
        raise Conflict("请先对每一个投标人作出回避声明")
    criteria = scored_criteria(session, row)
    bids = valid_bids(session, row)
    by_bid = {str(k): v for k, v in scores.items()}
    if set(by_bid) != {str(b.id) for b in bids}:
        raise InvalidInput("请对每一个有效投标逐项评分", field="scores")
    rows = []
    for bid in bids:
        given = by_bid[str(bid.id)]
        if set(given) != {c.code for c in criteria}:
            raise InvalidInput(f"请对“{bid.bidder}”的每一个评分因素打分", field=f"scores.{bid.id}")
        for c in criteria:
            try:
                value = Decimal(str(given[c.code]))
            except (InvalidOperation, ValueError):
                raise InvalidInput(f"“{c.title}”的分数应为数字", field=f"scores.{bid.id}.{c.code}") from None
            if (
                not value.is_finite()
                or not (c.min_score <= value <= c.max_score)
                or value != value.quantize(Decimal("0.01"))
            ):
                raise InvalidInput(
                    f"“{c.title}”的分数应在{c.min_score}至{c.max_score}之间（最多两位小数）",
                    field=f"scores.{bid.id}.{c.code}",
                )
            rows.append(EvaluationScore(member_id=member.id, eval_bid_id=bid.id, criterion=c.code, score=value))
    session.add_all(rows)
    locked.scores_submitted_at = clock.now()
    session.flush()
    log(session, row, "scores:submitted", {"member": member.id, "scores": len(rows)})
    return locked


def _outcome_json(outcome: Outcome) -> str:
    return json.dumps(
        {
            "results": [
                {
                    "ref": r.ref,
                    "evaluation_price": str(r.evaluation_price),
                    "price": str(r.price),
                    "price_score": None if r.price_score is None else str(r.price_score),
                    "total": None if r.total is None else str(r.total),
                    "rank": r.rank,
                    "parts": {k: str(v) for k, v in r.parts.items()},
                }
                for r in outcome.results
            ],
            "tie_pending": [list(t) for t in outcome.tie_pending],
            "deviations": [
                {
                    "member": d.member,
                    "ref": d.ref,
                    "criterion": d.criterion,
                    "score": str(d.score),
                    "others_mean": str(d.others_mean),
                }
                for d in outcome.deviations
            ],
        },
        ensure_ascii=False,
    )


def compute(session: Session, actor: Principal, session_id: int) -> EvaluationSession:
    """汇总: the platform computes prices, scores, totals and the ranking through the declared method; the report
    is drawn up from what happened and goes to the members for signature."""
    row, _ = visibility.get_readable(session, actor, session_id)
    require_chair(session, actor, row)
    require_state(row, "scoring")
    project = session.get(Project, row.project_id)
    decl = declaration.required(session, row.section_id)
    method = declaration.method(decl.method)
    active = members_of(session, row, active_only=True)
    if row.round > 1 and (not is_full(session, row) or any(m.declared_at is None for m in active)):
        raise CommitteeIncomplete("重新评审的评标委员会成员尚未到齐（含递补专家并作出回避声明），不能汇总")
    scored = is_scored(session, row)
    if scored and any(m.scores_submitted_at is None for m in active):
        raise Conflict("尚有成员未提交评分")
    bids = valid_bids(session, row)
    extra = pricing.adjustment_totals(session, row)  # 量化折算, for the evaluated price only
    inputs = [
        BidInput(
            ref=str(b.id), bidder=b.bidder, price=Decimal(b.price), sme=b.sme, adjustments=extra.get(b.id, Decimal(0))
        )
        for b in bids
    ]
    raw = scores_of(session, [m.id for m in active]) if scored else {}
    table = {str(m): {str(b): dict(c) for b, c in per.items()} for m, per in raw.items()}
    outcome = method.evaluate(declaration.declared_of(decl), inputs, table, declaration.rule_values(session, project))
    row.outcome_json = _outcome_json(outcome)
    row.state = "signing"
    report.draw_up(session, row)
    log(
        session,
        row,
        "result:computed",
        {"method": method.code, "bids": len(inputs), "ties": len(outcome.tie_pending), "report": row.report_sha256},
    )
    return row
