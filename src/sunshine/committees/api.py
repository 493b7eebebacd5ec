"""JSON routes of expert draw requests: the project's agency or tenderer asks (and withdraws), the supervisory
department approves or returns, the centre opens the draw (the room itself is the draws routes'). Seats are read
as positions and hashes; names appear only once the project's results are public."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends
from sqlalchemy.orm import Session

from sunshine.committees import avoidance, drawing, packrules, service
from sunshine.committees.models import DrawRequest
from sunshine.committees.schemas import (
    RequestIn,
    RequestOut,
    RequestsOut,
    ReturnIn,
    SeatOut,
    SpecialtyOut,
    StartIn,
)
from sunshine.committees.visibility import ROUTE_ROLES
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity.roles import Role
from sunshine.trading.models import Project

router = APIRouter(prefix="/api/v1/committees", tags=["专家抽取申请"])
READERS = Depends(Access(*ROUTE_ROLES))
APPLICANTS = Depends(Access(Role.AGENCY, Role.TENDERER))
SUPERVISORS = Depends(Access(Role.SUPERVISOR))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
OFFICIALS = Depends(Access(Role.SUPERVISOR, Role.CENTRE_STAFF))

SEAT_STATES = {
    "called": "已通知",
    "confirmed": "已确认参加",
    "declined": "已拒绝",
    "no_show": "未到场",
    "promoted": "已递补为正选",
    "proposed": "待核准",
    "appointed": "直接确定",
}


def seat_label(state: str, reserve: bool) -> str:
    if reserve and state == "called":
        return "备选"
    return SEAT_STATES.get(state, state)


def request_out(session: Session, row: DrawRequest, project: Project) -> RequestOut:
    specialties = service.specialties_of(session, row)
    labels = avoidance.specialty_labels(session, [s.specialty for s in specialties])
    names = drawing.named_seats(session, row)
    experts = sum(s.count for s in specialties)
    return RequestOut(
        id=row.id,
        project_id=project.id,
        project_code=project.code,
        section_id=row.section_id,
        kind=row.kind,
        kind_label=service.KINDS[row.kind],
        purpose=row.purpose,
        purpose_label=service.PURPOSES[row.purpose],
        state=row.state,
        state_label=service.STATES[row.state],
        specialties=[
            SpecialtyOut(code=s.specialty, label=labels.get(s.specialty, s.specialty), count=s.count)
            for s in specialties
        ],
        experts=experts,
        reserve=row.reserve,
        representatives=row.representatives,
        committee_size=experts + row.representatives,
        meeting_at=row.meeting_at,
        place_kind=row.place_kind,
        place_kind_label=service.PLACE_KINDS[row.place_kind],
        place=row.place,
        reason=row.reason,
        return_reason=row.return_reason,
        requested_at=row.requested_at,
        decided_at=row.decided_at,
        draw_code=row.draw_code,
        draw_url=f"/draws/{row.draw_code}" if row.draw_code else None,
        room_url=f"/draws/{row.draw_code}/room" if row.draw_code else None,
        drawn_at=row.drawn_at,
        disclosed_at=row.disclosed_at,
        seats=[
            SeatOut(
                position=seat.position,
                specialty=seat.specialty,
                reserve=seat.reserve,
                leaf=seat.leaf,
                state=seat.state,
                state_label=seat_label(seat.state, seat.reserve),
                name=names.get(seat.id),
            )
            for seat in service.committee_of(session, row.id)
        ],
    )


def _shape(data: RequestIn) -> service.RequestIn:
    return service.RequestIn(
        section_id=data.section_id,
        purpose=data.purpose,
        specialties=[(s.code, s.count) for s in data.specialties],
        reserve=data.reserve,
        representatives=data.representatives,
        meeting_at=service.aware(data.meeting_at),
        place_kind=data.place_kind,
        place=data.place,
        kind=data.kind,
        reason=data.reason,
        appointees=tuple(service.Appointee(a.expert_id, a.specialty) for a in data.appointees),
    )


@router.get("/projects/{project_id}/requests", response_model=RequestsOut, summary="项目的专家抽取申请")
def list_requests(project_id: Id, session: Session = SessionDep, principal: Principal = READERS) -> RequestsOut:
    project, rows = service.for_project(session, principal, project_id)
    return RequestsOut(
        project_id=project.id,
        approval_required=packrules.approval_required(session, project),
        draw_after_bid_deadline=packrules.draw_after_deadline(session, project),
        doc_review_required=packrules.doc_review_required(session, project),
        requests=[request_out(session, r, project) for r in rows],
    )


@router.post("/projects/{project_id}/requests", response_model=RequestOut, status_code=201, summary="提交专家抽取申请")
def submit(
    project_id: Id, data: RequestIn, session: Session = SessionDep, principal: Principal = APPLICANTS
) -> RequestOut:
    row = service.submit(session, principal, project_id, _shape(data))
    return request_out(session, row, session.get(Project, row.project_id))


@router.get("/queue", response_model=list[RequestOut], summary="待核准、待抽取和抽取中的申请")
def queue(paging: Paging = PAGING, session: Session = SessionDep, principal: Principal = OFFICIALS) -> list[RequestOut]:
    page = service.queue(session, principal, cursor=paging.cursor, limit=paging.limit)
    return [request_out(session, r, p) for r, p in paging.answer(page)]


@router.get("/requests/{request_id}", response_model=RequestOut, summary="抽取申请详情")
def get_request(request_id: Id, session: Session = SessionDep, principal: Principal = READERS) -> RequestOut:
    row, project = service.get_readable(session, principal, request_id)
    return request_out(session, row, project)


@router.post("/requests/{request_id}/approve", response_model=RequestOut, summary="核准抽取申请")
def approve(request_id: Id, session: Session = SessionDep, principal: Principal = SUPERVISORS) -> RequestOut:
    row = service.approve(session, principal, request_id)
    return request_out(session, row, session.get(Project, row.project_id))


@router.post("/requests/{request_id}/return", response_model=RequestOut, summary="退回抽取申请")
def return_request(
    request_id: Id, data: ReturnIn, session: Session = SessionDep, principal: Principal = SUPERVISORS
) -> RequestOut:
    row = service.return_request(session, principal, request_id, data.reason)
    return request_out(session, row, session.get(Project, row.project_id))


@router.post("/requests/{request_id}/cancel", response_model=RequestOut, summary="撤回抽取申请")
def cancel(request_id: Id, session: Session = SessionDep, principal: Principal = APPLICANTS) -> RequestOut:
    row = service.cancel(session, principal, request_id)
    return request_out(session, row, session.get(Project, row.project_id))


@router.post("/requests/{request_id}/draw", response_model=RequestOut, summary="组织抽取：锁定候选名单，开放抽取室")
def start_draw(
    request_id: Id,
    data: Annotated[StartIn | None, Body()] = None,
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> RequestOut:
    data = data or StartIn()
    row = drawing.start_draw(
        session,
        principal,
        request_id,
        scheduled_at=service.aware(data.scheduled_at) if data.scheduled_at else None,
        supervisor_user_id=data.supervisor_user_id,
    )
    return request_out(session, row, session.get(Project, row.project_id))
