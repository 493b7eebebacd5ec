"""sealed bids and opening

Revision ID: 20261122_2500
Revises: 20261122_2400
Create Date: 2026-11-22 20:34:53
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_2500"
down_revision: str | None = "20261122_2400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retender_of_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_project_retender_of_id_project"), "project", ["retender_of_id"], ["id"]
        )
    op.create_table(
        "opening_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decryption_ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decryption_closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_sections", sa.Text(), nullable=False),
        sa.Column("record_json", sa.Text(), nullable=True),
        sa.Column("record_sha256", sa.String(length=64), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("record_ledger_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_opening_session_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_session")),
        sa.UniqueConstraint("project_id", name=op.f("uq_opening_session_project_id")),
    )
    with op.batch_alter_table("opening_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opening_session_decryption_ends_at"), ["decryption_ends_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_opening_session_status"), ["status"], unique=False)

    op.create_table(
        "bid",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bid_no", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("ciphertext_sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("key_commitment", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.Column("receipt", sa.Text(), nullable=False),
        sa.Column("decryption", sa.String(length=20), nullable=True),
        sa.Column("decryption_note", sa.String(length=500), nullable=True),
        sa.Column("platform_fault", sa.String(length=500), nullable=True),
        sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("price", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("duration_days", sa.Integer(), nullable=True),
        sa.Column("form_json", sa.Text(), nullable=True),
        sa.Column("documents_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_bid_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_bid_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["section_id"], ["project_section.id"], name=op.f("fk_bid_section_id_project_section"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_bid_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bid")),
        sa.UniqueConstraint("bid_no", name=op.f("uq_bid_bid_no")),
        sa.UniqueConstraint("organisation_id", "idempotency_key", name=op.f("uq_bid_organisation_id")),
    )
    with op.batch_alter_table("bid", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bid_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bid_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bid_section_id"), ["section_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bid_status"), ["status"], unique=False)

    op.create_table(
        "opening_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["opening_session.id"],
            name=op.f("fk_opening_confirmation_session_id_opening_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_opening_confirmation_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_confirmation")),
        sa.UniqueConstraint("session_id", "user_id", name=op.f("uq_opening_confirmation_session_id")),
    )
    with op.batch_alter_table("opening_confirmation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opening_confirmation_session_id"), ["session_id"], unique=False)

    op.create_table(
        "opening_objection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("raised_by", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by"], ["app_user.id"], name=op.f("fk_opening_objection_answered_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_opening_objection_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["raised_by"], ["app_user.id"], name=op.f("fk_opening_objection_raised_by_app_user")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["opening_session.id"],
            name=op.f("fk_opening_objection_session_id_opening_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_objection")),
    )
    with op.batch_alter_table("opening_objection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opening_objection_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_project_retender_of_id_project"), type_="foreignkey")
        batch_op.drop_column("retender_of_id")
    with op.batch_alter_table("opening_objection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opening_objection_session_id"))

    op.drop_table("opening_objection")
    with op.batch_alter_table("opening_confirmation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opening_confirmation_session_id"))

    op.drop_table("opening_confirmation")
    with op.batch_alter_table("bid", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bid_status"))
        batch_op.drop_index(batch_op.f("ix_bid_section_id"))
        batch_op.drop_index(batch_op.f("ix_bid_project_id"))
        batch_op.drop_index(batch_op.f("ix_bid_organisation_id"))

    op.drop_table("bid")
    with op.batch_alter_table("opening_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opening_session_status"))
        batch_op.drop_index(batch_op.f("ix_opening_session_decryption_ends_at"))

    op.drop_table("opening_session")
