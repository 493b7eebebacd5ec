"""re-evaluation's consequences: a superseded round keeps its qualification and compliance reviews and, when the
purchaser or its agency started it (87号令 第六十四条), the written report of a changed result to the finance
department; award letters withdrawn and contracts revoked when a re-evaluation is ordered after them

Revision ID: 20261208_0100
Revises: 20261207_0700
Create Date: 2026-12-08 01:00:00
"""

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261208_0100"
down_revision: str | tuple[str, ...] | None = "20261207_0700"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _round() -> tuple:
    return (
        sa.Column("reviews_json", sa.Text(), nullable=True),
        sa.Column("finance_report_owed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finance_report_text", sa.Text(), nullable=True),
        sa.Column("finance_reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finance_reported_by", sa.Integer(), nullable=True),
        sa.Column("finance_report_ledger_seq", sa.Integer(), nullable=True),
    )


def _letter() -> tuple:
    return (
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("withdrawn_ledger_seq", sa.Integer(), nullable=True),
    )


def _contract() -> tuple:
    return (
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=True),
        sa.Column("revoked_ledger_seq", sa.Integer(), nullable=True),
    )


TABLES = {"evaluation_round": _round, "award_letter": _letter, "award_contract": _contract}


def upgrade() -> None:
    for table, columns in TABLES.items():
        for column in columns():
            op.add_column(table, column)
    # a withdrawn letter and a revoked contract stay beside their successors for the same section
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection", category=sa.exc.SAWarning)
        with op.batch_alter_table("award_letter") as batch:
            batch.drop_constraint("uq_award_letter_section_id", type_="unique")
        with op.batch_alter_table("award_contract") as batch:
            batch.drop_constraint("uq_award_contract_section_id", type_="unique")
            batch.create_index("ix_award_contract_section_id", ["section_id"])


def downgrade() -> None:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection", category=sa.exc.SAWarning)
        with op.batch_alter_table("award_contract") as batch:
            batch.drop_index("ix_award_contract_section_id")
            batch.create_unique_constraint("uq_award_contract_section_id", ["section_id"])
        with op.batch_alter_table("award_letter") as batch:
            batch.create_unique_constraint("uq_award_letter_section_id", ["section_id", "organisation_id"])
        for table, columns in TABLES.items():
            with op.batch_alter_table(table) as batch:
                for column in columns():
                    batch.drop_column(column.name)
