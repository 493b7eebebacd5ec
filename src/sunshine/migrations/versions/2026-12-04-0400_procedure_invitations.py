"""the invitation round of a procurement invitation tender: the draw of the suppliers to invite among those who
passed the prequalification, and their invitation letters (87号令第十四条)

Revision ID: 20261204_0400
Revises: 20261204_0300
Create Date: 2026-12-04 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261204_0400"
down_revision: str | tuple[str, ...] | None = "20261204_0300"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
R, D, INV = "procedure_invitation_round", "procedure_invitation_draw", "procedure_invitation"


def _fk(table: str, column: str, referred: str, **kw) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{referred}.id"], name=op.f(f"fk_{table}_{column}_{referred}"), **kw)


def upgrade() -> None:
    op.create_table(
        R,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("min_invitees", sa.Integer(), nullable=False),
        sa.Column("prepared_by", sa.Integer(), nullable=True),
        sa.Column("prepared_at", TS, nullable=True),
        sa.Column("invited_by", sa.Integer(), nullable=True),
        sa.Column("invited_at", TS, nullable=True),
        sa.Column("failed_reason", sa.Text(), nullable=True),
        _fk(R, "project_id", "project", ondelete="CASCADE"),
        _fk(R, "prepared_by", "app_user"),
        _fk(R, "invited_by", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{R}")),
        sa.UniqueConstraint("project_id", name=op.f(f"uq_{R}_project_id")),
    )
    op.create_index(op.f(f"ix_{R}_state"), R, ["state"])
    op.create_table(
        D,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("draw_code", sa.String(length=40), nullable=True),
        sa.Column("qualified_count", sa.Integer(), nullable=False),
        sa.Column("invite_count", sa.Integer(), nullable=False),
        sa.Column("failed_reason", sa.Text(), nullable=True),
        sa.Column("drawn_at", TS, nullable=True),
        # the conventional name would pass PostgreSQL's 63 characters
        sa.ForeignKeyConstraint(["round_id"], [f"{R}.id"], name=op.f(f"fk_{D}_round_id"), ondelete="CASCADE"),
        _fk(D, "project_id", "project", ondelete="CASCADE"),
        _fk(D, "section_id", "project_section", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{D}")),
        sa.UniqueConstraint("section_id", name=op.f(f"uq_{D}_section_id")),
        sa.UniqueConstraint("draw_code", name=op.f(f"uq_{D}_draw_code")),
    )
    for column in ("round_id", "project_id"):
        op.create_index(op.f(f"ix_{D}_{column}"), D, [column])
    op.create_table(
        INV,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("letter", sa.Text(), nullable=True),
        sa.Column("sent_at", TS, nullable=True),
        sa.Column("read_at", TS, nullable=True),
        _fk(INV, "draw_id", D, ondelete="CASCADE"),
        _fk(INV, "project_id", "project", ondelete="CASCADE"),
        _fk(INV, "section_id", "project_section", ondelete="CASCADE"),
        _fk(INV, "organisation_id", "organisation"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{INV}")),
        sa.UniqueConstraint("section_id", "organisation_id", name=op.f(f"uq_{INV}_section_id")),
    )
    for column in ("draw_id", "project_id", "section_id", "organisation_id"):
        op.create_index(op.f(f"ix_{INV}_{column}"), INV, [column])


def downgrade() -> None:
    op.drop_table(INV)
    op.drop_table(D)
    op.drop_table(R)
