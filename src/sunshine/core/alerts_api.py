"""JSON routes of the shared alerts: a signed-in person's own alerts (those their roles watch or they must act
on) and acknowledging one. Each domain's pages keep showing its alerts in context."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from sunshine.core import alerts
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.models import Alert
from sunshine.core.pagination import PAGING, Paging

router = APIRouter(prefix="/api/v1/alerts", tags=["预警与提醒"])
SIGNED_IN = Depends(Access.signed_in())


class AlertOut(BaseModel):
    id: int
    domain: str
    kind: str
    subject_kind: str
    subject_id: int
    due: date | None
    message: str
    organisation_id: int | None
    created_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None


def alert_out(alert: Alert) -> AlertOut:
    return AlertOut.model_validate(alert, from_attributes=True)


@router.get("", response_model=list[AlertOut], summary="我的预警与提醒")
def mine(
    include_handled: bool = Query(False, description="也列出已处理的"),
    paging: Paging = PAGING,
    session: Session = SessionDep,
    principal: Principal = SIGNED_IN,
) -> list[AlertOut]:
    page = alerts.page_for_principal(
        session, principal, open_only=not include_handled, cursor=paging.cursor, limit=paging.limit
    )
    return [alert_out(a) for a in paging.answer(page)]


@router.post("/{alert_id}/acknowledge", response_model=AlertOut, summary="确认已知悉预警")
def acknowledge(alert_id: Id, session: Session = SessionDep, principal: Principal = SIGNED_IN) -> AlertOut:
    return alert_out(alerts.acknowledge(session, principal, alert_id))
