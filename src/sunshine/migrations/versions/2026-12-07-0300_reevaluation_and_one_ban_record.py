"""re-evaluation by the original committee (the session's round, the superseded rounds kept in evaluation_round);
experts' suspensions and bans in one record: expert_sanction's rows moved into credit_ban (with its new kind), a
ban recorded both ways kept once, and expert_sanction dropped

Revision ID: 20261207_0300
Revises: 20261207_0100
Create Date: 2026-12-07 03:00:00
"""

import json
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_0300"
down_revision: str | tuple[str, ...] | None = "20261207_0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
LIFTED_BEFORE = "迁移前已解除（解除理由的哈希见留痕记录 experts:sanction:lifted）"


def _sanction_table() -> sa.Table:
    return sa.table(
        "expert_sanction",
        sa.column("id", sa.Integer),
        sa.column("expert_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("starts_on", sa.Date),
        sa.column("ends_on", sa.Date),
        sa.column("reason", sa.String),
        sa.column("decision_no", sa.String),
        sa.column("created_by", sa.Integer),
        sa.column("created_at", TS),
        sa.column("lifted_at", TS),
        sa.column("lifted_by", sa.Integer),
    )


def _ban_table() -> sa.Table:
    return sa.table(
        "credit_ban",
        sa.column("id", sa.Integer),
        sa.column("organisation_id", sa.Integer),
        sa.column("expert_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("starts_on", sa.Date),
        sa.column("ends_on", sa.Date),
        sa.column("basis", sa.Text),
        sa.column("decision_no", sa.String),
        sa.column("department", sa.String),
        sa.column("lifted_at", TS),
        sa.column("lifted_by", sa.Integer),
        sa.column("lift_reason", sa.Text),
        sa.column("created_by", sa.Integer),
        sa.column("created_at", TS),
        sa.column("ledger_seq", sa.Integer),
    )


def _imposed_seqs(conn) -> dict[int, int]:  # noqa: ANN001
    """sanction id -> the seq of its ledger entry experts:sanction:imposed (the ban keeps pointing at it)."""
    ledger = sa.table("ledger_entry", sa.column("seq", sa.Integer), sa.column("kind", sa.String), sa.column("payload"))
    found: dict[int, int] = {}
    for seq, payload in conn.execute(
        sa.select(ledger.c.seq, ledger.c.payload).where(ledger.c.kind == "experts:sanction:imposed")
    ):
        try:
            sanction = json.loads(payload).get("sanction")
        except (TypeError, ValueError):
            continue
        if isinstance(sanction, int):
            found.setdefault(sanction, seq)
    return found


def upgrade() -> None:
    with op.batch_alter_table("evaluation_session") as batch:
        batch.add_column(sa.Column("round", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "evaluation_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=True),
        sa.Column("report_sha256", sa.String(length=64), nullable=True),
        sa.Column("report_ledger_seq", sa.Integer(), nullable=True),
        sa.Column("outcome_json", sa.Text(), nullable=True),
        sa.Column("scores_json", sa.Text(), nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("delivered_at", TS, nullable=True),
        sa.Column("seal_sha256", sa.String(length=64), nullable=True),
        sa.Column("seal_json", sa.Text(), nullable=True),
        sa.Column("seal_ledger_seq", sa.Integer(), nullable=True),
        sa.Column("ground", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("superseded_at", TS, nullable=False),
        sa.Column("superseded_by", sa.Integer(), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["evaluation_session.id"],
            name=op.f("fk_evaluation_round_session_id_evaluation_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by"], ["app_user.id"], name=op.f("fk_evaluation_round_superseded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_round")),
        sa.UniqueConstraint("session_id", "round", name=op.f("uq_evaluation_round_session_id")),
    )
    with op.batch_alter_table("evaluation_round") as batch:
        batch.create_index(batch.f("ix_evaluation_round_session_id"), ["session_id"], unique=False)

    with op.batch_alter_table("credit_ban") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=20), nullable=False, server_default="ban"))

    conn = op.get_bind()
    sanctions, bans = _sanction_table(), _ban_table()
    seqs = _imposed_seqs(conn)
    recorded = {
        (expert_id, decision_no)
        for expert_id, decision_no in conn.execute(
            sa.select(bans.c.expert_id, bans.c.decision_no).where(bans.c.expert_id.is_not(None))
        )
        if decision_no
    }
    rows = []
    for s in conn.execute(sa.select(sanctions).order_by(sanctions.c.id)).mappings():
        if s["decision_no"] and (s["expert_id"], s["decision_no"]) in recorded:
            continue  # recorded both ways: the department's ban stands once
        rows.append(
            {
                "organisation_id": None,
                "expert_id": s["expert_id"],
                "kind": s["kind"],
                "starts_on": s["starts_on"],
                "ends_on": s["ends_on"],
                "basis": s["reason"],
                "decision_no": s["decision_no"] or "",
                "department": None,
                "lifted_at": s["lifted_at"],
                "lifted_by": s["lifted_by"],
                "lift_reason": LIFTED_BEFORE if s["lifted_at"] is not None else None,
                "created_by": s["created_by"],
                "created_at": s["created_at"],
                "ledger_seq": seqs.get(s["id"], 0),
            }
        )
    if rows:
        op.bulk_insert(bans, rows)
    with op.batch_alter_table("expert_sanction") as batch:
        batch.drop_index(batch.f("ix_expert_sanction_expert_id"))
    op.drop_table("expert_sanction")
    version = sa.table(
        "expert_pool_version", sa.column("id", sa.Integer), sa.column("stamp", sa.String), sa.column("changed_at", TS)
    )
    conn.execute(  # the pool's rows changed: a process keeping the old index reads it again
        version.update().where(version.c.id == 1).values(stamp=secrets.token_hex(16), changed_at=datetime.now(UTC))
    )


def downgrade() -> None:
    op.create_table(
        "expert_sanction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("decision_no", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("lifted_at", TS, nullable=True),
        sa.Column("lifted_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_expert_sanction_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_expert_sanction_expert_id_expert"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["lifted_by"], ["app_user.id"], name=op.f("fk_expert_sanction_lifted_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_sanction")),
    )
    with op.batch_alter_table("expert_sanction") as batch:
        batch.create_index(batch.f("ix_expert_sanction_expert_id"), ["expert_id"], unique=False)
    conn = op.get_bind()
    sanctions, bans = _sanction_table(), _ban_table()
    experts = list(conn.execute(sa.select(bans).where(bans.c.expert_id.is_not(None)).order_by(bans.c.id)).mappings())
    if experts:
        op.bulk_insert(
            sanctions,
            [
                {
                    "expert_id": b["expert_id"],
                    "kind": b["kind"],
                    "starts_on": b["starts_on"],
                    "ends_on": b["ends_on"],
                    "reason": (b["basis"] or "")[:500],
                    "decision_no": b["decision_no"] or "",
                    "created_by": b["created_by"],
                    "created_at": b["created_at"],
                    "lifted_at": b["lifted_at"],
                    "lifted_by": b["lifted_by"],
                }
                for b in experts
            ],
        )
        conn.execute(bans.delete().where(bans.c.expert_id.is_not(None), bans.c.kind == "suspension"))
    with op.batch_alter_table("credit_ban") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("evaluation_round") as batch:
        batch.drop_index(batch.f("ix_evaluation_round_session_id"))
    op.drop_table("evaluation_round")
    with op.batch_alter_table("evaluation_session") as batch:
        batch.drop_column("round")
