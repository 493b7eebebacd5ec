"""Pages of the people in the pool: the application form (self-service signup, which creates the account, or a
signed-in person's new application), an employer's recommendation of its staff, and the expert's own profile
(``/expert/profile``: their record, contact, leave, training, standing conflicts and applications)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound, SunshineError
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, DEFAULT_LIMIT, Page, page_urls
from sunshine.experts import admission, queries, records, service, specialties
from sunshine.experts.models import ExpertConflict, ExpertLeave
from sunshine.experts.views import form_date, form_int, labels
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act, refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
SIGNED_IN = Depends(Access.signed_in())
EMPLOYER = Depends(Access(Role.ENTERPRISE_ADMIN))
PROFILE = "/expert/profile"
FACT_FIELDS = (
    "name",
    "title",
    "title_level",
    "practice_since",
    "education",
    "regions",
    "specialties",
    "date_of_birth",
    "mobile",
    "id_number",
    "email",
    "statement",
)
FORM_FIELDS = (*FACT_FIELDS, "employer_credit_code", "username", "password", "main_specialty")


def _facts(values: dict[str, Any]) -> admission.Facts:
    specialty_codes = [values.get("main_specialty", ""), *values.get("other_specialties", [])]
    return admission.Facts(
        name=values.get("name", ""),
        title=values.get("title", ""),
        title_level=values.get("title_level", ""),
        practice_since=form_int(values.get("practice_since", ""), "practice_since", "从业起始年份"),
        education=values.get("education", ""),
        regions=[r for r in values.get("regions", "").replace("，", " ").replace(",", " ").split() if r],
        specialties=[c for c in specialty_codes if c],
        date_of_birth=form_date(values.get("date_of_birth", ""), "date_of_birth", "出生日期"),
        mobile=values.get("mobile", ""),
        id_number=values.get("id_number", ""),
        email=values.get("email", ""),
        statement=values.get("statement", ""),
    )


async def _form_values(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {k: str(form.get(k, ""))[:3000] for k in FORM_FIELDS}
    values["other_specialties"] = [str(v)[:20] for v in form.getlist("other_specialties")][:5]
    return values


def _form_page(
    request: Request,
    session: Session,
    actor: Principal,
    *,
    template: str,
    title: str,
    values: dict,
    errors: dict,
    status: int = 200,
    **extra: Any,
) -> Response:
    return render(
        request,
        template,
        status=status,
        page_title=title,
        values=values,
        errors=errors,
        tree=specialties.flat(session),
        signed_in=actor.is_authenticated,
        **labels(),
        **extra,
    )


def _errors(exc: SunshineError) -> dict[str, str]:
    field = exc.extra.get("field")
    return {field if field in FORM_FIELDS else "_form": exc.detail}


# --------------------------------------------------------------------------- applying


@router.get("/experts/apply", response_class=HTMLResponse)
def apply_form(request: Request, session: Session = SessionDep, actor: Principal = PUBLIC) -> Response:
    return _form_page(
        request, session, actor, template="experts_apply.html", title="申请成为评标专家", values={}, errors={}
    )


@router.post("/experts/apply", response_class=HTMLResponse)
async def apply(request: Request, session: Session = SessionDep, actor: Principal = PUBLIC) -> Response:
    values = await _form_values(request)

    def refused(session: Session, exc: SunshineError) -> Response:
        shown = {k: v for k, v in values.items() if k != "password"}
        return _form_page(
            request,
            session,
            actor,
            template="experts_apply.html",
            title="申请成为评标专家",
            values=shown,
            errors=_errors(exc),
            status=exc.status,
        )

    def run() -> Response:
        with refusals_shown_on(refused, passing=()):
            app = admission.apply_self(
                session,
                actor,
                facts=_facts(values),
                employer_credit_code=values["employer_credit_code"],
                username=values["username"],
                password=values["password"],
            )
        flash(request, "success", f"入库申请 {app.code} 已提交，行业监督部门审核后报交易管理委员会办公室审批。")
        return redirect(request, PROFILE if actor.is_authenticated else f"/login?next={PROFILE}")

    return await run_in_threadpool(run)


@router.get("/experts/recommend", response_class=HTMLResponse)
def recommend_form(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, actor: Principal = EMPLOYER
) -> Response:
    return _recommend_page(request, session, actor, values={}, errors={}, cursor=cursor)


def _recommend_page(
    request: Request,
    session: Session,
    actor: Principal,
    *,
    values: dict,
    errors: dict,
    status: int = 200,
    cursor: str | None = None,
) -> Response:
    org = session.get(Organisation, actor.organisation_id) if actor.organisation_id else None
    mine = (
        queries.applications_by_employer(session, actor.organisation_id, cursor=cursor)
        if actor.organisation_id
        else Page([], None, DEFAULT_LIMIT)
    )
    return _form_page(
        request,
        session,
        actor,
        template="experts_recommend.html",
        title="推荐本单位人员入库",
        values=values,
        errors=errors,
        status=status,
        org=org,
        mine=mine,
        page_url=page_urls("/experts/recommend", {}, anchor="mine"),
    )


@router.post("/experts/recommend", response_class=HTMLResponse)
async def recommend(request: Request, session: Session = SessionDep, actor: Principal = EMPLOYER) -> Response:
    values = await _form_values(request)

    def refused(session: Session, exc: SunshineError) -> Response:
        shown = {k: v for k, v in values.items() if k != "password"}
        return _recommend_page(request, session, actor, values=shown, errors=_errors(exc), status=exc.status)

    def run() -> Response:
        with refusals_shown_on(refused, passing=()):
            app = admission.apply_by_employer(
                session, actor, facts=_facts(values), username=values["username"], password=values["password"]
            )
        flash(request, "success", f"已推荐 {app.name} 申请入库（申请编号 {app.code}），请将账号和初始密码交本人。")
        return redirect(request, "/experts/recommend")

    return await run_in_threadpool(run)


# --------------------------------------------------------------------------- the expert's own profile


@router.get(PROFILE, response_class=HTMLResponse)
def profile(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> Response:
    expert = service.expert_of_user(session, actor.user_id)
    applications = queries.applications_of_user(session, actor.user_id, cursor=cursor)
    latest = (
        applications.items[:1]
        if applications.is_first
        else queries.applications_of_user(session, actor.user_id, limit=1).items
    )
    context: dict[str, Any] = {
        "expert": expert,
        "applications": applications,
        "page_url": page_urls(PROFILE, {}, anchor="applications"),
        "may_apply": not latest or latest[0].state == "refused",
    }
    if expert is not None:
        context.update(
            employer=session.get(Organisation, expert.employer_organisation_id),
            held=queries.specialties_of(session, [expert.id])[expert.id],
            all_nodes=specialties.nodes(session),
            path_label=specialties.path_label,
            leaves=records.leaves_of(session, expert.id),
            conflicts=records.conflicts_of(session, expert.id),
            sanctions=records.sanctions_of(session, expert.id),
            trainings=records.trainings_of(session, expert.id),
            evaluations=records.evaluations_of(session, expert.id),
        )
    return render(
        request, "experts_profile.html", page_title="我的专家档案", today=clock.today_local(), **labels(), **context
    )


def _own(session: Session, actor: Principal) -> int:
    expert = service.expert_of_user(session, actor.user_id)
    if expert is None:
        raise NotFound("您还不是在库评标专家")
    return expert.id


@router.post(PROFILE + "/contact", response_class=HTMLResponse)
def update_contact(
    request: Request,
    mobile: str = Form("", max_length=20),
    email: str = Form("", max_length=100),
    session: Session = SessionDep,
    actor: Principal = SIGNED_IN,
) -> Response:
    expert_id = _own(session, actor)
    return act(
        request,
        PROFILE,
        lambda: records.update_contact(session, actor, expert_id, mobile=mobile, email=email),
        "联系方式已更新",
    )


@router.post(PROFILE + "/leaves", response_class=HTMLResponse)
def add_leave(
    request: Request,
    starts_on: str = Form("", max_length=10),
    ends_on: str = Form("", max_length=10),
    reason: str = Form("", max_length=300),
    session: Session = SessionDep,
    actor: Principal = SIGNED_IN,
) -> Response:
    expert_id = _own(session, actor)

    def call():
        return records.add_leave(
            session,
            actor,
            expert_id,
            starts_on=form_date(starts_on, "starts_on", "开始日期"),
            ends_on=form_date(ends_on, "ends_on", "结束日期"),
            reason=reason,
        )

    return act(request, PROFILE, call, "请假已登记，请假期间不参加抽取")


@router.post(PROFILE + "/leaves/{leave_id}/cancel", response_class=HTMLResponse)
def cancel_leave(
    request: Request, leave_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> Response:
    expert_id = _own(session, actor)
    leave = session.get(ExpertLeave, leave_id)
    if leave is None or leave.expert_id != expert_id:
        raise NotFound("请假记录不存在")
    return act(request, PROFILE, lambda: records.cancel_leave(session, actor, leave_id), "请假已撤销")


@router.post(PROFILE + "/trainings", response_class=HTMLResponse)
def add_training(
    request: Request,
    title: str = Form("", max_length=200),
    organiser: str = Form("", max_length=200),
    held_on: str = Form("", max_length=10),
    hours: str = Form("", max_length=6),
    certificate_no: str = Form("", max_length=60),
    session: Session = SessionDep,
    actor: Principal = SIGNED_IN,
) -> Response:
    expert_id = _own(session, actor)

    def call():
        return records.add_training(
            session,
            actor,
            expert_id,
            title=title,
            organiser=organiser,
            held_on=form_date(held_on, "held_on", "培训日期"),
            hours=form_int(hours, "hours", "学时"),
            certificate_no=certificate_no,
        )

    return act(request, PROFILE, call, "培训记录已登记（本人填报）")


@router.post(PROFILE + "/conflicts", response_class=HTMLResponse)
def declare_conflict(
    request: Request,
    credit_code: str = Form("", max_length=18),
    relation: str = Form("", max_length=20),
    note: str = Form("", max_length=300),
    session: Session = SessionDep,
    actor: Principal = SIGNED_IN,
) -> Response:
    expert_id = _own(session, actor)
    return act(
        request,
        PROFILE,
        lambda: records.declare_conflict(
            session, actor, expert_id, credit_code=credit_code, relation=relation, note=note
        ),
        "回避单位已申报，抽取时自动回避",
    )


@router.post(PROFILE + "/conflicts/{conflict_id}/withdraw", response_class=HTMLResponse)
def withdraw_conflict(
    request: Request, conflict_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> Response:
    expert_id = _own(session, actor)
    row = session.get(ExpertConflict, conflict_id)
    if row is None or row.expert_id != expert_id:
        raise NotFound("回避申报不存在")
    return act(request, PROFILE, lambda: records.withdraw_conflict(session, actor, conflict_id), "回避申报已撤回")
