"""electronic seals on issued documents (电子签章) and declarations of no interest (无利害关系声明)

Revision ID: 20261202_1430
Revises: 20261202_1420
Create Date: 2026-12-02 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_1430"
down_revision: str | tuple[str, ...] | None = "20261202_1420"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_seal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("algorithm", sa.String(length=20), nullable=False),
        sa.Column("key_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("signer_id", sa.Integer(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_document_seal_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["key_id"], ["signing_key.id"], name=op.f("fk_document_seal_key_id_signing_key")),
        sa.ForeignKeyConstraint(["signer_id"], ["app_user.id"], name=op.f("fk_document_seal_signer_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_seal")),
        sa.UniqueConstraint("code", name=op.f("uq_document_seal_code")),
    )
    with op.batch_alter_table("document_seal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_seal_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_seal_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_seal_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_seal_key_id"), ["key_id"], unique=False)

    op.create_table(
        "interest_declaration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_interest_declaration_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_interest_declaration_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_interest_declaration_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest_declaration")),
        sa.UniqueConstraint("project_id", "user_id", name=op.f("uq_interest_declaration_project_id")),
    )
    with op.batch_alter_table("interest_declaration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interest_declaration_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interest_declaration_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interest_declaration_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("interest_declaration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interest_declaration_user_id"))
        batch_op.drop_index(batch_op.f("ix_interest_declaration_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_interest_declaration_project_id"))
    op.drop_table("interest_declaration")
    with op.batch_alter_table("document_seal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_seal_key_id"))
        batch_op.drop_index(batch_op.f("ix_document_seal_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_document_seal_document_id"))
        batch_op.drop_index(batch_op.f("ix_document_seal_kind"))
    op.drop_table("document_seal")
