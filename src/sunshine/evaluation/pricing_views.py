"""The chair's pages of the prices the method reads, in the session room: the card “报价修正与价格折算” lists every
arithmetic correction (its rule, basis, prices, the bidder's answer) and quantified adjustment, and gives the chair
the forms to record a correction (政府采购: 87号令 第五十九条; 工程招标: the tender documents' rules, 平台默认值) during
the review and an adjustment (经评审的最低投标价法) during the review or before the computation. Thin: every rule is
in ``evaluation.pricing``; refusals flash and come back to the card."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, IsoDateTime
from sunshine.evaluation import declaration, pricing
from sunshine.evaluation.models import EvaluationSession
from sunshine.identity.roles import Role
from sunshine.trading.models import Project
from sunshine.web.refusals import act

router = APIRouter(tags=["评标（评审）页面"], include_in_schema=False)
MEMBERS = Depends(Access(Role.EXPERT, Role.TENDERER))
LIST = "/evaluation/sessions"
AMOUNT = r"^-?[0-9]{1,16}(\.[0-9]{1,2})?$"


def room_context(session: Session, row: EvaluationSession, project: Project) -> dict[str, Any]:
    """What the room's price card shows: the records, the rules open to the chair, whether adjustments apply."""
    method = declaration.method(declaration.required(session, row.section_id).method)
    return {
        "records": pricing.for_report(session, row),
        "rules": pricing.rules_for(session, project),
        "adjusts": bool(getattr(method, "adjustments", False)),
    }


def _back(session_id: int) -> str:
    return f"{LIST}/{session_id}#prices"


@router.post(LIST + "/{session_id}/corrections", response_class=HTMLResponse)
def correct(
    request: Request,
    session_id: Id,
    bid_id: Annotated[Id, Form()],
    due_at: Annotated[IsoDateTime, Form()],
    rule: Annotated[str, Form(max_length=30)],
    facts: Annotated[str, Form(max_length=2000)],
    corrected: Annotated[str, Form(max_length=24, pattern=AMOUNT)],
    session: Session = SessionDep,
    actor: Principal = MEMBERS,
) -> Response:
    def go():
        return pricing.correct(
            session, actor, session_id, bid_id, rule=rule, corrected=Decimal(corrected), facts=facts, due_at=due_at
        )

    return act(request, _back(session_id), go, "报价修正已记录，平台已通知投标人确认")


@router.post(LIST + "/{session_id}/adjustments", response_class=HTMLResponse)
def adjust(
    request: Request,
    session_id: Id,
    bid_id: Annotated[Id, Form()],
    item: Annotated[str, Form(max_length=200)],
    facts: Annotated[str, Form(max_length=2000)],
    amount: Annotated[str, Form(max_length=24, pattern=AMOUNT)],
    session: Session = SessionDep,
    actor: Principal = MEMBERS,
) -> Response:
    def go():
        return pricing.adjust(session, actor, session_id, bid_id, item=item, amount=Decimal(amount), facts=facts)

    return act(request, _back(session_id), go, "价格折算已记录")
