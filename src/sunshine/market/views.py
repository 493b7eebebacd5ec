"""Pages of the market register: the public registration form and directories, the organisation administrator's
own area (status, history, corrections, change applications, users, agency staff, inbox), the centre's review
queue and detail, and a project's entrustment agreements."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput, SunshineError
from sunshine.core.filestore import file_store
from sunshine.core.inputs import Id
from sunshine.core.pagination import cursor_query, page_urls
from sunshine.identity import organisation_users
from sunshine.identity.models import Organisation, OrganisationKind
from sunshine.identity.roles import Role
from sunshine.market import people, service
from sunshine.market.api import read_upload
from sunshine.trading import registrations
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act, refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
ORG_ADMIN = Depends(Access(Role.ENTERPRISE_ADMIN))
REVIEWER = Depends(Access(*service.REVIEWERS))
READERS = Depends(Access(*service.READERS))
ENTRUSTMENT_READERS = Depends(Access(Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR))
ENTRUSTMENT_WRITERS = Depends(Access(Role.TENDERER, Role.CENTRE_STAFF))
MINE = "/market/mine"
FACT_FIELDS = tuple(service.FACT_LABELS)
CURSOR = Annotated[str | None, Query(max_length=500)]


def facts_page_form(
    name: str = Form("", max_length=200),
    org_type: str = Form("", max_length=20),
    legal_representative: str = Form("", max_length=100),
    address: str = Form("", max_length=200),
    region_code: str = Form("", max_length=6),
    contact_name: str = Form("", max_length=100),
    contact_phone: str = Form("", max_length=40),
    contact_email: str = Form("", max_length=200),
    bank_name: str = Form("", max_length=200),
    bank_account_name: str = Form("", max_length=200),
    bank_account_number: str = Form("", max_length=40),
) -> service.Facts:
    return service.Facts(
        name=name,
        org_type=org_type,
        legal_representative=legal_representative,
        address=address,
        region_code=region_code,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        bank_name=bank_name,
        bank_account_name=bank_account_name,
        bank_account_number=bank_account_number,
    )


FACTS = Depends(facts_page_form)


def _labels() -> dict[str, Any]:
    return {
        "kinds": service.KINDS,
        "org_types": service.ORG_TYPES,
        "statuses": service.STATUSES,
        "application_kinds": service.APPLICATION_KINDS,
        "fact_labels": service.FACT_LABELS,
        "qualifications": people.QUALIFICATIONS,
        "decisions": service.DECISIONS,
        "is_overdue": service.is_overdue,
        "facts_of": service.facts_of,
    }


def _errors(exc: SunshineError, fields: tuple[str, ...]) -> dict[str, str]:
    field = exc.extra.get("field")
    return {field if field in fields else "_form": exc.detail}


# --------------------------------------------------------------------------- registration (public)


REGISTER_FIELDS = ("kind", "credit_code", "username", "display_name", "password", "licence", *FACT_FIELDS)


def _register_page(request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
    return render(
        request,
        "market_register.html",
        status=status,
        page_title="市场主体注册",
        values=values,
        errors=errors,
        **_labels(),
    )


@router.get("/market/register", response_class=HTMLResponse)
def register_form(
    request: Request, kind: Annotated[str, Query(max_length=20)] = "enterprise", _: Principal = PUBLIC
) -> Response:
    return _register_page(request, {"kind": kind if kind in service.KINDS else "enterprise"}, {})


@router.post("/market/register", response_class=HTMLResponse)
async def register(
    request: Request,
    kind: str = Form("", max_length=20),
    credit_code: str = Form("", max_length=18),
    username: str = Form("", max_length=64),
    display_name: str = Form("", max_length=100),
    password: str = Form("", max_length=200),
    facts: service.Facts = FACTS,
    licence: UploadFile | None = File(None),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    upload = await read_upload(licence)
    values = {"kind": kind, "credit_code": credit_code, "username": username, "display_name": display_name}
    values.update(facts.__dict__)

    def refused(session: Session, exc: SunshineError) -> Response:
        return _register_page(request, values, _errors(exc, REGISTER_FIELDS), status=exc.status)

    def run() -> Response:
        with refusals_shown_on(refused, passing=()):
            app = service.register(
                session,
                kind=kind,
                credit_code=credit_code,
                facts=facts,
                licence=upload,
                username=username,
                display_name=display_name,
                password=password,
            )
        flash(
            request,
            "success",
            f"注册申请已提交，交易中心将于 {app.due} 前审核办结。请用刚设置的管理员账号登录，查看审核进度；"
            "审核通过前不能报名参加项目。",
        )
        return redirect(request, f"/login?next={MINE}")

    return await run_in_threadpool(run)


# --------------------------------------------------------------------------- the organisation's own area


def _mine_page(
    request: Request,
    session: Session,
    actor: Principal,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
    users_cursor: str | None = None,
    staff_cursor: str | None = None,
) -> Response:
    org, participant = service.own_participant(session, actor)
    cursors = {"users_cursor": users_cursor, "staff_cursor": staff_cursor}
    agency = org.kind == OrganisationKind.AGENCY.value
    return render(
        request,
        "market_mine.html",
        status=status,
        page_title="本单位登记信息",
        org=org,
        participant=participant,
        standing=service.standing(session, org.id),
        current=service.current_facts(session, participant) if participant else None,
        applications=service.applications_of(session, org.id),
        open_app=service.open_application(session, org.id),
        users=organisation_users.user_page(session, actor, cursor=users_cursor),
        users_url=page_urls(MINE, cursors, param="users_cursor", anchor="users"),
        grantable=organisation_users.grantable(org),
        staff=people.staff_page(session, org.id, cursor=staff_cursor) if agency else None,
        staff_url=page_urls(MINE, cursors, param="staff_cursor", anchor="staff"),
        messages=registrations.messages_for(session, actor, limit=30),
        me=actor.user_id,
        errors=errors or {},
        values=values or {},
        **_labels(),
    )


@router.get("/market/mine", response_class=HTMLResponse)
def mine(
    request: Request,
    users_cursor: str | None = cursor_query(),
    staff_cursor: str | None = cursor_query(),
    session: Session = SessionDep,
    actor: Principal = ORG_ADMIN,
) -> Response:
    return _mine_page(request, session, actor, users_cursor=users_cursor, staff_cursor=staff_cursor)


def _facts_step(
    request: Request, session: Session, actor: Principal, facts: service.Facts, call, done: str
) -> Response:
    values = dict(facts.__dict__)

    def refused(session: Session, exc: SunshineError) -> Response:
        return _mine_page(
            request, session, actor, errors=_errors(exc, (*FACT_FIELDS, "licence")), values=values, status=exc.status
        )

    with refusals_shown_on(refused):
        app = call()
    flash(request, "success", done.format(due=app.due))
    return redirect(request, MINE)


@router.post("/market/mine/applications/{application_id}", response_class=HTMLResponse)
async def resubmit(
    request: Request,
    application_id: Id,
    facts: service.Facts = FACTS,
    licence: UploadFile | None = File(None),
    session: Session = SessionDep,
    actor: Principal = ORG_ADMIN,
) -> Response:
    upload = await read_upload(licence)
    return await run_in_threadpool(
        _facts_step,
        request,
        session,
        actor,
        facts,
        lambda: service.resubmit(session, actor, application_id, facts, upload),
        "补正后的申请已重新提交，交易中心将于 {due} 前审核办结",
    )


@router.post("/market/mine/changes", response_class=HTMLResponse)
async def apply_change(
    request: Request,
    facts: service.Facts = FACTS,
    licence: UploadFile | None = File(None),
    session: Session = SessionDep,
    actor: Principal = ORG_ADMIN,
) -> Response:
    upload = await read_upload(licence)
    return await run_in_threadpool(
        _facts_step,
        request,
        session,
        actor,
        facts,
        lambda: service.apply_change(session, actor, facts, upload),
        "变更申请已提交，交易中心将于 {due} 前审核办结；审核通过前仍以原登记信息为准",
    )


def _roles(values: list[str]) -> list[Role]:
    return [r for r in Role if r.value in values]


@router.post("/market/mine/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    username: str = Form("", max_length=64),
    display_name: str = Form("", max_length=100),
    password: str = Form("", max_length=200),
    roles: list[str] = Form(default_factory=list),
    session: Session = SessionDep,
    actor: Principal = ORG_ADMIN,
) -> Response:
    values = {"username": username, "display_name": display_name}

    def refused(session: Session, exc: SunshineError) -> Response:
        fields = ("username", "display_name", "password", "roles")
        return _mine_page(request, session, actor, errors=_errors(exc, fields), values=values, status=exc.status)

    with refusals_shown_on(refused):
        user = organisation_users.add_user(
            session, actor, username=username, display_name=display_name, password=password, roles=_roles(roles)
        )
    flash(request, "success", f"已添加用户 {user.username}")
    return redirect(request, f"{MINE}#users")


@router.post("/market/mine/users/{user_id}/roles")
def set_roles(
    request: Request,
    user_id: Id,
    roles: list[str] = Form(default_factory=list),
    session: Session = SessionDep,
    actor: Principal = ORG_ADMIN,
) -> Response:
    return act(
        request,
        f"{MINE}#users",
        lambda: organisation_users.set_user_roles(session, actor, user_id, _roles(roles)),
        lambda u: f"已更新用户 {u.username} 的角色",
    )


@router.post("/market/mine/users/{user_id}/active")
def set_active(
    request: Request,
    user_id: Id,
    active: str = Form("", max_length=5),
    session: Session = SessionDep,
    actor: Principal = ORG_ADMIN,
) -> Response:
    on = active == "1"
    return act(
        request,
        f"{MINE}#users",
        lambda: organisation_users.set_user_active(session, actor, user_id, on),
        lambda u: f"已{'启用' if on else '停用'}用户 {u.username}",
    )


def _date(text: str, field: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("日期格式应为 年-月-日，如 2028-06-30", field=field) from None


@router.post("/market/mine/staff", response_class=HTMLResponse)
def add_staff(
    request: Request,
    name: str = Form("", max_length=100),
    qualification: str = Form("", max_length=30),
    certificate_number: str = Form("", max_length=60),
    valid_until: str = Form("", max_length=10),
    session: Session = SessionDep,
    actor: Principal = ORG_ADMIN,
) -> Response:
    values = {"staff_name": name, "qualification": qualification, "certificate_number": certificate_number}

    def refused(session: Session, exc: SunshineError) -> Response:
        errors = _errors(exc, ("name", "qualification", "certificate_number", "valid_until"))
        if "name" in errors:
            errors["staff_name"] = errors.pop("name")
        return _mine_page(request, session, actor, errors=errors, values=values, status=exc.status)

    with refusals_shown_on(refused):
        people.add_staff(
            session,
            actor,
            name=name,
            qualification=qualification,
            certificate_number=certificate_number,
            valid_until=_date(valid_until, "valid_until"),
        )
    flash(request, "success", "已登记从业人员")
    return redirect(request, f"{MINE}#staff")


@router.post("/market/mine/staff/{staff_id}/remove")
def remove_staff(
    request: Request, staff_id: Id, session: Session = SessionDep, actor: Principal = ORG_ADMIN
) -> Response:
    return act(request, f"{MINE}#staff", lambda: people.remove_staff(session, actor, staff_id), "已移除该从业人员")


# --------------------------------------------------------------------------- the centre


@router.get("/staff/market", response_class=HTMLResponse)
def review_queue(
    request: Request,
    status: Annotated[str | None, Query(pattern=r"^(pending|returned|approved|rejected)?$")] = None,
    cursor: CURSOR = None,
    session: Session = SessionDep,
    _: Principal = READERS,
) -> Response:
    result = service.queue(session, status=status or None, cursor=cursor)
    return render(
        request,
        "market_queue.html",
        page_title="市场主体登记与变更审核",
        rows=result.items,
        result=result,
        page_url=page_urls("/staff/market", {"status": status}),
        selected=status or "",
        today=clock.today_local(),
        **_labels(),
    )


def _detail_page(request: Request, session: Session, actor: Principal, application_id: int, *, errors=None, status=200):
    app = service.visible_application(session, actor, application_id)
    org = session.get(Organisation, app.organisation_id)
    before = service.previous_facts(session, app) if app.kind == "change" else None
    return render(
        request,
        "market_review.html",
        status=status,
        page_title=f"{service.APPLICATION_KINDS[app.kind]}：{org.name}",
        app=app,
        org=org,
        facts=service.facts_of(app),
        before=before,
        changed=service.changed_fields(before, service.facts_of(app)) if before else [],
        history=service.applications_of(session, org.id),
        may_decide=actor.has(*service.REVIEWERS),
        errors=errors or {},
        **_labels(),
    )


@router.get("/staff/market/{application_id}", response_class=HTMLResponse)
def review_detail(
    request: Request, application_id: Id, session: Session = SessionDep, actor: Principal = READERS
) -> Response:
    return _detail_page(request, session, actor, application_id)


@router.post("/staff/market/{application_id}/decision", response_class=HTMLResponse)
def decide(
    request: Request,
    application_id: Id,
    decision: str = Form("", max_length=10),
    reasons: str = Form("", max_length=2000),
    session: Session = SessionDep,
    actor: Principal = REVIEWER,
) -> Response:
    def refused(session: Session, exc: SunshineError) -> Response:
        return _detail_page(
            request, session, actor, application_id, errors=_errors(exc, ("decision", "reasons")), status=exc.status
        )

    with refusals_shown_on(refused):
        app = service.decide(session, actor, application_id, decision, reasons)
    flash(request, "success", f"审核结论已记录：{service.DECISIONS[decision]}，并已通知申请单位")
    return redirect(request, f"/staff/market/{app.id}")


@router.get("/staff/market/{application_id}/licence")
def licence(
    request: Request, application_id: Id, session: Session = SessionDep, actor: Principal = READERS
) -> Response:
    app = service.visible_application(session, actor, application_id)
    return Response(
        file_store().open(app.licence_sha256),
        media_type=app.licence_content_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(app.licence_filename)}"},
    )


# --------------------------------------------------------------------------- public directories


def _directory_page(request: Request, session: Session, kind: str, q: str | None, cursor: str | None, path: str):
    page = people.directory(session, kind, q=q, cursor=cursor, limit=20)
    staff = people.staff_by_org(session, [o.id for o in page.items]) if kind == OrganisationKind.AGENCY.value else {}
    title = "企业名录" if kind == OrganisationKind.ENTERPRISE.value else "代理机构名录"
    return render(
        request,
        "market_directory.html",
        page_title=title,
        title=title,
        page=page,
        staff=staff,
        q=q or "",
        kind=kind,
        page_url=page_urls(path, {"q": q}),
        path=path,
        **_labels(),
    )


Q = Annotated[str | None, Query(max_length=100)]


@router.get("/market/enterprises", response_class=HTMLResponse)
def enterprises(
    request: Request, q: Q = None, cursor: CURSOR = None, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    return _directory_page(request, session, OrganisationKind.ENTERPRISE.value, q, cursor, "/market/enterprises")


@router.get("/market/agencies", response_class=HTMLResponse)
def agencies(
    request: Request, q: Q = None, cursor: CURSOR = None, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    return _directory_page(request, session, OrganisationKind.AGENCY.value, q, cursor, "/market/agencies")


@router.get("/market/organisations/{organisation_id}", response_class=HTMLResponse)
def organisation(
    request: Request, organisation_id: Id, cursor: CURSOR = None, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    org = people.public_organisation(session, organisation_id)
    staff = people.staff_page(session, org.id, cursor=cursor) if org.kind == OrganisationKind.AGENCY.value else None
    return render(
        request,
        "market_organisation.html",
        page_title=org.name,
        org=org,
        staff=staff,
        page_url=page_urls(f"/market/organisations/{org.id}", {}, anchor="staff"),
        **_labels(),
    )


# --------------------------------------------------------------------------- entrustment


def _entrustment_page(
    request: Request, session: Session, actor: Principal, project_id: int, *, errors=None, values=None, status=200
) -> Response:
    project, rows = people.entrustments(session, actor, project_id)
    names = {
        o.id: o.name
        for o in session.query(Organisation).filter(
            Organisation.id.in_([i for i in (project.tenderer_id, project.agency_id) if i])
        )
    }
    may_record = (Role.TENDERER in actor.roles and actor.organisation_id == project.tenderer_id) or (
        Role.CENTRE_STAFF in actor.roles
    )
    return render(
        request,
        "market_entrustment.html",
        status=status,
        page_title=f"委托代理协议：{project.name}",
        project=project,
        rows=rows,
        names=names,
        may_record=may_record and project.agency_id is not None,
        errors=errors or {},
        values=values or {},
    )


@router.get("/market/projects/{project_id}/entrustment", response_class=HTMLResponse)
def entrustment(
    request: Request, project_id: Id, session: Session = SessionDep, actor: Principal = ENTRUSTMENT_READERS
) -> Response:
    return _entrustment_page(request, session, actor, project_id)


@router.post("/market/projects/{project_id}/entrustment", response_class=HTMLResponse)
async def record_entrustment(
    request: Request,
    project_id: Id,
    scope: str = Form("", max_length=2000),
    signed_on: str = Form("", max_length=10),
    agreement: UploadFile | None = File(None),
    session: Session = SessionDep,
    actor: Principal = ENTRUSTMENT_WRITERS,
) -> Response:
    upload = await read_upload(agreement)
    values = {"scope": scope, "signed_on": signed_on}

    def run() -> Response:
        def refused(session: Session, exc: SunshineError) -> Response:
            errors = _errors(exc, ("scope", "signed_on", "agreement", "attachments"))
            if "attachments" in errors:
                errors["agreement"] = errors.pop("attachments")
            return _entrustment_page(
                request, session, actor, project_id, errors=errors, values=values, status=exc.status
            )

        with refusals_shown_on(refused):
            day = _date(signed_on, "signed_on")
            if day is None:
                raise InvalidInput("请填写签订日期", field="signed_on")
            people.record_entrustment(session, actor, project_id, scope=scope, signed_on=day, agreement=upload)
        flash(request, "success", "委托代理协议已登记，并已通知招标人和代理机构")
        return redirect(request, f"/market/projects/{project_id}/entrustment")

    return await run_in_threadpool(run)


@router.get("/market/entrustments/{entrustment_id}/file")
def entrustment_file(
    request: Request, entrustment_id: Id, session: Session = SessionDep, actor: Principal = ENTRUSTMENT_READERS
) -> Response:
    row = people.visible_entrustment(session, actor, entrustment_id)
    return Response(
        file_store().open(row.file_sha256),
        media_type=row.content_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}"},
    )
