"""The closing step ``close_project`` (→ 已完成（归档）), taken by the centre when a project reaches its method's end
with its record complete (``archives.service``); and the project page's link to the archive. Loaded by
``sunshine.domains``."""

from __future__ import annotations

from sunshine.archives import service
from sunshine.trading.lifecycle import CENTRE, Step, declare

declare(
    Step(
        service.STEP,
        "项目归档，交易完成",
        service.CLOSING_STATES,
        "closed",
        CENTRE,
        guard=service.guard_closable,
        ledger_kind=service.LEDGER_KIND,
        rule="合同履约验收合格（土地使用权和产权交易为签订转让合同）后，交易中心将项目的全部文件、记录、公告和通知书"
        "列入归档清单，清单的哈希记入全程留痕日志，方可归档（平台默认值：交易终点与档案完整性由交易中心核对）",
    )
)


def install() -> None:
    from sunshine.trading import project_links

    project_links.project_links(links)


def links(session, principal, project) -> list[tuple[str, str]]:  # noqa: ANN001
    """The centre sees the archive page of a project at its end (to close it) or archived; the supervisors once
    it is archived."""
    from sqlalchemy import select

    from sunshine.archives.models import ProjectArchive
    from sunshine.identity.roles import Role

    if not (principal.roles & service.READERS):
        return []
    archived = session.scalar(select(ProjectArchive.id).where(ProjectArchive.project_id == project.id))
    if archived is not None:
        return [("项目档案", f"/projects/{project.id}/archive")]
    if Role.CENTRE_STAFF in principal.roles and service.stage(project)[0]:
        return [("项目归档", f"/projects/{project.id}/archive")]
    return []
