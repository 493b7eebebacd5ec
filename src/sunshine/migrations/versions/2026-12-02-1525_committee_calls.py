"""calling the drawn experts: notification, confirmation within the time limit, sign-in at the evaluation

Revision ID: 20261202_1525
Revises: 20261202_1520
Create Date: 2026-12-02 15:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_1525"
down_revision: str | tuple[str, ...] | None = "20261202_1520"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "committee_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("leaf", sa.String(length=64), nullable=False),
        sa.Column("specialty", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason_code", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["committee_request.id"],
            name=op.f("fk_committee_call_request_id_committee_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"],
            ["committee_seat.id"],
            name=op.f("fk_committee_call_seat_id_committee_seat"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["expert_id"], ["expert.id"], name=op.f("fk_committee_call_expert_id_expert")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_call")),
        sa.UniqueConstraint("seat_id", name=op.f("uq_committee_call_seat_id")),
    )
    with op.batch_alter_table("committee_call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_call_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_call_expert_id"), ["expert_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_call_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_call_due_at"), ["due_at"], unique=False)


def downgrade() -> None:
    op.drop_table("committee_call")
