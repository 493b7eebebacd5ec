"""information requests (依申请公开): requests, their events, alerts, reviews, settings, annual report drafts

Revision ID: 20261122_2200
Revises: 20261122_2000
Create Date: 2026-11-22 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_2200"
down_revision: str | None = "20261122_2000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "annual_report_draft",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("overview", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("other", sa.Text(), nullable=False),
        sa.Column("proactive", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["app_user.id"], name=op.f("fk_annual_report_draft_updated_by_app_user")
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_annual_report_draft")),
    )
    op.create_table(
        "info_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("tracking_no", sa.String(length=40), nullable=False),
        sa.Column("short_code", sa.String(length=16), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("post_signed", sa.Boolean(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("applicant_type", sa.String(length=20), nullable=False),
        sa.Column("applicant_name", sa.String(length=200), nullable=False),
        sa.Column("id_number", sa.String(length=40), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("applicant_key", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("form_wanted", sa.String(length=20), nullable=False),
        sa.Column("delivery", sa.String(length=20), nullable=False),
        sa.Column("pack_key", sa.String(length=80), nullable=False),
        sa.Column("pack_version", sa.String(length=40), nullable=False),
        sa.Column("rules_snapshot", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("department_user_id", sa.Integer(), nullable=True),
        sa.Column("volume_flag", sa.Boolean(), nullable=False),
        sa.Column("answer_form", sa.String(length=30), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("answer_detail", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("fee_method", sa.String(length=10), nullable=True),
        sa.Column("fee_units", sa.Integer(), nullable=True),
        sa.Column("fee_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_info_request_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["department_user_id"], ["app_user.id"], name=op.f("fk_info_request_department_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_info_request")),
        sa.UniqueConstraint("short_code", name=op.f("uq_info_request_short_code")),
        sa.UniqueConstraint("tracking_no", name=op.f("uq_info_request_tracking_no")),
        sa.UniqueConstraint("year", "serial", name=op.f("uq_info_request_year")),
    )
    with op.batch_alter_table("info_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_info_request_applicant_key"), ["applicant_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_info_request_applicant_type"), ["applicant_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_info_request_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_info_request_concluded_on"), ["concluded_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_info_request_department_user_id"), ["department_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_info_request_received_on"), ["received_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_info_request_state"), ["state"], unique=False)

    op.create_table(
        "info_request_setting",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["set_by"], ["app_user.id"], name=op.f("fk_info_request_setting_set_by_app_user")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_info_request_setting")),
    )
    op.create_table(
        "info_request_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_request.id"],
            name=op.f("fk_info_request_alert_request_id_info_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_info_request_alert_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_info_request_alert")),
        sa.UniqueConstraint("request_id", "kind", "due", name=op.f("uq_info_request_alert_request_id")),
    )
    with op.batch_alter_table("info_request_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_info_request_alert_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_info_request_alert_user_id"), ["user_id"], unique=False)

    op.create_table(
        "info_request_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("from_state", sa.String(length=40), nullable=True),
        sa.Column("to_state", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], name=op.f("fk_info_request_event_actor_id_app_user")),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_request.id"],
            name=op.f("fk_info_request_event_request_id_info_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_info_request_event")),
    )
    with op.batch_alter_table("info_request_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_info_request_event_request_id"), ["request_id"], unique=False)

    op.create_table(
        "info_request_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_info_request_review_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_request.id"],
            name=op.f("fk_info_request_review_request_id_info_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_info_request_review")),
    )
    with op.batch_alter_table("info_request_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_info_request_review_filed_on"), ["filed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_info_request_review_request_id"), ["request_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("info_request_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_info_request_review_request_id"))
        batch_op.drop_index(batch_op.f("ix_info_request_review_filed_on"))

    op.drop_table("info_request_review")
    with op.batch_alter_table("info_request_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_info_request_event_request_id"))

    op.drop_table("info_request_event")
    with op.batch_alter_table("info_request_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_info_request_alert_user_id"))
        batch_op.drop_index(batch_op.f("ix_info_request_alert_request_id"))

    op.drop_table("info_request_alert")
    op.drop_table("info_request_setting")
    with op.batch_alter_table("info_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_info_request_state"))
        batch_op.drop_index(batch_op.f("ix_info_request_received_on"))
        batch_op.drop_index(batch_op.f("ix_info_request_department_user_id"))
        batch_op.drop_index(batch_op.f("ix_info_request_concluded_on"))
        batch_op.drop_index(batch_op.f("ix_info_request_category"))
        batch_op.drop_index(batch_op.f("ix_info_request_applicant_type"))
        batch_op.drop_index(batch_op.f("ix_info_request_applicant_key"))

    op.drop_table("info_request")
    op.drop_table("annual_report_draft")
