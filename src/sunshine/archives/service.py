"""Closing a project and archiving its record (项目归档), by the centre's staff.

A project closes (``close_project`` → 已完成（归档）) when its method's end is reached: the contract accepted
(履约验收合格), or, for land and property listings and auctions, the transfer contract signed (合同已签订). A failed
or terminated project is archived as it stands (its state does not change). Either way the record must be
complete: every registered source (``trading.records``) is asked what it holds and what it still lacks, and
anything missing refuses the closing with 409 ``archive_incomplete`` and the list. The manifest
(``archives.manifest``) and every record held in a table go into the file store; the manifest's SHA-256 is one
ledger entry (``archives:manifest``: the archive number, the hash, the counts — no personal data), the closing
step's own entry when the project closes. Never commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.archives import manifest as manifests
from sunshine.archives.models import ProjectArchive
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, NotFound
from sunshine.core.filestore import FileStore, file_store
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.trading import lifecycle, visibility
from sunshine.trading.models import Project

STEP = "close_project"
LEDGER_KIND = "archives:manifest"
CLOSING_STATES = frozenset({"contracted", "performance_accepted"})
# land and property (listing, auction): the method ends with the transfer contract (成交确认书 → 转让合同)
CONTRACT_ENDS = frozenset({"listing", "auction"})
ARCHIVED_AS_IS = frozenset({"failed", "terminated"})
READERS = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR})


class ArchiveIncomplete(Conflict):
    code = "archive_incomplete"
    title = "项目档案不完整，不能归档"


class AlreadyArchived(Conflict):
    code = "already_archived"
    title = "项目已归档"


@dataclass
class Preview:
    """What the archive of a project would hold now, and what it lacks."""

    project: Project
    collected: manifests.Collected
    closable: bool  # the project is at its method's end (or failed, terminated)
    why_not: str | None  # why it may not close yet, in Chinese


def _require(actor: Principal, roles: frozenset[Role], what: str) -> None:
    if not (actor.roles & roles):
        raise Forbidden(what)


def stage(project: Project) -> tuple[bool, str | None]:
    """Whether the project is at its method's end, and if not, why."""
    label = lifecycle.state_label(project, project.state)
    if project.state in ARCHIVED_AS_IS:
        return True, None
    if project.state == "performance_accepted":
        return True, None
    if project.state == "contracted" and project.lifecycle in CONTRACT_ENDS:
        return True, None
    if project.state == "contracted":
        return False, f"项目当前为“{label}”，合同履约验收合格后方可归档"
    return False, f"项目当前为“{label}”，尚未到交易的终点（履约验收合格；土地、产权为签订转让合同；或流标、终止）"


def guard_closable(session: Session, project: Project, *, actor: Principal, **facts) -> None:  # noqa: ANN003
    ok, why = stage(project)
    if not ok:
        raise lifecycle.IllegalStep(why, step=STEP, state=project.state)


def preview(session: Session, actor: Principal, project_id: int, store: FileStore | None = None) -> Preview:
    _require(actor, frozenset({Role.CENTRE_STAFF}), "归档由交易中心办理")
    project = visibility.get_visible(session, actor, project_id)
    ok, why = stage(project)
    return Preview(project, manifests.collect(session, project, store or file_store()), ok, why)


def archive_project(session: Session, actor: Principal, project_id: int) -> ProjectArchive:
    """归档: close the project (or archive a failed or terminated one as it stands) with its complete record."""
    _require(actor, frozenset({Role.CENTRE_STAFF}), "归档由交易中心办理")
    project = visibility.get_visible(session, actor, project_id)
    if session.scalar(select(ProjectArchive.id).where(ProjectArchive.project_id == project.id)) is not None:
        raise AlreadyArchived("该项目已归档")
    checked = None
    if project.state in ARCHIVED_AS_IS:
        state = project.state
    else:
        checked = lifecycle.check(project, STEP, actor)  # the state and the role; the guard says the rest
        guard_closable(session, project, actor=actor)
        state = lifecycle.STEPS[STEP].target
    store = file_store()
    collected = manifests.collect(session, project, store)
    if collected.missing:
        items = [f"{m['label']}：{m['item']}" for m in collected.missing]
        raise ArchiveIncomplete(
            f"项目档案尚缺{len(items)}项，补齐后方可归档：" + "；".join(items[:20]) + ("……" if len(items) > 20 else ""),
            missing=items,
        )
    now = clock.now()
    number = f"{project.code}-GD"
    data = manifests.build(project, collected, number=number, state=state, archived_at=now)
    for content in collected.inline.values():
        store.put(content)  # durable before the rows that refer to them (content-addressed: harmless twice)
    digest = store.put(data)
    payload = {
        "archive": number,
        "manifest_sha256": digest,
        "records": len(collected.entries),
        "bytes": collected.total_bytes,
    }
    if checked is not None:
        seq = lifecycle.apply(
            session, project, checked, actor, document_ref=f"archive:{number}", payload=payload
        ).ledger_seq
    else:
        seq = ledger.append(
            session, LEDGER_KIND, f"project:{project.code}", {**payload, "state": state, "by": actor.user_id}
        ).seq
    row = ProjectArchive(
        project_id=project.id,
        number=number,
        state=state,
        manifest_sha256=digest,
        ledger_seq=seq,
        records=len(collected.entries),
        total_bytes=collected.total_bytes,
        archived_by=actor.user_id,
        archived_at=now,
    )
    session.add(row)
    session.flush()
    return row


def of_project(session: Session, actor: Principal, project_id: int) -> ProjectArchive | None:
    """The project's archive, for the centre and the supervisory department (None if not archived)."""
    _require(actor, READERS, "项目档案仅供交易中心和行政监督部门查阅")
    project = visibility.get_visible(session, actor, project_id)
    return session.scalar(select(ProjectArchive).where(ProjectArchive.project_id == project.id))


def readable(session: Session, actor: Principal, archive_id: int) -> tuple[ProjectArchive, Project]:
    if not (actor.roles & READERS):
        raise NotFound("档案不存在")
    row = session.get(ProjectArchive, archive_id)
    if row is None:
        raise NotFound("档案不存在")
    return row, session.get(Project, row.project_id)


LIST_ORDER = Keyset.of("archives", ProjectArchive.archived_at, ProjectArchive.id)


def listing(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[ProjectArchive, Project]]:
    """The archived projects, newest first, one page at a time."""
    _require(actor, READERS, "项目档案仅供交易中心和行政监督部门查阅")
    stmt = select(ProjectArchive, Project).join(Project, Project.id == ProjectArchive.project_id)
    return paginate(session, stmt, LIST_ORDER, cursor=cursor, limit=limit)


def manifest_of(row: ProjectArchive, store: FileStore | None = None) -> dict:
    return manifests.parse((store or file_store()).open(row.manifest_sha256))
