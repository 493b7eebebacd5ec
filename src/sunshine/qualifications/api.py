"""JSON routes of qualifications: the enterprise's own records (资质证书、人员、业绩: list, add, edit, retire,
upload, history), a section's structured requirements (read by everyone who sees the project; written by its
parties and the centre before the notice), the assessment of one enterprise against them and the project-manager
conflicts of an opening (officials). Thin: the rules are in ``records``, ``service`` and ``opening``."""

# no ``from __future__ import annotations``: the routes below are made in a loop and FastAPI reads their types

from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.content import Upload
from sunshine.core.errors import NotFound
from sunshine.core.formatting import local_time
from sunshine.core.inputs import Id, IsoDate
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity.roles import Role
from sunshine.qualifications import codes, opening, records, service
from sunshine.qualifications.schemas import (
    CertificateIn,
    ChangeOut,
    ConflictOut,
    FindingOut,
    PerformanceIn,
    PersonIn,
    RecordOut,
    RequirementIn,
    RequirementOut,
)
from sunshine.trading import visibility
from sunshine.trading.models import Project, Section

router = APIRouter(prefix="/api/v1/qualifications", tags=["资质、人员与业绩"])
READER = Depends(Access(*records.READERS))
WRITER = Depends(Access(*records.WRITERS))
EDITOR = Depends(Access(Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF))
OFFICIAL = Depends(Access(Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR, Role.BIDDER))
PUBLIC = Depends(Access.public())
PATHS = {"certificate": "certificates", "person": "people", "performance": "performance"}


def record_out(kind: str, record) -> RecordOut:
    return RecordOut(
        kind=kind,
        kind_label=codes.RECORD_KINDS[kind],
        id=record.id,
        title=records.title(record),
        detail=records.detail(record),
        valid_until=records.valid_until(record),
        status=records.status(record),
        version=record.version,
        file_sha256=getattr(record, "file_sha256", None) or getattr(record, "proof_sha256", None),
    )


def _routes(kind: str, schema: type, label: str, with_file: bool) -> None:
    path = PATHS[kind]

    @router.get(f"/{path}", response_model=list[RecordOut], summary=f"本单位的{label}")
    def list_records(
        retired: bool = Query(False, description="包括已注销的"),
        paging: Paging = PAGING,
        session: Session = SessionDep,
        principal: Principal = READER,
    ) -> list[RecordOut]:
        page = records.page(session, principal, kind, include_retired=retired, cursor=paging.cursor, limit=paging.limit)
        return [record_out(kind, r) for r in paging.answer(page)]

    @router.post(f"/{path}", response_model=RecordOut, status_code=201, summary=f"新增{label}（企业管理员）")
    def add_record(body: schema, session: Session = SessionDep, principal: Principal = WRITER) -> RecordOut:  # type: ignore[valid-type]
        return record_out(kind, records.add(session, principal, kind, body))

    @router.put(f"/{path}/{{record_id}}", response_model=RecordOut, summary=f"修改{label}（企业管理员）")
    def edit_record(
        record_id: Id,
        body: schema,  # type: ignore[valid-type]
        session: Session = SessionDep,
        principal: Principal = WRITER,
    ) -> RecordOut:
        return record_out(kind, records.edit(session, principal, kind, record_id, body))

    @router.post(f"/{path}/{{record_id}}/retire", response_model=RecordOut, summary=f"注销{label}（企业管理员）")
    def retire_record(record_id: Id, session: Session = SessionDep, principal: Principal = WRITER) -> RecordOut:
        return record_out(kind, records.retire(session, principal, kind, record_id))

    @router.get(f"/{path}/{{record_id}}/history", response_model=list[ChangeOut], summary=f"{label}的变更记录")
    def record_history(record_id: Id, session: Session = SessionDep, principal: Principal = READER) -> list[ChangeOut]:
        return [
            ChangeOut(version=c.version, action=codes.ACTIONS[c.action], at=local_time(c.at))
            for c in records.history(session, principal, kind, record_id)
        ]

    if with_file:

        @router.post(f"/{path}/{{record_id}}/file", response_model=RecordOut, summary=f"上传{label}的扫描件或证明")
        def upload_file(
            record_id: Id, file: UploadFile, session: Session = SessionDep, principal: Principal = WRITER
        ) -> RecordOut:
            upload = Upload(filename=file.filename or "", data=file.file.read(), content_type=file.content_type)
            return record_out(kind, records.attach(session, principal, kind, record_id, upload))


