"""Pages of the service desk: the public desk (leave a message, search the knowledge base, follow an order by
its number and lookup code and rate it), the knowledge base, the published satisfaction results and the
desk's statistics; the desk's own pages (orders with their clock, history, suggestions and steps; calls
registered by agents; low scores answered); a person's surveys on the workbench and a survey by its link.
Thin: rules in the services, who sees what in ``servicedesk.visibility``."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput, SunshineError
from sunshine.core.inputs import Id, Year
from sunshine.core.pagination import CURSOR, page_urls, paginate
from sunshine.identity.roles import Role
from sunshine.servicedesk import api as desk_api
from sunshine.servicedesk import calls, desk, knowledge, orders, stats, surveys
from sunshine.servicedesk.labels import KINDS, RATINGS, SERVICES, STATES, STEPS
from sunshine.servicedesk.models import WorkOrder
from sunshine.servicedesk.schemas import OrderCreate
from sunshine.servicedesk.visibility import get_visible, is_desk, readable
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act, refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
SIGNED_IN = Depends(Access.signed_in())
DESK = Depends(Access(Role.CENTRE_STAFF))
PUBLIC_KINDS = [(k, v) for k, v in KINDS.items()]
BLANK = {"kind": "consult", "title": "", "content": "", "requester_name": "", "requester_phone": "", "project_code": ""}


def _home(request: Request, session: Session, *, values=None, errors=None, status=200, staff=False) -> Response:  # noqa: ANN001
    return render(
        request,
        "servicedesk/home.html",
        status=status,
        page_title="来电登记" if staff else "服务台",
        staff=staff,
        kinds=PUBLIC_KINDS,
        values=values or BLANK,
        errors=errors or {},
        guides=[a for a, _ in knowledge.search(session, None, kind="guide", limit=12)],
        suggestions=[] if staff else _suggest(session, (values or BLANK)["title"], (values or BLANK)["content"]),
    )


def _suggest(session: Session, title: str | None, content: str | None) -> list:
    return knowledge.suggestions(session, (title or "")[:200], (content or "")[:2000])


def _submit(request: Request, session: Session, actor: Principal, form: dict, channel: str) -> Response:
    staff = channel == "phone"
    try:
        data = OrderCreate(**{k: (v.strip() or None) if k != "kind" else v for k, v in form.items()})
    except ValidationError as exc:
        errors = {str(e["loc"][0]): "取值无效或过长" for e in exc.errors() if e.get("loc")}
        return _home(request, session, values=form, errors=errors, status=400, staff=staff)
    if data.title is None or data.content is None:
        return _home(request, session, values=form, errors={"content": "请填写标题和内容"}, status=400, staff=staff)

    def refused(session: Session, exc: SunshineError) -> Response:
        field = exc.extra.get("field") if exc.extra.get("field") in form else "content"
        return _home(request, session, values=form, errors={field: exc.detail}, status=exc.status, staff=staff)

    with refusals_shown_on(refused):
        receipt = desk_api.create_order(session, actor, data, channel)
    if staff:
        flash(request, "success", f"已登记工单 {receipt.code}")
        return redirect(request, f"/desk/orders/{receipt.id}")
    return render(
        request,
        "servicedesk/receipt.html",
        page_title="已登记",
        receipt=receipt,
        suggestions=_suggest(session, data.title, data.content),
    )


def _form(title: str, content: str, kind: str, requester_name: str, requester_phone: str, project_code: str) -> dict:
    return {
        "kind": kind,
        "title": title,
        "content": content,
        "requester_name": requester_name,
        "requester_phone": requester_phone,
        "project_code": project_code,
    }


@router.get("/desk", response_class=HTMLResponse)
def home(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    return _home(request, session)


@router.get("/desk/suggestions", response_class=HTMLResponse)
def suggestions(
    request: Request,
    title: str = Query("", max_length=200),
    content: str = Query("", max_length=5000),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    """The knowledge base's articles most like what a citizen is writing (an htmx fragment of the form)."""
    return render(request, "servicedesk/_suggestions.html", suggestions=_suggest(session, title, content))


