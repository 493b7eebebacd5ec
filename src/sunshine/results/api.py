"""JSON routes of the results: a project's results (public once published, everything for officials), the re-check
of the candidates, publicising the candidates, objections and their answers, determining a section's winner
(multipart, with the evidence file when not the first candidate), the evidence, and the result notice. Thin: the
rules are in ``publicity``, ``winners`` and ``notice``; what a caller sees in ``reading`` and ``recheck``."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.config import get_settings
from sunshine.core import content
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.identity.roles import Role
from sunshine.results import notice, publicity, reading, recheck, winners

router = APIRouter(prefix="/api/v1/results", tags=["中标候选人公示与结果公告"])
PUBLIC = Depends(Access.public())
OFFICIALS = Depends(Access(Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR))
PARTIES = Depends(Access(Role.TENDERER, Role.AGENCY))
TENDERER = Depends(Access(Role.TENDERER))
OBJECTORS = Depends(Access(Role.BIDDER, Role.ENTERPRISE_ADMIN))
OBJECTION_READERS = Depends(
    Access(Role.BIDDER, Role.ENTERPRISE_ADMIN, Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR)
)


@router.get("/projects/{project_id}", summary="项目的评标结果处理：公示、异议、中标人、结果公告（公开部分对所有人）")
def project_results(project_id: Id, session: Session = SessionDep, actor: Principal = PUBLIC) -> dict[str, Any]:
    return reading.view(session, actor, project_id)


@router.get("/projects/{project_id}/recheck", summary="中标候选人资格审查：信用记录、禁入、资质、人员、业绩及有效期")
def project_recheck(project_id: Id, session: Session = SessionDep, actor: Principal = OFFICIALS) -> dict[str, Any]:
    return recheck.view(session, actor, project_id)


@router.post("/projects/{project_id}/publicity", summary="公示中标候选人（招标人或代理机构）")
def publicise(project_id: Id, session: Session = SessionDep, actor: Principal = PARTIES) -> dict[str, Any]:
    publicity.publicise(session, actor, project_id)
    session.flush()
    return reading.view(session, actor, project_id)


async def read_upload(file: UploadFile | None) -> content.Upload | None:
    if file is None or (not file.filename and not file.size):
        return None
    limit = get_settings().max_attachment_bytes
    return content.Upload(filename=file.filename or "", data=await file.read(limit + 1), content_type=file.content_type)


@router.post(
    "/projects/{project_id}/sections/{section_id}/winner",
    summary="确定中标人（招标人/采购人；multipart：eval_bid_id，非排名第一的须 reason、facts 和证明材料 evidence）",
)
async def determine(
    project_id: Id,
    section_id: Id,
    eval_bid_id: Annotated[Id, Form(description="所确定的中标候选人（评标报告中的投标编号）")],
    reason: Annotated[str | None, Form(max_length=30, description="gave_up | failed_condition | violated_law")] = None,
    facts: Annotated[str | None, Form(max_length=2000)] = None,
    evidence: UploadFile | None = File(None, description="证明材料"),
    session: Session = SessionDep,
    actor: Principal = TENDERER,
) -> dict[str, Any]:
    upload = await read_upload(evidence)

    def run() -> dict[str, Any]:
        winners.determine(
            session,
            actor,
            project_id,
            section_id,
            eval_bid_id=eval_bid_id,
            reason=reason or None,
            facts=facts,
            evidence=upload,
        )
        return reading.view(session, actor, project_id)

    return await run_in_threadpool(run)


@router.get("/winners/{decision_id}/evidence", summary="确定非排名第一中标候选人的证明材料")
def evidence(decision_id: Id, session: Session = SessionDep, actor: Principal = OFFICIALS) -> Response:
    name, data = winners.evidence_of(session, actor, decision_id)
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


@router.post("/projects/{project_id}/notice", summary="发布中标（成交）结果公告（招标人/采购人或代理机构）")
def publish(project_id: Id, session: Session = SessionDep, actor: Principal = PARTIES) -> dict[str, Any]:
    notice.publish(session, actor, project_id)
    session.flush()
    return reading.view(session, actor, project_id)
