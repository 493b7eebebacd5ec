"""Policy pages: the policy list and each policy with its interpretations (政策解读), each interpretation
with its policy, public concerns (回应关切: the published questions and answers, and the form anyone may
use to ask), and the disclosure office's pages to publish policies and interpretations and to answer.
Thin: the rules are in ``policy.service``."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.content import Upload
from sunshine.core.errors import SunshineError
from sunshine.core.inputs import Id, stored_id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.core.validation import VALIDATION_MESSAGES
from sunshine.identity.roles import Role
from sunshine.policy import service
from sunshine.policy.schemas import AnswerIn, ConcernIn, InterpretationIn, PolicyIn
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
OFFICE = Depends(Access(Role.DISCLOSURE_OFFICE))
PAGE_SIZE = 20


def _errors_of(exc: ValidationError) -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors():
        name = str(err["loc"][0]) if err.get("loc") else "_form"
        kind, ctx = err.get("type", ""), err.get("ctx") or {}
        if kind == "string_too_short" and "min_length" in ctx:
            message = f"至少 {ctx['min_length']} 个字符"
        elif kind == "string_too_long" and "max_length" in ctx:
            message = f"最多 {ctx['max_length']} 个字符"
        else:
            message = VALIDATION_MESSAGES.get(kind, "取值无效")
        out.setdefault(name, message)
    return out


def _date(text: str, name: str, label: str, errors: dict[str, str], *, required: bool) -> date | None:
    text = (text or "").strip()
    if not text:
        if required:
            errors[name] = f"请填写{label}"
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = f"请按 YYYY-MM-DD 填写{label}"
        return None


# --------------------------------------------------------------------------- public pages


@router.get("/policies", response_class=HTMLResponse)
def policy_list(
    request: Request,
    q: str | None = Query(None, max_length=100),
    level: str | None = Query(None, max_length=20),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    principal: Principal = PUBLIC,
) -> Response:
    level = level if level in service.LEVELS else None
    result = service.list_policies(session, q=q, level=level, cursor=cursor, limit=PAGE_SIZE)
    filters = {k: v for k, v in (("q", q), ("level", level)) if v}
    page_url = page_urls("/policies", filters)

    return render(
        request,
        "policies_list.html",
        page_title="政策文件与解读",
        result=result,
        linked=service.interpretations_of(session, [p.id for p in result.items]),
        q=q or "",
        level=level,
        filters=filters,
        page_url=page_url,
        level_options=list(service.LEVELS.items()),
        level_label=service.level_label,
        can_edit=principal.has(*service.EDITORS),
    )


@router.get("/policies/{policy_id}", response_class=HTMLResponse)
def policy_page(
    request: Request, policy_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC
) -> Response:
    policy = service.get_policy(session, policy_id)
    return render(
        request,
        "policies_detail.html",
        page_title=policy.title,
        policy=policy,
        body_html=service.sanitise(policy.body_html),
        interpretations=service.interpretations_of(session, [policy.id])[policy.id],
        level_label=service.level_label,
        form_label=service.form_label,
        can_edit=principal.has(*service.EDITORS),
    )


@router.get("/policies/{policy_id}/attachment")
def policy_attachment(policy_id: Id, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    policy, data = service.attachment_of(session, policy_id)
    return Response(
        data,
        media_type=policy.attachment_type or "application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(policy.attachment_name or 'attachment')}",
            "X-Content-SHA256": policy.attachment_sha256 or "",
        },
    )


@router.get("/interpretations/{interpretation_id}", response_class=HTMLResponse)
def interpretation_page(
    request: Request, interpretation_id: Id, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    row, policy = service.get_interpretation(session, interpretation_id)
    siblings = [i for i in service.interpretations_of(session, [policy.id])[policy.id] if i.id != row.id]
    return render(
        request,
        "interpretation_detail.html",
        page_title=row.title,
        row=row,
        policy=policy,
        body_html=service.sanitise(row.body_html),
        siblings=siblings,
        form_label=service.form_label,
        level_label=service.level_label,
    )


def _concerns_page(
    request: Request,
    session: Session,
    *,
    topic: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> Response:
    topic = topic if topic in service.TOPICS else None
    result = service.published_concerns(session, topic=topic, q=q, cursor=cursor, limit=PAGE_SIZE)
    filters = {k: v for k, v in (("topic", topic), ("q", q)) if v}
    page_url = page_urls("/concerns", filters)

    policies = service.all_policies(session)
    return render(
        request,
        "concerns.html",
        status=status,
        page_title="回应关切",
        result=result,
        topic=topic,
        q=q or "",
        filters=filters,
        page_url=page_url,
        topic_options=list(service.TOPICS.items()),
        topic_label=service.topic_label,
        reference=service.reference,
        policy_options=[(str(p.id), p.title) for p in policies],
        policy_titles={p.id: p.title for p in policies},
        values=values or {"topic": "other", "question": "", "asker_name": "", "contact": "", "policy_id": ""},
        errors=errors or {},
    )


@router.get("/concerns", response_class=HTMLResponse)
def concerns_page(
    request: Request,
    topic: str | None = Query(None, max_length=20),
    q: str | None = Query(None, max_length=100),
    cursor: str | None = CURSOR,
    policy_id: int | None = Query(None, ge=1, le=2**31 - 1),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    values = None
    if policy_id is not None:
        values = {"topic": "policy", "question": "", "asker_name": "", "contact": "", "policy_id": str(policy_id)}
    return _concerns_page(request, session, topic=topic, q=q, cursor=cursor, values=values)


@router.post("/concerns", response_class=HTMLResponse)
def submit_concern(
    request: Request,
    topic: str = Form("other", max_length=20),
    question: str = Form("", max_length=5000),
    asker_name: str = Form("", max_length=200),
    contact: str = Form("", max_length=300),
    policy_id: str = Form("", max_length=12),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    values = {
        "topic": topic,
        "question": question,
        "asker_name": asker_name,
        "contact": contact,
        "policy_id": policy_id,
    }
    errors: dict[str, str] = {}
    try:
        data = ConcernIn(
            topic=topic,
            question=question.strip(),
            asker_name=asker_name or None,
            contact=contact or None,
            policy_id=stored_id(policy_id),
        )
    except ValidationError as exc:
        errors = _errors_of(exc)
        if "question" in errors:
            errors["question"] = "请填写问题，5 至 3000 个字"
    if errors:
        return _concerns_page(request, session, values=values, errors=errors, status=400)

    def refused(session: Session, exc: SunshineError) -> Response:
        errors = {exc.extra.get("field") if exc.extra.get("field") in values else "question": exc.detail}
        return _concerns_page(request, session, values=values, errors=errors, status=400)

    with refusals_shown_on(refused, passing=()):
        concern = service.submit_concern(session, data)
        due = service.reply_due(session, concern)
    flash(
        request,
        "success",
        f"已收到您的问题，编号 {service.reference(concern)}"
        + (f"，我们将于 {due.year}年{due.month}月{due.day}日前答复" if due else "")
        + "。答复经审核后在本页公开，您的姓名和联系方式不会公开。",
    )
    return redirect(request, "/concerns")


@router.get("/concerns/{concern_id}", response_class=HTMLResponse)
def concern_page(request: Request, concern_id: Id, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    concern = service.get_published_concern(session, concern_id)
    policy = service.get_policy(session, concern.policy_id) if concern.policy_id else None
    return render(
        request,
        "concern_detail.html",
        page_title=f"回应关切 {service.reference(concern)}",
        concern=concern,
        reference=service.reference(concern),
        answer_html=service.sanitise(concern.answer_html or ""),
        topic_label=service.topic_label,
        policy=policy,
    )


# --------------------------------------------------------------------------- the disclosure office


POLICY_FIELDS = (
    "title",
    "issuing_body",
    "doc_number",
    "level",
    "issued_on",
    "effective_on",
    "region_code",
    "body_html",
    "source_url",
    "attachment",
)


def _policy_form(
    request: Request, values: dict | None = None, errors: dict | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "policies_form.html",
        status=status,
        page_title="发布政策文件",
        values=values
        or {
            "title": "",
            "issuing_body": "",
            "doc_number": "",
            "level": "normative",
            "issued_on": clock.today_local().isoformat(),
            "effective_on": "",
            "region_code": "",
            "body_html": "",
            "source_url": "",
        },
        errors=errors or {},
        level_options=list(service.LEVELS.items()),
    )


@router.get("/staff/policies/new", response_class=HTMLResponse)
def new_policy_form(request: Request, _: Principal = OFFICE) -> Response:
    return _policy_form(request)


@router.post("/staff/policies/new", response_class=HTMLResponse)
async def new_policy(request: Request, session: Session = SessionDep, principal: Principal = OFFICE) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "") for name in POLICY_FIELDS if name != "attachment"}
    upload = form.get("attachment")
    attachment = None
    if isinstance(upload, UploadFile) and (upload.filename or upload.size):
        attachment = Upload(filename=upload.filename or "", data=await upload.read(), content_type=upload.content_type)
    # read on the event loop; checked, stored and shown in a worker thread (the page reads the database)
    return await run_in_threadpool(_create_policy, request, session, principal, values, attachment)


def _create_policy(
    request: Request, session: Session, principal: Principal, values: dict[str, str], attachment: Upload | None
) -> Response:
    errors: dict[str, str] = {}
    issued_on = _date(values["issued_on"], "issued_on", "公布日期", errors, required=True)
    effective_on = _date(values["effective_on"], "effective_on", "施行日期", errors, required=False)
    data = None
    if not errors:
        try:
            data = PolicyIn(
                title=values["title"],
                issuing_body=values["issuing_body"],
                doc_number=values["doc_number"] or None,
                level=values["level"],
                issued_on=issued_on,
                effective_on=effective_on,
                region_code=values["region_code"].strip() or None,
                body_html=values["body_html"],
                source_url=values["source_url"] or None,
            )
        except ValidationError as exc:
            errors = _errors_of(exc)
            if "region_code" in errors:
                errors["region_code"] = "行政区划代码应为 6 位数字，如 350100"
    if data is None or errors:
        return _policy_form(request, values, errors, status=400)

    def refused(_session: Session, exc: SunshineError) -> Response:
        field = exc.extra.get("field")
        return _policy_form(request, values, {field if field in POLICY_FIELDS else "title": exc.detail}, status=400)

    with refusals_shown_on(refused, passing=()):
        policy = service.create_policy(session, principal, data, attachment)
    flash(request, "success", f"已发布《{policy.title}》，并记入全程留痕第 {policy.ledger_seq} 号")
    return redirect(request, f"/policies/{policy.id}")


INTERPRETATION_FIELDS = ("title", "form", "interpreter", "body_html")


def _interpretation_form(
    request: Request, policy, values: dict | None = None, errors: dict | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "interpretation_form.html",
        status=status,
        page_title="发布政策解读",
        policy=policy,
        values=values or {"title": f"《{policy.title}》解读", "form": "text", "interpreter": "", "body_html": ""},
        errors=errors or {},
        form_options=list(service.FORMS.items()),
    )


@router.get("/staff/policies/{policy_id}/interpretations/new", response_class=HTMLResponse)
def new_interpretation_form(
    request: Request, policy_id: Id, session: Session = SessionDep, _: Principal = OFFICE
) -> Response:
    return _interpretation_form(request, service.get_policy(session, policy_id))


@router.post("/staff/policies/{policy_id}/interpretations/new", response_class=HTMLResponse)
def new_interpretation(
    request: Request,
    policy_id: Id,
    title: str = Form("", max_length=1000),
    form: str = Form("text", max_length=20),
    interpreter: str = Form("", max_length=1000),
    body_html: str = Form("", max_length=300_000),
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    policy = service.get_policy(session, policy_id)
    values = {"title": title, "form": form, "interpreter": interpreter, "body_html": body_html}
    errors: dict[str, str] = {}
    try:
        data = InterpretationIn(title=title, form=form, interpreter=interpreter, body_html=body_html)
    except ValidationError as exc:
        errors = _errors_of(exc)
    if errors:
        return _interpretation_form(request, policy, values, errors, status=400)

    def refused(session: Session, exc: SunshineError) -> Response:
        field = exc.extra.get("field")
        errors = {field if field in INTERPRETATION_FIELDS else "title": exc.detail}
        return _interpretation_form(request, service.get_policy(session, policy_id), values, errors, status=400)

    with refusals_shown_on(refused, passing=()):
        row = service.add_interpretation(session, principal, policy.id, data)
    flash(request, "success", f"已发布政策解读“{row.title}”")
    return redirect(request, f"/interpretations/{row.id}")


def _queue_page(
    request: Request, session: Session, *, errors: dict | None = None, status: int = 200, cursor: str | None = None
) -> Response:
    result = service.staff_queue(session, cursor=cursor)
    concerns = result.items
    return render(
        request,
        "concerns_staff.html",
        status=status,
        page_title="回应关切答复",
        concerns=concerns,
        result=result,
        page_url=page_urls("/staff/concerns", {}),
        dues=service.reply_dues(session, concerns),
        today=clock.today_local(),
        reference=service.reference,
        topic_label=service.topic_label,
        statuses=service.STATUSES,
        errors=errors or {},
    )


@router.get("/staff/concerns", response_class=HTMLResponse)
def concern_queue(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, _: Principal = OFFICE
) -> Response:
    return _queue_page(request, session, cursor=cursor)


@router.post("/staff/concerns/{concern_id}/answer", response_class=HTMLResponse)
def answer_concern(
    request: Request,
    concern_id: Id,
    answer_html: str = Form("", max_length=60_000),
    public_question: str = Form("", max_length=5000),
    publish: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    try:
        data = AnswerIn(answer_html=answer_html, public_question=public_question or None, publish=bool(publish))
    except ValidationError:
        return _queue_page(request, session, errors={concern_id: "请填写答复内容"}, status=400)
    with refusals_shown_on(lambda s, exc: _queue_page(request, s, errors={concern_id: exc.detail}, status=400)):
        concern = service.answer_concern(session, principal, concern_id, data)
    done = "已答复并公开" if concern.status == "published" else "已答复（尚未公开）"
    flash(request, "success", f"{service.reference(concern)}：{done}")
    return redirect(request, "/staff/concerns")


@router.post("/staff/concerns/{concern_id}/publish")
def publish_concern(
    request: Request, concern_id: Id, session: Session = SessionDep, principal: Principal = OFFICE
) -> Response:
    concern = service.publish_concern(session, principal, concern_id)
    flash(request, "success", f"{service.reference(concern)}：已公开，记入全程留痕第 {concern.ledger_seq} 号")
    return redirect(request, "/staff/concerns")
