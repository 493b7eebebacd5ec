"""JSON routes of objections, challenges and complaints: file one (the refusal names the statutory contents
missing), read a case with its clocks, answer, withdraw, upload evidence, and the department's handling — accept,
refuse, correction notice, copy to the respondents, inspection periods, suspension, decision, publication. Thin:
the rules are in ``service``, ``answering`` and ``handling``; what a caller sees in ``reading``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.complaints import answering, handling, reading, service
from sunshine.complaints.schemas import AnswerIn, CaseIn, DecideIn, NoteIn, PublishIn, RejectIn, SuspendIn
from sunshine.complaints.visibility import get_visible
from sunshine.config import get_settings
from sunshine.core import content
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity.roles import Role

router = APIRouter(prefix="/api/v1/complaints", tags=["异议、质疑与投诉"])
READERS = Depends(Access(Role.BIDDER, Role.ENTERPRISE_ADMIN, Role.TENDERER, Role.AGENCY, Role.SUPERVISOR))
FILERS = Depends(Access(Role.BIDDER, Role.ENTERPRISE_ADMIN))
RESPONDENTS = Depends(Access(Role.TENDERER, Role.AGENCY))
DEPARTMENT = Depends(Access(Role.SUPERVISOR))


class CorrectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    facts: str = Field(..., max_length=10000)
    request: str = Field(..., max_length=5000)
    legal_basis: str = Field("", max_length=5000)


def _view(session: Session, actor: Principal, case_id: int) -> dict[str, Any]:
    session.flush()
    row, project = get_visible(session, actor, case_id)
    return reading.view(session, actor, row, project)


@router.post("/cases", status_code=201, summary="提出异议、质疑或投诉（投标人、供应商或其他利害关系人）")
def file_case(body: CaseIn, session: Session = SessionDep, actor: Principal = FILERS) -> dict[str, Any]:
    row = service.file(session, actor, body)
    return _view(session, actor, row.id)


@router.get("/cases", summary="本单位提出的、针对本单位项目的（行政监督部门：全部）异议、质疑与投诉")
def list_cases(
    open: bool = False, paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = READERS
) -> list[dict[str, Any]]:
    return paging.answer(reading.case_page(session, actor, open_only=open, cursor=paging.cursor, limit=paging.limit))


@router.get("/department", summary="行政监督部门待办的投诉及办理期限（按最近的期限排序）")
def department_cases(
    paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = DEPARTMENT
) -> list[dict[str, Any]]:
    return paging.answer(reading.case_page(session, actor, open_only=True, cursor=paging.cursor, limit=paging.limit))


@router.get("/projects/{project_id}", summary="项目的异议、质疑与投诉（含开标现场异议和对评标结果的异议）")
def project_cases(project_id: Id, session: Session = SessionDep, actor: Principal = READERS) -> dict[str, Any]:
    project, cases = reading.project_cases(session, actor, project_id)
    return {"project": {"id": project.id, "code": project.code, "name": project.name}, "cases": cases}


@router.get("/cases/{case_id}", summary="案卷：内容、期限及依据、办理记录、证明材料（当事人和行政监督部门）")
def get_case(case_id: Id, session: Session = SessionDep, actor: Principal = READERS) -> dict[str, Any]:
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/answer", summary="答复异议或质疑（招标人、采购人或代理机构）")
def answer(case_id: Id, body: AnswerIn, session: Session = SessionDep, actor: Principal = RESPONDENTS) -> dict:
    answering.answer(
        session, actor, case_id, text=body.answer, founded=body.founded, remedy=body.remedy, ground=body.ground
    )
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/statement", summary="被投诉人收到投诉书副本后作出书面说明")
def statement(case_id: Id, body: NoteIn, session: Session = SessionDep, actor: Principal = RESPONDENTS) -> dict:
    answering.respondent_statement(session, actor, case_id, text=body.note)
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/withdraw", summary="撤回（提出人）")
def withdraw(case_id: Id, body: NoteIn, session: Session = SessionDep, actor: Principal = FILERS) -> dict:
    service.withdraw(session, actor, case_id, note=body.note)
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/correct", summary="按补正通知补正投诉书（投诉人）")
def correct(case_id: Id, body: CorrectIn, session: Session = SessionDep, actor: Principal = FILERS) -> dict:
    handling.correct(session, actor, case_id, facts=body.facts, request=body.request, legal_basis=body.legal_basis)
    return _view(session, actor, case_id)


async def read_upload(file: UploadFile | None) -> content.Upload | None:
    if file is None or (not file.filename and not file.size):
        return None
    limit = get_settings().max_attachment_bytes
    return content.Upload(filename=file.filename or "", data=await file.read(limit + 1), content_type=file.content_type)


@router.post("/cases/{case_id}/evidence", status_code=201, summary="提交证明材料（multipart：file）")
async def add_evidence(
    case_id: Id, file: UploadFile | None = File(None), session: Session = SessionDep, actor: Principal = READERS
) -> dict[str, Any]:
    upload = await read_upload(file)

    def run() -> dict[str, Any]:
        if upload is None:
            from sunshine.core.errors import InvalidInput

            raise InvalidInput("请选择文件", field="file")
        service.add_evidence(session, actor, case_id, upload)
        return _view(session, actor, case_id)

    return await run_in_threadpool(run)


@router.get("/evidence/{evidence_id}", summary="下载证明材料（当事人和行政监督部门）")
def evidence(evidence_id: Id, session: Session = SessionDep, actor: Principal = READERS) -> Response:
    row, data = service.evidence_file(session, actor, evidence_id)
    return Response(
        data,
        media_type=row.content_type,
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(row.name)}"},
    )


# --------------------------------------------------------------------------- the department


@router.post("/cases/{case_id}/accept", summary="受理投诉")
def accept(case_id: Id, body: NoteIn, session: Session = SessionDep, actor: Principal = DEPARTMENT) -> dict:
    handling.accept(session, actor, case_id, note=body.note)
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/reject", summary="不予受理投诉（写明情形）")
def reject(case_id: Id, body: RejectIn, session: Session = SessionDep, actor: Principal = DEPARTMENT) -> dict:
    handling.reject(session, actor, case_id, grounds=body.grounds, note=body.note)
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/correction", summary="一次性书面通知补正（政府采购投诉）")
def correction(case_id: Id, body: NoteIn, session: Session = SessionDep, actor: Principal = DEPARTMENT) -> dict:
    handling.request_correction(session, actor, case_id, note=body.note)
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/copy", summary="向被投诉人发出投诉书副本（政府采购投诉）")
def copy(case_id: Id, session: Session = SessionDep, actor: Principal = DEPARTMENT) -> dict:
    handling.send_copy(session, actor, case_id)
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/pause", summary="开始检验、检测、鉴定或专家评审（不计入处理期限）")
def pause(case_id: Id, body: NoteIn, session: Session = SessionDep, actor: Principal = DEPARTMENT) -> dict:
    handling.pause(session, actor, case_id, note=body.note)
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/resume-count", summary="检验、检测、鉴定或专家评审结束，继续计算处理期限")
def resume_count(case_id: Id, body: NoteIn, session: Session = SessionDep, actor: Principal = DEPARTMENT) -> dict:
    handling.resume(session, actor, case_id, note=body.note)
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/suspend", summary="暂停招标投标（采购）活动")
def suspend(case_id: Id, body: SuspendIn, session: Session = SessionDep, actor: Principal = DEPARTMENT) -> dict:
    handling.suspend(session, actor, case_id, days=body.days, note=body.note)
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/lift", summary="恢复招标投标（采购）活动")
def lift(case_id: Id, body: NoteIn, session: Session = SessionDep, actor: Principal = DEPARTMENT) -> dict:
    handling.lift(session, actor, case_id, note=body.note)
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/decide", summary="作出投诉处理决定（成立及处理结果，或驳回）")
def decide(case_id: Id, body: DecideIn, session: Session = SessionDep, actor: Principal = DEPARTMENT) -> dict:
    handling.decide(
        session,
        actor,
        case_id,
        outcome=body.outcome,
        remedy=body.remedy,
        decision=body.decision,
        ground=body.ground,
    )
    return _view(session, actor, case_id)


@router.post("/cases/{case_id}/publish", summary="公告投诉处理决定（经保密审查，不含个人信息）")
def publish(case_id: Id, body: PublishIn, session: Session = SessionDep, actor: Principal = DEPARTMENT) -> dict:
    handling.publish(session, actor, case_id, title=body.title, body=body.body)
    return _view(session, actor, case_id)
