"""The desk's set-up pages for its staff: the handling departments work orders are transferred to (承办部门, with
their members, stopped or resumed), the agents' duty rota (坐席排班, a week at a time) and the 12345 hotline log
(messages in and out, with their delivery, and the calls' recordings). Forms show their errors in Chinese beside
the fields. Thin: rules in ``servicedesk.desk``, ``servicedesk.calls`` and ``servicedesk.hotline``."""

from __future__ import annotations

import json
from datetime import date, timedelta

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import SunshineError
from sunshine.core.inputs import Id, IsoDate
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.roles import Role
from sunshine.servicedesk import api as desk_api
from sunshine.servicedesk import calls, desk, hotline
from sunshine.servicedesk.labels import DEPARTMENT_KINDS
from sunshine.servicedesk.models import WorkOrder
from sunshine.servicedesk.schemas import ShiftIn
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act, refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
DESK = Depends(Access(Role.CENTRE_STAFF))
DESK_ADMIN = Depends(Access(Role.CENTRE_STAFF, Role.ADMIN))
SIGNED_IN = Depends(Access.signed_in())

WEEKDAYS = "一二三四五六日"
DIRECTIONS = {"in": "收到", "out": "发出"}
MESSAGE_KINDS = {"order": "转来工单", "callback": "回访结果", "reply": "答复", "close": "办结", "refer": "移交投诉处理"}
MESSAGE_STATUSES = {"received": "已接收", "pending": "待发送", "sent": "已送达", "failed": "发送失败（将重试）"}
SHIFT_MESSAGES = {
    "user_id": "请选择坐席人员",
    "day": "请按 YYYY-MM-DD 填写日期",
    "starts": "请按 HH:MM 填写上班时间，如 08:30",
    "ends": "请按 HH:MM 填写下班时间，如 17:30",
    "seat": "请填写坐席（1 至 40 个字）",
}


# --------------------------------------------------------------------------- departments


def _departments_page(
    request: Request, session: Session, *, values=None, errors=None, member_errors=None, status=200
) -> Response:  # noqa: ANN001
    rows = desk.departments(session, active_only=False)
    return render(
        request,
        "servicedesk/departments.html",
        status=status,
        page_title="承办部门",
        rows=rows,
        members=desk.members_by_department(session, [d.id for d in rows]),
        kinds=list(DEPARTMENT_KINDS.items()),
        kind_labels=DEPARTMENT_KINDS,
        values=values or {"name": "", "kind": "centre", "phone": ""},
        errors=errors or {},
        member_errors=member_errors or {},
    )


@router.get("/desk/departments", response_class=HTMLResponse)
def departments(request: Request, session: Session = SessionDep, _: Principal = DESK_ADMIN) -> Response:
    return _departments_page(request, session)


@router.post("/desk/departments", response_class=HTMLResponse)
def create_department(
    request: Request,
    name: str = Form("", max_length=200),
    kind: str = Form("", max_length=20),
    phone: str = Form("", max_length=40),
    session: Session = SessionDep,
    _: Principal = DESK_ADMIN,
) -> Response:
    values = {"name": name, "kind": kind, "phone": phone}

    def refused(s: Session, exc: SunshineError) -> Response:
        field = exc.extra.get("field") or "name"
        return _departments_page(request, s, values=values, errors={field: exc.detail}, status=exc.status)

    with refusals_shown_on(refused):
        row = desk.create_department(session, name=name, kind=kind, phone=phone.strip() or None)
    flash(request, "success", f"已新增承办部门“{row.name}”")
    return redirect(request, "/desk/departments")


@router.post("/desk/departments/{department_id}/members", response_class=HTMLResponse)
def add_member(
    request: Request,
    department_id: Id,
    username: str = Form("", max_length=64),
    session: Session = SessionDep,
    _: Principal = DESK_ADMIN,
) -> Response:
    def refused(s: Session, exc: SunshineError) -> Response:
        return _departments_page(request, s, member_errors={department_id: exc.detail}, status=exc.status)

    with refusals_shown_on(refused):
        user = desk.user_by_username(session, username)
        desk.add_member(session, department_id, user.id)
    flash(request, "success", f"已添加经办人 {user.display_name}")
    return redirect(request, "/desk/departments")


@router.post("/desk/departments/{department_id}/members/{user_id}/remove")
def remove_member(
    request: Request, department_id: Id, user_id: Id, session: Session = SessionDep, _: Principal = DESK_ADMIN
) -> Response:
    return act(
        request, "/desk/departments", lambda: desk.remove_member(session, department_id, user_id), "已移除经办人"
    )


@router.post("/desk/departments/{department_id}/active")
def set_active(
    request: Request,
    department_id: Id,
    active: str = Form("", max_length=1),
    session: Session = SessionDep,
    _: Principal = DESK_ADMIN,
) -> Response:
    on = active == "1"
    return act(
        request,
        "/desk/departments",
        lambda: desk.set_active(session, department_id, on),
        "已恢复转办" if on else "已停用：不再向该部门转办新工单，已转办的工单仍由其办理",
    )


