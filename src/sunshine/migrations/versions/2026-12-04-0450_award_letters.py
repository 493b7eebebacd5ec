"""award letters (中标/成交通知书 and 中标结果通知书), one per section and addressee; contracts signed by both parties

Revision ID: 20261204_0450
Revises: 20261204_0400
Create Date: 2026-12-04 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261204_0450"
down_revision: str | tuple[str, ...] | None = "20261204_0400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
T = "award_letter"
C = "award_contract"


def upgrade() -> None:
    op.create_table(
        T,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=True),
        sa.Column("issuer_id", sa.Integer(), nullable=False),
        sa.Column("drafted_by", sa.Integer(), nullable=True),
        sa.Column("drafted_at", TS, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_at", TS, nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f(f"fk_{T}_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["project_section.id"],
            name=op.f(f"fk_{T}_section_id_project_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f(f"fk_{T}_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["issuer_id"], ["organisation.id"], name=op.f(f"fk_{T}_issuer_id_organisation")),
        sa.ForeignKeyConstraint(["drafted_by"], ["app_user.id"], name=op.f(f"fk_{T}_drafted_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{T}")),
        sa.UniqueConstraint("section_id", "organisation_id", name=op.f(f"uq_{T}_section_id")),
        sa.UniqueConstraint("number", name=op.f(f"uq_{T}_number")),
    )
    for column in ("project_id", "section_id", "organisation_id", "issued_at"):
        op.create_index(op.f(f"ix_{T}_{column}"), T, [column])
    op.create_table(
        C,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("tenderer_id", sa.Integer(), nullable=False),
        sa.Column("winner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("payment", sa.Text(), nullable=False),
        sa.Column("performance_security", sa.Numeric(18, 2), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("drafted_by", sa.Integer(), nullable=True),
        sa.Column("drafted_at", TS, nullable=False),
        sa.Column("tenderer_signed_by", sa.Integer(), nullable=True),
        sa.Column("tenderer_signed_at", TS, nullable=True),
        sa.Column("winner_signed_by", sa.Integer(), nullable=True),
        sa.Column("winner_signed_at", TS, nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=True),
        sa.Column("filed_at", TS, nullable=True),
        sa.Column("filed_by", sa.Integer(), nullable=True),
        sa.Column("filing_ref", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f(f"fk_{C}_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["filed_by"], ["app_user.id"], name=op.f(f"fk_{C}_filed_by_app_user")),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["project_section.id"],
            name=op.f(f"fk_{C}_section_id_project_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["letter_id"], ["award_letter.id"], name=op.f(f"fk_{C}_letter_id_award_letter")),
        sa.ForeignKeyConstraint(["tenderer_id"], ["organisation.id"], name=op.f(f"fk_{C}_tenderer_id_organisation")),
        sa.ForeignKeyConstraint(["winner_id"], ["organisation.id"], name=op.f(f"fk_{C}_winner_id_organisation")),
        sa.ForeignKeyConstraint(["drafted_by"], ["app_user.id"], name=op.f(f"fk_{C}_drafted_by_app_user")),
        sa.ForeignKeyConstraint(
            ["tenderer_signed_by"], ["app_user.id"], name=op.f(f"fk_{C}_tenderer_signed_by_app_user")
        ),
        sa.ForeignKeyConstraint(["winner_signed_by"], ["app_user.id"], name=op.f(f"fk_{C}_winner_signed_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{C}")),
        sa.UniqueConstraint("section_id", name=op.f(f"uq_{C}_section_id")),
        sa.UniqueConstraint("number", name=op.f(f"uq_{C}_number")),
    )
    for column in ("project_id", "winner_id"):
        op.create_index(op.f(f"ix_{C}_{column}"), C, [column])


def downgrade() -> None:
    op.drop_table(C)
    op.drop_table(T)
