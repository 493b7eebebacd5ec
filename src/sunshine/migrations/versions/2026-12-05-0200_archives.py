"""project archives (项目档案): one per closed, failed or terminated project, its manifest's hash in the ledger

Revision ID: 20261205_0200
Revises: 20261205_0100
Create Date: 2026-12-05 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261205_0200"
down_revision: str | tuple[str, ...] | None = "20261205_0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

T = "project_archive"


def upgrade() -> None:
    op.create_table(
        T,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("total_bytes", sa.BigInteger(), nullable=False),
        sa.Column("archived_by", sa.Integer(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f(f"fk_{T}_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["archived_by"], ["app_user.id"], name=op.f(f"fk_{T}_archived_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{T}")),
        sa.UniqueConstraint("project_id", name=op.f(f"uq_{T}_project_id")),
        sa.UniqueConstraint("number", name=op.f(f"uq_{T}_number")),
    )
    op.create_index(op.f(f"ix_{T}_archived_at"), T, ["archived_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f(f"ix_{T}_archived_at"), table_name=T)
    op.drop_table(T)
