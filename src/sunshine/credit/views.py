"""Pages of credit: the public list (信用信息公示: bans in force and published records about organisations)
and the supervisory department's page to enter records and bans."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.labels import TRADING_TYPE_LABELS as TRANSACTION_TYPES
from sunshine.credit import service
from sunshine.credit.schemas import BanIn, RecordIn
from sunshine.identity import service as identity
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["信用"], include_in_schema=False)  # pages, not the JSON API
SUPERVISOR = Depends(Access(*service.WRITERS))


FIELD_LABELS = {
    "polarity": "记录类别",
    "subject_type": "记录对象",
    "organisation_id": "单位",
    "person_name": "姓名",
    "behaviour": "行为事实",
    "basis": "认定依据",
    "source": "信息来源",
    "decided_on": "认定日期",
    "effective_from": "有效期起始日",
    "effective_until": "有效期截止日",
    "region_code": "地区（行政区划代码）",
    "transaction_type": "交易类型",
    "starts_on": "禁止参与起始日",
    "ends_on": "禁止参与最后一日",
    "decision_no": "处理决定文号",
}


def _parse(model, data: dict):
    """Form fields into the API's shape; a field that does not fit is a 422 naming the field in Chinese."""
    try:
        return model.model_validate({k: (v if v != "" else None) for k, v in data.items()})
    except ValidationError as exc:
        name = str(exc.errors()[0]["loc"][0])
        raise InvalidInput(f"请正确填写“{FIELD_LABELS.get(name, name)}”", field=name) from None


@router.get("/credit", response_class=HTMLResponse)
def public_list(request: Request, session: Session = SessionDep, _: Principal = Depends(Access.public())) -> Response:
    return render(
        request,
        "credit_public.html",
        page_title="信用信息公示",
        bans=service.bans_in_force(session),
        records=service.published_records(session),
        scope_label=service.scope_label,
        polarity=service.POLARITY,
    )


@router.get("/staff/credit", response_class=HTMLResponse)
def staff_page(request: Request, session: Session = SessionDep, principal: Principal = SUPERVISOR) -> Response:
    return render(
        request,
        "credit_staff.html",
        page_title="信用记录与禁止参与",
        records=service.list_records(session, principal, limit=100),
        bans=service.bans_in_force(session),
        scope_label=service.scope_label,
        polarity=service.POLARITY,
        organisations=identity.list_organisations(session),
        types=TRANSACTION_TYPES,
        today=clock.today_local(),
    )


@router.post("/staff/credit/records", response_class=HTMLResponse)
def staff_record(
    request: Request,
    polarity: str = Form(""),
    subject_type: str = Form("organisation"),
    organisation_id: str = Form(""),
    person_name: str = Form(""),
    behaviour: str = Form(""),
    basis: str = Form(""),
    source: str = Form(""),
    decided_on: str = Form(""),
    effective_from: str = Form(""),
    effective_until: str = Form(""),
    published: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = SUPERVISOR,
) -> Response:
    data = dict(locals())
    for name in ("request", "session", "principal"):
        data.pop(name)
    data["published"] = bool(published)

    def call():
        return service.create_record(session, principal, _parse(RecordIn, data))

    return act(request, "/staff/credit", call, "已录入信用记录")


@router.post("/staff/credit/bans", response_class=HTMLResponse)
def staff_ban(
    request: Request,
    organisation_id: str = Form(""),
    region_code: str = Form(""),
    transaction_type: str = Form(""),
    starts_on: str = Form(""),
    ends_on: str = Form(""),
    basis: str = Form(""),
    decision_no: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = SUPERVISOR,
) -> Response:
    data = dict(locals())
    for name in ("request", "session", "principal"):
        data.pop(name)

    def call():
        return service.create_ban(session, principal, _parse(BanIn, data))

    return act(request, "/staff/credit", call, "已决定禁止参与并公示")
