"""the construction a draw was made with (draw.construction): sunshine-draw-v1 for every draw before, v2 after

Revision ID: 20261206_0100
Revises: 20261205_0800
Create Date: 2026-12-06 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0100"
down_revision: str | tuple[str, ...] | None = "20261205_0800"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("draw") as batch:
        batch.add_column(
            sa.Column("construction", sa.String(length=30), nullable=False, server_default="sunshine-draw-v1")
        )


def downgrade() -> None:
    with op.batch_alter_table("draw") as batch:
        batch.drop_column("construction")
