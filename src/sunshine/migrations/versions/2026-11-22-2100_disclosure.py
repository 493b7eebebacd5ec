"""disclosure: catalog (公开事项目录) and revisions, obligations, publications with review findings, negative
list, alerts

Revision ID: 20261122_2100
Revises: 20261122_2000
Create Date: 2026-11-22 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_2100"
down_revision: str | None = "20261122_2000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "disclosure_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("transaction_type", sa.String(length=30), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["disclosure_category.id"], name=op.f("fk_disclosure_category_parent_id_disclosure_category")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_category")),
        sa.UniqueConstraint("code", name=op.f("uq_disclosure_category_code")),
    )
    with op.batch_alter_table("disclosure_category", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_category_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "disclosure_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("time_limit_ref", sa.String(length=120), nullable=False),
        sa.Column("responsible_body", sa.String(length=200), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("five_category", sa.String(length=20), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("trigger", sa.String(length=80), nullable=True),
        sa.Column("methods", sa.JSON(), nullable=True),
        sa.Column("condition", sa.String(length=40), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["disclosure_category.id"], name=op.f("fk_disclosure_item_category_id_disclosure_category")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_item")),
        sa.UniqueConstraint("code", name=op.f("uq_disclosure_item_code")),
    )
    with op.batch_alter_table("disclosure_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_item_category_id"), ["category_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disclosure_item_trigger"), ["trigger"], unique=False)

    op.create_table(
        "disclosure_item_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_disclosure_item_revision_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["disclosure_item.id"], name=op.f("fk_disclosure_item_revision_item_id_disclosure_item")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_item_revision")),
    )
    with op.batch_alter_table("disclosure_item_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_item_revision_item_id"), ["item_id"], unique=False)

    op.create_table(
        "disclosure_negative_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_by", sa.Integer(), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removal_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by"], ["app_user.id"], name=op.f("fk_disclosure_negative_term_added_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["removed_by"], ["app_user.id"], name=op.f("fk_disclosure_negative_term_removed_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_negative_term")),
    )
    with op.batch_alter_table("disclosure_negative_term", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_negative_term_removed_at"), ["removed_at"], unique=False)

    op.create_table(
        "disclosure_obligation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=80), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("responsible_org_id", sa.Integer(), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("rule_ref", sa.String(length=200), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("met_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("met_on", sa.Date(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=True),
        sa.Column("delay_days", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deadline_id"], ["tracked_deadline.id"], name=op.f("fk_disclosure_obligation_deadline_id_tracked_deadline")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["disclosure_item.id"], name=op.f("fk_disclosure_obligation_item_id_disclosure_item")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_disclosure_obligation_project_id_project")
        ),
        sa.ForeignKeyConstraint(
            ["responsible_org_id"],
            ["organisation.id"],
            name=op.f("fk_disclosure_obligation_responsible_org_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_obligation")),
    )
    with op.batch_alter_table("disclosure_obligation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_obligation_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disclosure_obligation_project_id"), ["project_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_disclosure_obligation_responsible_org_id"), ["responsible_org_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_disclosure_obligation_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_disclosure_obligation_subject"), ["subject"], unique=False)

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
        "disclosure_publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_format", sa.String(length=10), nullable=False),
        sa.Column("source_ref", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_mode", sa.String(length=20), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=True),
        sa.Column("body_sha256", sa.String(length=64), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.Integer(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("withdrawal_ledger_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_disclosure_publication_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["disclosure_item.id"], name=op.f("fk_disclosure_publication_item_id_disclosure_item")
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["disclosure_obligation.id"],
            name=op.f("fk_disclosure_publication_obligation_id_disclosure_obligation"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["app_user.id"], name=op.f("fk_disclosure_publication_reviewed_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by"], ["app_user.id"], name=op.f("fk_disclosure_publication_withdrawn_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_publication")),
    )
    with op.batch_alter_table("disclosure_publication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_publication_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disclosure_publication_obligation_id"), ["obligation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disclosure_publication_published_at"), ["published_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_disclosure_publication_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_disclosure_publication_subject"), ["subject"], unique=False)

    op.create_table(
        "disclosure_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("detector", sa.String(length=20), nullable=False),
        sa.Column("part", sa.String(length=10), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("masked", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["disclosure_publication.id"],
            name=op.f("fk_disclosure_finding_publication_id_disclosure_publication"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["app_user.id"], name=op.f("fk_disclosure_finding_resolved_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["disclosure_negative_term.id"],
            name=op.f("fk_disclosure_finding_term_id_disclosure_negative_term"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_finding")),
    )
    with op.batch_alter_table("disclosure_finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosure_finding_publication_id"), ["publication_id"], unique=False)


def downgrade() -> None:
    op.drop_table("disclosure_finding")
    op.drop_table("disclosure_publication")
    op.drop_table("disclosure_alert")
    op.drop_table("disclosure_obligation")
    op.drop_table("disclosure_negative_term")
    op.drop_table("disclosure_item_revision")
    op.drop_table("disclosure_item")
    op.drop_table("disclosure_category")
