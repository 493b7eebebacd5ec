"""open data (数据开放): OCDS releases as first made public, bulk downloads with their hashes, sync progress

Revision ID: 20261205_0700
Revises: 20261205_0600
Create Date: 2026-12-05 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261205_0700"
down_revision: str | tuple[str, ...] | None = "20261205_0600"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
R, D, S = "opendata_release", "opendata_dump", "opendata_sync"


def upgrade() -> None:
    op.create_table(
        R,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.String(length=120), nullable=False),
        sa.Column("ocid", sa.String(length=80), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("tag", sa.String(length=30), nullable=False),
        sa.Column("date", TS, nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f(f"fk_{R}_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{R}")),
        sa.UniqueConstraint("release_id", name=op.f(f"uq_{R}_release_id")),
    )
    for column in ("ocid", "project_id", "tag", "created_at"):
        op.create_index(op.f(f"ix_{R}_{column}"), R, [column])
    op.create_table(
        D,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("fmt", sa.String(length=10), nullable=False),
        sa.Column("filename", sa.String(length=120), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{D}")),
    )
    op.create_index(op.f(f"ix_{D}_dataset"), D, ["dataset"])
    op.create_index(op.f(f"ix_{D}_created_at"), D, ["created_at"])
    op.create_table(
        S,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("read_until", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{S}")),
    )


def downgrade() -> None:
    op.drop_table(S)
    op.drop_index(op.f(f"ix_{D}_created_at"), table_name=D)
    op.drop_index(op.f(f"ix_{D}_dataset"), table_name=D)
    op.drop_table(D)
    for column in ("ocid", "project_id", "tag", "created_at"):
        op.drop_index(op.f(f"ix_{R}_{column}"), table_name=R)
    op.drop_table(R)
