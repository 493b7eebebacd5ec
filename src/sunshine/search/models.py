"""The search index's table: one row per public record (``search_doc``), with its words as segmented.

SQLite indexes the two token columns in the FTS5 table ``search_fts`` (external content, rowid = id);
PostgreSQL in the generated ``tsv`` column (simple configuration over the segmented words, GIN index).
Both are made by the migration; this model maps the columns both databases share.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class SearchDoc(Base):
    # 检索条目: what the search shows and filters on; the record itself stays with its domain
    __tablename__ = "search_doc"
    __table_args__ = (
        Index("ix_search_doc_kind_published", "kind", "published_at"),
        Index("ix_search_doc_published", "published_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)  # "<kind>:<id>", e.g. notice:12
    kind: Mapped[str] = mapped_column(String(30))  # the source's kind: notice, project, publication, policy, ...
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # plain text, cut to BODY_CHARS: the snippet is taken from it
    link: Mapped[str] = mapped_column(String(300))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    transaction_type: Mapped[str | None] = mapped_column(String(30))
    method: Mapped[str | None] = mapped_column(String(40))
    region_code: Mapped[str | None] = mapped_column(String(6))
    status: Mapped[str | None] = mapped_column(String(40))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    title_tokens: Mapped[str] = mapped_column(Text)  # segmented words, space-separated
    body_tokens: Mapped[str] = mapped_column(Text)
