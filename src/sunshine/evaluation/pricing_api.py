"""JSON routes of the prices the method reads: the chair's arithmetic corrections (87号令 第五十九条) and quantified
adjustments (量化折算), the bidder's list of the corrections of its bids and its confirmation. Thin: the rules are in
``evaluation.pricing``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.evaluation import pricing
from sunshine.evaluation.schemas import AdjustmentIn, CorrectionAnswerIn, CorrectionIn
from sunshine.identity.roles import Role

router = APIRouter(prefix="/api/v1/evaluation", tags=["评标（评审）"])
MEMBERS = Depends(Access(Role.EXPERT, Role.TENDERER))
BIDDER = Depends(Access(Role.BIDDER))


def correction_view(c, project_name: str | None = None) -> dict[str, Any]:
    return {
        "id": c.id,
        "bid_id": c.eval_bid_id,
        "project_name": project_name,
        "rule": c.rule,
        "rule_label": pricing.RULE_LABELS[c.rule],
        "basis": pricing.basis_of(c.rule),
        "original": c.original,
        "corrected": c.corrected,
        "facts": c.facts,
        "due_at": c.due_at,
        "answer": c.answer,
        "answer_label": pricing.ANSWERS.get(c.answer or "", "待确认"),
        "answered_at": c.answered_at,
    }


@router.post("/sessions/{session_id}/corrections", status_code=201, summary="报价算术修正（第五十九条）")
def correct(session_id: Id, body: CorrectionIn, session: Session = SessionDep, actor: Principal = MEMBERS) -> Any:
    c = pricing.correct(
        session,
        actor,
        session_id,
        body.bid_id,
        rule=body.rule,
        corrected=body.corrected,
        facts=body.facts,
        due_at=body.due_at,
    )
    return correction_view(c)


@router.post("/sessions/{session_id}/adjustments", status_code=201, summary="价格量化折算（经评审的最低投标价法）")
def adjust(session_id: Id, body: AdjustmentIn, session: Session = SessionDep, actor: Principal = MEMBERS) -> Any:
    a = pricing.adjust(session, actor, session_id, body.bid_id, item=body.item, amount=body.amount, facts=body.facts)
    return {"id": a.id, "bid_id": a.eval_bid_id, "item": a.item, "amount": a.amount, "facts": a.facts}


@router.get("/my-corrections", summary="本单位投标报价的修正")
def my_corrections(session: Session = SessionDep, actor: Principal = BIDDER) -> Any:
    return [correction_view(c, p.name) for c, p in pricing.my_corrections(session, actor)]


@router.post("/corrections/{correction_id}/answer", summary="确认（或不确认）修正后的报价")
def answer(
    correction_id: Id, body: CorrectionAnswerIn, session: Session = SessionDep, actor: Principal = BIDDER
) -> Any:
    return correction_view(pricing.answer(session, actor, correction_id, confirm=body.confirm))