# --------------------------------------------------------------------------- shifts


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _shifts_page(request: Request, session: Session, first: date, *, values=None, errors=None, status=200) -> Response:  # noqa: ANN001
    rows = calls.week_of(session, first)
    days = [first + timedelta(days=n) for n in range(7)]
    by_day: dict[date, list] = {d: [] for d in days}
    for shift, name in rows:
        by_day[shift.day].append((shift, name))
    on_duty = set(calls.on_duty(session, clock.now()))
    today = clock.today_local()
    return render(
        request,
        "servicedesk/shifts.html",
        status=status,
        page_title="坐席排班",
        first=first,
        days=[(d, f"星期{WEEKDAYS[d.weekday()]}", by_day[d]) for d in days],
        previous=(first - timedelta(days=7)).isoformat(),
        following=(first + timedelta(days=7)).isoformat(),
        today=today,
        on_duty=on_duty,
        agents=[(str(uid), name) for uid, name in calls.agents(session)],
        values=values
        or {"user_id": "", "day": max(today, first).isoformat(), "starts": "08:30", "ends": "17:30", "seat": ""},
        errors=errors or {},
    )


@router.get("/desk/shifts", response_class=HTMLResponse)
def shifts(
    request: Request, week: IsoDate | None = Query(None), session: Session = SessionDep, _: Principal = DESK
) -> Response:
    return _shifts_page(request, session, _monday(week or clock.today_local()))


@router.post("/desk/shifts", response_class=HTMLResponse)
def add_shift(
    request: Request,
    user_id: str = Form("", max_length=12),
    day: str = Form("", max_length=10),
    starts: str = Form("", max_length=5),
    ends: str = Form("", max_length=5),
    seat: str = Form("", max_length=40),
    session: Session = SessionDep,
    actor: Principal = DESK,
) -> Response:
    values = {"user_id": user_id, "day": day, "starts": starts, "ends": ends, "seat": seat}
    try:
        data = ShiftIn(user_id=user_id or 0, day=day, starts=starts, ends=ends, seat=seat.strip())
    except ValidationError as exc:
        errors = {}
        for err in exc.errors():
            field = str((err.get("loc") or ("seat",))[0])
            errors.setdefault(field, SHIFT_MESSAGES.get(field, "取值无效"))
        try:
            first = _monday(date.fromisoformat(day))
        except ValueError:
            first = _monday(clock.today_local())
        return _shifts_page(request, session, first, values=values, errors=errors, status=422)

    def refused(s: Session, exc: SunshineError) -> Response:
        field = exc.extra.get("field") or "starts"
        return _shifts_page(request, s, _monday(data.day), values=values, errors={field: exc.detail}, status=exc.status)

    with refusals_shown_on(refused):
        calls.add_shift(session, actor, data)
    flash(request, "success", f"已排班：{data.day.isoformat()} {data.starts}–{data.ends}")
    return redirect(request, f"/desk/shifts?week={_monday(data.day).isoformat()}")


@router.post("/desk/shifts/{shift_id}/delete")
def delete_shift(
    request: Request,
    shift_id: Id,
    week: IsoDate | None = Form(None),
    session: Session = SessionDep,
    _: Principal = DESK,
) -> Response:
    back = f"/desk/shifts?week={week.isoformat()}" if week else "/desk/shifts"
    return act(request, back, lambda: calls.remove_shift(session, shift_id), "已删除班次")


# --------------------------------------------------------------------------- the 12345 log


def _summary(payload: dict) -> str:
    """What a message said, in a few words: its event or category, the title, a callback's rating (never the
    caller, the content or the reply, which the order's own page shows to those who may see them)."""
    parts = [payload.get("event") or payload.get("category") or ""]
    if payload.get("title"):
        parts.append(str(payload["title"])[:60])
    if payload.get("satisfaction"):
        parts.append(f"满意度 {payload['satisfaction']}")
    return " · ".join(p for p in parts if p)


@router.get("/desk/hotline", response_class=HTMLResponse)
def hotline_log(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, _: Principal = DESK
) -> Response:
    result = hotline.exchange(session, cursor=cursor)
    rows = result.items
    ids = {m.order_id for m in rows if m.order_id is not None}
    codes = (
        dict(session.execute(select(WorkOrder.id, WorkOrder.code).where(WorkOrder.id.in_(ids))).all()) if ids else {}
    )
    messages = [(m, codes.get(m.order_id), _summary(json.loads(m.payload))) for m in rows]
    return render(
        request,
        "servicedesk/hotline.html",
        page_title="12345 热线记录",
        messages=messages,
        result=result,
        page_url=page_urls("/desk/hotline", {}),
        recordings=calls.recent_recordings(session),
        directions=DIRECTIONS,
        message_kinds=MESSAGE_KINDS,
        statuses=MESSAGE_STATUSES,
        waiting=sum(1 for m, _, _ in messages if m.status in ("pending", "failed")),
    )


@router.get("/desk/recordings/{recording_id}/audio")
def recording_audio(
    request: Request, recording_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> Response:
    """The pages' player (signed in by the session cookie; the API's route takes tokens)."""
    return desk_api.recording_response(session, actor, recording_id)


@router.post("/desk/hotline/deliver")
def deliver_now(request: Request, session: Session = SessionDep, _: Principal = DESK) -> Response:
    return act(
        request,
        "/desk/hotline",
        lambda: hotline.deliver_pending(session),
        lambda sent: (
            f"已向 12345 发送 {len(sent)} 条消息" if sent else "没有可发送的消息（或对方系统仍未接收，稍后重试）"
        ),
    )
