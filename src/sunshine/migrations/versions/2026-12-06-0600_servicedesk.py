"""service desk: departments and members, work orders and their history, call recordings, agents' shifts,
the 12345 hotline exchange, questionnaires, survey invitations and answers, monthly satisfaction figures,
knowledge articles, settings

Revision ID: 20261206_0600
Revises: 20261206_0500
Create Date: 2026-12-06 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0600"
down_revision: str | tuple[str, ...] | None = "20261206_0500"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk_department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_desk_department_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_department")),
        sa.UniqueConstraint("name", name=op.f("uq_desk_department_name")),
    )
    op.create_table(
        "desk_agent_shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts", sa.String(length=5), nullable=False),
        sa.Column("ends", sa.String(length=5), nullable=False),
        sa.Column("seat", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_desk_agent_shift_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_desk_agent_shift_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_agent_shift")),
        sa.UniqueConstraint("user_id", "day", "starts", name=op.f("uq_desk_agent_shift_user_id")),
    )
    op.create_index(op.f("ix_desk_agent_shift_day"), "desk_agent_shift", ["day"], unique=False)
    op.create_index(op.f("ix_desk_agent_shift_user_id"), "desk_agent_shift", ["user_id"], unique=False)
    op.create_table(
        "desk_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["desk_department.id"],
            name=op.f("fk_desk_member_department_id_desk_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_desk_member_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_member")),
        sa.UniqueConstraint("department_id", "user_id", name=op.f("uq_desk_member_department_id")),
    )
    op.create_index(op.f("ix_desk_member_department_id"), "desk_member", ["department_id"], unique=False)
    op.create_index(op.f("ix_desk_member_user_id"), "desk_member", ["user_id"], unique=False)
    op.create_table(
        "desk_questionnaire",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["desk_department.id"], name=op.f("fk_desk_questionnaire_department_id_desk_department")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["app_user.id"], name=op.f("fk_desk_questionnaire_updated_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_questionnaire")),
        sa.UniqueConstraint("service", name=op.f("uq_desk_questionnaire_service")),
    )
    op.create_table(
        "desk_satisfaction_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_by"], ["app_user.id"], name=op.f("fk_desk_satisfaction_month_published_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_satisfaction_month")),
        sa.UniqueConstraint("month", name=op.f("uq_desk_satisfaction_month_month")),
    )
    op.create_table(
        "desk_setting",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["set_by"], ["app_user.id"], name=op.f("fk_desk_setting_set_by_app_user")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_desk_setting")),
    )
    op.create_table(
        "desk_survey_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("service", sa.String(length=30), nullable=False),
        sa.Column("subject_kind", sa.String(length=30), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("subject_label", sa.String(length=300), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["desk_department.id"],
            name=op.f("fk_desk_survey_invitation_department_id_desk_department"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_desk_survey_invitation_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_survey_invitation")),
        sa.UniqueConstraint("key", name=op.f("uq_desk_survey_invitation_key")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_desk_survey_invitation_token_hash")),
    )
    op.create_index(op.f("ix_desk_survey_invitation_service"), "desk_survey_invitation", ["service"], unique=False)
    op.create_index(op.f("ix_desk_survey_invitation_user_id"), "desk_survey_invitation", ["user_id"], unique=False)
    op.create_table(
        "desk_survey_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("service", sa.String(length=30), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("respondent", sa.String(length=20), nullable=False),
        sa.Column("rater_user_id", sa.Integer(), nullable=True),
        sa.Column("subject_label", sa.String(length=300), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("low", sa.Boolean(), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=True),
        sa.Column("followed_by", sa.Integer(), nullable=True),
        sa.Column("followed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["desk_department.id"],
            name=op.f("fk_desk_survey_response_department_id_desk_department"),
        ),
        sa.ForeignKeyConstraint(
            ["followed_by"], ["app_user.id"], name=op.f("fk_desk_survey_response_followed_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["desk_survey_invitation.id"],
            name=op.f("fk_desk_survey_response_invitation_id_desk_survey_invitation"),
        ),
        sa.ForeignKeyConstraint(
            ["rater_user_id"], ["app_user.id"], name=op.f("fk_desk_survey_response_rater_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_survey_response")),
        sa.UniqueConstraint("invitation_id", name=op.f("uq_desk_survey_response_invitation_id")),
    )
    op.create_index(
        op.f("ix_desk_survey_response_department_id"), "desk_survey_response", ["department_id"], unique=False
    )
    op.create_index(op.f("ix_desk_survey_response_month"), "desk_survey_response", ["month"], unique=False)
    op.create_index(op.f("ix_desk_survey_response_service"), "desk_survey_response", ["service"], unique=False)
    op.create_table(
        "desk_work_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("requester_name", sa.String(length=100), nullable=True),
        sa.Column("requester_phone", sa.String(length=40), nullable=True),
        sa.Column("requester_user_id", sa.Integer(), nullable=True),
        sa.Column("lookup_hash", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("limit_days", sa.Integer(), nullable=True),
        sa.Column("limit_unit", sa.String(length=10), nullable=True),
        sa.Column("limit_basis", sa.Text(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("replied_on", sa.Date(), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("hotline_ref", sa.String(length=64), nullable=True),
        sa.Column("complaint_case_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_case_id"],
            ["complaint_case.id"],
            name=op.f("fk_desk_work_order_complaint_case_id_complaint_case"),
        ),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_desk_work_order_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["department_id"], ["desk_department.id"], name=op.f("fk_desk_work_order_department_id_desk_department")
        ),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_desk_work_order_project_id_project")),
        sa.ForeignKeyConstraint(
            ["requester_user_id"], ["app_user.id"], name=op.f("fk_desk_work_order_requester_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_work_order")),
        sa.UniqueConstraint("code", name=op.f("uq_desk_work_order_code")),
        sa.UniqueConstraint("hotline_ref", name=op.f("uq_desk_work_order_hotline_ref")),
    )
    op.create_index(op.f("ix_desk_work_order_closed_on"), "desk_work_order", ["closed_on"], unique=False)
    op.create_index(op.f("ix_desk_work_order_created_at"), "desk_work_order", ["created_at"], unique=False)
    op.create_index(op.f("ix_desk_work_order_department_id"), "desk_work_order", ["department_id"], unique=False)
    op.create_index(op.f("ix_desk_work_order_due_on"), "desk_work_order", ["due_on"], unique=False)
    op.create_index(op.f("ix_desk_work_order_kind"), "desk_work_order", ["kind"], unique=False)
    op.create_index(op.f("ix_desk_work_order_project_id"), "desk_work_order", ["project_id"], unique=False)
    op.create_index(
        op.f("ix_desk_work_order_requester_user_id"), "desk_work_order", ["requester_user_id"], unique=False
    )
    op.create_index(op.f("ix_desk_work_order_state"), "desk_work_order", ["state"], unique=False)
    op.create_table(
        "desk_call_recording",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("agent_user_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_user_id"], ["app_user.id"], name=op.f("fk_desk_call_recording_agent_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["desk_work_order.id"],
            name=op.f("fk_desk_call_recording_order_id_desk_work_order"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_call_recording")),
        sa.UniqueConstraint("call_id", name=op.f("uq_desk_call_recording_call_id")),
    )
    op.create_index(op.f("ix_desk_call_recording_order_id"), "desk_call_recording", ["order_id"], unique=False)
    op.create_table(
        "desk_hotline_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("hotline_ref", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["desk_work_order.id"],
            name=op.f("fk_desk_hotline_message_order_id_desk_work_order"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_hotline_message")),
    )
    op.create_index(op.f("ix_desk_hotline_message_hotline_ref"), "desk_hotline_message", ["hotline_ref"], unique=False)
    op.create_table(
        "desk_knowledge_article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("policy_ids", sa.String(length=300), nullable=False),
        sa.Column("rule_refs", sa.String(length=500), nullable=False),
        sa.Column("source_order_id", sa.Integer(), nullable=True),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_order_id"],
            ["desk_work_order.id"],
            name=op.f("fk_desk_knowledge_article_source_order_id_desk_work_order"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["app_user.id"], name=op.f("fk_desk_knowledge_article_updated_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_knowledge_article")),
    )
    op.create_index(op.f("ix_desk_knowledge_article_kind"), "desk_knowledge_article", ["kind"], unique=False)
    op.create_index(op.f("ix_desk_knowledge_article_published"), "desk_knowledge_article", ["published"], unique=False)
    op.create_table(
        "desk_work_order_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], name=op.f("fk_desk_work_order_event_actor_id_app_user")),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["desk_department.id"],
            name=op.f("fk_desk_work_order_event_department_id_desk_department"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["desk_work_order.id"],
            name=op.f("fk_desk_work_order_event_order_id_desk_work_order"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_work_order_event")),
    )
    op.create_index(op.f("ix_desk_work_order_event_order_id"), "desk_work_order_event", ["order_id"], unique=False)


def downgrade() -> None:
    op.drop_table("desk_work_order_event")
    op.drop_table("desk_knowledge_article")
    op.drop_table("desk_hotline_message")
    op.drop_table("desk_call_recording")
    op.drop_table("desk_work_order")
    op.drop_table("desk_survey_response")
    op.drop_table("desk_survey_invitation")
    op.drop_table("desk_setting")
    op.drop_table("desk_satisfaction_month")
    op.drop_table("desk_questionnaire")
    op.drop_table("desk_member")
    op.drop_table("desk_agent_shift")
    op.drop_table("desk_department")
