"""credit: record kinds, decisions, publication and revocation; expert bans; reviews; ratings (信用评价)

Revision ID: 20261205_0600
Revises: 20261205_0500
Create Date: 2026-12-05 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261205_0600"
down_revision: str | tuple[str, ...] | None = "20261205_0500"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("credit_record", schema=None) as batch:
        batch.add_column(sa.Column("kind", sa.String(length=20), nullable=False, server_default="conduct"))
        batch.add_column(sa.Column("expert_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("transaction_type", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("department", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("decision_no", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("publish_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("publication_ref", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("taken_down_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revoked_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("revocation_kind", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("revocation_reason", sa.Text(), nullable=True))
        batch.create_foreign_key("fk_credit_record_expert_id_expert", "expert", ["expert_id"], ["id"])
        batch.create_foreign_key("fk_credit_record_revoked_by_app_user", "app_user", ["revoked_by"], ["id"])
        batch.create_index("ix_credit_record_expert_id", ["expert_id"])
    with op.batch_alter_table("credit_ban", schema=None) as batch:
        batch.alter_column("organisation_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("expert_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("department", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("lifted_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("lift_reason", sa.Text(), nullable=True))
        batch.create_foreign_key("fk_credit_ban_expert_id_expert", "expert", ["expert_id"], ["id"])
        batch.create_foreign_key("fk_credit_ban_lifted_by_app_user", "app_user", ["lifted_by"], ["id"])
        batch.create_index("ix_credit_ban_expert_id", ["expert_id"])
    op.create_table(
        "credit_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_organisation_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_user_id", sa.Integer(), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.ForeignKeyConstraint(["reviewer_organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["reviewer_user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "subject_type", "subject_id", "reviewer_organisation_id"),
    )
    op.create_index("ix_credit_review_project_id", "credit_review", ["project_id"])
    op.create_index("ix_credit_review_subject_id", "credit_review", ["subject_id"])
    op.create_table(
        "credit_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("score", sa.String(length=12), nullable=False),
        sa.Column("grade", sa.String(length=2), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period", "subject_type", "subject_id"),
    )
    op.create_index("ix_credit_rating_period", "credit_rating", ["period"])
    op.create_index("ix_credit_rating_subject_id", "credit_rating", ["subject_id"])


def downgrade() -> None:
    op.drop_table("credit_rating")
    op.drop_table("credit_review")
    with op.batch_alter_table("credit_ban", schema=None) as batch:
        batch.drop_index("ix_credit_ban_expert_id")
        batch.drop_constraint("fk_credit_ban_lifted_by_app_user", type_="foreignkey")
        batch.drop_constraint("fk_credit_ban_expert_id_expert", type_="foreignkey")
        for name in ("lift_reason", "lifted_by", "lifted_at", "department", "expert_id"):
            batch.drop_column(name)
        batch.alter_column("organisation_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("credit_record", schema=None) as batch:
        batch.drop_index("ix_credit_record_expert_id")
        batch.drop_constraint("fk_credit_record_revoked_by_app_user", type_="foreignkey")
        batch.drop_constraint("fk_credit_record_expert_id_expert", type_="foreignkey")
        for name in (
            "revocation_reason",
            "revocation_kind",
            "revoked_by",
            "revoked_at",
            "taken_down_at",
            "publication_ref",
            "publish_until",
            "decision_no",
            "department",
            "transaction_type",
            "expert_id",
            "kind",
        ):
            batch.drop_column(name)
