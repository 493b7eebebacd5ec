"""Pages of calling the drawn experts: the expert's workbench ``/expert`` (invitations to confirm with their
countdown, confirm / decline with a reason, the sign-in at the evaluation, the history, the expert's own bans and
suspensions in force from credit's one record of them, and the tasks other domains register in
``workbench_tasks``), and a request's sign-in list ``/expert-draws/{id}/sign-in-list`` (positions, hashes and
states; names as ``signin.sign_in_list`` allows)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.committees import calling, signin, workbench_tasks
from sunshine.committees.calling_api import READERS, sign_in_list_out
from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.credit import bans as credit_bans
from sunshine.experts import service as experts_service
from sunshine.identity.roles import Role
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["评标专家工作台"], include_in_schema=False)
EXPERT = Depends(Access(Role.EXPERT))
PAGE = "/expert"


@router.get(PAGE, response_class=HTMLResponse)
def workbench(request: Request, session: Session = SessionDep, actor: Principal = EXPERT) -> Response:
    pending, ahead, rest = signin.split(signin.assignments(session, actor))
    expert = experts_service.expert_of_user(session, actor.user_id)
    today = clock.today_local()
    return render(
        request,
        "committees_workbench.html",
        page_title="评标专家工作台",
        pending=pending,
        ahead=ahead,
        history=rest,
        tasks=workbench_tasks.tasks(session, actor),
        reasons=calling.DECLINE_REASONS,
        now=clock.now(),
        # 暂停评标/禁止评标 in force, from credit's one record of them (the draw excludes the expert meanwhile)
        exclusions=credit_bans.expert_bans(session, expert.id, today) if expert is not None else [],
        kind_labels=credit_bans.KIND_LABELS,
    )


def _answered(call) -> str:
    if call.state == calling.RECUSED and call.reason_code not in calling.DECLINE_REASONS:
        return "经回避检查，您应当回避本项目，已登记回避；平台将按抽取顺序通知下一位专家"
    if call.state == calling.CONFIRMED:
        return "已确认参加。请按时到场，评审开始前可在本页签到"
    return "已登记不参加；平台将按抽取顺序通知下一位专家"


@router.post(PAGE + "/calls/{call_id}/confirm", response_class=HTMLResponse)
def confirm(request: Request, call_id: Id, session: Session = SessionDep, actor: Principal = EXPERT) -> Response:
    return act(request, PAGE, lambda: calling.confirm(session, actor, call_id), _answered)


@router.post(PAGE + "/calls/{call_id}/decline", response_class=HTMLResponse)
def decline(
    request: Request,
    call_id: Id,
    reason: str = Form("", max_length=20),
    note: str = Form("", max_length=300),
    session: Session = SessionDep,
    actor: Principal = EXPERT,
) -> Response:
    return act(request, PAGE, lambda: calling.decline(session, actor, call_id, reason, note), _answered)


def _signed(call) -> str:
    if call.signed_in_at is None:
        return "经回避检查，您应当回避本项目，已登记回避；平台将按抽取顺序通知下一位专家"
    return "签到成功"


@router.post(PAGE + "/calls/{call_id}/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, call_id: Id, session: Session = SessionDep, actor: Principal = EXPERT) -> Response:
    return act(request, PAGE, lambda: calling.sign_in(session, actor, call_id), _signed)


@router.get("/expert-draws/{request_id}/sign-in-list", response_class=HTMLResponse)
def sign_in_list(
    request: Request, request_id: Id, session: Session = SessionDep, actor: Principal = READERS
) -> Response:
    found = sign_in_list_out(signin.sign_in_list(session, actor, request_id))
    return render(request, "committees_sign_in_list.html", page_title="专家通知与签到", found=found)


@router.post("/expert-draws/{request_id}/calls/{call_id}/no-show", response_class=HTMLResponse)
def no_show(
    request: Request,
    request_id: Id,
    call_id: Id,
    session: Session = SessionDep,
    actor: Principal = Depends(Access(Role.CENTRE_STAFF)),
) -> Response:
    back = f"/expert-draws/{request_id}/sign-in-list"
    done = "已登记未到场；平台将按抽取顺序通知下一位专家"
    return act(request, back, lambda: calling.mark_no_show(session, actor, request_id, call_id), done)
