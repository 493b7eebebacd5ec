"""What the site search carries of disclosure (``search.sources``): every publication (公开信息) while it is
published; its withdrawal (撤回) takes it out in the same transaction. A publication made from a trading
notice is found as that notice (trading's source), not twice."""

from __future__ import annotations

import html
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.published import plain_summary
from sunshine.disclosure.models import Publication
from sunshine.search import sources
from sunshine.search.sources import BODY_CHARS, Doc
from sunshine.trading.models import Project

STATUS_LABELS = {"published": "已发布", "withdrawn": "已撤回"}


def publication_doc(session: Session, pub: Publication) -> Doc | None:
    if pub.status != "published" or pub.published_at is None:
        return None
    if (pub.source_ref or "").startswith("notice:"):
        return None
    body = pub.body if pub.body_format == "html" else f"<p>{html.escape(pub.body)}</p>"
    project = None
    if pub.subject.startswith("project:"):
        project = session.scalar(select(Project).where(Project.code == pub.subject.removeprefix("project:")))
    return Doc(
        title=pub.title,
        body=plain_summary(body, BODY_CHARS),
        link=f"/disclosure/publications/{pub.id}",
        published_at=pub.published_at,
        transaction_type=project.transaction_type if project else None,
        method=project.method if project else None,
        region_code=project.region_code if project else None,
        status=pub.status,
    )


def _rows(session: Session) -> Iterator[Publication]:
    stmt = select(Publication).where(Publication.status == "published").order_by(Publication.id)
    yield from session.scalars(stmt.execution_options(yield_per=500))


def install() -> None:
    sources.register(
        "publication",
        "公开信息",
        model=Publication,
        document=publication_doc,
        rows=_rows,
        status_labels=STATUS_LABELS,
    )
