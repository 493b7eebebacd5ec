"""Pages of the procedure before the notice: the public catalogue (/procedure/catalogue), a failed project's
method change applications (/projects/{id}/method-changes: the purchaser's application with the drawn experts'
opinion, the finance department's decision), the department's queue (/procedure/method-changes) and direct
awards without tender (/procedure/direct-awards). Thin: every rule is in the services; a refused step is
flashed back to the page."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees.composition import METHOD_OPINION
from sunshine.committees.models import DrawRequest
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import Id, stored_id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.roles import Role
from sunshine.procedure import direct_award, method_change
from sunshine.procedure.catalogue import catalogue
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.labels import METHODS, method_label, type_label
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER))
READERS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF))
OFFICIALS = Depends(Access(Role.SUPERVISOR, Role.CENTRE_STAFF))
DEPARTMENT = Depends(Access(Role.SUPERVISOR))
TENDERER = Depends(Access(Role.TENDERER))
AWARD_READERS = Depends(Access(Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF))


@router.get("/procedure/catalogue", response_class=HTMLResponse)
def catalogue_page(request: Request, principal: Principal = PUBLIC) -> Response:
    return render(
        request,
        "procedure_catalogue.html",
        page_title="公共资源交易目录（应进必进）",
        cat=catalogue(),
        type_label=type_label,
    )


@router.get("/projects/{project_id}/method-changes", response_class=HTMLResponse)
def project_page(request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = READERS):
    project, rows = method_change.for_project(session, principal, project_id)
    may_apply = trading_visibility.is_party(principal, project) and project.state == "failed"
    draws = []
    if may_apply:
        draws = [
            (str(r.id), f"第{r.id}号（{r.draw_code or '未抽取'}）")
            for r in session.scalars(
                select(DrawRequest).where(
                    DrawRequest.project_id == project.id,
                    DrawRequest.purpose == METHOD_OPINION,
                    DrawRequest.state == "drawn",
                )
            )
        ]
    return render(
        request,
        "procedure_method_changes.html",
        page_title=f"变更采购方式：{project.name}",
        project=project,
        rows=[(row, json.loads(row.materials)) for row in rows],
        states=method_change.STATES,
        method_label=method_label,
        may_apply=may_apply,
        may_decide=principal.has(Role.SUPERVISOR),
        methods=[(k, v) for k, v in METHODS.items() if k != project.method],
        draws=draws,
        needs_draw=project.transaction_type == "gov_procurement",
    )


@router.post("/projects/{project_id}/method-changes")
def apply_page(
    request: Request,
    project_id: Id,
    method: str = Form(""),
    draw_request_id: str = Form(""),
    expert_opinion: str = Form(""),
    agency_statement: str = Form(""),
    request_text: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = PARTIES,
) -> Response:
    def call():  # noqa: ANN202
        for name, text in (
            ("expert_opinion", expert_opinion),
            ("agency_statement", agency_statement),
            ("request_text", request_text),
        ):
            if len(text.strip()) < 10:
                raise InvalidInput("请填写各项书面意见（不少于10字）", field=name)
        return method_change.apply_for(
            session,
            principal,
            project_id,
            method=method,
            draw_request_id=stored_id(draw_request_id),
            expert_opinion=expert_opinion,
            agency_statement=agency_statement,
            request_text=request_text,
        )

    return act(request, f"/projects/{project_id}/method-changes", call, "已向财政部门提交变更采购方式申请")


@router.post("/procedure/method-changes/{application_id}/decision")
def decide_page(
    request: Request,
    application_id: Id,
    decision: str = Form(""),
    outcome: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = DEPARTMENT,
) -> Response:
    row, _ = method_change.get_readable(session, principal, application_id)

    def call():  # noqa: ANN202
        if len(decision.strip()) < 2:
            raise InvalidInput("请填写批准文号及意见，或不予批准的理由", field="decision")
        return method_change.decide(session, principal, application_id, approve=outcome == "approve", decision=decision)

    return act(
        request,
        f"/projects/{row.project_id}/method-changes",
        call,
        lambda r: "已批准变更采购方式" if r.state == "approved" else "已决定不予批准",
    )


@router.get("/procedure/method-changes", response_class=HTMLResponse)
def queue_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = OFFICIALS
) -> Response:
    result = method_change.queue(session, principal, cursor=cursor)
    return render(
        request,
        "procedure_method_queue.html",
        page_title="变更采购方式申请",
        items=result.items,
        result=result,
        page_url=page_urls("/procedure/method-changes", {}),
        states=method_change.STATES,
        method_label=method_label,
    )


@router.get("/procedure/direct-awards", response_class=HTMLResponse)
def awards_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = AWARD_READERS
):
    result = direct_award.listing(session, principal, cursor=cursor)
    return render(
        request,
        "procedure_direct_awards.html",
        page_title="依法不招标（直接发包）",
        rows=result.items,
        result=result,
        page_url=page_urls("/procedure/direct-awards", {}),
        states=direct_award.STATES,
        reasons=[(k, f"{label}（{basis}）") for k, (label, basis) in direct_award.REASONS.items()],
        reason_label=direct_award.reason_label,
        may_apply=principal.has(Role.TENDERER) and principal.organisation_id is not None,
    )


@router.post("/procedure/direct-awards")
def apply_award_page(
    request: Request,
    name: str = Form(""),
    budget: str = Form(""),
    funding_source: str = Form(""),
    region_code: str = Form(""),
    reason: str = Form(""),
    explanation: str = Form(""),
    contractor: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = TENDERER,
) -> Response:
    def call():  # noqa: ANN202
        try:
            amount = Decimal(budget.strip().replace(",", ""))
        except InvalidOperation:
            raise InvalidInput("请填写估算价（元）", field="budget") from None
        if amount <= 0 or amount >= Decimal("1e16") or len(name.strip()) < 4 or len(contractor.strip()) < 2:
            raise InvalidInput("请完整填写项目名称、估算价和承包人", field="name")
        if not (region_code.isascii() and region_code.isdigit() and len(region_code) == 6):
            raise InvalidInput("行政区划代码为6位数字", field="region_code")
        if len(explanation.strip()) < 10 or len(funding_source.strip()) < 2:
            raise InvalidInput("请填写资金来源和情况说明（不少于10字）", field="explanation")
        return direct_award.apply_for(
            session,
            principal,
            name=name,
            tenderer_id=principal.organisation_id or 0,
            budget=amount.quantize(Decimal("0.01")),
            funding_source=funding_source,
            region_code=region_code,
            reason=reason,
            explanation=explanation,
            contractor=contractor,
        )

    return act(request, "/procedure/direct-awards", call, "已提交依法不招标申请，待行政监督部门审批")


@router.get("/procedure/direct-awards/{award_id}", response_class=HTMLResponse)
def award_page(request: Request, award_id: Id, session: Session = SessionDep, principal: Principal = AWARD_READERS):
    row = direct_award.get_readable(session, principal, award_id)
    return render(
        request,
        "procedure_direct_award.html",
        page_title=f"依法不招标：{row.name}",
        row=row,
        states=direct_award.STATES,
        reason=direct_award.REASONS.get(row.reason, (row.reason, "")),
        may_decide=principal.has(Role.SUPERVISOR) and row.state == "submitted",
    )


@router.post("/procedure/direct-awards/{award_id}/decision")
def decide_award_page(
    request: Request,
    award_id: Id,
    decision: str = Form(""),
    outcome: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = DEPARTMENT,
) -> Response:
    def call():  # noqa: ANN202
        if len(decision.strip()) < 2:
            raise InvalidInput("请填写批准文号及意见，或不予批准的理由", field="decision")
        return direct_award.decide(session, principal, award_id, approve=outcome == "approve", decision=decision)

    return act(
        request,
        f"/procedure/direct-awards/{award_id}",
        call,
        lambda r: "已批准，批准信息已公开" if r.state == "approved" else "已决定不予批准",
    )
