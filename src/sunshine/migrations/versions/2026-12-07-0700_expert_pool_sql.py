"""the candidate list of a draw decided by one SQL statement: the holders of a specialty code range read from an
index alone (expert_specialty: code, expert); the expert pool's version stamp, which kept the pool in memory
between draws, is no longer used (expert_pool_version dropped)

Revision ID: 20261207_0700
Revises: 20261207_0500
Create Date: 2026-12-07 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_0700"
down_revision: str | tuple[str, ...] | None = "20261207_0500"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_expert_specialty_code_expert", "expert_specialty", ["specialty_code", "expert_id"])
    op.drop_table("expert_pool_version")


def downgrade() -> None:
    op.create_table(
        "expert_pool_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_pool_version")),
    )
    op.drop_index("ix_expert_specialty_code_expert", table_name="expert_specialty")
