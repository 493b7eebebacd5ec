"""expert draw requests (专家抽取申请) and committee seats

Revision ID: 20261202_1520
Revises: 20261202_1510
Create Date: 2026-12-02 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_1520"
# Follows the draw engine in the one line of migrations.
down_revision: str | tuple[str, ...] | None = "20261202_1510"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "committee_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("reserve", sa.Integer(), nullable=False),
        sa.Column("representatives", sa.Integer(), nullable=False),
        sa.Column("meeting_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place_kind", sa.String(length=10), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("requested_org_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("draw_code", sa.String(length=40), nullable=True),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disclosed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_committee_request_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["project_section.id"],
            name=op.f("fk_committee_request_section_id_project_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["app_user.id"], name=op.f("fk_committee_request_requested_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["requested_org_id"], ["organisation.id"], name=op.f("fk_committee_request_requested_org_id_organisation")
        ),
        sa.ForeignKeyConstraint(["decided_by"], ["app_user.id"], name=op.f("fk_committee_request_decided_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_request")),
    )
    with op.batch_alter_table("committee_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_request_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_request_section_id"), ["section_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_request_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_request_draw_code"), ["draw_code"], unique=False)

    op.create_table(
        "committee_request_specialty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("specialty", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["committee_request.id"],
            name=op.f("fk_committee_request_specialty_request_id_committee_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_request_specialty")),
        sa.UniqueConstraint("request_id", "specialty", name=op.f("uq_committee_request_specialty_request_id")),
    )
    with op.batch_alter_table("committee_request_specialty", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_request_specialty_request_id"), ["request_id"], unique=False)

    op.create_table(
        "committee_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("specialty", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("leaf", sa.String(length=64), nullable=True),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("reserve", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["committee_request.id"],
            name=op.f("fk_committee_seat_request_id_committee_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["expert_id"], ["expert.id"], name=op.f("fk_committee_seat_expert_id_expert")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_seat")),
    )
    with op.batch_alter_table("committee_seat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_seat_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_committee_seat_expert_id"), ["expert_id"], unique=False)


def downgrade() -> None:
    op.drop_table("committee_seat")
    op.drop_table("committee_request_specialty")
    op.drop_table("committee_request")
