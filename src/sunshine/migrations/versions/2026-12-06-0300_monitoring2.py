"""open data's stored compiled releases (one per ocid, merged when a release is added); the tracked deadline an
overdue alert is about (one overdue alert per deadline); monitoring's watermark of the tick's evaluation, with the
indexes on steps' and bids' times it reads from

Revision ID: 20261206_0300
Revises: 20261206_0200
Create Date: 2026-12-06 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0300"
down_revision: str | tuple[str, ...] | None = "20261206_0200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    t = "opendata_record"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ocid", sa.String(length=80), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("compiled", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("releases", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_opendata_record_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("ocid", name=op.f(f"uq_{t}_ocid")),
    )
    op.create_index(op.f(f"ix_{t}_project_id"), t, ["project_id"])

    t = "monitoring_watermark"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("evaluated_until", TS, nullable=False),
        sa.Column("projects", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("name", name=op.f(f"uq_{t}_name")),
    )
    op.create_index("ix_project_transition_at", "project_transition", ["at"])
    op.create_index("ix_bid_submitted_at", "bid", ["submitted_at"])

    with op.batch_alter_table("alert") as batch:
        batch.add_column(sa.Column("deadline_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_alert_deadline_id_tracked_deadline"), "tracked_deadline", ["deadline_id"], ["id"]
        )
        batch.create_index(op.f("ix_alert_deadline_id"), ["deadline_id"])


def downgrade() -> None:
    op.drop_index("ix_bid_submitted_at", table_name="bid")
    op.drop_index("ix_project_transition_at", table_name="project_transition")
    op.drop_table("monitoring_watermark")
    with op.batch_alter_table("alert") as batch:
        batch.drop_index(op.f("ix_alert_deadline_id"))
        batch.drop_constraint(op.f("fk_alert_deadline_id_tracked_deadline"), type_="foreignkey")
        batch.drop_column("deadline_id")
    op.drop_index(op.f("ix_opendata_record_project_id"), table_name="opendata_record")
    op.drop_table("opendata_record")
