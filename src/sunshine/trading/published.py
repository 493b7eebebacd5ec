"""The trading notices provider (``core.published.ItemProvider``): every published notice (公告) of a public
project as a published item, in two categories — its transaction type (交易类型) and its notice kind (公告类型)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.published import Category, PublishedItem, plain_summary
from sunshine.trading.labels import TRANSACTION_TYPES
from sunshine.trading.models import Notice, Project
from sunshine.trading.notice_kinds import KIND_LABELS

TYPE_GROUP = "交易类型"
KIND_GROUP = "公告类型"


def type_category(transaction_type: str) -> Category:
    return Category(f"type.{transaction_type}", TRANSACTION_TYPES.get(transaction_type, transaction_type), TYPE_GROUP)


def kind_category(kind: str) -> Category:
    return Category(f"kind.{kind}", KIND_LABELS.get(kind, kind), KIND_GROUP)


class TradingNotices:
    name = "trading"

    def categories(self, session: Session) -> list[Category]:
        return [type_category(t) for t in TRANSACTION_TYPES] + [kind_category(k) for k in KIND_LABELS]

    def items(
        self,
        session: Session,
        *,
        category: str | None = None,
        project_code: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[PublishedItem]:
        # Only projects the public can see: a project becomes public with its first notice.
        where = [Project.public_since.is_not(None)]
        if category is not None:
            scheme, _, value = category.partition(".")
            if scheme == "type" and value in TRANSACTION_TYPES:
                where.append(Project.transaction_type == value)
            elif scheme == "kind" and value in KIND_LABELS:
                where.append(Notice.kind == value)
            else:
                return []
        if project_code is not None:
            where.append(Project.code == project_code)
        if since is not None:
            where.append(Notice.published_at > since)
        rows = session.execute(
            select(Notice, Project)
            .join(Project, Notice.project_id == Project.id)
            .where(*where)
            .order_by(Notice.published_at.desc(), Notice.id.desc())
            .limit(limit)
        ).all()
        return [
            PublishedItem(
                key=f"notice:{notice.id}",
                title=notice.title,
                link=f"/notices/{notice.id}",
                published_at=notice.published_at,
                categories=(type_category(project.transaction_type), kind_category(notice.kind)),
                region_code=project.region_code,
                project_code=project.code,
                summary=plain_summary(notice.body_html),
                source=self.name,
            )
            for notice, project in rows
        ]
