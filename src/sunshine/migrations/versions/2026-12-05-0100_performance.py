"""contract performance (履约): securities and their return, payment schedule and payments, changes, acceptance with
its members' signatures, and the written report of the tender to the supervisory department

Revision ID: 20261205_0100
Revises: 20261204_0450
Create Date: 2026-12-05 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261205_0100"
down_revision: str | tuple[str, ...] | None = "20261204_0450"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "performance_tender_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.Column("determined_on", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        sa.Column("submitted_at", TS, nullable=True),
        sa.Column("late", sa.Boolean(), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", TS, nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"], ["app_user.id"], name=op.f("fk_performance_tender_report_acknowledged_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["deadline_id"],
            ["tracked_deadline.id"],
            name=op.f("fk_performance_tender_report_deadline_id_tracked_deadline"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_performance_tender_report_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["app_user.id"], name=op.f("fk_performance_tender_report_submitted_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_tender_report")),
        sa.UniqueConstraint("project_id", name=op.f("uq_performance_tender_report_project_id")),
    )
    op.create_table(
        "performance_acceptance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("organised_by", sa.Integer(), nullable=False),
        sa.Column("organised_at", TS, nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("result", sa.String(length=20), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("report", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["award_contract.id"],
            name=op.f("fk_performance_acceptance_contract_id_award_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organised_by"], ["app_user.id"], name=op.f("fk_performance_acceptance_organised_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_acceptance")),
    )
    op.create_index(
        op.f("ix_performance_acceptance_contract_id"), "performance_acceptance", ["contract_id"], unique=False
    )
    op.create_table(
        "performance_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposed_side", sa.String(length=20), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=False),
        sa.Column("proposed_at", TS, nullable=False),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by"], ["app_user.id"], name=op.f("fk_performance_change_answered_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["award_contract.id"],
            name=op.f("fk_performance_change_contract_id_award_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by"], ["app_user.id"], name=op.f("fk_performance_change_proposed_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_change")),
    )
    op.create_index(op.f("ix_performance_change_contract_id"), "performance_change", ["contract_id"], unique=False)
    op.create_table(
        "performance_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("done_at", TS, nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=True),
        sa.Column("evidence_name", sa.String(length=200), nullable=True),
        sa.Column("pay_deadline_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["award_contract.id"],
            name=op.f("fk_performance_milestone_contract_id_award_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["done_by"], ["app_user.id"], name=op.f("fk_performance_milestone_done_by_app_user")),
        sa.ForeignKeyConstraint(
            ["pay_deadline_id"],
            ["tracked_deadline.id"],
            name=op.f("fk_performance_milestone_pay_deadline_id_tracked_deadline"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_milestone")),
        sa.UniqueConstraint("contract_id", "seq", name=op.f("uq_performance_milestone_contract_id")),
    )
    op.create_index(
        op.f("ix_performance_milestone_contract_id"), "performance_milestone", ["contract_id"], unique=False
    )
    op.create_table(
        "performance_security",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("required", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("channel_ref", sa.String(length=80), nullable=True),
        sa.Column("issuer", sa.String(length=200), nullable=True),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("submitted_at", TS, nullable=True),
        sa.Column("received_by", sa.Integer(), nullable=True),
        sa.Column("received_at", TS, nullable=True),
        sa.Column("released_by", sa.Integer(), nullable=True),
        sa.Column("released_at", TS, nullable=True),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("return_note", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["award_contract.id"],
            name=op.f("fk_performance_security_contract_id_award_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["organisation.id"], name=op.f("fk_performance_security_holder_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["organisation.id"], name=op.f("fk_performance_security_provider_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["received_by"], ["app_user.id"], name=op.f("fk_performance_security_received_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["released_by"], ["app_user.id"], name=op.f("fk_performance_security_released_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_security")),
    )
    op.create_index(op.f("ix_performance_security_contract_id"), "performance_security", ["contract_id"], unique=False)
    op.create_table(
        "performance_acceptance_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acceptance_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("signed_sha256", sa.String(length=64), nullable=True),
        sa.Column("signed_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["acceptance_id"],
            ["performance_acceptance.id"],
            name=op.f("fk_performance_acceptance_member_acceptance_id_performance_acceptance"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_performance_acceptance_member_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_acceptance_member")),
        sa.UniqueConstraint("acceptance_id", "user_id", name=op.f("uq_performance_acceptance_member_acceptance_id")),
    )
    op.create_index(
        op.f("ix_performance_acceptance_member_acceptance_id"),
        "performance_acceptance_member",
        ["acceptance_id"],
        unique=False,
    )
    op.create_table(
        "performance_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["award_contract.id"],
            name=op.f("fk_performance_payment_contract_id_award_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["performance_milestone.id"],
            name=op.f("fk_performance_payment_milestone_id_performance_milestone"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_performance_payment_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_payment")),
    )
    op.create_index(op.f("ix_performance_payment_contract_id"), "performance_payment", ["contract_id"], unique=False)
    op.create_index(op.f("ix_performance_payment_milestone_id"), "performance_payment", ["milestone_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_performance_payment_milestone_id"), table_name="performance_payment")
    op.drop_index(op.f("ix_performance_payment_contract_id"), table_name="performance_payment")
    op.drop_table("performance_payment")
    op.drop_index(op.f("ix_performance_acceptance_member_acceptance_id"), table_name="performance_acceptance_member")
    op.drop_table("performance_acceptance_member")
    op.drop_index(op.f("ix_performance_security_contract_id"), table_name="performance_security")
    op.drop_table("performance_security")
    op.drop_index(op.f("ix_performance_milestone_contract_id"), table_name="performance_milestone")
    op.drop_table("performance_milestone")
    op.drop_index(op.f("ix_performance_change_contract_id"), table_name="performance_change")
    op.drop_table("performance_change")
    op.drop_index(op.f("ix_performance_acceptance_contract_id"), table_name="performance_acceptance")
    op.drop_table("performance_acceptance")
    op.drop_table("performance_tender_report")
