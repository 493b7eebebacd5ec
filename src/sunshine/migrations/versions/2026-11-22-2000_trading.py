"""trading

Revision ID: 20261122_2000
Revises: 20261122_1900
Create Date: 2026-11-22 18:13:00.548259
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_2000"
down_revision: str | None = "20261122_1900"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "code_sequence",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("next_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_code_sequence")),
    )
    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_message_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("transaction_type", sa.String(length=30), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("pack_key", sa.String(length=80), nullable=False),
        sa.Column("pack_version", sa.String(length=40), nullable=False),
        sa.Column("lifecycle", sa.String(length=30), nullable=False),
        sa.Column("rules_snapshot", sa.Text(), nullable=False),
        sa.Column("tenderer_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("budget", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("funding_source", sa.String(length=200), nullable=False),
        sa.Column("evaluation_method", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("green_channel", sa.Boolean(), nullable=False),
        sa.Column("green_reason", sa.String(length=300), nullable=True),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("state_before_suspension", sa.String(length=40), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("public_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("docs_issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("docs_sale_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bid_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opening_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registered_by", sa.Integer(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["organisation.id"], name=op.f("fk_project_agency_id_organisation")),
        sa.ForeignKeyConstraint(["registered_by"], ["app_user.id"], name=op.f("fk_project_registered_by_app_user")),
        sa.ForeignKeyConstraint(["tenderer_id"], ["organisation.id"], name=op.f("fk_project_tenderer_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
        sa.UniqueConstraint("code", name=op.f("uq_project_code")),
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_bid_deadline"), ["bid_deadline"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_green_channel"), ["green_channel"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_tenderer_id"), ["tenderer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_transaction_type"), ["transaction_type"], unique=False)

    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("affects_bids", sa.Boolean(), nullable=False),
        sa.Column("new_bid_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("new_opening_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["app_user.id"], name=op.f("fk_notice_author_id_app_user")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_notice_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["series_id"], ["notice.id"], name=op.f("fk_notice_series_id_notice")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_published_at"), ["published_at"], unique=False)

    op.create_table(
        "project_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("estimate", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("qualification", sa.Text(), nullable=False),
        sa.Column("deposit_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_project_section_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_section")),
        sa.UniqueConstraint("project_id", "number", name=op.f("uq_project_section_project_id")),
    )
    with op.batch_alter_table("project_section", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_section_project_id"), ["project_id"], unique=False)

    op.create_table(
        "project_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("from_state", sa.String(length=40), nullable=True),
        sa.Column("to_state", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("document_ref", sa.String(length=100), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], name=op.f("fk_project_transition_actor_id_app_user")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_project_transition_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_transition")),
    )
    with op.batch_alter_table("project_transition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_transition_project_id"), ["project_id"], unique=False)

    op.create_table(
        "deposit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("channel_ref", sa.String(length=100), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refund_reason", sa.String(length=300), nullable=True),
        sa.Column("refund_due", sa.Date(), nullable=True),
        sa.Column("refund_deadline_id", sa.Integer(), nullable=True),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_deposit_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_deposit_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["refund_deadline_id"], ["tracked_deadline.id"], name=op.f("fk_deposit_refund_deadline_id_tracked_deadline")
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["project_section.id"],
            name=op.f("fk_deposit_section_id_project_section"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit")),
        sa.UniqueConstraint("section_id", "organisation_id", name=op.f("uq_deposit_section_id")),
    )
    with op.batch_alter_table("deposit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deposit_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deposit_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deposit_section_id"), ["section_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deposit_status"), ["status"], unique=False)

    op.create_table(
        "notice_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_notice_attachment_notice_id_notice"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_attachment")),
    )
    with op.batch_alter_table("notice_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_attachment_notice_id"), ["notice_id"], unique=False)

    op.create_table(
        "registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("docs_obtained_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("docs_sha256", sa.String(length=64), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_registration_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_registration_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["project_section.id"],
            name=op.f("fk_registration_section_id_project_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_registration_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration")),
        sa.UniqueConstraint("section_id", "organisation_id", name=op.f("uq_registration_section_id")),
    )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registration_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_registration_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_registration_section_id"), ["section_id"], unique=False)

    op.create_table(
        "qualification_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["app_user.id"], name=op.f("fk_qualification_result_decided_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_qualification_result_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualification_result")),
        sa.UniqueConstraint("registration_id", "stage", name=op.f("uq_qualification_result_registration_id")),
    )
    with op.batch_alter_table("qualification_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_qualification_result_registration_id"), ["registration_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("qualification_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_qualification_result_registration_id"))

    op.drop_table("qualification_result")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_section_id"))
        batch_op.drop_index(batch_op.f("ix_registration_project_id"))
        batch_op.drop_index(batch_op.f("ix_registration_organisation_id"))

    op.drop_table("registration")
    with op.batch_alter_table("notice_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_attachment_notice_id"))

    op.drop_table("notice_attachment")
    with op.batch_alter_table("deposit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deposit_status"))
        batch_op.drop_index(batch_op.f("ix_deposit_section_id"))
        batch_op.drop_index(batch_op.f("ix_deposit_project_id"))
        batch_op.drop_index(batch_op.f("ix_deposit_organisation_id"))

    op.drop_table("deposit")
    with op.batch_alter_table("project_transition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_transition_project_id"))

    op.drop_table("project_transition")
    with op.batch_alter_table("project_section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_section_project_id"))

    op.drop_table("project_section")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_published_at"))
        batch_op.drop_index(batch_op.f("ix_notice_project_id"))

    op.drop_table("notice")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_transaction_type"))
        batch_op.drop_index(batch_op.f("ix_project_tenderer_id"))
        batch_op.drop_index(batch_op.f("ix_project_state"))
        batch_op.drop_index(batch_op.f("ix_project_green_channel"))
        batch_op.drop_index(batch_op.f("ix_project_bid_deadline"))
        batch_op.drop_index(batch_op.f("ix_project_agency_id"))

    op.drop_table("project")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_organisation_id"))

    op.drop_table("message")
    op.drop_table("code_sequence")
