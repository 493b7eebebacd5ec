"""Staff pages of social supervision: the centre's registry (recruitment, nominations, review, appointment,
renewal, dismissal, the printable card), open days (announce, invite, enter offline applications, check in, hold,
report; 政务办 screens and selects), and the opinion queue (answer; the disclosure office reviews publication)."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import Id, stored_id
from sunshine.core.pagination import CURSOR, cursor_query, page_urls
from sunshine.identity.roles import Role
from sunshine.supervision import cards, opendays, opinions, polls, registry, visibility
from sunshine.supervision.views import LABELS
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["社会监督"], include_in_schema=False)
CENTRE = Depends(Access(Role.CENTRE_STAFF))
PEOPLE = Depends(Access(Role.CENTRE_STAFF, Role.GOVERNMENT_AFFAIRS))
OFFICE = Depends(Access(Role.GOVERNMENT_AFFAIRS))
HANDLERS = Depends(Access(Role.CENTRE_STAFF, Role.SUPERVISOR, Role.DISCLOSURE_OFFICE))
REVIEWER = Depends(Access(Role.DISCLOSURE_OFFICE))
BACK = "/staff/supervision"


def _day(text: str, field: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"请按“年-月-日”填写{what}", field=field) from None


def _moment(text: str, field: str, what: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"请按“年-月-日 时:分”填写{what}", field=field) from None


@router.get("/staff/supervision", response_class=HTMLResponse)
def registry_page(
    request: Request,
    cursor: str | None = CURSOR,
    open_days_cursor: str | None = cursor_query(),
    session: Session = SessionDep,
    actor: Principal = CENTRE,
) -> Response:
    result = registry.listing(session, actor, cursor=cursor)
    return render(
        request,
        "supervision/staff.html",
        page_title="社会监督员管理",
        supervisors=result.items,
        result=result,
        page_url=page_urls("/staff/supervision", {"open_days_cursor": open_days_cursor}, anchor="registry"),
        open_days=opendays.page(session, cursor=open_days_cursor),
        open_days_url=page_urls("/staff/supervision", {"cursor": cursor}, param="open_days_cursor", anchor="open-days"),
        in_office=registry.in_office,
        card_link=cards.check_link,
        **LABELS,
    )


@router.post("/staff/supervision/recruitments", response_class=HTMLResponse)
def recruitment_new(
    request: Request,
    title: str = Form(""),
    body: str = Form(""),
    kind: str = Form("social"),
    quota: str = Form("20"),
    opens_on: str = Form(""),
    closes_on: str = Form(""),
    session: Session = SessionDep,
    actor: Principal = CENTRE,
) -> Response:
    def call():
        return registry.publish_recruitment(
            session,
            actor,
            title=title,
            body=body,
            kind=kind,
            quota=int(quota) if quota.isdigit() else 0,
            opens_on=_day(opens_on, "opens_on", "报名开始日"),
            closes_on=_day(closes_on, "closes_on", "报名截止日"),
        )

    return act(request, BACK, call, "招募公告已发布")


@router.post("/staff/supervision/nominations", response_class=HTMLResponse)
def nomination_new(
    request: Request,
    kind: str = Form("social"),
    source: str = Form(""),
    username: str = Form(""),
    name: str = Form(""),
    phone: str = Form(""),
    employer: str = Form(""),
    statement: str = Form(""),
    session: Session = SessionDep,
    actor: Principal = CENTRE,
) -> Response:
    def call():
        return registry.nominate(
            session,
            actor,
            kind=kind,
            source=source,
            username=username,
            name=name,
            phone=phone,
            employer=employer,
            statement=statement,
        )

    return act(request, BACK, call, "推荐已录入，待审核")


@router.post("/staff/supervision/supervisors/{supervisor_id}/{action}", response_class=HTMLResponse)
def supervisor_action(
    supervisor_id: Id,
    action: str,
    request: Request,
    note: str = Form(""),
    session: Session = SessionDep,
    actor: Principal = CENTRE,
) -> Response:
    steps = {
        "appoint": (lambda: registry.appoint(session, actor, supervisor_id, note), "已聘任并发放工作证"),
        "reject": (lambda: registry.reject(session, actor, supervisor_id, note), "已登记不予聘任"),
        "renew": (lambda: registry.renew(session, actor, supervisor_id), "已续聘并换发工作证，旧证作废"),
        "dismiss": (lambda: registry.dismiss(session, actor, supervisor_id, note), "已解聘，工作证作废"),
    }
    if action not in steps:
        raise InvalidInput("没有这项操作")
    call, done = steps[action]
    return act(request, BACK, call, done)


@router.get("/staff/supervision/supervisors/{supervisor_id}/card.pdf")
def card_pdf(supervisor_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> Response:
    row = registry.get(session, supervisor_id)
    if row.state != "appointed":
        raise InvalidInput("该监督员不在聘，不能打印工作证")
    return Response(cards.card_pdf(row, get_settings().public_url), media_type="application/pdf")


# --------------------------------------------------------------------------- open days


@router.post("/staff/supervision/open-days", response_class=HTMLResponse)
def open_day_new(
    request: Request,
    kind: str = Form(""),
    title: str = Form(""),
    description: str = Form(""),
    instructions: str = Form(""),
    place: str = Form(""),
    starts_at: str = Form(""),
    capacity: str = Form("8"),
    apply_until: str = Form(""),
    poll: str = Form(""),
    poll_until: str = Form(""),
    session: Session = SessionDep,
    actor: Principal = CENTRE,
) -> Response:
    def call():
        return opendays.announce(
            session,
            actor,
            kind=kind,
            title=title,
            description=description,
            instructions=instructions,
            place=place,
            starts_at=_moment(starts_at, "starts_at", "开放日时间"),
            capacity=int(capacity) if capacity.isdigit() else 0,
            apply_until=_moment(apply_until, "apply_until", "报名截止时间") if apply_until.strip() else None,
            poll=[line for line in poll.splitlines() if line.strip()],
            poll_until=_moment(poll_until, "poll_until", "调查截止时间") if poll_until.strip() else None,
        )

    return act(request, BACK, call, "开放日通告已发布")


@router.get("/staff/supervision/open-days/{open_day_id}", response_class=HTMLResponse)
def open_day_staff(
    open_day_id: Id, request: Request, session: Session = SessionDep, actor: Principal = PEOPLE
) -> Response:
    day = opendays.get(session, open_day_id)
    return render(
        request,
        "supervision/open_day_staff.html",
        page_title=f"{day.title}（管理）",
        day=day,
        people=opendays.people(session, day),
        poll=polls.options(session, day),
        poll_result=polls.result(session, day),
        override_choices=[(str(o.id), o.label) for o in polls.options(session, day) if o.id != day.poll_option_id],
        composition=opendays.composition(session, day) if day.kind == "government" else None,
        centre=visibility.manages(actor),
        office=actor.has(*visibility.OFFICE),
        **LABELS,
    )


@router.post("/staff/supervision/open-days/{open_day_id}/{action}", response_class=HTMLResponse)
def open_day_action(
    open_day_id: Id,
    action: str,
    request: Request,
    category: str = Form(""),
    name: str = Form(""),
    phone: str = Form(""),
    purpose: str = Form(""),
    username: str = Form(""),
    ref: str = Form(""),
    report: str = Form(""),
    option_id: str = Form(""),
    reason: str = Form(""),
    session: Session = SessionDep,
    actor: Principal = PEOPLE,
) -> Response:
    back = f"/staff/supervision/open-days/{open_day_id}"
    steps = {
        "invite": (
            lambda: opendays.invite(
                session, actor, open_day_id, category=category, name=name, phone=phone, username=username
            ),
            "已邀请",
        ),
        "offline": (
            lambda: opendays.apply(session, actor, open_day_id, name=name, phone=phone, purpose=purpose, offline=True)[
                0
            ],
            "线下申请已录入",
        ),
        "select": (lambda: opendays.select_attendees(session, actor, open_day_id), "已确定参加人员或发起公开抽取"),
        "check-in": (lambda: opendays.check_in(session, actor, open_day_id, ref), "已签到"),
        "hold": (lambda: opendays.hold(session, actor, open_day_id), "已登记举办"),
        "report": (lambda: opendays.publish_report(session, actor, open_day_id, report), "活动报告已发布"),
        "poll-override": (
            lambda: polls.override(session, actor, open_day_id, stored_id(option_id) or 0, reason),
            "已调整开放项目，理由已记录并公开",
        ),
    }
    if action not in steps:
        raise InvalidInput("没有这项操作")
    call, done = steps[action]
    return act(request, back, call, done)


@router.post("/staff/supervision/participants/{participant_id}/screen", response_class=HTMLResponse)
def participant_screen(
    participant_id: Id,
    request: Request,
    passed: str = Form(""),
    note: str = Form(""),
    back: str = Form(BACK),
    session: Session = SessionDep,
    actor: Principal = OFFICE,
) -> Response:
    target = back if back.startswith("/staff/supervision/") else BACK
    return act(
        request,
        target,
        lambda: opendays.screen(session, actor, participant_id, passed=passed == "1", note=note),
        "已筛选",
    )


# --------------------------------------------------------------------------- opinions


@router.get("/staff/supervision/opinions", response_class=HTMLResponse)
def opinion_queue(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, actor: Principal = HANDLERS
) -> Response:
    result = opinions.queue(session, actor, cursor=cursor)
    return render(
        request,
        "supervision/opinions_staff.html",
        page_title="意见箱办理",
        rows=[(r, opinions.public_view(session, r)) for r in result.items],
        result=result,
        page_url=page_urls("/staff/supervision/opinions", {}),
        may_handle=lambda r: opinions.may_handle(actor, r),
        reviewer=actor.has(*opinions.REVIEWERS),
        **LABELS,
    )


@router.post("/staff/supervision/opinions/{opinion_id}/answer", response_class=HTMLResponse)
def opinion_answer(
    opinion_id: Id,
    request: Request,
    text: str = Form(""),
    propose: str = Form(""),
    session: Session = SessionDep,
    actor: Principal = HANDLERS,
) -> Response:
    return act(
        request,
        "/staff/supervision/opinions",
        lambda: opinions.answer(session, actor, opinion_id, text=text, propose_publish=propose == "1"),
        "已答复",
    )


@router.post("/staff/supervision/opinions/{opinion_id}/review", response_class=HTMLResponse)
def opinion_review(
    opinion_id: Id,
    request: Request,
    publish: str = Form(""),
    reason: str = Form(""),
    session: Session = SessionDep,
    actor: Principal = REVIEWER,
) -> Response:
    return act(
        request,
        "/staff/supervision/opinions",
        lambda: opinions.review(session, actor, opinion_id, publish=publish == "1", reason=reason),
        "公开审查已完成",
    )