@router.post("/desk", response_class=HTMLResponse)
def submit(
    request: Request,
    kind: str = Form("consult", max_length=20),
    title: str = Form("", max_length=200),
    content: str = Form("", max_length=5000),
    requester_name: str = Form("", max_length=100),
    requester_phone: str = Form("", max_length=40),
    project_code: str = Form("", max_length=40),
    channel: str = Form("web", max_length=10),
    session: Session = SessionDep,
    actor: Principal = PUBLIC,
) -> Response:
    """网上留言, or the on-site terminal (channel=kiosk)."""
    form = _form(title, content, kind, requester_name, requester_phone, project_code)
    return _submit(request, session, actor, form, "kiosk" if channel == "kiosk" else "web")


@router.get("/desk/calls/new", response_class=HTMLResponse)
def call_form(request: Request, session: Session = SessionDep, _: Principal = DESK) -> Response:
    return _home(request, session, staff=True)


@router.post("/desk/calls", response_class=HTMLResponse)
def register_call(
    request: Request,
    kind: str = Form("consult", max_length=20),
    title: str = Form("", max_length=200),
    content: str = Form("", max_length=5000),
    requester_name: str = Form("", max_length=100),
    requester_phone: str = Form("", max_length=40),
    project_code: str = Form("", max_length=40),
    session: Session = SessionDep,
    actor: Principal = DESK,
) -> Response:
    form = _form(title, content, kind, requester_name, requester_phone, project_code)
    return _submit(request, session, actor, form, "phone")


@router.get("/desk/track", response_class=HTMLResponse)
def track(
    request: Request,
    code: str = Query("", max_length=20),
    lookup: str = Query("", max_length=20),
    session: Session = SessionDep,
    actor: Principal = PUBLIC,
) -> Response:
    order, history, survey, questions = None, [], None, []
    if code and lookup:
        order = orders.lookup(session, code, lookup)
        history = orders.events(session, order.id)
        survey = surveys.of_requester(session, "order_closed", orders.SUBJECT, order.id)
        if survey is not None and survey.answered_at is None:
            questions = surveys.items_of(surveys.questionnaire(session, "order_closed"))
    return render(
        request,
        "servicedesk/track.html",
        page_title="工单查询",
        order=order,
        history=history,
        code=code,
        lookup=lookup,
        survey=survey,
        questions=questions,
        ratings=RATINGS,
        labels={"kinds": KINDS, "states": STATES, "steps": STEPS},
    )


def _answers(form) -> tuple[dict[str, int], str | None]:  # noqa: ANN001
    answers = {}
    for key, value in form.multi_items():
        if key.startswith("a_") and str(value).isdigit():
            answers[key[2:]] = int(value)
    comment = str(form.get("comment") or "")[:2000] or None
    return answers, comment


