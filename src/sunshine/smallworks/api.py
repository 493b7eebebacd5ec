"""JSON routes of the small-works fixed-price draw: a draw project's draws (public once the project is), the
centre prepares the draw after registration has closed, and records a drawn contractor's decline before the
result is determined. Thin: the rules are in ``smallworks.service``; what a caller sees in ``reading``."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.identity.roles import Role
from sunshine.smallworks import reading, service
from sunshine.smallworks.schemas import DeclineIn, PrepareIn, ProjectDrawsOut, project_draws_out

router = APIRouter(prefix="/api/v1/smallworks", tags=["小额工程固定价抽取"])
PUBLIC = Depends(Access.public())
CENTRE = Depends(Access(Role.CENTRE_STAFF))


@router.get(
    "/projects/{project_id}",
    response_model=ProjectDrawsOut,
    summary="项目各标段的固定价抽取：状态、抽取记录链接；抽取完成后含中选承包人与备选承包人",
)
def project_draws(project_id: Id, session: Session = SessionDep, actor: Principal = PUBLIC) -> ProjectDrawsOut:
    return project_draws_out(reading.view(session, actor, project_id))


@router.post(
    "/projects/{project_id}/prepare",
    response_model=ProjectDrawsOut,
    summary="报名截止后组织随机抽取（交易中心）：合格报名人不足规则要求的，流标",
)
def prepare(
    project_id: Id, body: PrepareIn, session: Session = SessionDep, actor: Principal = CENTRE
) -> ProjectDrawsOut:
    service.prepare(session, actor, project_id, supervisor_user_id=body.supervisor_user_id)
    session.flush()
    return project_draws_out(reading.view(session, actor, project_id))


@router.post(
    "/projects/{project_id}/sections/{section_id}/decline",
    response_model=ProjectDrawsOut,
    summary="记录中选人放弃或被查实不符合条件（交易中心，结果确定前）：备选人按抽取顺序递补并重新公示",
)
def decline(
    project_id: Id, section_id: Id, body: DeclineIn, session: Session = SessionDep, actor: Principal = CENTRE
) -> ProjectDrawsOut:
    service.record_decline(
        session, actor, project_id, section_id, outcome=body.outcome, reason=body.reason, whom=body.whom
    )
    return project_draws_out(reading.view(session, actor, project_id))
