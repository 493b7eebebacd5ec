"""tender documents (招标文件范本、编制、确认、备案、责令修改) and the holders' acknowledgements of changes (签收回执)

Revision ID: 20261203_0110
Revises: 20261203_0100
Create Date: 2026-12-03 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203_0110"
down_revision: str | tuple[str, ...] | None = "20261203_0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tender_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_type", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("clauses", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_tender_template_created_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_template")),
    )
    op.create_index(op.f("ix_tender_template_transaction_type"), "tender_template", ["transaction_type"])
    op.create_table(
        "tender_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("clauses", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("drafted_by", sa.Integer(), nullable=False),
        sa.Column("drafted_at", TS, nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", TS, nullable=True),
        sa.Column("reviewed_at", TS, nullable=True),
        sa.Column("review_opinion", sa.Text(), nullable=True),
        sa.Column("review_version", sa.Integer(), nullable=True),
        sa.Column("filed_by", sa.Integer(), nullable=True),
        sa.Column("filed_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_tender_document_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["template_id"], ["tender_template.id"], name=op.f("fk_tender_document_template_id_tender_template")
        ),
        sa.ForeignKeyConstraint(["drafted_by"], ["app_user.id"], name=op.f("fk_tender_document_drafted_by_app_user")),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["app_user.id"], name=op.f("fk_tender_document_confirmed_by_app_user")
        ),
        sa.ForeignKeyConstraint(["filed_by"], ["app_user.id"], name=op.f("fk_tender_document_filed_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_document")),
        sa.UniqueConstraint("project_id", name=op.f("uq_tender_document_project_id")),
    )
    op.create_index(op.f("ix_tender_document_status"), "tender_document", ["status"])
    op.create_table(
        "tender_document_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("after_publication", sa.Boolean(), nullable=False),
        sa.Column("ordered_by", sa.Integer(), nullable=False),
        sa.Column("ordered_at", TS, nullable=False),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("answered_version", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["tender_document.id"],
            name=op.f("fk_tender_document_order_document_id_tender_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ordered_by"], ["app_user.id"], name=op.f("fk_tender_document_order_ordered_by_app_user")
        ),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"], name=op.f("fk_tender_document_order_notice_id_notice")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_document_order")),
    )
    op.create_index(op.f("ix_tender_document_order_document_id"), "tender_document_order", ["document_id"])
    op.create_table(
        "notice_acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", TS, nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_notice_acknowledgement_notice_id_notice"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_notice_acknowledgement_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_notice_acknowledgement_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_notice_acknowledgement_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_acknowledgement")),
        sa.UniqueConstraint(
            "notice_id", "organisation_id", name=op.f("uq_notice_acknowledgement_notice_id_organisation_id")
        ),
    )
    for column in ("notice_id", "project_id", "organisation_id"):
        op.create_index(op.f(f"ix_notice_acknowledgement_{column}"), "notice_acknowledgement", [column])


def downgrade() -> None:
    op.drop_table("notice_acknowledgement")
    op.drop_table("tender_document_order")
    op.drop_table("tender_document")
    op.drop_table("tender_template")
