"""What the site search carries of trading (``search.sources``): every notice (公告) and every project of a
public project — a project is public from its first notice — with its type, method, region, state and
budget as the search's filters. A project's state is its notices' status too, so a change of the project
refreshes their entries (``related``)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.published import plain_summary
from sunshine.search import sources
from sunshine.search.sources import BODY_CHARS, Doc
from sunshine.trading import lifecycle
from sunshine.trading.models import Notice, Project, Section
from sunshine.trading.notice_kinds import KIND_LABELS


def notice_doc(session: Session, notice: Notice) -> Doc | None:
    project = session.get(Project, notice.project_id)
    if project is None or project.public_since is None:
        return None
    kind = KIND_LABELS.get(notice.kind, "")
    return Doc(
        title=notice.title,
        body=f"{kind} {project.code} {project.name} " + plain_summary(notice.body_html, BODY_CHARS),
        link=f"/notices/{notice.id}",
        published_at=notice.published_at,
        transaction_type=project.transaction_type,
        method=project.method,
        region_code=project.region_code,
        status=project.state,
        amount=project.budget,
    )


def project_doc(session: Session, project: Project) -> Doc | None:
    if project.public_since is None:
        return None
    sections = session.scalars(select(Section.name).where(Section.project_id == project.id).order_by(Section.number))
    body = " ".join([project.code, *sections, plain_summary(project.description or "", BODY_CHARS)])
    return Doc(
        title=project.name,
        body=body,
        link=f"/projects/{project.id}",
        published_at=project.public_since,
        transaction_type=project.transaction_type,
        method=project.method,
        region_code=project.region_code,
        status=project.state,
        amount=project.budget,
    )


def _notices_of(session: Session, project: Project) -> list[tuple[str, int]]:
    ids = session.scalars(select(Notice.id).where(Notice.project_id == project.id).order_by(Notice.id).limit(200))
    return [("notice", i) for i in ids]


def _rows(model: type, order: object) -> object:
    def rows(session: Session) -> Iterator[object]:
        yield from session.scalars(select(model).order_by(order).execution_options(yield_per=500))

    return rows


def install() -> None:
    sources.register(
        "notice",
        "交易公告",
        model=Notice,
        document=notice_doc,
        rows=_rows(Notice, Notice.id),
        status_labels=lifecycle.STATES,
    )
    sources.register(
        "project",
        "交易项目",
        model=Project,
        document=project_doc,
        rows=_rows(Project, Project.id),
        related=_notices_of,
        status_labels=lifecycle.STATES,
    )
