"""the expert pool (评标专家库): experts, specialties, applications, leave, conflicts, sanctions, training, evaluations

Revision ID: 20261202_1500
Revises: 20261202_1430
Create Date: 2026-12-02 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_1500"
down_revision: str | tuple[str, ...] | None = "20261202_1430"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "expert_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("employer_organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.Column("title_level", sa.String(length=20), nullable=False),
        sa.Column("practice_since", sa.Integer(), nullable=False),
        sa.Column("education", sa.String(length=20), nullable=False),
        sa.Column("regions", sa.String(length=200), nullable=False),
        sa.Column("specialties", sa.String(length=300), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("mobile", sa.String(length=20), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("email", sa.String(length=100), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("checks", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["app_user.id"], name=op.f("fk_expert_application_decided_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["employer_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_expert_application_employer_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["app_user.id"], name=op.f("fk_expert_application_reviewed_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["app_user.id"], name=op.f("fk_expert_application_submitted_by_app_user")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_expert_application_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_application")),
        sa.UniqueConstraint("code", name=op.f("uq_expert_application_code")),
    )
    with op.batch_alter_table("expert_application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expert_application_employer_organisation_id"), ["employer_organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_expert_application_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_expert_application_user_id"), ["user_id"], unique=False)

    op.create_table(
        "expert_specialty_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("parent_code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_expert_specialty_code_created_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_specialty_code")),
        sa.UniqueConstraint("code", name=op.f("uq_expert_specialty_code_code")),
    )
    with op.batch_alter_table("expert_specialty_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_specialty_code_parent_code"), ["parent_code"], unique=False)

    op.create_table(
        "expert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("employer_organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.Column("title_level", sa.String(length=20), nullable=False),
        sa.Column("practice_since", sa.Integer(), nullable=False),
        sa.Column("education", sa.String(length=20), nullable=False),
        sa.Column("regions", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("mobile", sa.String(length=20), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("email", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("admitted_on", sa.Date(), nullable=False),
        sa.Column("term_starts_on", sa.Date(), nullable=False),
        sa.Column("term_ends_on", sa.Date(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("removed_reason", sa.String(length=500), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["expert_application.id"], name=op.f("fk_expert_application_id_expert_application")
        ),
        sa.ForeignKeyConstraint(
            ["employer_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_expert_employer_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_expert_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert")),
        sa.UniqueConstraint("code", name=op.f("uq_expert_code")),
        sa.UniqueConstraint("user_id", name=op.f("uq_expert_user_id")),
    )
    with op.batch_alter_table("expert", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expert_employer_organisation_id"), ["employer_organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_expert_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_expert_term_ends_on"), ["term_ends_on"], unique=False)

    op.create_table(
        "expert_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("declared_by", sa.Integer(), nullable=True),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["declared_by"], ["app_user.id"], name=op.f("fk_expert_conflict_declared_by_app_user")),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_expert_conflict_expert_id_expert"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_expert_conflict_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_conflict")),
    )
    with op.batch_alter_table("expert_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_conflict_expert_id"), ["expert_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_expert_conflict_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "expert_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=10), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=False),
        sa.Column("assessed_by", sa.Integer(), nullable=True),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessed_by"], ["app_user.id"], name=op.f("fk_expert_evaluation_assessed_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_expert_evaluation_expert_id_expert"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_evaluation")),
        sa.UniqueConstraint("expert_id", "period", name=op.f("uq_expert_evaluation_expert_id")),
    )
    with op.batch_alter_table("expert_evaluation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_evaluation_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "expert_leave",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_expert_leave_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_expert_leave_expert_id_expert"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_leave")),
    )
    with op.batch_alter_table("expert_leave", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_leave_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "expert_sanction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("decision_no", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_expert_sanction_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_expert_sanction_expert_id_expert"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["lifted_by"], ["app_user.id"], name=op.f("fk_expert_sanction_lifted_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_sanction")),
    )
    with op.batch_alter_table("expert_sanction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_sanction_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "expert_specialty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("specialty_code", sa.String(length=20), nullable=False),
        sa.Column("is_main", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_expert_specialty_expert_id_expert"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_specialty")),
        sa.UniqueConstraint("expert_id", "specialty_code", name=op.f("uq_expert_specialty_expert_id")),
    )
    with op.batch_alter_table("expert_specialty", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_specialty_expert_id"), ["expert_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_expert_specialty_specialty_code"), ["specialty_code"], unique=False)

    op.create_table(
        "expert_training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("organiser", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("certificate_no", sa.String(length=60), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_expert_training_expert_id_expert"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["recorded_by"], ["app_user.id"], name=op.f("fk_expert_training_recorded_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_training")),
    )
    with op.batch_alter_table("expert_training", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_training_expert_id"), ["expert_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("expert_training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_training_expert_id"))

    op.drop_table("expert_training")
    with op.batch_alter_table("expert_specialty", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_specialty_specialty_code"))
        batch_op.drop_index(batch_op.f("ix_expert_specialty_expert_id"))

    op.drop_table("expert_specialty")
    with op.batch_alter_table("expert_sanction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_sanction_expert_id"))

    op.drop_table("expert_sanction")
    with op.batch_alter_table("expert_leave", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_leave_expert_id"))

    op.drop_table("expert_leave")
    with op.batch_alter_table("expert_evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_evaluation_expert_id"))

    op.drop_table("expert_evaluation")
    with op.batch_alter_table("expert_conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_conflict_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_expert_conflict_expert_id"))

    op.drop_table("expert_conflict")
    with op.batch_alter_table("expert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_term_ends_on"))
        batch_op.drop_index(batch_op.f("ix_expert_status"))
        batch_op.drop_index(batch_op.f("ix_expert_employer_organisation_id"))

    op.drop_table("expert")
    with op.batch_alter_table("expert_specialty_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_specialty_code_parent_code"))

    op.drop_table("expert_specialty_code")
    with op.batch_alter_table("expert_application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_application_user_id"))
        batch_op.drop_index(batch_op.f("ix_expert_application_state"))
        batch_op.drop_index(batch_op.f("ix_expert_application_employer_organisation_id"))

    op.drop_table("expert_application")
