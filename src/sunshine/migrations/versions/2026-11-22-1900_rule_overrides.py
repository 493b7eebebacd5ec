"""rule overrides: a centre's stricter local values of rule pack rules, with their reasons

Revision ID: 20261122_1900
Revises: 20261122_1800
Create Date: 2026-11-22 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_1900"
down_revision: str | None = "20261122_1800"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rule_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_key", sa.String(length=100), nullable=False),
        sa.Column("rule_id", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_by", sa.Integer(), nullable=True),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["set_by"], ["app_user.id"], name=op.f("fk_rule_override_set_by_app_user")),
        sa.ForeignKeyConstraint(["cleared_by"], ["app_user.id"], name=op.f("fk_rule_override_cleared_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_override")),
    )
    with op.batch_alter_table("rule_override", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_override_pack_key"), ["pack_key"], unique=False)
        batch_op.create_index(
            "uq_rule_override_active",
            ["pack_key", "rule_id"],
            unique=True,
            sqlite_where=sa.text("cleared_at IS NULL"),
            postgresql_where=sa.text("cleared_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("rule_override", schema=None) as batch_op:
        batch_op.drop_index("uq_rule_override_active")
        batch_op.drop_index(batch_op.f("ix_rule_override_pack_key"))
    op.drop_table("rule_override")