@router.post("/desk/track/survey")
async def track_survey(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    code, lookup = str(form.get("code") or "")[:20], str(form.get("lookup") or "")[:20]
    answers, comment = _answers(form)
    back = f"/desk/track?code={code}&lookup={lookup}"

    def work() -> Response:
        order = orders.lookup(session, code, lookup)
        inv = surveys.of_requester(session, "order_closed", orders.SUBJECT, order.id)
        if inv is None:
            raise InvalidInput("本工单没有待评价的测评")
        return act(request, back, lambda: surveys.answer(session, inv, answers, comment), "感谢您的评价")

    return await run_in_threadpool(work)


# --------------------------------------------------------------------------- the desk's pages


@router.get("/desk/orders", response_class=HTMLResponse)
def order_list(
    request: Request,
    state: str | None = Query(None, max_length=20),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    actor: Principal = SIGNED_IN,
) -> Response:
    stmt = select(WorkOrder).where(readable(session, actor))
    if state:
        stmt = stmt.where(WorkOrder.state == state)
    result = paginate(session, stmt, desk_api.ORDERS_ORDER, cursor=cursor)
    rows = [desk_api.order_out(session, actor, o, detail=False) for o in result.items]
    return render(
        request,
        "servicedesk/orders.html",
        page_title="工单",
        rows=rows,
        state=state,
        is_desk=is_desk(actor),
        result=result,
        page_url=page_urls("/desk/orders", {"state": state}),
    )


@router.get("/desk/orders/{order_id}", response_class=HTMLResponse)
def order_page(request: Request, order_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> Response:
    order = get_visible(session, actor, order_id)
    out = desk_api.order_out(session, actor, order)
    member = order.department_id in desk.departments_of(session, actor.user_id)
    return render(
        request,
        "servicedesk/order.html",
        page_title=f"工单 {order.code}",
        o=out,
        is_desk=is_desk(actor),
        member=member,
        departments=[
            (str(d.id), d.name) for d in desk.departments(session) if order.kind != "report" or d.kind == "supervisory"
        ],
        recordings=calls.recordings_of(session, order.id),
        ratings=RATINGS,
    )


@router.post("/desk/orders/{order_id}/{step}")
def order_step(
    request: Request,
    order_id: Id,
    step: str,
    department_id: str = Form("", max_length=12),
    note: str = Form("", max_length=2000),
    text: str = Form("", max_length=5000),
    satisfaction: str = Form("", max_length=2),
    session: Session = SessionDep,
    actor: Principal = SIGNED_IN,
) -> Response:
    order = get_visible(session, actor, order_id)
    back = f"/desk/orders/{order_id}"
    steps = {
        "route": lambda: orders.route(
            session, actor, order, int(department_id) if department_id.isdigit() else 0, note=note or None
        ),
        "remind": lambda: orders.remind(session, actor, order, note=note or None),
        "escalate": lambda: orders.escalate(session, actor, order, note=note or None),
        "reply": lambda: orders.reply(session, actor, order, text),
        "callback": lambda: orders.callback(
            session, actor, order, int(satisfaction) if satisfaction.isdigit() else 0, note or None
        ),
        "faq": lambda: knowledge.from_order(session, actor, order),
    }
    if step not in steps:
        raise InvalidInput("没有这个办理步骤")
    return act(request, back, steps[step], "已办理")


# --------------------------------------------------------------------------- knowledge, figures


@router.get("/knowledge", response_class=HTMLResponse)
def knowledge_page(
    request: Request,
    q: str | None = Query(None, max_length=100),
    kind: str | None = Query(None, max_length=10),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    result = knowledge.search_page(session, q, kind=kind, cursor=cursor)
    return render(
        request,
        "servicedesk/knowledge.html",
        page_title="办事指南与常见问题",
        found=result.items,
        result=result,
        page_url=page_urls("/knowledge", {"q": q, "kind": kind}),
        q=q or "",
        kind=kind,
        kinds=list(knowledge.ARTICLE_KINDS.items()),
        kind_labels=knowledge.ARTICLE_KINDS,
    )


@router.get("/knowledge/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: Id, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    a = knowledge.get(session, article_id)
    return render(
        request,
        "servicedesk/article.html",
        page_title=a.title,
        a=a,
        fields=knowledge.fields_of(a),
        policies=knowledge.policies_of(session, a),
        rules=knowledge.rule_links(session, knowledge.rules_of(a)),
        kind_label=knowledge.ARTICLE_KINDS[a.kind],
    )


@router.get("/satisfaction", response_class=HTMLResponse)
def satisfaction_page(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    months = [(m, json.loads(m.figures)) for m in reversed(stats.published(session))]
    return render(request, "servicedesk/satisfaction.html", page_title="满意度测评结果", months=months)


@router.get("/desk/statistics", response_class=HTMLResponse)
def statistics_page(
    request: Request, year: Year | None = Query(None), session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    figures = stats.orders(session, year=year or clock.today_local().year)
    return render(request, "servicedesk/statistics.html", page_title="服务台工单统计", s=figures)


@router.get("/desk/low-scores", response_class=HTMLResponse)
def low_scores_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, _: Principal = DESK
) -> Response:
    result = surveys.low_scores(session, cursor=cursor)
    return render(
        request,
        "servicedesk/low_scores.html",
        page_title="低分测评",
        rows=result.items,
        result=result,
        page_url=page_urls("/desk/low-scores", {}),
        services=SERVICES,
    )


@router.get("/desk/surveys/responses/{response_id}", response_class=HTMLResponse)
def low_score_page(request: Request, response_id: Id, session: Session = SessionDep, _: Principal = DESK) -> Response:
    return render(
        request,
        "servicedesk/low_scores.html",
        page_title="低分测评",
        rows=[surveys.get_response(session, response_id)],
        services=SERVICES,
    )


@router.post("/desk/low-scores/{response_id}")
def low_score_follow_up(
    request: Request,
    response_id: Id,
    follow_up: str = Form("", max_length=5000),
    session: Session = SessionDep,
    actor: Principal = DESK,
) -> Response:
    return act(
        request, "/desk/low-scores", lambda: surveys.follow_up(session, actor, response_id, follow_up), "答复已记录"
    )


# --------------------------------------------------------------------------- surveys


@router.get("/me/surveys", response_class=HTMLResponse)
def my_surveys(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> Response:
    result = surveys.pending_for(session, actor.user_id, cursor=cursor)
    return render(
        request,
        "servicedesk/my_surveys.html",
        page_title="待评价的服务",
        rows=result.items,
        result=result,
        page_url=page_urls("/me/surveys", {}),
        services=SERVICES,
    )


def _survey_page(
    request: Request, session: Session, inv, action: str, *, error=None, chosen=None, status=200
) -> Response:  # noqa: ANN001
    q = surveys.questionnaire(session, inv.service)
    return render(
        request,
        "servicedesk/survey.html",
        status=status,
        page_title=q.title,
        inv=inv,
        q=q,
        items=surveys.items_of(q),
        ratings=RATINGS,
        action=action,
        service_label=SERVICES[inv.service],
        expired=inv.expires_on < clock.today_local(),
        error=error,
        chosen=chosen or {},
    )


def _answer_or_form(
    request: Request, session: Session, find, action: str, answers: dict, comment, done: str
) -> Response:  # noqa: ANN001
    """Answer a survey; a refusal (an item not rated, the survey closed) shows the form again with the reason."""

    def refused(s: Session, exc: SunshineError) -> Response:
        return _survey_page(request, s, find(s), action, error=exc.detail, chosen=answers, status=exc.status)

    with refusals_shown_on(refused):
        surveys.answer(session, find(session), answers, comment)
    flash(request, "success", "感谢您的评价")
    return redirect(request, done)


@router.get("/me/surveys/{invitation_id}", response_class=HTMLResponse)
def my_survey(
    request: Request, invitation_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> Response:
    return _survey_page(request, session, surveys.own(session, actor, invitation_id), f"/me/surveys/{invitation_id}")


@router.post("/me/surveys/{invitation_id}")
async def answer_my_survey(
    request: Request, invitation_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> Response:
    from starlette.concurrency import run_in_threadpool

    answers, comment = _answers(await request.form())
    action = f"/me/surveys/{invitation_id}"

    def find(s: Session):  # noqa: ANN202
        return surveys.own(s, actor, invitation_id)

    return await run_in_threadpool(_answer_or_form, request, session, find, action, answers, comment, "/me/surveys")


@router.get("/surveys/{token}", response_class=HTMLResponse)
def survey_by_link(request: Request, token: str, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    return _survey_page(request, session, surveys.by_token(session, token[:100]), f"/surveys/{token[:100]}")


@router.post("/surveys/{token}")
async def answer_by_link(
    request: Request, token: str, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    from starlette.concurrency import run_in_threadpool

    answers, comment = _answers(await request.form())
    action = f"/surveys/{token[:100]}"

    def find(s: Session):  # noqa: ANN202
        return surveys.by_token(s, token[:100])

    return await run_in_threadpool(_answer_or_form, request, session, find, action, answers, comment, action)
