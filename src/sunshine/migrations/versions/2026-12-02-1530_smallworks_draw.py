"""small-works fixed-price draw (小额工程固定价抽取): the draw of each section and the drawn contractors' declines

Revision ID: 20261202_1530
Revises: 20261202_1525
Create Date: 2026-12-02 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_1530"
down_revision: str | tuple[str, ...] | None = "20261202_1525"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "smallworks_draw",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("draw_code", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("fixed_price", sa.Numeric(18, 2), nullable=False),
        sa.Column("pool_count", sa.Integer(), nullable=False),
        sa.Column("eligible_count", sa.Integer(), nullable=False),
        sa.Column("failed_reason", sa.Text(), nullable=True),
        sa.Column("contractor_org_id", sa.Integer(), nullable=True),
        sa.Column("reserve_org_id", sa.Integer(), nullable=True),
        sa.Column("prepared_by", sa.Integer(), nullable=True),
        sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_smallworks_draw_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["project_section.id"],
            name=op.f("fk_smallworks_draw_section_id_project_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contractor_org_id"], ["organisation.id"], name=op.f("fk_smallworks_draw_contractor_org_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["reserve_org_id"], ["organisation.id"], name=op.f("fk_smallworks_draw_reserve_org_id_organisation")
        ),
        sa.ForeignKeyConstraint(["prepared_by"], ["app_user.id"], name=op.f("fk_smallworks_draw_prepared_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_smallworks_draw")),
        sa.UniqueConstraint("section_id", name=op.f("uq_smallworks_draw_section_id")),
        sa.UniqueConstraint("draw_code", name=op.f("uq_smallworks_draw_draw_code")),
    )
    with op.batch_alter_table("smallworks_draw", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_smallworks_draw_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_smallworks_draw_state"), ["state"], unique=False)

    op.create_table(
        "smallworks_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["smallworks_draw.id"],
            name=op.f("fk_smallworks_outcome_draw_id_smallworks_draw"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_smallworks_outcome_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_smallworks_outcome_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_smallworks_outcome")),
    )
    with op.batch_alter_table("smallworks_outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_smallworks_outcome_draw_id"), ["draw_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("smallworks_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_smallworks_outcome_draw_id"))
    op.drop_table("smallworks_outcome")
    with op.batch_alter_table("smallworks_draw", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_smallworks_draw_state"))
        batch_op.drop_index(batch_op.f("ix_smallworks_draw_project_id"))
    op.drop_table("smallworks_draw")
