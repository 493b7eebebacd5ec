"""a draw's pool in one row (draw_pool); the expert pool's version stamp (expert_pool_version)

Revision ID: 20261205_0400
Revises: 20261205_0300
Create Date: 2026-12-05 04:00:00
"""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "20261205_0400"
down_revision: str | tuple[str, ...] | None = "20261205_0300"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "draw_pool",
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("eligible_count", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["draw_id"], ["draw.id"], name=op.f("fk_draw_pool_draw_id_draw"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("draw_id", name=op.f("pk_draw_pool")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # the pool is mostly random hex: compressing it costs time and saves little
        op.execute("ALTER TABLE draw_pool ALTER COLUMN entries SET STORAGE EXTERNAL")
    version = op.create_table(
        "expert_pool_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.Column("changed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_pool_version")),
    )
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    op.bulk_insert(version, [{"id": 1, "counter": 0, "stamp": secrets.token_hex(16), "changed_at": now}])


def downgrade() -> None:
    op.drop_table("expert_pool_version")
    op.drop_table("draw_pool")
