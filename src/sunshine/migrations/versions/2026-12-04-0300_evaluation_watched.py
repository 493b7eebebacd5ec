"""observer seats (观察席, generic); the evaluation's minutes (会议记录), its seal at the end (就地封存) and the flag of
an expert recorded at the opening (评委不参加开标会); each member's site (异地评标);
the arithmetic corrections of prices (87号令 第五十九条) and the quantified adjustments (量化折算)

Revision ID: 20261204_0300
Revises: 20261204_0100
Create Date: 2026-12-04 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261204_0300"
down_revision: str | tuple[str, ...] | None = "20261204_0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _bid_keys(t: str) -> list:
    return [
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["evaluation_session.id"],
            name=op.f(f"fk_{t}_session_id_evaluation_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["eval_bid_id"], ["evaluation_bid.id"], name=op.f(f"fk_{t}_eval_bid_id_evaluation_bid"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["recorded_by"], ["app_user.id"], name=op.f(f"fk_{t}_recorded_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    ]


def _bid_indexes(t: str) -> None:
    op.create_index(op.f(f"ix_{t}_session_id"), t, ["session_id"])
    op.create_index(op.f(f"ix_{t}_eval_bid_id"), t, ["eval_bid_id"])


def upgrade() -> None:
    t = "observer_seat"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.String(length=20), nullable=False),
        sa.Column("admitted_by", sa.Integer(), nullable=False),
        sa.Column("admitted_at", TS, nullable=False),
        sa.Column("revoked_by", sa.Integer(), nullable=True),
        sa.Column("revoked_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f(f"fk_{t}_user_id_app_user")),
        sa.ForeignKeyConstraint(["admitted_by"], ["app_user.id"], name=op.f(f"fk_{t}_admitted_by_app_user")),
        sa.ForeignKeyConstraint(["revoked_by"], ["app_user.id"], name=op.f(f"fk_{t}_revoked_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(op.f(f"ix_{t}_user_id"), t, ["user_id"])
    op.create_index("ix_observer_seat_kind_subject", t, ["kind", "subject_id"])

    t = "evaluation_remark"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("confirmed_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["evaluation_session.id"],
            name=op.f(f"fk_{t}_session_id_evaluation_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["evaluation_member.id"],
            name=op.f(f"fk_{t}_member_id_evaluation_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["recorded_by"], ["app_user.id"], name=op.f(f"fk_{t}_recorded_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(op.f(f"ix_{t}_session_id"), t, ["session_id"])
    op.create_index(op.f(f"ix_{t}_member_id"), t, ["member_id"])

    t = "evaluation_correction"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("eval_bid_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("original", sa.Numeric(18, 2), nullable=False),
        sa.Column("corrected", sa.Numeric(18, 2), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("answer", sa.String(length=20), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", TS, nullable=True),
        *_bid_keys(t),
        sa.ForeignKeyConstraint(["answered_by"], ["app_user.id"], name=op.f(f"fk_{t}_answered_by_app_user")),
    )
    _bid_indexes(t)
    t = "evaluation_adjustment"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("eval_bid_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        *_bid_keys(t),
    )
    _bid_indexes(t)

    op.add_column("evaluation_session", sa.Column("sealed_at", TS, nullable=True))
    op.add_column("evaluation_session", sa.Column("seal_json", sa.Text(), nullable=True))
    op.add_column("evaluation_session", sa.Column("seal_sha256", sa.String(length=64), nullable=True))
    op.add_column("evaluation_session", sa.Column("seal_ledger_seq", sa.Integer(), nullable=True))
    op.add_column("evaluation_member", sa.Column("at_opening", sa.String(length=60), nullable=True))
    op.add_column("evaluation_member", sa.Column("site", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column("evaluation_member", "site")
    op.drop_column("evaluation_member", "at_opening")
    for column in ("seal_ledger_seq", "seal_sha256", "seal_json", "sealed_at"):
        op.drop_column("evaluation_session", column)
    for t in ("evaluation_adjustment", "evaluation_correction"):
        op.drop_index(op.f(f"ix_{t}_eval_bid_id"), table_name=t)
        op.drop_index(op.f(f"ix_{t}_session_id"), table_name=t)
        op.drop_table(t)
    op.drop_index(op.f("ix_evaluation_remark_member_id"), table_name="evaluation_remark")
    op.drop_index(op.f("ix_evaluation_remark_session_id"), table_name="evaluation_remark")
    op.drop_table("evaluation_remark")
    op.drop_index("ix_observer_seat_kind_subject", table_name="observer_seat")
    op.drop_index(op.f("ix_observer_seat_user_id"), table_name="observer_seat")
    op.drop_table("observer_seat")
