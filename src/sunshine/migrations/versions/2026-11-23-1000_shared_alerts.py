"""alerts of every domain in one table: disclosure_alert and info_request_alert move into alert

Each old row becomes one alert with the key its domain now raises it by, so a tick after the upgrade does not
raise it again: ``<kind>:disclosure-obligation:<obligation id>`` and ``inforequest:<request id>:<kind>:<due>``.
Alerts of requests already answered, withdrawn or closed are marked handled at the request's last change.

Revision ID: 20261123_1000
Revises: 20261122_2700
Create Date: 2026-11-23 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261123_1000"
down_revision: str | tuple[str, ...] | None = "20261122_2700"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DISCLOSURE_AUDIENCE = " admin centre_staff disclosure_office supervisor "
OFFICE_AUDIENCE = " disclosure_office "
CONCLUDED = ("withdrawn", "answered", "closed")

alert = sa.table(
    "alert",
    sa.column("key", sa.String),
    sa.column("domain", sa.String),
    sa.column("kind", sa.String),
    sa.column("subject_kind", sa.String),
    sa.column("subject_id", sa.Integer),
    sa.column("due", sa.Date),
    sa.column("message", sa.String),
    sa.column("audience", sa.String),
    sa.column("organisation_id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("resolved_at", sa.DateTime),
)
disclosure_alert = sa.table(
    "disclosure_alert",
    sa.column("kind", sa.String),
    sa.column("obligation_id", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("message", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("resolved_at", sa.DateTime),
)
info_request_alert = sa.table(
    "info_request_alert",
    sa.column("request_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("due", sa.Date),
    sa.column("message", sa.String),
    sa.column("user_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
)
info_request = sa.table(
    "info_request", sa.column("id", sa.Integer), sa.column("state", sa.String), sa.column("updated_at", sa.DateTime)
)


def _text(column) -> sa.ColumnElement:
    return sa.cast(column, sa.String)


def _iso_date(column) -> sa.ColumnElement:
    if op.get_bind().dialect.name == "postgresql":
        return sa.func.to_char(column, "YYYY-MM-DD")
    return sa.cast(column, sa.String)  # SQLite keeps dates as ISO text


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("domain", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("audience", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["acknowledged_by"], ["app_user.id"], name=op.f("fk_alert_acknowledged_by_app_user")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_alert_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_alert_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint("key", name=op.f("uq_alert_key")),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index("ix_alert_subject", ["subject_kind", "subject_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_domain"), ["domain"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_resolved_at"), ["resolved_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_user_id"), ["user_id"], unique=False)

    d = disclosure_alert.c
    op.execute(
        alert.insert().from_select(
            [
                "key",
                "domain",
                "kind",
                "subject_kind",
                "subject_id",
                "due",
                "message",
                "audience",
                "organisation_id",
                "user_id",
                "created_at",
                "resolved_at",
            ],
            sa.select(
                d.kind + sa.literal(":disclosure-obligation:") + _text(d.obligation_id),
                sa.literal("disclosure"),
                d.kind,
                sa.literal("disclosure-obligation"),
                d.obligation_id,
                sa.null(),
                d.message,
                sa.literal(DISCLOSURE_AUDIENCE),
                d.organisation_id,
                sa.null(),
                d.created_at,
                d.resolved_at,
            ),
        )
    )
    r, q = info_request_alert.c, info_request.c
    op.execute(
        alert.insert().from_select(
            [
                "key",
                "domain",
                "kind",
                "subject_kind",
                "subject_id",
                "due",
                "message",
                "audience",
                "organisation_id",
                "user_id",
                "created_at",
                "resolved_at",
            ],
            sa.select(
                sa.literal("inforequest:") + _text(r.request_id) + sa.literal(":") + r.kind + sa.literal(":")
                + _iso_date(r.due),
                sa.literal("inforequests"),
                r.kind,
                sa.literal("inforequest"),
                r.request_id,
                r.due,
                r.message,
                sa.literal(OFFICE_AUDIENCE),
                sa.null(),
                r.user_id,
                r.created_at,
                sa.case((q.state.in_(CONCLUDED), q.updated_at), else_=sa.null()),
            ).select_from(info_request_alert.join(info_request, info_request.c.id == r.request_id)),
        )
    )  # fmt: skip

    with op.batch_alter_table("info_request_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_info_request_alert_user_id"))
        batch_op.drop_index(batch_op.f("ix_info_request_alert_request_id"))
    op.drop_table("info_request_alert")
    with op.batch_alter_table("disclosure_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disclosure_alert_resolved_at"))
        batch_op.drop_index(batch_op.f("ix_disclosure_alert_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_disclosure_alert_obligation_id"))
    op.drop_table("disclosure_alert")


def downgrade() -> None:
    op.create_table(
        "disclosure_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["disclosure_obligation.id"],
            name=op.f("fk_disclosure_alert_obligation_id_disclosure_obligation"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_disclosure_alert_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_alert")),
        sa.UniqueConstraint("kind", "obligation_id", name=op.f("uq_disclosure_alert_kind")),
    )
    with op.batch_alter_table("disclosure_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_alert_obligation_id"), ["obligation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disclosure_alert_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disclosure_alert_resolved_at"), ["resolved_at"], unique=False)
    op.create_table(
        "info_request_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_request.id"],
            name=op.f("fk_info_request_alert_request_id_info_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_info_request_alert_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_info_request_alert")),
        sa.UniqueConstraint("request_id", "kind", "due", name=op.f("uq_info_request_alert_request_id")),
    )
    with op.batch_alter_table("info_request_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_info_request_alert_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_info_request_alert_user_id"), ["user_id"], unique=False)

    a = alert.c
    op.execute(
        disclosure_alert.insert().from_select(
            ["kind", "obligation_id", "organisation_id", "message", "created_at", "resolved_at"],
            sa.select(a.kind, a.subject_id, a.organisation_id, a.message, a.created_at, a.resolved_at).where(
                a.subject_kind == "disclosure-obligation"
            ),
        )
    )
    op.execute(
        info_request_alert.insert().from_select(
            ["request_id", "kind", "due", "message", "user_id", "created_at"],
            sa.select(a.subject_id, a.kind, a.due, sa.func.substr(a.message, 1, 300), a.user_id, a.created_at).where(
                a.subject_kind == "inforequest"
            ),
        )
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_user_id"))
        batch_op.drop_index(batch_op.f("ix_alert_resolved_at"))
        batch_op.drop_index(batch_op.f("ix_alert_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_alert_domain"))
        batch_op.drop_index("ix_alert_subject")
    op.drop_table("alert")
