"""Participation pages: the bidder's registrations, documents, deposits and inbox (/my/registrations),
the registration form of a project, the project's registrations for its tenderer and agency (with
qualification results and the section deposits), and the centre's deposit desk (/staff/deposits).
Thin: every rule is in ``registrations`` and ``deposits``; a refused form is shown again with the
message beside its field (400), a done step redirects with a flash message."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import SunshineError
from sunshine.core.formatting import yuan
from sunshine.core.inputs import Id, stored_id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.roles import Role
from sunshine.trading import deposits, lifecycle, participation, registrations, section_details, visibility
from sunshine.trading.lifecycle import SEALED_LIFECYCLES
from sunshine.trading.models import Project
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act, refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
BIDDER = Depends(Access(Role.BIDDER))
READERS = Depends(Access(Role.BIDDER, Role.ORG_VIEWER))  # the organisation's viewers read, only a clerk acts
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER))
LIST_VIEWERS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
PAGE_SIZE = 20  # registrations per page of 我的报名


Errors = dict[str, str]


def _amount(text: str) -> Decimal | None:
    """ "12,345.6" → Decimal('12345.60'); None when it is not an amount in yuan with at most 2 places."""
    try:
        value = Decimal((text or "").replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")) or value >= Decimal("1e16"):
        return None
    return value.quantize(Decimal("0.01"))


def _field_error(exc: SunshineError, fields: tuple[str, ...], default: str = "_form") -> Errors:
    name = exc.extra.get("field")
    return {name if name in fields else default: exc.detail}


def _act(request: Request, done: str, back: str, call) -> Response:
    """A one-button step: done → flash and back; refused → the reason as a flash, and back."""
    return act(request, back, call, done)


# --------------------------------------------------------------------------- the bidder


def _mine_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    status: int = 200,
    guarantee: dict[str, Any] | None = None,
    cursor: str | None = None,
) -> Response:
    result = registrations.mine(session, principal, cursor=cursor, limit=PAGE_SIZE)
    return render(
        request,
        "participation_mine.html",
        status=status,
        page_title="我的报名",
        views=result.items,
        result=result,
        page_url=page_urls("/my/registrations", {}),
        messages=registrations.messages_for(session, principal),
        guarantee=guarantee or {},
        now=clock.now(),
        methods=deposits.METHODS,
        stages=registrations.STAGES,
        status_label=deposits.status_label,
        today=clock.today_local(),
        sealed_lifecycles=SEALED_LIFECYCLES,
        can_act=principal.has(Role.BIDDER),
    )


@router.get("/my/registrations", response_class=HTMLResponse)
def my_registrations(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = READERS
) -> Response:
    return _mine_page(request, session, principal, cursor=cursor)


def _register_page(
    request: Request,
    session: Session,
    project: Project,
    *,
    status: int = 200,
    errors: Errors | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    closed = None
    try:
        participation.check_window(project)
    except SunshineError as exc:
        closed = exc.detail
    return render(
        request,
        "participation_register.html",
        status=status,
        page_title=f"报名：{project.name}",
        project=project,
        closed=closed,
        errors=errors or {},
        form=form or {},
        sections=[(str(s.id), f"第 {s.number} 标段：{s.name}") for s in project.sections],
        deposits={s.id: s.deposit_amount for s in project.sections},
    )


@router.get("/projects/{project_id}/register", response_class=HTMLResponse)
def register_form(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = BIDDER
) -> Response:
    project = visibility.get_visible(session, principal, project_id)
    form = {
        "contact_name": principal.display_name,
        "section_id": str(project.sections[0].id) if len(project.sections) == 1 else "",
    }
    return _register_page(request, session, project, form=form)


@router.post("/projects/{project_id}/register", response_class=HTMLResponse)
def register_submit(
    request: Request,
    project_id: Id,
    section_id: str = Form(""),
    contact_name: str = Form(""),
    contact_phone: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = BIDDER,
) -> Response:
    project = visibility.get_visible(session, principal, project_id)
    form = {"section_id": section_id, "contact_name": contact_name, "contact_phone": contact_phone}
    errors: Errors = {}
    if stored_id(section_id) is None:
        errors["section_id"] = "请选择标段"
    if not contact_name.strip():
        errors["contact_name"] = "请填写联系人"
    if not contact_phone.strip():
        errors["contact_phone"] = "请填写联系电话"
    if errors:
        return _register_page(request, session, project, status=400, errors=errors, form=form)

    def refused(session: Session, exc: SunshineError) -> Response:
        if exc.code in ("already_exists", "not_found"):
            errors = {"section_id": exc.detail}
        else:
            errors = _field_error(exc, ("contact_name", "contact_phone"))
        project = visibility.get_visible(session, principal, project_id)
        return _register_page(request, session, project, status=400, errors=errors, form=form)

    with refusals_shown_on(refused, passing=()):  # a section not found is told beside its field
        registrations.register_bidder(
            session, principal, project.id, stored_id(section_id), contact_name, contact_phone
        )
    flash(request, "success", f"报名成功：{project.name}。请获取招标文件，并按要求缴纳投标保证金。")
    return redirect(request, "/my/registrations")


@router.post("/my/registrations/{registration_id}/documents")
def obtain_documents(
    request: Request, registration_id: Id, session: Session = SessionDep, principal: Principal = BIDDER
) -> Response:
    return _act(
        request,
        "已获取招标文件，获取时间和文件版本已记录",
        "/my/registrations",
        lambda: registrations.obtain_documents(session, principal, registration_id),
    )


@router.post("/my/registrations/{registration_id}/withdraw")
def withdraw(
    request: Request, registration_id: Id, session: Session = SessionDep, principal: Principal = BIDDER
) -> Response:
    return _act(
        request,
        "已撤回报名；已缴纳的保证金将按规定退还",
        "/my/registrations",
        lambda: registrations.withdraw(session, principal, registration_id),
    )


@router.post("/my/registrations/{registration_id}/deposit")
def open_deposit(
    request: Request,
    registration_id: Id,
    method: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = BIDDER,
) -> Response:
    done = "已生成保证金缴纳子账号，请从本单位基本账户转账" if method == "transfer" else "请提交电子保函编号和出具机构"
    return _act(
        request,
        done,
        "/my/registrations",
        lambda: deposits.open_deposit(session, principal, registration_id, method),
    )


@router.post("/my/deposits/{deposit_id}/guarantee", response_class=HTMLResponse)
def submit_guarantee(
    request: Request,
    deposit_id: Id,
    guarantee_number: str = Form(""),
    issuer: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = BIDDER,
) -> Response:
    def refused(session: Session, errors: Errors) -> Response:
        values = {"guarantee_number": guarantee_number, "issuer": issuer}
        guarantee = {"deposit_id": deposit_id, "errors": errors, "values": values}
        return _mine_page(request, session, principal, status=400, guarantee=guarantee)

    errors: Errors = {}
    if not guarantee_number.strip():
        errors["guarantee_number"] = "请填写保函编号"
    if not issuer.strip():
        errors["issuer"] = "请填写出具机构"
    if errors:
        return refused(session, errors)
    with refusals_shown_on(lambda s, exc: refused(s, _field_error(exc, ("guarantee_number", "issuer")))):
        deposits.submit_guarantee(session, principal, deposit_id, guarantee_number, issuer)
    flash(request, "success", "电子保函已核验，保证金已缴纳")
    return redirect(request, "/my/registrations")


# --------------------------------------------------------------------------- the tenderer and agency


def _project_page(
    request: Request,
    session: Session,
    principal: Principal,
    project_id: int,
    *,
    status: int = 200,
    qualification: dict[str, Any] | None = None,
    deposit_form: dict[str, Any] | None = None,
) -> Response:
    views = registrations.list_for_project(session, principal, project_id)  # 404 for anyone else
    project = visibility.get_visible(session, principal, project_id)
    party = visibility.is_party(principal, project)
    sections = []
    for s in project.sections:
        cap = deposits.maximum_amount(project, s)
        sections.append(
            {
                "section": s,
                "maximum": cap[0] if cap else None,
                "basis": cap[1].basis_text if cap else None,
                "count": sum(1 for v in views if v.section.id == s.id and v.registration.withdrawn_at is None),
            }
        )
    return render(
        request,
        "participation_project.html",
        status=status,
        page_title=f"报名情况：{project.name}",
        project=project,
        views=views,
        checks=section_details.of_registrations(session, [v.registration for v in views]),
        sections=sections,
        party=party,
        state_label=lifecycle.state_label(project, project.state),
        deposit_editable=party and project.state in deposits.EDITABLE_STATES,
        qualification_open={
            "pre": project.state == "notice_published",
            "post": project.state in ("bid_closed", "opening", "evaluation"),
        },
        qualification=qualification or {},
        deposit_form=deposit_form or {},
        stages=registrations.STAGES,
        status_label=deposits.status_label,
        methods=deposits.METHODS,
    )


@router.get("/projects/{project_id}/registrations", response_class=HTMLResponse)
def project_registrations(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = LIST_VIEWERS
) -> Response:
    return _project_page(request, session, principal, project_id)


@router.post("/projects/{project_id}/registrations/{registration_id}/qualification", response_class=HTMLResponse)
def record_qualification(
    request: Request,
    project_id: Id,
    registration_id: Id,
    stage: str = Form(""),
    passed: str = Form(""),
    reasons: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = PARTIES,
) -> Response:
    def refused(session: Session, errors: Errors) -> Response:
        values = {"stage": stage, "passed": passed, "reasons": reasons}
        qualification = {"registration_id": registration_id, "errors": errors, "values": values}
        return _project_page(request, session, principal, project_id, status=400, qualification=qualification)

    errors: Errors = {}
    if stage not in registrations.STAGES:
        errors["stage"] = "请选择资格预审或资格后审"
    if passed not in ("1", "0"):
        errors["passed"] = "请选择审查结论"
    if errors:
        return refused(session, errors)
    with refusals_shown_on(lambda s, exc: refused(s, _field_error(exc, ("stage", "passed", "reasons"), "passed"))):
        registrations.record_qualification(
            session, principal, registration_id, stage, passed == "1", reasons, project_id=project_id
        )
    flash(
        request,
        "success",
        f"已记录{registrations.STAGES[stage]}结果" + ("，并已向申请人发出资格预审结果通知书" if stage == "pre" else ""),
    )
    return redirect(request, f"/projects/{project_id}/registrations")


@router.post("/projects/{project_id}/sections/{section_id}/deposit", response_class=HTMLResponse)
def set_section_deposit(
    request: Request,
    project_id: Id,
    section_id: Id,
    amount: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = PARTIES,
) -> Response:
    def refused(session: Session, errors: Errors) -> Response:
        deposit_form = {"section_id": section_id, "errors": errors, "values": {"amount": amount}}
        return _project_page(request, session, principal, project_id, status=400, deposit_form=deposit_form)

    value = None
    if amount.strip():
        value = _amount(amount)
        if value is None:
            return refused(session, {"amount": "请填写金额（元），大于 0，最多两位小数；不收取保证金的请留空"})
    with refusals_shown_on(lambda s, exc: refused(s, _field_error(exc, ("amount",), default="amount"))):
        deposits.set_section_deposit(session, principal, project_id, section_id, value)
    flash(
        request, "success", f"已设定投标保证金：{yuan(value)} 元" if value is not None else "已设定为不收取投标保证金"
    )
    return redirect(request, f"/projects/{project_id}/registrations")


# --------------------------------------------------------------------------- the centre


def _staff_page(
    request: Request, session: Session, *, status: int = 200, confirm: dict[str, Any] | None = None
) -> Response:
    return render(
        request,
        "participation_staff.html",
        status=status,
        page_title="保证金管理",
        awaiting=deposits.awaiting_confirmation(session),
        due=deposits.refunds_due(session),
        confirm=confirm or {},
        today=clock.today_local(),
    )


@router.get("/staff/deposits", response_class=HTMLResponse)
def staff_deposits(request: Request, session: Session = SessionDep, _: Principal = CENTRE) -> Response:
    return _staff_page(request, session)


@router.post("/staff/deposits/{deposit_id}/confirm", response_class=HTMLResponse)
def confirm_transfer(
    request: Request,
    deposit_id: Id,
    amount: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    def refused(session: Session, errors: Errors) -> Response:
        confirm = {"deposit_id": deposit_id, "errors": errors, "values": {"amount": amount}}
        return _staff_page(request, session, status=400, confirm=confirm)

    value = _amount(amount)
    if value is None:
        return refused(session, {"amount": "请填写银行到账金额（元），最多两位小数"})
    with refusals_shown_on(lambda s, exc: refused(s, _field_error(exc, ("amount",), default="amount"))):
        deposits.confirm_transfer(session, principal, deposit_id, value)
    flash(request, "success", f"已确认到账：{yuan(value)} 元，银行凭证已保存")
    return redirect(request, "/staff/deposits")


@router.post("/staff/deposits/{deposit_id}/refund")
def refund(request: Request, deposit_id: Id, session: Session = SessionDep, principal: Principal = CENTRE) -> Response:
    return _act(
        request,
        "已退还，退还凭证已保存",
        "/staff/deposits",
        lambda: deposits.refund(session, principal, deposit_id),
    )


__all__ = ["router"]
