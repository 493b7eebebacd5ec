"""monitoring and statistics: each section's item classification (品目分类代码); the red flags' facts of each
section kept by the tick (monitoring_section_fact); covering indexes for the statistics page's GROUP BYs

Revision ID: 20261207_0400
Revises: 20261207_0300
Create Date: 2026-12-07 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_0400"
down_revision: str | tuple[str, ...] | None = "20261207_0300"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("project_section") as batch:
        batch.add_column(sa.Column("item_classification", sa.String(length=20), nullable=True))
    t = "monitoring_section_fact"
    op.create_table(
        t,
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("registered_at", TS, nullable=False),
        sa.Column("facts_json", sa.Text(), nullable=False),
        sa.Column("refreshed_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"], ["project_section.id"], name=op.f(f"fk_{t}_section_id_project_section"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f(f"fk_{t}_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("section_id", name=op.f(f"pk_{t}")),
    )
    op.create_index(op.f(f"ix_{t}_project_id"), t, ["project_id"])
    op.create_index(op.f(f"ix_{t}_registered_at"), t, ["registered_at"])
    columns = ["registered_at", "state", "failed_attempts", "budget", "public_since"]
    if op.get_bind().dialect.name == "sqlite":  # with the Beijing month, the expression statistics.month_of groups by
        op.execute(
            "CREATE INDEX ix_project_statistics_month ON project (transaction_type, method, region_code, "
            f"strftime('%Y-%m', registered_at, '+8 hours'), {', '.join(columns)})"
        )
        op.create_index("ix_project_type_noticed", "project", ["transaction_type", "public_since"])
    else:
        op.create_index("ix_project_statistics", "project", ["transaction_type", "method", "region_code", *columns])
    op.create_index(
        "ix_award_contract_statistics",
        "award_contract",
        ["project_id", "winner_signed_at", "tenderer_signed_at", "amount", "section_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_award_contract_statistics", table_name="award_contract")
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_project_type_noticed", table_name="project")
        op.drop_index("ix_project_statistics_month", table_name="project")
    else:
        op.drop_index("ix_project_statistics", table_name="project")
    op.drop_table("monitoring_section_fact")
    with op.batch_alter_table("project_section") as batch:
        batch.drop_column("item_classification")
