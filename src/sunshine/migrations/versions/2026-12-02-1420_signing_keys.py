"""signing keys (签名密钥) and the signature a sealed bid carries

Revision ID: 20261202_1420
Revises: 20261123_1340
Create Date: 2026-12-02 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_1420"
down_revision: str | tuple[str, ...] | None = "20261123_1340"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signing_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("algorithm", sa.String(length=10), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=500), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_signing_key_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_signing_key_user_id_app_user")),
        sa.ForeignKeyConstraint(["approved_by"], ["app_user.id"], name=op.f("fk_signing_key_approved_by_app_user")),
        sa.ForeignKeyConstraint(
            ["replaces_id"], ["signing_key.id"], name=op.f("fk_signing_key_replaces_id_signing_key")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_key")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_signing_key_fingerprint")),
    )
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signing_key_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signing_key_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signing_key_status"), ["status"], unique=False)

    with op.batch_alter_table("bid", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signing_key_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("signature", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_bid_signing_key_id_signing_key"), "signing_key", ["signing_key_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("bid", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_bid_signing_key_id_signing_key"), type_="foreignkey")
        batch_op.drop_column("signature")
        batch_op.drop_column("signing_key_id")
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signing_key_status"))
        batch_op.drop_index(batch_op.f("ix_signing_key_user_id"))
        batch_op.drop_index(batch_op.f("ix_signing_key_organisation_id"))
    op.drop_table("signing_key")
