"""the results after the evaluation: the project's result clocks, objections to the evaluation result, the winners

Revision ID: 20261204_0100
Revises: 20261203_0150
Create Date: 2026-12-04 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261204_0100"
down_revision: str | tuple[str, ...] | None = "20261203_0150"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, cascade: bool = False) -> sa.ForeignKeyConstraint:
    ref = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{ref}"), ondelete="CASCADE" if cascade else None
    )


def upgrade() -> None:
    t = "result_project"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("report_received_on", sa.Date(), nullable=False),
        sa.Column("publicity_due_id", sa.Integer(), nullable=True),
        sa.Column("publicised_at", TS, nullable=True),
        sa.Column("publicity_end_id", sa.Integer(), nullable=True),
        sa.Column("decide_due_id", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("notice_due_id", sa.Integer(), nullable=True),
        sa.Column("notice_published_at", TS, nullable=True),
        sa.Column("notice_until", sa.Date(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        _fk(t, "project_id", "project.id", cascade=True),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("project_id", name=op.f(f"uq_{t}_project_id")),
    )
    t = "result_objection"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=False),
        sa.Column("filed_at", TS, nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("answer_deadline_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        _fk(t, "project_id", "project.id", cascade=True),
        _fk(t, "section_id", "project_section.id", cascade=True),
        _fk(t, "organisation_id", "organisation.id"),
        _fk(t, "filed_by", "app_user.id"),
        _fk(t, "answered_by", "app_user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(op.f(f"ix_{t}_project_id"), t, ["project_id"])
    op.create_index(op.f(f"ix_{t}_organisation_id"), t, ["organisation_id"])
    t = "result_winner"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("eval_bid_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("bidder", sa.String(length=300), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.Column("facts", sa.Text(), nullable=True),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=True),
        sa.Column("evidence_name", sa.String(length=255), nullable=True),
        sa.Column("deemed", sa.Boolean(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", TS, nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        _fk(t, "project_id", "project.id", cascade=True),
        _fk(t, "section_id", "project_section.id", cascade=True),
        _fk(t, "eval_bid_id", "evaluation_bid.id"),
        _fk(t, "organisation_id", "organisation.id"),
        _fk(t, "decided_by", "app_user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("section_id", name=op.f(f"uq_{t}_section_id")),
    )
    op.create_index(op.f(f"ix_{t}_project_id"), t, ["project_id"])
    op.create_index(op.f(f"ix_{t}_organisation_id"), t, ["organisation_id"])


def downgrade() -> None:
    op.drop_table("result_winner")
    op.drop_table("result_objection")
    op.drop_table("result_project")
