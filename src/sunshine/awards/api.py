"""JSON routes of award letters: a project's letters, drafting and issuing them (the tenderer or its agency),
a bidder's own letters, one letter. Thin: the rules are in ``awards.letters``."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from sunshine.awards import letters as service
from sunshine.awards import reading
from sunshine.awards.schemas import LetterOut, ProjectLettersOut, letter_out
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity.roles import Role
from sunshine.trading import lifecycle
from sunshine.trading.models import Project

router = APIRouter(prefix="/api/v1", tags=["中标（成交）通知书"])
SIGNED_IN = Depends(Access.signed_in())
ISSUERS = Depends(Access(Role.AGENCY, Role.TENDERER))
BIDDER = Depends(Access(Role.BIDDER))


def project_out(session: Session, project: Project, rows) -> ProjectLettersOut:  # noqa: ANN001
    return ProjectLettersOut(
        project_id=project.id,
        state=project.state,
        state_label=lifecycle.state_label(project, project.state),
        letters=[letter_out(reading.view(session, row)) for row in rows],
    )


@router.get(
    "/projects/{project_id}/award-letters",
    response_model=ProjectLettersOut,
    summary="项目的中标（成交）通知书和结果通知书：招标人、代理机构、交易中心、监督部门；投标人仅见本单位的",
)
def project_letters(project_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> ProjectLettersOut:
    project, rows = service.for_project(session, actor, project_id)
    return project_out(session, project, rows)


@router.post(
    "/projects/{project_id}/award-letters/draft",
    response_model=ProjectLettersOut,
    summary="起草通知书（招标人或代理机构，结果公告后）：中标（成交）人一份，其他每个报名人一份；已起草的不重写",
)
def draft(project_id: Id, session: Session = SessionDep, actor: Principal = ISSUERS) -> ProjectLettersOut:
    rows = service.draft(session, actor, project_id)
    return project_out(session, session.get(Project, project_id), rows)


@router.post(
    "/projects/{project_id}/award-letters/issue",
    response_model=ProjectLettersOut,
    summary="发出通知书（招标人或代理机构）：须每份均已签章；一次发出，全程留痕记录每份的哈希，并通知收件单位",
)
def issue(project_id: Id, session: Session = SessionDep, actor: Principal = ISSUERS) -> ProjectLettersOut:
    rows = service.issue(session, actor, project_id)
    return project_out(session, session.get(Project, project_id), rows)


@router.get("/award-letters/mine", response_model=list[LetterOut], summary="本单位收到的通知书（投标人工作台）")
def mine(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = BIDDER) -> list[LetterOut]:
    page = service.mine(session, actor, cursor=paging.cursor, limit=paging.limit)
    return [letter_out(reading.view(session, row)) for row in paging.answer(page)]


@router.get("/award-letters/{letter_id}", response_model=LetterOut, summary="一份通知书")
def one(letter_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> LetterOut:
    return letter_out(reading.view(session, service.readable(session, actor, letter_id)))
