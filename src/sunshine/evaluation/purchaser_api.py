"""Routes of the purchaser's own re-evaluation (87号令 第六十四条), JSON and pages: the project's purchaser or its
agency starts it (the button on the rounds page), records the written report to the finance department when the
result changed, and the supervisory department lists those reports. Thin: the rules are in
``evaluation.purchaser``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, PAGING, Paging, page_urls
from sunshine.evaluation import purchaser, reevaluation
from sunshine.evaluation.models import EvaluationSession
from sunshine.identity.roles import Role
from sunshine.trading.models import Project
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act
from sunshine.web.templating import render

api = APIRouter(prefix="/api/v1/evaluation", tags=["评标（评审）"])
pages = APIRouter(tags=["评标（评审）页面"], include_in_schema=False, dependencies=[Depends(check_csrf)])
PARTIES = Depends(Access(Role.TENDERER, Role.AGENCY))
LISTERS = Depends(Access(Role.SUPERVISOR, Role.CENTRE_STAFF, Role.TENDERER, Role.AGENCY))


class ReevaluateIn(BaseModel):
    ground: str | None = Field(default=None, max_length=40, description="87号令第六十四条的情形（reevaluation.yaml）")
    reason: str = Field(max_length=500, description="发现的错误及其事实")
    section_id: Id | None = Field(default=None, description="标段；不填为每个已签署评标报告的标段")


class ReevaluatedOut(BaseModel):
    project_id: int
    state: str
    sessions: list[dict[str, Any]]


class FinanceReportIn(BaseModel):
    text: str = Field(max_length=5000, description="向本级财政部门书面报告的内容")


def _out(session: Session, project: Project) -> ReevaluatedOut:
    rows = session.scalars(select(EvaluationSession).where(EvaluationSession.project_id == project.id))
    return ReevaluatedOut(
        project_id=project.id,
        state=project.state,
        sessions=[{"id": r.id, "section_id": r.section_id, "round": r.round, "state": r.state} for r in rows],
    )


@api.post(
    "/projects/{project_id}/reevaluation", response_model=ReevaluatedOut, summary="采购人组织原评标委员会重新评审"
)
def start(
    project_id: Id, body: ReevaluateIn, session: Session = SessionDep, actor: Principal = PARTIES
) -> ReevaluatedOut:
    project = purchaser.start(
        session, actor, project_id, ground=body.ground, reason=body.reason, section_id=body.section_id
    )
    return _out(session, project)


@api.post(
    "/sessions/{session_id}/rounds/{round_no}/finance-report",
    response_model=dict[str, Any],
    summary="登记重新评审改变评标结果的书面报告（报本级财政部门）",
)
def finance_report(
    session_id: Id,
    round_no: Id,
    body: FinanceReportIn,
    session: Session = SessionDep,
    actor: Principal = PARTIES,
) -> dict[str, Any]:
    return reevaluation.finance_report_view(purchaser.record(session, actor, session_id, round_no, body.text))


@api.get("/finance-reports", response_model=list[dict[str, Any]], summary="重新评审改变评标结果的书面报告")
def finance_reports(
    paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = LISTERS
) -> list[dict[str, Any]]:
    return paging.answer(purchaser.owed(session, actor, cursor=paging.cursor, limit=paging.limit))


# --------------------------------------------------------------------------- pages


@pages.post("/projects/{project_id}/evaluation/reevaluation", response_class=HTMLResponse)
def start_form(
    request: Request,
    project_id: Id,
    session_id: Annotated[Id, Form()],
    ground: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    session: Session = SessionDep,
    actor: Principal = PARTIES,
) -> Response:
    # the session is the committee's again until its new report is signed: the purchaser returns to the project
    return act(
        request,
        f"/projects/{project_id}",
        lambda: purchaser.start(session, actor, project_id, ground=ground or None, reason=reason),
        "已组织原评标委员会重新评审",
    )


@pages.post("/evaluation/sessions/{session_id}/rounds/{round_no}/finance-report", response_class=HTMLResponse)
def finance_report_form(
    request: Request,
    session_id: Id,
    round_no: Id,
    text: Annotated[str, Form(max_length=5000)] = "",
    session: Session = SessionDep,
    actor: Principal = PARTIES,
) -> Response:
    return act(
        request,
        f"/evaluation/sessions/{session_id}/rounds",
        lambda: purchaser.record(session, actor, session_id, round_no, text),
        "书面报告已登记",
    )


@pages.get("/evaluation/finance-reports", response_class=HTMLResponse)
def finance_reports_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, actor: Principal = LISTERS
) -> Response:
    page = purchaser.owed(session, actor, cursor=cursor)
    return render(
        request,
        "evaluation_finance_reports.html",
        page_title="重新评审改变评标结果的书面报告",
        items=page.items,
        page=page,
        page_url=page_urls("/evaluation/finance-reports", {}),
        basis=purchaser.spec()["finance_report"],
    )
