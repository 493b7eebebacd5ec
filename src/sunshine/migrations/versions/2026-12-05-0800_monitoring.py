"""electronic monitoring: findings behind monitoring alerts and their handling, bid document features,
recordings of sessions and their retrieval requests, portal page views; the bid's client IP and device hashes

Revision ID: 20261205_0800
Revises: 20261205_0700
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261205_0800"
down_revision: str | tuple[str, ...] | None = "20261205_0700"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    ref_table = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{ref_table}"), ondelete=ondelete)


def upgrade() -> None:
    with op.batch_alter_table("bid") as batch:
        batch.add_column(sa.Column("client_ip", sa.String(length=45), nullable=True))
        batch.add_column(sa.Column("device_json", sa.Text(), nullable=True))
    op.create_index(op.f("ix_bid_client_ip"), "bid", ["client_ip"])

    t = "monitoring_finding"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.String(length=40), nullable=True),
        sa.Column("evidence_json", sa.Text(), nullable=False),
        sa.Column("restricted_json", sa.Text(), nullable=True),
        sa.Column("found_at", TS, nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decision_ledger_seq", sa.Integer(), nullable=True),
        _fk(t, "alert_id", "alert.id", "CASCADE"),
        _fk(t, "project_id", "project.id", "CASCADE"),
        _fk(t, "decided_by", "app_user.id"),
        _pk(t),
        sa.UniqueConstraint("alert_id", name=op.f(f"uq_{t}_alert_id")),
    )
    for column in ("rule_id", "project_id", "found_at", "decision"):
        op.create_index(op.f(f"ix_{t}_{column}"), t, [column])

    t = "monitoring_document_mark"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("document_name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("last_modified_by", sa.String(length=200), nullable=True),
        sa.Column("producer", sa.String(length=200), nullable=True),
        sa.Column("mark", sa.String(length=64), nullable=True),
        sa.Column("read_at", TS, nullable=False),
        _fk(t, "bid_id", "bid.id", "CASCADE"),
        _fk(t, "project_id", "project.id", "CASCADE"),
        _pk(t),
        sa.UniqueConstraint("bid_id", "document_sha256", name=op.f(f"uq_{t}_bid_id")),
    )
    for column in ("bid_id", "project_id", "mark"):
        op.create_index(op.f(f"ix_{t}_{column}"), t, [column])

    t = "monitoring_recording"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(length=20), nullable=False),
        sa.Column("session_ref", sa.String(length=80), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("ended_at", TS, nullable=True),
        sa.Column("registered_by", sa.Integer(), nullable=False),
        sa.Column("registered_at", TS, nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        _fk(t, "project_id", "project.id", "CASCADE"),
        _fk(t, "registered_by", "app_user.id"),
        _pk(t),
    )
    op.create_index(op.f(f"ix_{t}_project_id"), t, ["project_id"])

    t = "monitoring_recording_request"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("retrievals", sa.Integer(), nullable=False),
        sa.Column("last_retrieved_at", TS, nullable=True),
        _fk(t, "recording_id", "monitoring_recording.id", "CASCADE"),
        _fk(t, "requested_by", "app_user.id"),
        _fk(t, "decided_by", "app_user.id"),
        _pk(t),
    )
    for column in ("recording_id", "requested_by", "status"):
        op.create_index(op.f(f"ix_{t}_{column}"), t, [column])

    t = "monitoring_page_view"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("section", sa.String(length=40), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        _pk(t),
        sa.UniqueConstraint("day", "path", name=op.f(f"uq_{t}_day")),
    )
    for column in ("day", "section"):
        op.create_index(op.f(f"ix_{t}_{column}"), t, [column])
    # statistics read projects by type and month (GROUP BY): an index on the month's source column
    op.create_index("ix_project_registered_at", "project", ["registered_at"])


def downgrade() -> None:
    op.drop_index("ix_project_registered_at", table_name="project")
    for t in (
        "monitoring_page_view",
        "monitoring_recording_request",
        "monitoring_recording",
        "monitoring_document_mark",
        "monitoring_finding",
    ):
        op.drop_table(t)
    op.drop_index(op.f("ix_bid_client_ip"), table_name="bid")
    with op.batch_alter_table("bid") as batch:
        batch.drop_column("device_json")
        batch.drop_column("client_ip")
