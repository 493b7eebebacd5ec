"""Reading notices (公告): the public list with its filters, one notice with its attachments and the
versions of its series, a project's first notice, and the attachments a caller may download. Whether a
caller may see a notice is decided by the visibility of its project.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased, defer, selectinload

from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.core.filestore import file_store, is_sha256
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.trading import visibility
from sunshine.trading.models import Notice, NoticeAttachment, Project

NOTICE_ORDER = Keyset.of("notices", Notice.published_at, Notice.id)


def list_public(
    session: Session,
    *,
    kind: str | None = None,
    transaction_type: str | None = None,
    q: str | None = None,
    project_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[tuple[Notice, Project]]:
    """Published notices of public projects, newest first, one page after ``cursor``."""
    # The project's conditions as a correlated EXISTS: SQLite then walks the notices' index newest first and
    # looks each project up by key, instead of first reading every project into a Bloom filter.
    owner = aliased(Project)
    of_project = [owner.id == Notice.project_id, owner.public_since.is_not(None)]
    if transaction_type:
        of_project.append(owner.transaction_type == transaction_type)
    where = [exists().where(*of_project)]
    if kind:
        where.append(Notice.kind == kind)
    if q and q.strip():
        where.append(Notice.title.icontains(q.strip(), autoescape=True))
    if project_id is not None:
        where.append(Notice.project_id == project_id)
    stmt = select(Notice, Project).join(Project, Notice.project_id == Project.id).where(*where)
    # a list shows titles: neither the notices' bodies nor the projects' rule snapshots are loaded
    light = (defer(Notice.body_html), defer(Project.rules_snapshot), defer(Project.description))
    return paginate(session, stmt, NOTICE_ORDER, cursor=cursor, limit=limit, count=True, options=light)


def get_visible(session: Session, actor: Principal, notice_id: int) -> tuple[Notice, Project]:
    """A notice with its attachments, if ``actor`` may see its project; otherwise NotFound."""
    notice = session.scalar(select(Notice).where(Notice.id == notice_id).options(selectinload(Notice.attachments)))
    if notice is None:
        raise NotFound("公告不存在")
    project = session.get(Project, notice.project_id)
    if project is None or not visibility.is_visible(actor, project):
        raise NotFound("公告不存在")
    return notice, project


def series(session: Session, notice: Notice) -> list[Notice]:
    """Every version of the notice's series, newest first, with attachments."""
    root_id = notice.series_id or notice.id
    stmt = (
        select(Notice)
        .where((Notice.id == root_id) | (Notice.series_id == root_id))
        .options(selectinload(Notice.attachments))
        .order_by(Notice.version.desc(), Notice.id.desc())
    )
    return list(session.scalars(stmt))


def attachment_for_download(session: Session, actor: Principal, sha256: str) -> NoticeAttachment:
    """The attachment row of a file the caller may download: one referenced by a notice of a project
    they may see. Anything else does not exist for them."""
    if not is_sha256(sha256):
        raise NotFound("文件不存在")
    rows = session.execute(
        select(NoticeAttachment, Project)
        .join(Notice, NoticeAttachment.notice_id == Notice.id)
        .join(Project, Notice.project_id == Project.id)
        .where(NoticeAttachment.sha256 == sha256)
        .order_by(NoticeAttachment.id)
    ).all()
    for attachment, project in rows:
        if visibility.is_visible(actor, project):
            return attachment
    raise NotFound("文件不存在")


def read_file(sha256: str) -> bytes:
    return file_store().open(sha256)


def first_notice_of(session: Session, project: Project) -> Notice | None:
    return session.scalar(
        select(Notice)
        .where(Notice.project_id == project.id, Notice.series_id.is_(None))
        .order_by(Notice.published_at, Notice.id)
        .limit(1)
    )


def notice_of(session: Session, project: Project, notice_id: int) -> Notice:
    """One notice of the project (any version); NotFound when it belongs to another project."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.project_id != project.id:
        raise NotFound("公告不存在")
    return notice