_routes("certificate", CertificateIn, "资质证书", True)
_routes("person", PersonIn, "人员", False)
_routes("performance", PerformanceIn, "业绩", True)


def _section(session: Session, principal: Principal, section_id: int) -> tuple[Project, Section]:
    section = session.get(Section, section_id)
    if section is None:
        raise NotFound("标段不存在")
    return visibility.get_visible(session, principal, section.project_id), section


@router.get("/sections/{section_id}/requirements", response_model=list[RequirementOut], summary="标段的结构化资格条件")
def list_requirements(
    section_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC
) -> list[RequirementOut]:
    _project, section = _section(session, principal, section_id)
    return [
        RequirementOut(id=r.id, kind=r.kind, label=service.label(r))
        for r in service.requirements_of(session, [section.id])[section.id]
    ]


@router.post(
    "/sections/{section_id}/requirements",
    response_model=RequirementOut,
    status_code=201,
    summary="新增资格条件（招标人/代理机构、交易中心；公告发布前）",
)
def add_requirement(
    section_id: Id, body: RequirementIn, session: Session = SessionDep, principal: Principal = EDITOR
) -> RequirementOut:
    req = service.add_requirement(session, principal, section_id, body)
    return RequirementOut(id=req.id, kind=req.kind, label=service.label(req))


@router.delete(
    "/sections/{section_id}/requirements/{requirement_id}", status_code=204, summary="删除资格条件（公告发布前）"
)
def remove_requirement(
    section_id: Id, requirement_id: Id, session: Session = SessionDep, principal: Principal = EDITOR
) -> None:
    service.remove_requirement(session, principal, section_id, requirement_id)


@router.get(
    "/sections/{section_id}/assessment",
    response_model=list[FindingOut],
    summary="某企业对标段资格条件的满足情况（项目各方、交易中心、监督部门；投标人只看本单位）",
)
def assessment(
    section_id: Id,
    organisation_id: Annotated[Id | None, Query(description="企业编号；投标人省略即本单位")] = None,
    on: Annotated[IsoDate | None, Query(description="按哪一天判断有效期；默认投标截止日")] = None,
    session: Session = SessionDep,
    principal: Principal = OFFICIAL,
) -> list[FindingOut]:
    project, section = _section(session, principal, section_id)
    if opening.is_official(principal, project):
        org = organisation_id or principal.organisation_id
    elif organisation_id in (None, principal.organisation_id):
        org = principal.organisation_id
    else:
        raise NotFound("未找到")
    if org is None:
        raise NotFound("未找到")
    day = on or service.deadline_day(project) or clock.today_local()
    return [
        FindingOut(requirement=f.label, met=f.met, records=f.record_labels, valid_until=f.valid_until, note=f.note)
        for f in service.assess(session, section, org, on=day)
    ]


@router.get(
    "/projects/{project_id}/manager-conflicts",
    response_model=list[ConflictOut],
    summary="开标发现的项目经理冲突（项目各方、交易中心、监督部门）",
)
def manager_conflicts(
    project_id: Id, session: Session = SessionDep, principal: Principal = OFFICIAL
) -> list[ConflictOut]:
    project = visibility.get_visible(session, principal, project_id)
    if not opening.is_official(principal, project):
        raise NotFound("未找到")
    return [
        ConflictOut(
            kind=c.kind,
            kind_label=c.kind_label,
            registration_number=c.masked_number,
            bids=[b.bid_no for b in c.bids],
            performance_id=c.record.id if c.record else None,
        )
        for c in opening.conflicts(session, project)
    ]


__all__ = ["router"]
