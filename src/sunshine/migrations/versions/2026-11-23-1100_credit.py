"""credit: behaviour records (信用记录) and bans from taking part (禁止参与)

Revision ID: 20261123_1100
Revises: 20261123_1000
Create Date: 2026-11-23 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261123_1100"
down_revision: str | tuple[str, ...] | None = "20261123_1000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credit_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("polarity", sa.String(length=10), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("person_name", sa.String(length=100), nullable=True),
        sa.Column("person_id_number", sa.String(length=40), nullable=True),
        sa.Column("behaviour", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_until", sa.Date(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_credit_record_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_credit_record_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_record")),
    )
    with op.batch_alter_table("credit_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_record_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_credit_record_polarity"), ["polarity"], unique=False)

    op.create_table(
        "credit_ban",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("transaction_type", sa.String(length=30), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("decision_no", sa.String(length=100), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_credit_ban_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_credit_ban_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["credit_record.id"], name=op.f("fk_credit_ban_record_id_credit_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_ban")),
    )
    with op.batch_alter_table("credit_ban", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_ban_organisation_id"), ["organisation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("credit_ban", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_ban_organisation_id"))
    op.drop_table("credit_ban")
    with op.batch_alter_table("credit_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_record_polarity"))
        batch_op.drop_index(batch_op.f("ix_credit_record_organisation_id"))
    op.drop_table("credit_record")
