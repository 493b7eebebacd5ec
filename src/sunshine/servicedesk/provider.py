"""Each month's published satisfaction results as a published item, so feeds, mail subscriptions and the kiosk
carry them (``core.published.ItemProvider``; registered with ``channels.items`` by ``servicedesk.steps``)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.published import Category, PublishedItem
from sunshine.servicedesk.models import SatisfactionMonth

SATISFACTION = Category("desk.satisfaction", "满意度测评结果", "服务台")


class SatisfactionItems:
    name = "servicedesk"

    def categories(self, session: Session) -> list[Category]:
        return [SATISFACTION]

    def items(
        self,
        session: Session,
        *,
        category: str | None = None,
        project_code: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[PublishedItem]:
        if project_code is not None or category not in (None, SATISFACTION.code):
            return []
        stmt = select(SatisfactionMonth).order_by(SatisfactionMonth.published_at.desc()).limit(limit)
        if since is not None:
            stmt = stmt.where(SatisfactionMonth.published_at > since)
        out = []
        for m in session.scalars(stmt):
            f = json.loads(m.figures)
            year, month = m.month.split("-")
            average = f"平均 {f['average']} 分" if f.get("average") is not None else "本月无测评"
            out.append(
                PublishedItem(
                    key=f"satisfaction:{m.month}",
                    title=f"{year}年{int(month)}月服务满意度测评结果",
                    link=f"/satisfaction#month-{m.month}",
                    published_at=m.published_at,
                    categories=(SATISFACTION,),
                    summary=f"测评 {f['count']} 份，{average}，低分 {f['low']} 份",
                    source=self.name,
                )
            )
        return out
