"""JSON routes of project archives: the archived projects, one project's archive (or, for the centre before it
is archived, what it would hold and what it lacks), archiving it, and the zip download (the centre; the
supervisory department reads). Thin: the rules are in ``archives.service``."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from sunshine.archives import bundle, service
from sunshine.archives.models import ProjectArchive
from sunshine.archives.schemas import ArchiveDetailOut, ArchiveOut, MissingOut, PreviewOut, RecordOut
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.filestore import file_store
from sunshine.core.inputs import Id
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity.roles import Role
from sunshine.trading import lifecycle
from sunshine.trading.models import Project

router = APIRouter(prefix="/api/v1", tags=["项目归档"])
READERS = Depends(Access(Role.CENTRE_STAFF, Role.SUPERVISOR))
CENTRE = Depends(Access(Role.CENTRE_STAFF))


def archive_out(row: ProjectArchive, project: Project) -> ArchiveOut:
    return ArchiveOut(
        id=row.id,
        project_id=project.id,
        project_code=project.code,
        project_name=project.name,
        number=row.number,
        state=row.state,
        state_label=lifecycle.state_label(project, row.state),
        manifest_sha256=row.manifest_sha256,
        ledger_seq=row.ledger_seq,
        records=row.records,
        total_bytes=row.total_bytes,
        archived_at=row.archived_at,
        download=f"/api/v1/archives/{row.id}/download",
    )


def detail_out(row: ProjectArchive, project: Project) -> ArchiveDetailOut:
    contents = [RecordOut(**_record(e)) for e in service.manifest_of(row)["records"]]
    return ArchiveDetailOut(**archive_out(row, project).model_dump(), contents=contents)


def _record(entry: dict) -> dict:
    return {k: entry.get(k) for k in RecordOut.model_fields}


@router.get("/archives", response_model=list[ArchiveOut], summary="已归档的项目（交易中心、行政监督部门）")
def archives(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = READERS) -> list[ArchiveOut]:
    page = service.listing(session, actor, cursor=paging.cursor, limit=paging.limit)
    return [archive_out(a, p) for a, p in paging.answer(page)]


@router.get(
    "/projects/{project_id}/archive",
    response_model=ArchiveDetailOut | PreviewOut,
    summary="项目档案：已归档的清单；未归档时（交易中心）为将列入的内容与尚缺的项目",
)
def project_archive(
    project_id: Id, session: Session = SessionDep, actor: Principal = READERS
) -> ArchiveDetailOut | PreviewOut:
    row = service.of_project(session, actor, project_id)
    if row is not None:
        return detail_out(row, session.get(Project, row.project_id))
    if Role.CENTRE_STAFF not in actor.roles:
        raise NotFound("该项目尚未归档")
    p = service.preview(session, actor, project_id)
    return PreviewOut(
        project_id=p.project.id,
        state=p.project.state,
        state_label=lifecycle.state_label(p.project, p.project.state),
        closable=p.closable,
        why_not=p.why_not,
        records=len(p.collected.entries),
        total_bytes=p.collected.total_bytes,
        missing=[MissingOut(**m) for m in p.collected.missing],
        contents=[RecordOut(**_record(e)) for e in p.collected.entries],
    )


@router.post(
    "/projects/{project_id}/archive",
    response_model=ArchiveDetailOut,
    status_code=201,
    summary="归档（交易中心）：核对档案完整后结束项目，清单哈希记入全程留痕日志；流标、终止的项目按原状态归档",
)
def archive(project_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> ArchiveDetailOut:
    row = service.archive_project(session, actor, project_id)
    return detail_out(row, session.get(Project, row.project_id))


def download_response(session: Session, actor: Principal, archive_id: int) -> StreamingResponse:
    row, project = service.readable(session, actor, archive_id)
    store = file_store()
    manifest_bytes = store.open(row.manifest_sha256)
    return StreamingResponse(
        bundle.stream(manifest_bytes, store),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{row.number}.zip"'},
    )


@router.get(
    "/archives/{archive_id}/download",
    summary="下载项目档案（zip：manifest.json 在前，其后为清单所列的全部文件）",
    response_class=StreamingResponse,
)
def download(archive_id: Id, session: Session = SessionDep, actor: Principal = READERS) -> StreamingResponse:
    return download_response(session, actor, archive_id)
