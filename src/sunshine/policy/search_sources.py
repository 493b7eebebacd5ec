"""What the site search carries of policy (``search.sources``): policy documents (政策文件) and their
interpretations (政策解读), public from the moment they are published."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.published import plain_summary
from sunshine.policy.models import Interpretation, PolicyDocument
from sunshine.search import sources
from sunshine.search.sources import BODY_CHARS, Doc


def policy_doc(session: Session, doc: PolicyDocument) -> Doc | None:
    head = " ".join(x for x in (doc.issuing_body, doc.doc_number or "") if x)
    return Doc(
        title=doc.title,
        body=f"{head} " + plain_summary(doc.body_html, BODY_CHARS),
        link=f"/policies/{doc.id}",
        published_at=doc.published_at,
        region_code=doc.region_code,
    )


def interpretation_doc(session: Session, row: Interpretation) -> Doc | None:
    policy = session.get(PolicyDocument, row.policy_id)
    return Doc(
        title=row.title,
        body=f"{row.interpreter} {policy.title if policy else ''} " + plain_summary(row.body_html, BODY_CHARS),
        link=f"/interpretations/{row.id}",
        published_at=row.published_at,
        region_code=policy.region_code if policy else None,
    )


def _rows(model: type) -> object:
    def rows(session: Session) -> Iterator[object]:
        yield from session.scalars(select(model).order_by(model.id).execution_options(yield_per=500))

    return rows


def _interpretations_of(session: Session, doc: PolicyDocument) -> list[tuple[str, int]]:
    ids = session.scalars(select(Interpretation.id).where(Interpretation.policy_id == doc.id).limit(200))
    return [("interpretation", i) for i in ids]


def install() -> None:
    sources.register(
        "policy",
        "政策文件",
        model=PolicyDocument,
        document=policy_doc,
        rows=_rows(PolicyDocument),
        related=_interpretations_of,
    )
    sources.register(
        "interpretation", "政策解读", model=Interpretation, document=interpretation_doc, rows=_rows(Interpretation)
    )
