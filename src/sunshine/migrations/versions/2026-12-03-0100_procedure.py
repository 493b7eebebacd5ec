"""procedure before the notice: catalogue code on projects, method change applications, direct awards, the
opening's reader, recorder and supervisor, the documents' price on the notice

Revision ID: 20261203_0100
Revises: 20261202_1530
Create Date: 2026-12-03 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203_0100"
down_revision: str | tuple[str, ...] | None = "20261202_1530"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("catalogue_code", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("catalogue_note", sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f("ix_project_catalogue_code"), ["catalogue_code"], unique=False)

    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("docs_price", sa.Numeric(18, 2), nullable=True))
    with op.batch_alter_table("opening_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reader", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("recorder", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("overseer", sa.String(length=60), nullable=True))

    op.create_table(
        "procedure_method_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("draw_request_id", sa.Integer(), nullable=True),
        sa.Column("expert_opinion", sa.Text(), nullable=False),
        sa.Column("agency_statement", sa.Text(), nullable=False),
        sa.Column("request_text", sa.Text(), nullable=False),
        sa.Column("materials", sa.Text(), nullable=False),
        sa.Column("applied_by", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_procedure_method_change_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["draw_request_id"],
            ["committee_request.id"],
            name=op.f("fk_procedure_method_change_draw_request_id_committee_request"),
        ),
        sa.ForeignKeyConstraint(
            ["applied_by"], ["app_user.id"], name=op.f("fk_procedure_method_change_applied_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["app_user.id"], name=op.f("fk_procedure_method_change_decided_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_method_change")),
    )
    with op.batch_alter_table("procedure_method_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_procedure_method_change_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_procedure_method_change_state"), ["state"], unique=False)

    op.create_table(
        "procedure_direct_award",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("tenderer_id", sa.Integer(), nullable=False),
        sa.Column("budget", sa.Numeric(18, 2), nullable=False),
        sa.Column("funding_source", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("catalogue_code", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("contractor", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("applied_by", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenderer_id"], ["organisation.id"], name=op.f("fk_procedure_direct_award_tenderer_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["applied_by"], ["app_user.id"], name=op.f("fk_procedure_direct_award_applied_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["app_user.id"], name=op.f("fk_procedure_direct_award_decided_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_direct_award")),
    )
    with op.batch_alter_table("procedure_direct_award", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_procedure_direct_award_tenderer_id"), ["tenderer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_procedure_direct_award_state"), ["state"], unique=False)


def downgrade() -> None:
    op.drop_table("procedure_direct_award")
    op.drop_table("procedure_method_change")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_column("docs_price")
    with op.batch_alter_table("opening_session", schema=None) as batch_op:
        batch_op.drop_column("overseer")
        batch_op.drop_column("recorder")
        batch_op.drop_column("reader")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_catalogue_code"))
        batch_op.drop_column("catalogue_note")
        batch_op.drop_column("catalogue_code")
