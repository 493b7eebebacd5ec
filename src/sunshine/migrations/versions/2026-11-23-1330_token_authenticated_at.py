"""token authentication time: when the password was last entered for a session or API token (re-authentication)

Revision ID: 20261123_1330
Revises: 20261123_1200
Create Date: 2026-11-23 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261123_1330"
down_revision: str | tuple[str, ...] | None = "20261123_1200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("auth_token", sa.Column("authenticated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE auth_token SET authenticated_at = created_at")
    with op.batch_alter_table("auth_token") as batch:
        batch.alter_column("authenticated_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("auth_token") as batch:
        batch.drop_column("authenticated_at")
