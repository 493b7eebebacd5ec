"""Routes of the objections taken in their own places (``complaints.objections``): at the opening, in the opening
room (JSON ``/api/v1/projects/{id}/opening/objections`` and the room's forms), and to the evaluation result during
the candidates' publicity, on the results page (JSON ``/api/v1/results/...`` and the page's forms). They keep the
addresses the room and the results page post to; each creates or answers a case of this module. Thin."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sunshine.bidding import views as bidding_views
from sunshine.complaints import objections
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, stored_id
from sunshine.identity.roles import Role
from sunshine.ledger import format as fmt
from sunshine.results import reading as results_reading
from sunshine.results.schemas import AnswerIn as ResultAnswerIn
from sunshine.results.schemas import ObjectionIn as ResultObjectionIn
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act

api_router = APIRouter(prefix="/api/v1", tags=["异议、质疑与投诉"])
page_router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
BIDDER = Depends(Access(Role.BIDDER))
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER))
OBJECTORS = Depends(Access(Role.BIDDER, Role.ENTERPRISE_ADMIN))
OBJECTION_READERS = Depends(
    Access(Role.BIDDER, Role.ENTERPRISE_ADMIN, Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR)
)


class OpeningObjectionIn(BaseModel):
    text: str = Field(min_length=5, max_length=2000, description="异议内容")


class OpeningAnswerIn(BaseModel):
    answer: str = Field(min_length=2, max_length=2000, description="答复内容")


# --------------------------------------------------------------------------- the opening (JSON)


@api_router.post("/projects/{project_id}/opening/objections", status_code=201, summary="开标现场提出异议")
def raise_at_opening(
    project_id: Id, data: OpeningObjectionIn, session: Session = SessionDep, actor: Principal = BIDDER
) -> dict:
    row = objections.raise_at_opening(session, actor, project_id, data.text)
    return {"id": row.id, "code": row.code, "text": row.facts, "raised_at": fmt.iso_utc(row.filed_at)}


@api_router.post("/opening-objections/{objection_id}/answer", summary="当场答复开标异议")
def answer_at_opening(
    objection_id: Id, data: OpeningAnswerIn, session: Session = SessionDep, actor: Principal = PARTIES
) -> dict:
    row = objections.answer_at_opening(session, actor, objection_id, data.answer)
    return {"id": row.id, "answer": row.answer, "answered_at": fmt.iso_utc(row.answered_at)}


# --------------------------------------------------------------------------- the result (JSON)


@api_router.post("/results/projects/{project_id}/objections", status_code=201, summary="对评标结果提出异议（公示期内）")
def file_on_result(
    project_id: Id, body: ResultObjectionIn, session: Session = SessionDep, actor: Principal = OBJECTORS
) -> dict[str, Any]:
    row = objections.file_on_result(session, actor, project_id, content=body.content, section_id=body.section_id)
    session.flush()
    return {
        "id": row.id,
        "code": row.code,
        "ledger_seq": row.ledger_seq,
        **results_reading.view(session, actor, project_id),
    }


@api_router.post("/results/objections/{objection_id}/answer", summary="答复对评标结果的异议（招标人或代理机构）")
def answer_on_result(
    objection_id: Id, body: ResultAnswerIn, session: Session = SessionDep, actor: Principal = OBJECTION_READERS
) -> dict[str, Any]:
    row = objections.answer_on_result(session, actor, objection_id, text=body.answer)
    session.flush()
    return results_reading.view(session, actor, row.project_id)


# --------------------------------------------------------------------------- pages


@page_router.post("/projects/{project_id}/opening/objections", response_class=HTMLResponse)
def raise_at_opening_page(
    request: Request,
    project_id: Id,
    text: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = BIDDER,
) -> Response:
    return bidding_views._room_act(  # noqa: SLF001 — the room's own refusal handling
        request,
        principal,
        project_id,
        lambda: objections.raise_at_opening(session, principal, project_id, text),
        "异议已提出并记入开标记录，请等待招标人当场答复",
        form={"name": "objection", "fields": ("text",), "values": {"text": text}},
    )


@page_router.post("/projects/{project_id}/opening/objections/{objection_id}/answer", response_class=HTMLResponse)
def answer_at_opening_page(
    request: Request,
    project_id: Id,
    objection_id: Id,
    answer: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = PARTIES,
) -> Response:
    return bidding_views._room_act(  # noqa: SLF001
        request,
        principal,
        project_id,
        lambda: objections.answer_at_opening(session, principal, objection_id, answer, project_id),
        "已答复异议，答复已记入开标记录",
        form={"name": "answer", "target": objection_id, "fields": ("answer",), "values": {"answer": answer}},
    )


@page_router.post("/projects/{project_id}/results/objections")
def file_on_result_page(
    request: Request,
    project_id: Id,
    content: str = Form("", max_length=5000),
    section_id: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = OBJECTORS,
) -> Response:
    return act(
        request,
        f"/projects/{project_id}/results",
        lambda: objections.file_on_result(
            session, principal, project_id, content=content, section_id=stored_id(section_id)
        ),
        "异议已提交，招标人应当自收到之日起3日内答复",
    )


@page_router.post("/projects/{project_id}/results/objections/{objection_id}/answer")
def answer_on_result_page(
    request: Request,
    project_id: Id,
    objection_id: Id,
    answer: str = Form("", max_length=5000),
    session: Session = SessionDep,
    principal: Principal = PARTIES,
) -> Response:
    return act(
        request,
        f"/projects/{project_id}/results",
        lambda: objections.answer_on_result(session, principal, objection_id, text=answer, project_id=project_id),
        "异议已答复，异议人已收到站内通知",
    )
