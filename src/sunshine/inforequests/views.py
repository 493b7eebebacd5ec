"""Pages of information requests. Public: the request form (anonymous, CSRF-protected, errors beside the
fields), the receipt with the tracking number, lookup code and due date, the applicant's lookup, the
printable letters and the public statistics. Staff: the disclosure office's queue, intake form, detail
with timeline and every step; the responsible department's opinion; the administrator's regime choice.
Thin: every rule is in ``service`` and ``steps``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.core import calendar, clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound, SunshineError
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.roles import Role
from sunshine.inforequests import (
    deadlines,
    fees,
    hooks,
    letters,
    repository,
    service,
    states,
    stats,
    steps,
    visibility,
)
from sunshine.inforequests.models import InfoRequest, RequestReview
from sunshine.inforequests.schemas import LookupIn, RequestIn, ReviewIn
from sunshine.inforequests.timing import explain
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import refusals_back_to, refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
OFFICE = Depends(Access(Role.DISCLOSURE_OFFICE))
STAFF = Depends(Access(Role.DISCLOSURE_OFFICE, Role.SUPERVISOR, Role.CENTRE_STAFF))
PAGE_SIZE = 50  # requests per page of the staff queue
DEPARTMENT = Depends(Access(Role.SUPERVISOR, Role.CENTRE_STAFF))
ADMIN = Depends(Access(Role.ADMIN))

RECEIPT_COOKIE = "sunshine_receipt"
RECEIPT_MAX_AGE = 2 * 3600
Errors = dict[str, str]

FIELD_LABELS = {
    "channel": "提交渠道",
    "post_signed": "邮件是否需签收",
    "submitted_on": "提交（寄出）日期",
    "received_on": "收到申请之日",
    "applicant_type": "申请人类型",
    "applicant_name": "姓名或名称",
    "id_number": "证件号码",
    "contact_phone": "联系电话",
    "email": "电子邮箱",
    "address": "通信地址",
    "description": "所需信息的描述",
    "form_wanted": "信息的形式",
    "delivery": "获取方式",
}


# --------------------------------------------------------------------------- form helpers


def _message(err: dict[str, Any]) -> str:
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return "请填写此项"
    if kind == "string_too_short":
        return f"至少填写 {ctx.get('min_length')} 个字"
    if kind == "string_too_long":
        return f"最多 {ctx.get('max_length')} 个字"
    if kind in ("literal_error", "enum", "bool_parsing", "bool_type"):
        return "请从选项中选择"
    if kind.startswith("date"):
        return "请按 YYYY-MM-DD 填写日期"
    if kind.startswith("int"):
        return "请填写整数"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不得小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"不得大于 {ctx.get('le', ctx.get('lt'))}"
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return "取值无效"


def parse(schema: type[BaseModel], form: dict[str, Any]) -> tuple[Any, Errors]:
    """Build ``schema`` from a page form (empty fields are absent), or the Chinese error of each field."""
    data = {k: v for k, v in form.items() if k in schema.model_fields and v not in ("", None)}
    try:
        return schema(**data), {}
    except ValidationError as exc:
        errors: Errors = {}
        for err in exc.errors():
            loc = err.get("loc") or ("_form",)
            errors.setdefault(str(loc[0]), _message(err))
        return None, errors


def _form_dict(form) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="inforequest-receipt")


def _options(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return list(mapping.items())


def _clock_view(answer, req: InfoRequest) -> dict[str, Any]:
    pack = repository.pack_of(req)
    return {
        "clock": answer,
        "basis": explain(answer, int(pack.rule("answer_within").value)),
        "status_label": {
            "running": "计时中",
            "awaiting_correction": "等待补正（暂不计时）",
            "paused": "征求意见中（暂停计时）",
        }[answer.status],
    }


# --------------------------------------------------------------------------- public: request form and receipt


def _new_page(request: Request, *, staff: bool, status: int = 200, form=None, errors: Errors | None = None) -> Response:
    return render(
        request,
        "inforequests/new.html",
        status=status,
        page_title="登记政府信息公开申请" if staff else "申请政府信息公开",
        staff=staff,
        form=form or {},
        errors=errors or {},
        channels=_options(states.CHANNELS),
        applicant_types=_options(states.APPLICANT_TYPES),
        forms_wanted=_options(states.FORMS_WANTED),
        deliveries=_options(states.DELIVERY),
        receipt_rules=states.RECEIPT_RULES,
        today=clock.today_local(),
    )


def _submit(request: Request, session: Session, principal: Principal, form: dict[str, str], *, staff: bool) -> Response:
    if not staff:
        form = {**form, "channel": "online"}
        form.pop("received_on", None)
        form.pop("submitted_on", None)
    if form.get("post_signed") in ("1", "0"):
        form["post_signed"] = form["post_signed"] == "1"  # type: ignore[assignment]
    data, errors = parse(RequestIn, form)
    if data is None:
        return _new_page(request, staff=staff, status=422, form=form, errors=errors)

    def refused(_session: Session, exc: SunshineError) -> Response:
        field = exc.extra.get("field")
        errors = {field if field in FIELD_LABELS else "_form": exc.detail}
        return _new_page(request, staff=staff, status=422, form=form, errors=errors)

    with refusals_shown_on(refused, passing={401, 403, *range(500, 600)}):
        receipt = service.submit(session, principal, data, public=not staff)
    response = redirect(request, "/requests/receipt")
    response.set_cookie(
        RECEIPT_COOKIE,
        _serializer(request).dumps({"id": receipt.request.id, "code": receipt.code}),
        max_age=RECEIPT_MAX_AGE,
        httponly=True,
        secure=request.app.state.settings.cookie_secure,
        samesite="lax",
        path="/requests",
    )
    return response


@router.get("/requests/new", response_class=HTMLResponse)
def new_form(request: Request, _: Principal = PUBLIC) -> Response:
    return _new_page(request, staff=False)


@router.post("/requests/new", response_class=HTMLResponse)
async def new_submit(request: Request, session: Session = SessionDep, principal: Principal = PUBLIC) -> Response:
    form = _form_dict(await request.form())  # on the event loop; the database in a worker thread
    return await run_in_threadpool(_submit, request, session, principal, form, staff=False)


@router.get("/requests/receipt", response_class=HTMLResponse)
def receipt(request: Request, session: Session = SessionDep, principal: Principal = PUBLIC) -> Response:
    raw = request.cookies.get(RECEIPT_COOKIE)
    try:
        data = _serializer(request).loads(raw or "", max_age=RECEIPT_MAX_AGE)
        req = service.get(session, int(data["id"]))
        code = str(data["code"])
    except (BadSignature, KeyError, TypeError, ValueError, NotFound):
        flash(request, "info", "回执只在提交后显示一次；请凭申请编号和查询码查询办理进度")
        return redirect(request, "/requests/lookup")
    answer = deadlines.current_clock(session, req)
    return render(
        request,
        "inforequests/receipt.html",
        page_title=f"受理回执 {req.tracking_no}",
        req=req,
        code=code,
        channel=states.CHANNELS[req.channel],
        receipt_rule=states.RECEIPT_RULES["post_ordinary" if req.post_signed is False else req.channel],
        regime=service.REGIMES.get(req.pack_key, req.pack_key),
        letter_key=letters.access_key(request.app.state.secret_key, req),
        staff_view=visibility.can_see(principal, req),
        **_clock_view(answer, req),
    )


# --------------------------------------------------------------------------- public: lookup and letters


def _lookup_page(request: Request, *, status: int = 200, form=None, errors: Errors | None = None) -> Response:
    return render(
        request,
        "inforequests/lookup.html",
        status=status,
        page_title="查询申请办理进度",
        form=form or {},
        errors=errors or {},
    )


@router.get("/requests/lookup", response_class=HTMLResponse)
def lookup_form(request: Request, _: Principal = PUBLIC) -> Response:
    return _lookup_page(request)


@router.post("/requests/lookup", response_class=HTMLResponse)
async def lookup(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    form = _form_dict(await request.form())  # on the event loop; the database in a worker thread
    return await run_in_threadpool(_lookup, request, session, form)


def _lookup(request: Request, session: Session, form: dict[str, str]) -> Response:
    data, errors = parse(LookupIn, form)
    if data is None:
        return _lookup_page(request, status=422, form=form, errors=errors)
    try:
        req = service.lookup(session, data.tracking, data.code)
    except NotFound as exc:
        return _lookup_page(request, status=422, form=form, errors={"code": exc.detail})
    history = repository.events(session, req)
    answer = deadlines.clock_of(req, history, calendar.load(session))
    return render(
        request,
        "inforequests/status.html",
        page_title=f"办理进度 {req.tracking_no}",
        req=req,
        history=history,
        steps=states.STEPS,
        states=states.STATES,
        channel=states.CHANNELS[req.channel],
        form_label=states.ANSWER_FORMS[req.answer_form].label if req.answer_form else None,
        letter_kinds=letters.available_kinds(session, req),
        letter_titles=letters.KINDS,
        letter_key=letters.access_key(request.app.state.secret_key, req),
        reply_lines=hooks.reply_lines(session, req),
        **_clock_view(answer, req),
    )


@router.get("/requests/stats", response_class=HTMLResponse)
def public_stats(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    data = stats.public_stats(session)
    return render(request, "inforequests/stats.html", page_title="依申请公开统计", stats=data)


@router.get("/requests/{request_id}/letter", response_class=HTMLResponse)
def letter(
    request: Request,
    request_id: Id,
    kind: str = Query("answer", max_length=20),
    key: str | None = Query(None, max_length=64),
    session: Session = SessionDep,
    principal: Principal = PUBLIC,
) -> Response:
    req = session.get(InfoRequest, request_id)
    secret = request.app.state.secret_key
    if req is None or not (visibility.can_see(principal, req) or letters.key_ok(secret, req, key)):
        raise NotFound("文书不存在")
    doc = letters.build(session, req, kind)
    return render(
        request,
        doc.template,
        page_title=f"{doc.title} {req.tracking_no}",
        letter=doc,
        req=req,
        centre=request.app.state.settings.centre_name,
        reply_lines=hooks.reply_lines(session, req) if kind == "answer" else [],
        **doc.context,
    )


# --------------------------------------------------------------------------- staff: queue, intake, detail


@router.get("/staff/requests", response_class=HTMLResponse)
def staff_queue(
    request: Request,
    state: str | None = Query(None, max_length=40),
    show: str = Query("open", max_length=10),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    principal: Principal = STAFF,
) -> Response:
    state = state if state in states.STATES else None
    open_only = show == "open" and state is None
    result = service.queue(session, principal, state=state, open_only=open_only, cursor=cursor, limit=PAGE_SIZE)
    return render(
        request,
        "inforequests/queue.html",
        page_title="依申请公开办理",
        rows=result.items,
        result=result,
        page_url=page_urls("/staff/requests", {"state": state, "show": show}),
        alerts=service.recent_alerts(session, principal),
        states=states.STATES,
        state=state,
        show=show,
        office=visibility.is_office(principal),
        regime=service.REGIMES[service.current_regime(session)],
        alert_kinds=states.ALERT_KINDS,
        today=clock.today_local(),
    )


@router.get("/staff/requests/new", response_class=HTMLResponse)
def staff_new_form(request: Request, _: Principal = OFFICE) -> Response:
    return _new_page(
        request, staff=True, form={"channel": "in_person", "submitted_on": clock.today_local().isoformat()}
    )


@router.post("/staff/requests/new", response_class=HTMLResponse)
async def staff_new_submit(request: Request, session: Session = SessionDep, principal: Principal = OFFICE) -> Response:
    form = _form_dict(await request.form())  # on the event loop; the database in a worker thread
    return await run_in_threadpool(_submit, request, session, principal, form, staff=True)


def _detail_page(request: Request, session: Session, principal: Principal, req: InfoRequest) -> Response:
    history = repository.events(session, req)
    cal = calendar.load(session)
    answer = deadlines.clock_of(req, history, cal)
    pack = repository.pack_of(req)
    office = visibility.is_office(principal)
    fee_pack = fees.pack_for(session, req.received_on)
    rank = repository.month_rank(session, req)
    fee_by_count = fees.by_count(fee_pack, rank) if fee_pack is not None else None
    reviews = list(
        session.scalars(select(RequestReview).where(RequestReview.request_id == req.id).order_by(RequestReview.id))
    )
    department = None
    if req.department_user_id:
        department = dict(repository.department_users(session)).get(req.department_user_id)
    return render(
        request,
        "inforequests/detail.html",
        page_title=f"{req.tracking_no} 办理",
        req=req,
        history=history,
        data_of=repository.data_of,
        steps=states.STEPS,
        states=states.STATES,
        office=office,
        available=steps.available(req, principal),
        deadlines=deadlines.open_deadlines(session, req),
        alerts=service.rows_for(session, [req])[0].alerts,
        reviews=reviews,
        review_kinds=states.REVIEW_KINDS,
        review_results=states.REVIEW_RESULTS,
        department=department,
        department_users=repository.department_users(session) if office else [],
        answer_forms=states.ANSWER_FORMS,
        form_options=[(k, f.label) for k, f in states.ANSWER_FORMS.items()],
        reason_options=[(k, r.label) for k, r in states.WITHHELD_REASONS.items()],
        reasons=states.WITHHELD_REASONS,
        fee_methods=states.FEE_METHODS,
        fee_by_count=fee_by_count,
        fee_pack=fee_pack,
        rank=rank,
        pack=pack,
        channel=states.CHANNELS[req.channel],
        applicant_type=states.APPLICANT_TYPES[req.applicant_type],
        correction_due=steps.correction_due(session, req, history),
        opinion_due=steps.opinion_due(session, req, history),
        letter_kinds=letters.available_kinds(session, req),
        letter_titles=letters.KINDS,
        consultation_parties=states.CONSULTATION_PARTIES,
        today=clock.today_local(),
        detail=repository.answer_detail(req),
        **_clock_view(answer, req),
    )


@router.get("/staff/requests/{request_id}", response_class=HTMLResponse)
def staff_detail(
    request: Request, request_id: Id, session: Session = SessionDep, principal: Principal = STAFF
) -> Response:
    req = visibility.get_for_staff(session, principal, request_id)
    return _detail_page(request, session, principal, req)


def _step_endpoint(action: str, policy: Any) -> Callable[..., Any]:
    fn, schema, done = steps.ACTIONS[action]

    async def endpoint(
        request: Request, request_id: Id, session: Session = SessionDep, principal: Principal = policy
    ) -> Response:
        form = _form_dict(await request.form())  # on the event loop; the database in a worker thread
        return await run_in_threadpool(take, request, request_id, session, principal, form)

    def take(request: Request, request_id: int, session: Session, principal: Principal, form: dict) -> Response:
        req = visibility.get_for_staff(session, principal, request_id)
        back = f"/staff/requests/{req.id}"
        body, errors = parse(schema, form)
        if body is None:
            field, message = next(iter(errors.items()))
            label = {"day": "日期", "days": "天数", "period_days": "补正期限"}.get(field, "")
            flash(request, "error", f"{label + '：' if label else ''}{message}")
            return redirect(request, back + f"#{action}")
        with refusals_back_to(back + f"#{action}"):
            fn(session, principal, req, body)
        flash(request, "success", done)
        return redirect(request, back)

    return endpoint


for _action in steps.ACTIONS:
    router.add_api_route(
        f"/staff/requests/{{request_id}}/{_action}",
        _step_endpoint(_action, DEPARTMENT if _action == "opinion" else OFFICE),
        methods=["POST"],
        response_class=HTMLResponse,
        name=f"inforequest_{_action.replace('-', '_')}",
    )


@router.post("/staff/requests/{request_id}/review", response_class=HTMLResponse)
async def add_review(
    request: Request, request_id: Id, session: Session = SessionDep, principal: Principal = OFFICE
) -> Response:
    form = _form_dict(await request.form())  # on the event loop; the database in a worker thread
    return await run_in_threadpool(_add_review, request, request_id, session, principal, form)


def _add_review(request: Request, request_id: int, session: Session, principal: Principal, form: dict) -> Response:
    req = visibility.get_for_staff(session, principal, request_id)
    back = f"/staff/requests/{req.id}"
    body, errors = parse(ReviewIn, form)
    if body is None:
        flash(request, "error", "复议诉讼记录：" + next(iter(errors.values())))
        return redirect(request, back + "#reviews")
    with refusals_back_to(back + "#reviews", passing=()):
        steps.add_review(session, principal, req, body)
    flash(request, "success", "已登记行政复议或行政诉讼")
    return redirect(request, back + "#reviews")


@router.post("/staff/requests/{request_id}/reviews/{review_id}/decide", response_class=HTMLResponse)
def decide_review(
    request: Request,
    request_id: Id,
    review_id: Id,
    result: str = Form(""),
    decided_on: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    from datetime import date

    req = visibility.get_for_staff(session, principal, request_id)
    back = f"/staff/requests/{req.id}#reviews"
    try:
        day = date.fromisoformat(decided_on)
    except ValueError:
        flash(request, "error", "请按 YYYY-MM-DD 填写审结日期")
        return redirect(request, back)
    with refusals_back_to(back):
        steps.decide_review(session, principal, req, review_id, result, day)
    flash(request, "success", "已登记审结结果")
    return redirect(request, back)


# --------------------------------------------------------------------------- administrator: regime


@router.get("/admin/requests/regime", response_class=HTMLResponse)
def regime_page(request: Request, session: Session = SessionDep, _: Principal = ADMIN) -> Response:
    return render(
        request,
        "inforequests/regime.html",
        page_title="依申请公开适用规则",
        regimes=service.REGIMES,
        current=service.current_regime(session),
        open_count=service.count_open(session),
    )


@router.post("/admin/requests/regime")
def regime_set(
    request: Request, regime: str = Form(""), session: Session = SessionDep, principal: Principal = ADMIN
) -> Response:
    with refusals_back_to("/admin/requests/regime", passing=()):
        service.set_regime(session, actor=principal, key=regime)
    flash(request, "success", f"新收到的申请将适用：{service.REGIMES[regime]}；已收到的申请仍适用收到时的规则")
    return redirect(request, "/admin/requests/regime")
