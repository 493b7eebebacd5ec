"""Disclosure publications (公开信息) as published items (``core.published.ItemProvider``), in the categories of the
disclosure catalog (公开事项目录: level 1 and level 2, codes ``catalog.GC`` and ``catalog.GC.ZB``).

Only texts in the "published" state are carried (a withdrawn text's tombstone is not news), and only
on the channels the publication went out on (``feed`` for feeds and mail, ``terminal`` for the kiosk).
A publication made from a trading notice keeps the notice's key and link, so feeds show it once, with
its trading categories and its catalog categories together.
"""

from __future__ import annotations

import html
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.published import Category, PublishedItem, plain_summary
from sunshine.disclosure.models import CatalogCategory, CatalogItem, Publication
from sunshine.trading.models import Project

GROUP = "公开事项目录"
SCHEME = "catalog"


def _label(category: CatalogCategory, by_id: dict[int, CatalogCategory]) -> str:
    parent = by_id.get(category.parent_id) if category.parent_id else None
    return f"{parent.name} · {category.name}" if parent else category.name


def _chain(category_id: int, by_id: dict[int, CatalogCategory]) -> list[CatalogCategory]:
    """The category and its ancestors, root first."""
    out: list[CatalogCategory] = []
    current = by_id.get(category_id)
    while current is not None and current not in out:
        out.insert(0, current)
        current = by_id.get(current.parent_id) if current.parent_id else None
    return out


class DisclosurePublications:
    name = "disclosure"

    def _categories(self, session: Session) -> dict[int, CatalogCategory]:
        rows = session.scalars(
            select(CatalogCategory).order_by(CatalogCategory.level, CatalogCategory.sort_order, CatalogCategory.id)
        )
        return {c.id: c for c in rows}

    def categories(self, session: Session) -> list[Category]:
        by_id = self._categories(session)
        return [Category(f"{SCHEME}.{c.code}", _label(c, by_id), GROUP) for c in by_id.values()]

    def items(
        self,
        session: Session,
        *,
        category: str | None = None,
        project_code: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[PublishedItem]:
        by_id = self._categories(session)
        stmt = (
            select(Publication, CatalogItem)
            .join(CatalogItem, Publication.item_id == CatalogItem.id)
            .where(Publication.status == "published", Publication.published_at.is_not(None))
            .order_by(Publication.published_at.desc(), Publication.id.desc())
            .limit(limit)
        )
        if category is not None:
            scheme, _, code = category.partition(".")
            wanted = next((c for c in by_id.values() if c.code == code), None) if scheme == SCHEME else None
            if wanted is None:
                return []
            ids = {c.id for c in by_id.values() if wanted in _chain(c.id, by_id)}
            stmt = stmt.where(CatalogItem.category_id.in_(ids))
        if project_code is not None:
            stmt = stmt.where(Publication.subject == f"project:{project_code}")
        if since is not None:
            stmt = stmt.where(Publication.published_at > since)
        rows = session.execute(stmt).all()
        codes = {p.subject.removeprefix("project:") for p, _ in rows if p.subject.startswith("project:")}
        regions = (
            dict(session.execute(select(Project.code, Project.region_code).where(Project.code.in_(codes))).all())
            if codes
            else {}
        )
        out = []
        for pub, item in rows:
            project = pub.subject.removeprefix("project:") if pub.subject.startswith("project:") else None
            notice = pub.source_ref if (pub.source_ref or "").startswith("notice:") else None
            body = pub.body if pub.body_format == "html" else f"<p>{html.escape(pub.body)}</p>"
            out.append(
                PublishedItem(
                    key=notice or f"publication:{pub.id}",
                    title=pub.title,
                    link=f"/notices/{notice.partition(':')[2]}" if notice else f"/disclosure/publications/{pub.id}",
                    published_at=pub.published_at,
                    categories=tuple(
                        Category(f"{SCHEME}.{c.code}", _label(c, by_id), GROUP) for c in _chain(item.category_id, by_id)
                    ),
                    region_code=regions.get(project) if project else None,
                    project_code=project,
                    summary=plain_summary(body),
                    source=self.name,
                    channels=frozenset(pub.channels) if pub.channels is not None else None,
                )
            )
        return out
