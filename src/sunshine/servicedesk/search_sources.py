"""What the site search carries of the service desk (``search.sources``): the knowledge base's published
articles (办事指南 and 常见问题); work orders never, whatever their content."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.search import sources
from sunshine.search.sources import BODY_CHARS, Doc
from sunshine.servicedesk.models import KnowledgeArticle


def article_doc(session: Session, row: KnowledgeArticle) -> Doc | None:
    if not row.published:
        return None
    try:
        fields = json.loads(row.fields or "{}")
    except ValueError:
        fields = {}
    body = " ".join([row.body, *(str(v) for v in fields.values())])
    return Doc(title=row.title, body=body[:BODY_CHARS], link=f"/knowledge/{row.id}", published_at=row.updated_at)


def _rows(session: Session) -> Iterator[KnowledgeArticle]:
    yield from session.scalars(select(KnowledgeArticle).order_by(KnowledgeArticle.id).execution_options(yield_per=500))


def install() -> None:
    sources.register("knowledge", "知识库", model=KnowledgeArticle, document=article_doc, rows=_rows)
