"""JSON routes of the service desk under /api/v1/desk: work orders and their steps, the requester's tracking,
statistics, departments, the 12345 hotline interface, call recordings, shifts, surveys and the 特约监督员's
ratings, questionnaires, monthly satisfaction, the knowledge base. Thin: rules in the services, who sees what
in ``servicedesk.visibility``."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.complaints.models import ComplaintCase
from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import Forbidden, InvalidInput
from sunshine.core.inputs import Id, IsoDate, Year
from sunshine.core.pagination import PAGING, Keyset, Paging, paginate
from sunshine.identity.roles import Role
from sunshine.servicedesk import calls, desk, hotline, knowledge, orders, referral, stats, surveys
from sunshine.servicedesk.labels import CHANNELS, KINDS, SERVICES, STATES, STEPS
from sunshine.servicedesk.models import DeskDepartment, WorkOrder
from sunshine.servicedesk.schemas import (
    ArticleIn,
    CallbackIn,
    DepartmentIn,
    EventOut,
    FollowUpIn,
    HotlineCallbackIn,
    HotlineOrderIn,
    MemberIn,
    NoteIn,
    OrderCreate,
    OrderIn,
    OrderOut,
    OrderReceipt,
    QuestionnaireIn,
    RatingIn,
    RecordingMeta,
    ReplyIn,
    RouteIn,
    ShiftIn,
    SurveyAnswerIn,
)
from sunshine.servicedesk.visibility import get_visible, is_desk, may_see_requester, readable
from sunshine.trading.models import Project

router = APIRouter(prefix="/api/v1/desk", tags=["服务台"])
PUBLIC = Depends(Access.public())
SIGNED_IN = Depends(Access.signed_in())
DESK = Depends(Access(Role.CENTRE_STAFF))
DESK_ADMIN = Depends(Access(Role.CENTRE_STAFF, Role.ADMIN))
ADMIN = Depends(Access(Role.ADMIN))
SUPERVISORS = Depends(Access(Role.SOCIAL_SUPERVISOR))
ORDERS_ORDER = Keyset.of("desk-orders", WorkOrder.id)


def _dept_name(session: Session, dept_id: int | None) -> str | None:
    if dept_id is None:
        return None
    row = session.get(DeskDepartment, dept_id)
    return row.name if row else None


def order_out(session: Session, actor: Principal, order: WorkOrder, *, detail: bool = True) -> OrderOut:
    personal = may_see_requester(session, actor, order)
    history = []
    if detail:
        names = dict(session.execute(select(DeskDepartment.id, DeskDepartment.name)).all())
        history = [
            EventOut(
                step=e.step,
                step_label=STEPS.get(e.step, e.step),
                state_label=STATES.get(e.to_state, e.to_state),
                day=e.day,
                department=names.get(e.department_id),
                note=e.note,
                at=e.at,
            )
            for e in orders.events(session, order.id)
        ]
    suggestions = []
    if detail and is_desk(actor) and order.kind != "report":
        suggestions = [
            {"id": a.id, "title": a.title, "kind": a.kind, "similarity": round(s, 3), "url": f"/knowledge/{a.id}"}
            for a, s in knowledge.suggestions(session, order.title, order.content)
        ]
    project_code = (
        session.scalar(select(Project.code).where(Project.id == order.project_id)) if order.project_id else None
    )
    complaint = (
        session.scalar(select(ComplaintCase.code).where(ComplaintCase.id == order.complaint_case_id))
        if order.complaint_case_id
        else None
    )
    return OrderOut(
        id=order.id,
        code=order.code,
        kind=order.kind,
        kind_label=KINDS[order.kind],
        channel_label=CHANNELS.get(order.channel, order.channel),
        state=order.state,
        state_label=STATES[order.state],
        title=order.title,
        content=order.content,
        requester_name=order.requester_name if personal else None,
        requester_phone=order.requester_phone if personal else None,
        project_code=project_code,
        department=_dept_name(session, order.department_id),
        limit=order.limit_basis,
        due_on=order.due_on,
        days_left=orders.days_left(session, order),
        escalated=order.escalated,
        reply=order.reply,
        replied_on=order.replied_on,
        on_time=order.on_time,
        satisfaction=order.satisfaction,
        reopen_count=order.reopen_count,
        complaint_code=complaint,
        hotline_ref=order.hotline_ref,
        history=history,
        suggestions=suggestions,
    )


def create_order(session: Session, actor: Principal, data: OrderCreate, channel: str) -> OrderReceipt:
    base = data.model_dump(exclude={"referral"})
    base["hotline_ref"] = None
    order_in = OrderIn(**base)
    if referral.is_trading_complaint(order_in):
        order, code = referral.refer(session, actor, order_in, data.referral, channel=channel)
    else:
        order, code = orders.register(session, actor, order_in, channel=channel)
    complaint = (
        session.scalar(select(ComplaintCase.code).where(ComplaintCase.id == order.complaint_case_id))
        if order.complaint_case_id
        else None
    )
    message = f"已登记，工单编号 {order.code}，查询码 {code}（请妥善保存，凭编号和查询码查看办理情况）"
    if order.state == "referred":
        message = order.reply or message
    return OrderReceipt(
        id=order.id,
        code=order.code,
        lookup_code=code,
        state_label=STATES[order.state],
        complaint_code=complaint,
        message=message,
    )


@router.post("/orders", response_model=OrderReceipt, status_code=201)
def submit(data: OrderCreate, session: Session = SessionDep, actor: Principal = PUBLIC) -> OrderReceipt:
    """网上留言: anyone; a trading complaint is handed to the complaints procedure."""
    return create_order(session, actor, data, "web")


@router.post("/orders/phone", response_model=OrderReceipt, status_code=201)
def register_call(data: OrderCreate, session: Session = SessionDep, actor: Principal = DESK) -> OrderReceipt:
    """来电登记: an agent registers a call."""
    return create_order(session, actor, data, "phone")


@router.get("/orders", response_model=list[OrderOut])
def list_orders(
    state: str | None = Query(None, max_length=20),
    kind: str | None = Query(None, max_length=20),
    paging: Paging = PAGING,
    session: Session = SessionDep,
    actor: Principal = SIGNED_IN,
) -> list[OrderOut]:
    stmt = select(WorkOrder).where(readable(session, actor))
    if state in STATES:
        stmt = stmt.where(WorkOrder.state == state)
    if kind in KINDS:
        stmt = stmt.where(WorkOrder.kind == kind)
    rows = paging.answer(paginate(session, stmt, ORDERS_ORDER, cursor=paging.cursor, limit=paging.limit))
    return [order_out(session, actor, o, detail=False) for o in rows]


@router.get("/orders/{order_id}", response_model=OrderOut)
def get_order(order_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> OrderOut:
    return order_out(session, actor, get_visible(session, actor, order_id))


@router.post("/orders/{order_id}/route", response_model=OrderOut)
def route(order_id: Id, data: RouteIn, session: Session = SessionDep, actor: Principal = DESK) -> OrderOut:
    order = orders.route(session, actor, get_visible(session, actor, order_id), data.department_id, note=data.note)
    return order_out(session, actor, order)


@router.post("/orders/{order_id}/remind", response_model=OrderOut)
def remind(order_id: Id, data: NoteIn, session: Session = SessionDep, actor: Principal = DESK) -> OrderOut:
    return order_out(
        session, actor, orders.remind(session, actor, get_visible(session, actor, order_id), note=data.note)
    )


@router.post("/orders/{order_id}/escalate", response_model=OrderOut)
def escalate(order_id: Id, data: NoteIn, session: Session = SessionDep, actor: Principal = DESK) -> OrderOut:
    return order_out(
        session, actor, orders.escalate(session, actor, get_visible(session, actor, order_id), note=data.note)
    )


@router.post("/orders/{order_id}/reply", response_model=OrderOut)
def reply(order_id: Id, data: ReplyIn, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> OrderOut:
    return order_out(session, actor, orders.reply(session, actor, get_visible(session, actor, order_id), data.reply))


@router.post("/orders/{order_id}/callback", response_model=OrderOut)
def callback(order_id: Id, data: CallbackIn, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> OrderOut:
    order = orders.callback(session, actor, get_visible(session, actor, order_id), data.satisfaction, data.note)
    return order_out(session, actor, order)


@router.post("/orders/{order_id}/faq", status_code=201)
def to_faq(order_id: Id, session: Session = SessionDep, actor: Principal = DESK) -> dict:
    row = knowledge.from_order(session, actor, get_visible(session, actor, order_id))
    return {"id": row.id, "url": f"/knowledge/{row.id}"}


@router.get("/track", response_model=OrderOut)
def track(
    code: str = Query(..., max_length=20),
    lookup: str = Query(..., max_length=20),
    session: Session = SessionDep,
    actor: Principal = PUBLIC,
) -> OrderOut:
    """The requester follows their order by its number and lookup code (no staff notes, no other person's data)."""
    order = orders.lookup(session, code, lookup)
    out = order_out(session, actor, order, detail=False)
    return out.model_copy(update={"requester_name": order.requester_name, "requester_phone": None})


@router.get("/statistics")
def statistics(year: Year | None = Query(None), session: Session = SessionDep, _: Principal = PUBLIC) -> dict:
    return stats.orders(session, year=year or clock.today_local().year)


# --------------------------------------------------------------------------- departments and settings


@router.get("/departments")
def list_departments(
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = SIGNED_IN,
) -> list[dict]:
    rows = paging.answer(desk.department_page(session, cursor=paging.cursor, limit=paging.limit))
    return [{"id": d.id, "name": d.name, "kind": d.kind, "phone": d.phone} for d in rows]


@router.post("/departments", status_code=201)
def create_department(data: DepartmentIn, session: Session = SessionDep, _: Principal = DESK_ADMIN) -> dict:
    d = desk.create_department(session, name=data.name, kind=data.kind, phone=data.phone)
    return {"id": d.id, "name": d.name, "kind": d.kind}


@router.post("/departments/{department_id}/members", status_code=201)
def add_member(department_id: Id, data: MemberIn, session: Session = SessionDep, _: Principal = DESK_ADMIN) -> dict:
    m = desk.add_member(session, department_id, data.user_id)
    return {"department_id": m.department_id, "user_id": m.user_id}


@router.put("/settings/head")
def set_head(data: MemberIn, session: Session = SessionDep, actor: Principal = ADMIN) -> dict:
    desk.set_head(session, actor, data.user_id)
    return {"centre_head_user_id": data.user_id}


# --------------------------------------------------------------------------- 12345, recordings, shifts


@router.post("/hotline/orders", status_code=201)
def hotline_order(data: HotlineOrderIn, session: Session = SessionDep, actor: Principal = DESK) -> dict:
    order = hotline.receive(session, actor, data)
    return {"hotline_ref": data.hotline_ref, "platform_code": order.code, "state": STATES[order.state]}


@router.post("/hotline/callbacks")
def hotline_callback(data: HotlineCallbackIn, session: Session = SessionDep, actor: Principal = DESK) -> dict:
    order = hotline.callback(session, actor, data)
    return {"hotline_ref": data.hotline_ref, "platform_code": order.code, "state": STATES[order.state]}


@router.get("/hotline/messages")
def hotline_messages(
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = DESK,
) -> list[dict]:
    rows = paging.answer(hotline.exchange(session, cursor=paging.cursor, limit=paging.limit))
    return [
        {
            "id": m.id,
            "direction": m.direction,
            "kind": m.kind,
            "hotline_ref": m.hotline_ref,
            "status": m.status,
            "attempts": m.attempts,
            "payload": json.loads(m.payload),
            "created_at": m.created_at,
            "sent_at": m.sent_at,
        }
        for m in rows
    ]


@router.post("/recordings", status_code=201)
async def upload_recording(
    file: UploadFile = File(...),
    call_id: str = Form(..., min_length=4, max_length=64),
    started_at: str = Form(..., max_length=40),
    duration_seconds: int = Form(..., ge=0, le=86400),
    order_code: str | None = Form(None, max_length=20),
    session: Session = SessionDep,
    actor: Principal = DESK,
) -> dict:
    data = await file.read(calls.MAX_AUDIO_BYTES + 1)
    meta = RecordingMeta(
        call_id=call_id, order_code=order_code or None, started_at=started_at, duration_seconds=duration_seconds
    )

    def work() -> dict:
        row = calls.attach_recording(session, actor, meta, file.filename or "", data)
        return {"id": row.id, "call_id": row.call_id, "sha256": row.sha256, "size": row.size}

    return await run_in_threadpool(work)


@router.get("/recordings/{recording_id}/audio")
def recording_audio(recording_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> Response:
    return recording_response(session, actor, recording_id)


def recording_response(session: Session, actor: Principal, recording_id: int) -> Response:
    """A recording's audio for the API and the pages' player: the desk, or those who may see its order."""
    row, data = calls.audio(session, recording_id)
    if row.order_id is not None:
        get_visible(session, actor, row.order_id)  # 404 unless the viewer may see the order
    elif not is_desk(actor):
        raise Forbidden("录音由服务台调阅")
    return Response(data, media_type=calls.content_type(row), headers={"X-Content-SHA256": row.sha256})


@router.post("/shifts", status_code=201)
def add_shift(data: ShiftIn, session: Session = SessionDep, actor: Principal = DESK) -> dict:
    s = calls.add_shift(session, actor, data)
    return {"id": s.id, "user_id": s.user_id, "day": s.day, "starts": s.starts, "ends": s.ends, "seat": s.seat}


@router.get("/shifts")
def list_shifts(
    week: IsoDate | None = Query(None),
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = DESK,
) -> list[dict]:
    first = week or clock.today_local()
    first = first.fromordinal(first.toordinal() - first.weekday())
    rows = paging.answer(calls.week_page(session, first, cursor=paging.cursor, limit=paging.limit))
    return [
        {"id": s.id, "agent": name, "day": s.day, "starts": s.starts, "ends": s.ends, "seat": s.seat}
        for s, name in rows
    ]


# --------------------------------------------------------------------------- surveys and ratings


def _survey_out(session: Session, inv) -> dict:  # noqa: ANN001
    q = surveys.questionnaire(session, inv.service)
    return {
        "id": inv.id,
        "service": inv.service,
        "service_label": SERVICES[inv.service],
        "subject": inv.subject_label,
        "title": q.title,
        "items": surveys.items_of(q),
        "expires_on": inv.expires_on,
        "answered": inv.answered_at is not None,
    }


@router.get("/me/surveys")
def my_surveys(
    paging: Paging = PAGING,
    session: Session = SessionDep,
    actor: Principal = SIGNED_IN,
) -> list[dict]:
    rows = paging.answer(surveys.pending_for(session, actor.user_id, cursor=paging.cursor, limit=paging.limit))
    return [_survey_out(session, i) for i in rows]


@router.post("/me/surveys/{invitation_id}", status_code=201)
def answer_mine(
    invitation_id: Id, data: SurveyAnswerIn, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> dict:
    r = surveys.answer(session, surveys.own(session, actor, invitation_id), data.answers, data.comment)
    return {"id": r.id, "score": r.score}


@router.get("/surveys/{token}")
def survey_by_token(token: str, session: Session = SessionDep, _: Principal = PUBLIC) -> dict:
    return _survey_out(session, surveys.by_token(session, token[:100]))


@router.post("/surveys/{token}", status_code=201)
def answer_by_token(token: str, data: SurveyAnswerIn, session: Session = SessionDep, _: Principal = PUBLIC) -> dict:
    r = surveys.answer(session, surveys.by_token(session, token[:100]), data.answers, data.comment)
    return {"id": r.id, "score": r.score}


@router.post("/ratings", status_code=201)
def rate(data: RatingIn, session: Session = SessionDep, actor: Principal = SUPERVISORS) -> dict:
    """特约监督员评议服务结果: the rating joins the satisfaction figures, labelled as a supervisor's."""
    r = surveys.rate(
        session,
        actor,
        service=data.service,
        subject=data.subject,
        answers=data.answers,
        comment=data.comment,
        department_id=data.department_id,
    )
    return {"id": r.id, "score": r.score, "respondent": "特约监督员"}


@router.get("/questionnaires/{service}")
def get_questionnaire(service: str, session: Session = SessionDep, _: Principal = PUBLIC) -> dict:
    if service not in SERVICES:
        raise InvalidInput("没有该服务事项的测评表", field="service")
    q = surveys.questionnaire(session, service)
    return {"service": service, "title": q.title, "items": surveys.items_of(q), "version": q.version}


@router.put("/questionnaires/{service}")
def edit_questionnaire(
    service: str, data: QuestionnaireIn, session: Session = SessionDep, actor: Principal = DESK
) -> dict:
    q = surveys.edit_questionnaire(
        session, actor, service[:30], title=data.title, items=data.items, department_id=data.department_id
    )
    return {"service": q.service, "title": q.title, "items": surveys.items_of(q), "version": q.version}


@router.get("/satisfaction")
def satisfaction(
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> list[dict]:
    rows = paging.answer(stats.published_page(session, cursor=paging.cursor, limit=paging.limit))
    return [
        {"month": m.month, "published_at": m.published_at, "ledger_seq": m.ledger_seq, "figures": json.loads(m.figures)}
        for m in rows
    ]


@router.get("/satisfaction/{month}/current")
def satisfaction_now(month: str, session: Session = SessionDep, _: Principal = DESK) -> dict:
    return stats.satisfaction(session, month[:7])


@router.post("/satisfaction/{month}/publish", status_code=201)
def publish(month: str, session: Session = SessionDep, actor: Principal = DESK) -> dict:
    row = stats.publish_month(session, actor, month[:7])
    return {"month": row.month, "ledger_seq": row.ledger_seq}


@router.get("/low-scores")
def low_scores(
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = DESK,
) -> list[dict]:
    rows = paging.answer(surveys.low_scores(session, cursor=paging.cursor, limit=paging.limit))
    return [
        {
            "id": r.id,
            "service_label": SERVICES[r.service],
            "score": r.score,
            "subject": r.subject_label,
            "comment": r.comment,
            "follow_up": r.follow_up,
            "respondent": r.respondent,
        }
        for r in rows
    ]


@router.post("/low-scores/{response_id}/follow-up")
def follow_up(response_id: Id, data: FollowUpIn, session: Session = SessionDep, actor: Principal = DESK) -> dict:
    r = surveys.follow_up(session, actor, response_id, data.follow_up)
    return {"id": r.id, "follow_up": r.follow_up}


# --------------------------------------------------------------------------- knowledge base


def _article(session: Session, a) -> dict:  # noqa: ANN001
    return {
        "id": a.id,
        "kind": a.kind,
        "kind_label": knowledge.ARTICLE_KINDS[a.kind],
        "title": a.title,
        "body": a.body,
        "fields": dict(knowledge.fields_of(a)),
        "rules": knowledge.rules_of(a),
        "policies": [
            {"id": p.id, "title": p.title, "url": f"/policies/{p.id}"} for p in knowledge.policies_of(session, a)
        ],
        "url": f"/knowledge/{a.id}",
    }


@router.get("/knowledge")
def search_knowledge(
    q: str | None = Query(None, max_length=100),
    kind: str | None = Query(None, max_length=10),
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> list[dict]:
    rows = paging.answer(knowledge.search_page(session, q, kind=kind, cursor=paging.cursor, limit=paging.limit))
    return [{**_article(session, a), "similarity": round(s, 3)} for a, s in rows]


@router.get("/knowledge/{article_id}")
def get_article(article_id: Id, session: Session = SessionDep, _: Principal = PUBLIC) -> dict:
    return _article(session, knowledge.get(session, article_id))


@router.post("/knowledge", status_code=201)
def create_article(data: ArticleIn, session: Session = SessionDep, actor: Principal = DESK) -> dict:
    return _article(session, knowledge.save(session, actor, data))


@router.put("/knowledge/{article_id}")
def update_article(article_id: Id, data: ArticleIn, session: Session = SessionDep, actor: Principal = DESK) -> dict:
    return _article(session, knowledge.save(session, actor, data, article_id))
