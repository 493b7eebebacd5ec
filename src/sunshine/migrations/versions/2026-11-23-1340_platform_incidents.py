"""platform incidents (平台故障与应急处置): the incident, the projects it suspended; an opening keeps its
interruptions

Revision ID: 20261123_1340
Revises: 20261123_1330
Create Date: 2026-11-23 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261123_1340"
down_revision: str | tuple[str, ...] | None = "20261123_1330"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "platform_incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("scope_types", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("declared_by", sa.Integer(), nullable=True),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("declared_seq", sa.Integer(), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirm_note", sa.Text(), nullable=True),
        sa.Column("confirmed_seq", sa.Integer(), nullable=True),
        sa.Column("ended_by", sa.Integer(), nullable=True),
        sa.Column("ended_recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_note", sa.Text(), nullable=True),
        sa.Column("ended_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["declared_by"], ["app_user.id"], name=op.f("fk_platform_incident_declared_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["app_user.id"], name=op.f("fk_platform_incident_confirmed_by_app_user")
        ),
        sa.ForeignKeyConstraint(["ended_by"], ["app_user.id"], name=op.f("fk_platform_incident_ended_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_incident")),
        sa.UniqueConstraint("code", name=op.f("uq_platform_incident_code")),
    )
    with op.batch_alter_table("platform_incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_platform_incident_status"), ["status"], unique=False)

    op.create_table(
        "platform_incident_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("state_before", sa.String(length=40), nullable=False),
        sa.Column("suspended_seq", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("resumed_seq", sa.Integer(), nullable=True),
        sa.Column("days_added", sa.Integer(), nullable=True),
        sa.Column("moved", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["platform_incident.id"],
            name=op.f("fk_platform_incident_project_incident_id_platform_incident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_platform_incident_project_project_id_project")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_incident_project")),
        sa.UniqueConstraint("incident_id", "project_id", name=op.f("uq_platform_incident_project_incident_id")),
    )
    with op.batch_alter_table("platform_incident_project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_platform_incident_project_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_platform_incident_project_project_id"), ["project_id"], unique=False)

    with op.batch_alter_table("opening_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("interruptions", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("opening_session", schema=None) as batch_op:
        batch_op.drop_column("interruptions")
    op.drop_table("platform_incident_project")
    op.drop_table("platform_incident")
