"""each drawn reviewer's own opinion on the tender documents (专家评审意见, one per expert per version)

Revision ID: 20261203_0150
Revises: 20261203_0130
Create Date: 2026-12-03 01:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203_0150"
down_revision: str | tuple[str, ...] | None = "20261203_0130"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
T = "tender_document_opinion"


def upgrade() -> None:
    op.create_table(
        T,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("conclusion", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", TS, nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["tender_document.id"],
            name=op.f(f"fk_{T}_document_id_tender_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["committee_call.id"], name=op.f(f"fk_{T}_call_id_committee_call"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["expert_id"], ["expert.id"], name=op.f(f"fk_{T}_expert_id_expert")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{T}")),
        sa.UniqueConstraint("document_id", "version", "expert_id", name=op.f(f"uq_{T}_document_id_version_expert_id")),
    )
    for column in ("document_id", "call_id", "expert_id"):
        op.create_index(op.f(f"ix_{T}_{column}"), T, [column])


def downgrade() -> None:
    op.drop_table(T)
