"""market participant register (市场主体库): participants, their applications and versions, agency staff,
entrustment agreements

Revision ID: 20261202_1400
Revises: 20261123_1340
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_1400"
down_revision: str | tuple[str, ...] | None = "20261123_1340"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "market_participant",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("org_type", sa.String(length=20), nullable=False),
        sa.Column("legal_representative", sa.String(length=100), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("contact_email", sa.String(length=200), nullable=False),
        sa.Column("bank_name", sa.String(length=200), nullable=False),
        sa.Column("bank_account_name", sa.String(length=200), nullable=False),
        sa.Column("bank_account_number", sa.String(length=40), nullable=False),
        sa.Column("licence_sha256", sa.String(length=64), nullable=False),
        sa.Column("licence_filename", sa.String(length=200), nullable=False),
        sa.Column("licence_content_type", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_market_participant_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_market_participant")),
    )
    with op.batch_alter_table("market_participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_participant_status"), ["status"], unique=False)
    op.create_table(
        "market_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("qualification", sa.String(length=30), nullable=False),
        sa.Column("certificate_number", sa.String(length=60), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_market_staff_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_staff")),
    )
    with op.batch_alter_table("market_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_staff_organisation_id"), ["organisation_id"], unique=False)
    op.create_table(
        "market_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("licence_sha256", sa.String(length=64), nullable=False),
        sa.Column("licence_filename", sa.String(length=200), nullable=False),
        sa.Column("licence_content_type", sa.String(length=100), nullable=False),
        sa.Column("submissions", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["app_user.id"], name=op.f("fk_market_application_decided_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_market_application_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_application")),
    )
    with op.batch_alter_table("market_application", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_application_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_market_application_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_market_application_submitted_at"), ["submitted_at"], unique=False)
    op.create_table(
        "market_entrustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_market_entrustment_project_id_project")),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_market_entrustment_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_entrustment")),
    )
    with op.batch_alter_table("market_entrustment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_entrustment_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("market_entrustment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_entrustment_project_id"))
    op.drop_table("market_entrustment")
    with op.batch_alter_table("market_application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_application_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_market_application_status"))
        batch_op.drop_index(batch_op.f("ix_market_application_organisation_id"))
    op.drop_table("market_application")
    with op.batch_alter_table("market_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_staff_organisation_id"))
    op.drop_table("market_staff")
    with op.batch_alter_table("market_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_participant_status"))
    op.drop_table("market_participant")
