"""JSON routes of information requests under /api/v1/requests (and the annual report under
/api/v1/disclosure): online submission and lookup for the public, the queue, detail and every step for
the disclosure office, the opinion for the responsible department, the regime for the administrator.
Thin: every rule is in ``service`` and ``steps``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from sunshine.core import calendar
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, Year
from sunshine.core.pagination import CURSOR, LIMIT, MAX_LIMIT, link_header
from sunshine.identity.roles import Role
from sunshine.inforequests import deadlines, report, repository, service, states, stats, steps, visibility
from sunshine.inforequests.models import InfoRequest, RequestEvent
from sunshine.inforequests.schemas import (
    ClockOut,
    EventOut,
    LookupIn,
    QueueItemOut,
    ReceiptOut,
    RegimeIn,
    ReportOut,
    RequestIn,
    RequestOut,
    ReviewIn,
    StatsOut,
    StatusOut,
)
from sunshine.inforequests.timing import AnswerClock, explain

router = APIRouter(prefix="/api/v1/requests", tags=["依申请公开"])
report_router = APIRouter(prefix="/api/v1/disclosure", tags=["依申请公开"])
PUBLIC = Depends(Access.public())
OFFICE = Depends(Access(Role.DISCLOSURE_OFFICE))
STAFF = Depends(Access(Role.DISCLOSURE_OFFICE, Role.SUPERVISOR, Role.CENTRE_STAFF))
DEPARTMENT = Depends(Access(Role.SUPERVISOR, Role.CENTRE_STAFF))
ADMIN = Depends(Access(Role.ADMIN))

STATUS_LABELS = {"running": "计时中", "awaiting_correction": "等待补正（暂不计时）", "paused": "征求意见中（暂停计时）"}


def clock_out(req: InfoRequest, answer: AnswerClock) -> ClockOut:
    days = int(repository.pack_of(req).rule("answer_within").value)
    return ClockOut(
        status=answer.status,
        status_label=STATUS_LABELS[answer.status],
        base=answer.base,
        days=answer.days,
        extension=answer.extension,
        due=answer.due,
        provisional=answer.provisional,
        counted=answer.counted,
        basis=explain(answer, days),
    )


def _events(history: list[RequestEvent]) -> list[EventOut]:
    return [
        EventOut(
            step=e.step,
            title=states.STEPS[e.step].title,
            from_state=e.from_state,
            to_state=e.to_state,
            day=e.day,
            days=e.days,
            ledger_seq=e.ledger_seq,
        )
        for e in history
    ]


def _status_fields(session: Session, req: InfoRequest) -> dict[str, Any]:
    history = repository.events(session, req)
    answer = deadlines.clock_of(req, history, calendar.load(session))
    return {
        "tracking_no": req.tracking_no,
        "short_code": req.short_code,
        "channel": req.channel,
        "received_on": req.received_on,
        "state": req.state,
        "state_label": states.STATES[req.state],
        "clock": clock_out(req, answer),
        "answer_form": req.answer_form,
        "answer_form_label": states.ANSWER_FORMS[req.answer_form].label if req.answer_form else None,
        "answered_on": req.answered_on,
        "fee_amount": req.fee_amount,
        "events": _events(history),
    }


def request_out(session: Session, req: InfoRequest, actor: Principal) -> RequestOut:
    return RequestOut(
        **_status_fields(session, req),
        id=req.id,
        applicant_type=req.applicant_type,
        applicant_name=req.applicant_name,
        contact_phone=req.contact_phone,
        email=req.email,
        address=req.address,
        description=req.description,
        pack_key=req.pack_key,
        pack_version=req.pack_version,
        department_user_id=req.department_user_id,
        volume_flag=req.volume_flag,
        category=req.category,
        next_steps=steps.available(req, actor),
    )


def _receipt(receipt: service.Receipt) -> ReceiptOut:
    req = receipt.request
    return ReceiptOut(
        id=req.id,
        tracking_no=req.tracking_no,
        short_code=req.short_code,
        code=receipt.code,
        received_on=req.received_on,
        receipt_rule=states.RECEIPT_RULES["post_ordinary" if req.post_signed is False else req.channel],
        regime=req.pack_key,
        clock=clock_out(req, receipt.clock),
    )


@router.post("", response_model=ReceiptOut, status_code=201, summary="在线提交政府信息公开申请")
def submit_online(body: RequestIn, session: Session = SessionDep, actor: Principal = PUBLIC) -> ReceiptOut:
    return _receipt(service.submit(session, actor, body.model_copy(update={"channel": "online"}), public=True))


@router.post("/intake", response_model=ReceiptOut, status_code=201, summary="登记当面、邮寄、网络或传真收到的申请")
def intake(body: RequestIn, session: Session = SessionDep, actor: Principal = OFFICE) -> ReceiptOut:
    return _receipt(service.submit(session, actor, body, public=False))


@router.post("/lookup", response_model=StatusOut, summary="申请人凭申请编号和查询码查询办理进度")
def lookup(body: LookupIn, session: Session = SessionDep, _: Principal = PUBLIC) -> StatusOut:
    return StatusOut(**_status_fields(session, service.lookup(session, body.tracking, body.code)))


@router.get("/stats", response_model=StatsOut, summary="依申请公开统计（按月、按办理结果、答复用时）")
def public_stats(
    months: int = Query(12, ge=1, le=60), session: Session = SessionDep, _: Principal = PUBLIC
) -> StatsOut:
    data = stats.public_stats(session, months=months)
    return StatsOut(
        months=data.months,
        received=data.received,
        answered=data.answered,
        median_days=data.median_days,
        outcomes=data.outcomes,
        total_received=data.total_received,
        total_answered=data.total_answered,
        median_days_overall=data.median_days_overall,
        on_time_rate=data.on_time_rate,
    )


@router.put("/regime", summary="选择新收申请适用的规则（2019年条例或中心原规则）")
def set_regime(body: RegimeIn, session: Session = SessionDep, actor: Principal = ADMIN) -> dict[str, str]:
    key = service.set_regime(session, actor=actor, key=body.regime)
    return {"regime": key, "label": service.REGIMES[key]}


@router.get(
    "",
    response_model=list[QueueItemOut],
    summary='办理队列（政务公开办看全部，承办部门看转给自己的；有下一页时响应头 Link 给出 rel="next" 的地址）',
)
def queue(
    request: Request,
    response: Response,
    state: str | None = Query(None, max_length=40),
    open_only: bool = Query(False),
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    session: Session = SessionDep,
    actor: Principal = STAFF,
) -> list[QueueItemOut]:
    page = service.queue(session, actor, state=state, open_only=open_only, cursor=cursor, limit=limit or MAX_LIMIT)
    response.headers.update(link_header(request.url, page))
    rows = page.items
    return [
        QueueItemOut(
            id=row.request.id,
            tracking_no=row.request.tracking_no,
            received_on=row.request.received_on,
            state=row.request.state,
            state_label=states.STATES[row.request.state],
            due=row.clock.due,
            provisional=row.clock.provisional,
            overdue=row.overdue,
            department_user_id=row.request.department_user_id,
        )
        for row in rows
    ]


@router.get("/{request_id}", response_model=RequestOut, summary="申请详情与办理记录")
def detail(request_id: Id, session: Session = SessionDep, actor: Principal = STAFF) -> RequestOut:
    return request_out(session, visibility.get_for_staff(session, actor, request_id), actor)


def _step_route(action: str, policy: Any) -> Callable[..., RequestOut]:
    fn, schema, _ = steps.ACTIONS[action]

    def endpoint(request_id: Id, body: schema, session: Session = SessionDep, actor: Principal = policy) -> RequestOut:  # type: ignore[valid-type]
        req = visibility.get_for_staff(session, actor, request_id)
        fn(session, actor, req, body)
        return request_out(session, req, actor)

    endpoint.__annotations__["body"] = schema
    return endpoint


for _action, (_fn, _schema, _done) in steps.ACTIONS.items():
    router.add_api_route(
        f"/{{request_id}}/{_action}",
        _step_route(_action, DEPARTMENT if _action == "opinion" else OFFICE),
        methods=["POST"],
        response_model=RequestOut,
        summary=states.STEPS[
            {
                "correction": "request_correction",
                "corrected": "record_correction",
                "route": "route",
                "opinion": "department_opinion",
                "consultation": "start_consultation",
                "consultation-end": "end_consultation",
                "extend": "extend",
                "delay": "volume_delay",
                "answer": "answer",
                "close": "close",
            }[_action]
        ].title,
        name=f"api_inforequest_{_action.replace('-', '_')}",
    )


@router.post("/{request_id}/reviews", response_model=RequestOut, status_code=201, summary="登记行政复议或行政诉讼")
def add_review(request_id: Id, body: ReviewIn, session: Session = SessionDep, actor: Principal = OFFICE) -> RequestOut:
    req = visibility.get_for_staff(session, actor, request_id)
    steps.add_review(session, actor, req, body)
    return request_out(session, req, actor)


@report_router.get("/annual-report/{year}", response_model=ReportOut, summary="政府信息公开工作年度报告（数据）")
def annual_report(year: Year, session: Session = SessionDep, _: Principal = PUBLIC) -> ReportOut:
    data = report.build(session, year)
    return ReportOut(
        year=year,
        columns=[label for _, label in report.COLUMNS],
        rows=[
            {"key": key, "label": label, "level": level, "values": data.table[key]}
            for key, label, level in states.REPORT_ROWS
        ],
        check={"balanced": data.balanced, "columns": data.check},
        reviews=data.reviews,
        proactive={"entered": data.proactive, "published": data.published},
        fees={"count": data.fees["count"], "amount": str(data.fees["amount"])},
    )
