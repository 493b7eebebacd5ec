"""Policy documents, interpretations and published answers to public concerns as published items, so
feeds, mail subscriptions and the kiosk carry them with the trading notices (``core.published.ItemProvider``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.published import Category, PublishedItem, plain_summary
from sunshine.policy import service
from sunshine.policy.models import Interpretation, PolicyDocument, PublicConcern

GROUP = "政策与回应"
DOCUMENT = Category("policy.document", "政策文件", GROUP)
INTERPRETATION = Category("policy.interpretation", "政策解读", GROUP)
CONCERN = Category("policy.concern", "回应关切", GROUP)


class PolicyItems:
    name = "policy"

    def categories(self, session: Session) -> list[Category]:
        return [DOCUMENT, INTERPRETATION, CONCERN]

    def items(
        self,
        session: Session,
        *,
        category: str | None = None,
        project_code: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[PublishedItem]:
        if project_code is not None:
            return []
        wanted = {DOCUMENT.code, INTERPRETATION.code, CONCERN.code} if category is None else {category}
        out: list[PublishedItem] = []
        if DOCUMENT.code in wanted:
            stmt = select(PolicyDocument).order_by(PolicyDocument.published_at.desc()).limit(limit)
            if since is not None:
                stmt = stmt.where(PolicyDocument.published_at > since)
            for p in session.scalars(stmt):
                number = f"（{p.doc_number}）" if p.doc_number else ""
                out.append(
                    PublishedItem(
                        key=f"policy:{p.id}",
                        title=f"{p.title}{number}",
                        link=f"/policies/{p.id}",
                        published_at=p.published_at,
                        categories=(DOCUMENT,),
                        region_code=p.region_code,
                        summary=f"{p.issuing_body} {p.issued_on.isoformat()} 公布 · {service.level_label(p.level)}",
                        source=self.name,
                    )
                )
        if INTERPRETATION.code in wanted:
            stmt = (
                select(Interpretation, PolicyDocument)
                .join(PolicyDocument, Interpretation.policy_id == PolicyDocument.id)
                .order_by(Interpretation.published_at.desc())
                .limit(limit)
            )
            if since is not None:
                stmt = stmt.where(Interpretation.published_at > since)
            for i, p in session.execute(stmt).all():
                out.append(
                    PublishedItem(
                        key=f"interpretation:{i.id}",
                        title=i.title,
                        link=f"/interpretations/{i.id}",
                        published_at=i.published_at,
                        categories=(INTERPRETATION,),
                        region_code=p.region_code,
                        summary=f"解读《{p.title}》：{plain_summary(i.body_html, 160)}",
                        source=self.name,
                    )
                )
        if CONCERN.code in wanted:
            stmt = (
                select(PublicConcern)
                .where(PublicConcern.status == "published")
                .order_by(PublicConcern.published_at.desc())
                .limit(limit)
            )
            if since is not None:
                stmt = stmt.where(PublicConcern.published_at > since)
            for c in session.scalars(stmt):
                question = " ".join((c.public_question or "").split())
                out.append(
                    PublishedItem(
                        key=f"concern:{c.id}",
                        title=f"{question[:80]}{'…' if len(question) > 80 else ''}",
                        link=f"/concerns/{c.id}",
                        published_at=c.published_at,
                        categories=(CONCERN,),
                        summary=plain_summary(c.answer_html or "", 200),
                        source=self.name,
                    )
                )
        out.sort(key=lambda i: (i.published_at, i.key), reverse=True)
        return out[:limit]
