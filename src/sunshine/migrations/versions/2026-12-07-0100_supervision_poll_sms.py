"""social supervision: the designated open day's poll closed at its end time with the platform's designation and any
override with its reason; SMS deliveries to numbers without an account (open-day applicants entered by staff)

Revision ID: 20261207_0100
Revises: 20261206_0700
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_0100"
down_revision: str | tuple[str, ...] | None = "20261206_0700"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("supervision_open_day", schema=None) as batch_op:
        batch_op.add_column(sa.Column("poll_until", TS, nullable=True))
        batch_op.add_column(sa.Column("poll_closed_at", TS, nullable=True))
        batch_op.add_column(sa.Column("poll_platform_option_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("poll_option_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("poll_override_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("poll_overridden_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("poll_overridden_at", TS, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_supervision_open_day_poll_overridden_by_app_user"),
            "app_user",
            ["poll_overridden_by"],
            ["id"],
        )
    with op.batch_alter_table("message_delivery", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM message_delivery WHERE user_id IS NULL")
    with op.batch_alter_table("message_delivery", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("supervision_open_day", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_supervision_open_day_poll_overridden_by_app_user"), type_="foreignkey")
        for column in (
            "poll_overridden_at",
            "poll_overridden_by",
            "poll_override_reason",
            "poll_option_id",
            "poll_platform_option_id",
            "poll_closed_at",
            "poll_until",
        ):
            batch_op.drop_column(column)
