"""site search: the index's entries (search_doc) with SQLite's FTS5 table over their segmented words or
PostgreSQL's generated tsvector and its GIN index; indexes behind the lists (notices by kind, projects by
publication)

Revision ID: 20261206_0700
Revises: 20261206_0600
Create Date: 2026-12-06 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0700"
down_revision: str | tuple[str, ...] | None = "20261206_0600"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    t = "search_doc"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("published_at", TS, nullable=False),
        sa.Column("transaction_type", sa.String(length=30), nullable=True),
        sa.Column("method", sa.String(length=40), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=True),
        sa.Column("amount", sa.Numeric(18, 2), nullable=True),
        sa.Column("title_tokens", sa.Text(), nullable=False),
        sa.Column("body_tokens", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("key", name=op.f(f"uq_{t}_key")),
    )
    op.create_index("ix_search_doc_kind_published", t, ["kind", "published_at"])
    op.create_index("ix_search_doc_published", t, ["published_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE search_doc ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple'::regconfig, title_tokens), 'A') || "
            "setweight(to_tsvector('simple'::regconfig, body_tokens), 'D')) STORED"
        )
        op.execute("CREATE INDEX ix_search_doc_tsv ON search_doc USING gin (tsv)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title_tokens, body_tokens, content='search_doc', content_rowid='id')"
        )
    # the lists: notices of a kind newest first, public projects newest first, the green channel
    op.create_index("ix_notice_kind_published", "notice", ["kind", "published_at", "id"])
    op.create_index("ix_project_registered_id", "project", ["registered_at", "id"])
    op.create_index("ix_project_type_registered", "project", ["transaction_type", "registered_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_project_type_registered", table_name="project")
    op.drop_index("ix_project_registered_id", table_name="project")
    op.drop_index("ix_notice_kind_published", table_name="notice")
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_doc")
