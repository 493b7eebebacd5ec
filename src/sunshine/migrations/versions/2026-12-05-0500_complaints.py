"""objections, challenges and complaints (异议、质疑、投诉): cases, their history and evidence

Revision ID: 20261205_0500
Revises: 20261205_0400
Create Date: 2026-12-05 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261205_0500"
down_revision: str | tuple[str, ...] | None = "20261205_0400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
C, E, V = "complaint_case", "complaint_event", "complaint_evidence"


def upgrade() -> None:
    op.create_table(
        C,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=False),
        sa.Column("filed_at", TS, nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("knew_on", sa.Date(), nullable=False),
        sa.Column("matter", sa.String(length=20), nullable=False),
        sa.Column("respondent", sa.String(length=300), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("prior_case_id", sa.Integer(), nullable=True),
        sa.Column("prior_result_objection_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("founded", sa.Boolean(), nullable=True),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("remedy", sa.String(length=20), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("published_at", TS, nullable=True),
        sa.Column("suspended_project", sa.Boolean(), nullable=False),
        sa.Column("suspended_until", sa.Date(), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f(f"fk_{C}_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f(f"fk_{C}_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["filed_by"], ["app_user.id"], name=op.f(f"fk_{C}_filed_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{C}")),
        sa.UniqueConstraint("code", name=op.f(f"uq_{C}_code")),
    )
    for column in ("kind", "project_id", "organisation_id", "state"):
        op.create_index(op.f(f"ix_{C}_{column}"), C, [column])
    for table, columns in (
        (
            E,
            [
                sa.Column("step", sa.String(length=30), nullable=False),
                sa.Column("day", sa.Date(), nullable=False),
                sa.Column("days", sa.Integer(), nullable=False),
                sa.Column("note", sa.Text(), nullable=True),
                sa.Column("actor_id", sa.Integer(), nullable=True),
                sa.Column("at", TS, nullable=False),
            ],
        ),
        (
            V,
            [
                sa.Column("party", sa.String(length=20), nullable=False),
                sa.Column("name", sa.String(length=255), nullable=False),
                sa.Column("sha256", sa.String(length=64), nullable=False),
                sa.Column("size", sa.Integer(), nullable=False),
                sa.Column("content_type", sa.String(length=100), nullable=False),
                sa.Column("uploaded_by", sa.Integer(), nullable=False),
                sa.Column("uploaded_at", TS, nullable=False),
            ],
        ),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("case_id", sa.Integer(), nullable=False),
            *columns,
            sa.Column("ledger_seq", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["case_id"], [f"{C}.id"], name=op.f(f"fk_{table}_case_id_{C}"), ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
        op.create_index(op.f(f"ix_{table}_case_id"), table, ["case_id"])


def downgrade() -> None:
    for table in (V, E):
        op.drop_index(op.f(f"ix_{table}_case_id"), table_name=table)
        op.drop_table(table)
    for column in ("kind", "project_id", "organisation_id", "state"):
        op.drop_index(op.f(f"ix_{C}_{column}"), table_name=C)
    op.drop_table(C)
