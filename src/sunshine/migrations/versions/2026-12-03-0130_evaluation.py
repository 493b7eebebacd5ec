"""evaluation (评标/评审): the section's declared method, the committee's session, members, conflicts, reviewed
bids, questions to bidders, scores and the signed report; experts' conduct records

Revision ID: 20261203_0130
Revises: 20261203_0120
Create Date: 2026-12-03 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203_0130"
down_revision: str | tuple[str, ...] | None = "20261203_0120"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "expert_conduct",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("project_name", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_expert_conduct_expert_id_expert"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["recorded_by"], ["app_user.id"], name=op.f("fk_expert_conduct_recorded_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_conduct")),
    )
    op.create_index(op.f("ix_expert_conduct_expert_id"), "expert_conduct", ["expert_id"], unique=False)
    op.create_table(
        "evaluation_declaration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("criteria_json", sa.Text(), nullable=False),
        sa.Column("price_weight", sa.Numeric(precision=6, scale=4), nullable=True),
        sa.Column("sme_deduction", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("tie_break", sa.String(length=40), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("price_fixed", sa.Boolean(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_evaluation_declaration_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["project_section.id"],
            name=op.f("fk_evaluation_declaration_section_id_project_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["set_by"], ["app_user.id"], name=op.f("fk_evaluation_declaration_set_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_declaration")),
        sa.UniqueConstraint("section_id", name=op.f("uq_evaluation_declaration_section_id")),
    )
    op.create_index(
        op.f("ix_evaluation_declaration_project_id"), "evaluation_declaration", ["project_id"], unique=False
    )
    op.create_table(
        "evaluation_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("chair_id", sa.Integer(), nullable=True),
        sa.Column("started_by", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome_json", sa.Text(), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("report_json", sa.Text(), nullable=True),
        sa.Column("report_sha256", sa.String(length=64), nullable=True),
        sa.Column("report_ledger_seq", sa.Integer(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_by", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deliver_deadline_id", sa.Integer(), nullable=True),
        sa.Column("confirm_deadline_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivered_by"], ["app_user.id"], name=op.f("fk_evaluation_session_delivered_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_evaluation_session_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["committee_request.id"], name=op.f("fk_evaluation_session_request_id_committee_request")
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["project_section.id"],
            name=op.f("fk_evaluation_session_section_id_project_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["started_by"], ["app_user.id"], name=op.f("fk_evaluation_session_started_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_session")),
        sa.UniqueConstraint("section_id", name=op.f("uq_evaluation_session_section_id")),
    )
    op.create_index(op.f("ix_evaluation_session_project_id"), "evaluation_session", ["project_id"], unique=False)
    op.create_index(op.f("ix_evaluation_session_state"), "evaluation_session", ["state"], unique=False)
    op.create_table(
        "evaluation_bid",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("bidder", sa.String(length=300), nullable=False),
        sa.Column("price", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("sme", sa.Boolean(), nullable=False),
        sa.Column("qualification", sa.String(length=20), nullable=True),
        sa.Column("compliance", sa.String(length=20), nullable=True),
        sa.Column("rejected_reason", sa.String(length=40), nullable=True),
        sa.Column("rejected_facts", sa.Text(), nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["bid_id"], ["bid.id"], name=op.f("fk_evaluation_bid_bid_id_bid")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_evaluation_bid_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["evaluation_session.id"],
            name=op.f("fk_evaluation_bid_session_id_evaluation_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_bid")),
        sa.UniqueConstraint("session_id", "bid_id", name=op.f("uq_evaluation_bid_session_id")),
    )
    op.create_index(op.f("ix_evaluation_bid_organisation_id"), "evaluation_bid", ["organisation_id"], unique=False)
    op.create_index(op.f("ix_evaluation_bid_session_id"), "evaluation_bid", ["session_id"], unique=False)
    op.create_table(
        "evaluation_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("expert_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("conflict_note", sa.Text(), nullable=True),
        sa.Column("vote_for", sa.Integer(), nullable=True),
        sa.Column("scores_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signature", sa.String(length=20), nullable=True),
        sa.Column("dissent", sa.Text(), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"], ["committee_call.id"], name=op.f("fk_evaluation_member_call_id_committee_call")
        ),
        sa.ForeignKeyConstraint(["expert_id"], ["expert.id"], name=op.f("fk_evaluation_member_expert_id_expert")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["evaluation_session.id"],
            name=op.f("fk_evaluation_member_session_id_evaluation_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_evaluation_member_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_member")),
    )
    op.create_index(op.f("ix_evaluation_member_session_id"), "evaluation_member", ["session_id"], unique=False)
    op.create_index(op.f("ix_evaluation_member_user_id"), "evaluation_member", ["user_id"], unique=False)
    op.create_table(
        "evaluation_query",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("eval_bid_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asked_by", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verdict", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by"], ["app_user.id"], name=op.f("fk_evaluation_query_answered_by_app_user")
        ),
        sa.ForeignKeyConstraint(["asked_by"], ["app_user.id"], name=op.f("fk_evaluation_query_asked_by_app_user")),
        sa.ForeignKeyConstraint(
            ["eval_bid_id"],
            ["evaluation_bid.id"],
            name=op.f("fk_evaluation_query_eval_bid_id_evaluation_bid"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["evaluation_session.id"],
            name=op.f("fk_evaluation_query_session_id_evaluation_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_query")),
    )
    op.create_index(op.f("ix_evaluation_query_eval_bid_id"), "evaluation_query", ["eval_bid_id"], unique=False)
    op.create_index(op.f("ix_evaluation_query_session_id"), "evaluation_query", ["session_id"], unique=False)
    op.create_table(
        "evaluation_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("conflict", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bid_id"],
            ["evaluation_bid.id"],
            name=op.f("fk_evaluation_conflict_bid_id_evaluation_bid"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["evaluation_member.id"],
            name=op.f("fk_evaluation_conflict_member_id_evaluation_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_conflict")),
        sa.UniqueConstraint("member_id", "bid_id", name=op.f("uq_evaluation_conflict_member_id")),
    )
    op.create_index(op.f("ix_evaluation_conflict_member_id"), "evaluation_conflict", ["member_id"], unique=False)
    op.create_table(
        "evaluation_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("eval_bid_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["eval_bid_id"],
            ["evaluation_bid.id"],
            name=op.f("fk_evaluation_score_eval_bid_id_evaluation_bid"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["evaluation_member.id"],
            name=op.f("fk_evaluation_score_member_id_evaluation_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_score")),
        sa.UniqueConstraint("member_id", "eval_bid_id", "criterion", name=op.f("uq_evaluation_score_member_id")),
    )
    op.create_index(op.f("ix_evaluation_score_member_id"), "evaluation_score", ["member_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_expert_conduct_expert_id"), table_name="expert_conduct")
    op.drop_table("expert_conduct")
    op.drop_index(op.f("ix_evaluation_score_member_id"), table_name="evaluation_score")
    op.drop_table("evaluation_score")
    op.drop_index(op.f("ix_evaluation_conflict_member_id"), table_name="evaluation_conflict")
    op.drop_table("evaluation_conflict")
    op.drop_index(op.f("ix_evaluation_query_session_id"), table_name="evaluation_query")
    op.drop_index(op.f("ix_evaluation_query_eval_bid_id"), table_name="evaluation_query")
    op.drop_table("evaluation_query")
    op.drop_index(op.f("ix_evaluation_member_user_id"), table_name="evaluation_member")
    op.drop_index(op.f("ix_evaluation_member_session_id"), table_name="evaluation_member")
    op.drop_table("evaluation_member")
    op.drop_index(op.f("ix_evaluation_bid_session_id"), table_name="evaluation_bid")
    op.drop_index(op.f("ix_evaluation_bid_organisation_id"), table_name="evaluation_bid")
    op.drop_table("evaluation_bid")
    op.drop_index(op.f("ix_evaluation_session_state"), table_name="evaluation_session")
    op.drop_index(op.f("ix_evaluation_session_project_id"), table_name="evaluation_session")
    op.drop_table("evaluation_session")
    op.drop_index(op.f("ix_evaluation_declaration_project_id"), table_name="evaluation_declaration")
    op.drop_table("evaluation_declaration")
