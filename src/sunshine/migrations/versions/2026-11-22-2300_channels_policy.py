"""channels and policy: mail subscriptions, outbox and deliveries; policy documents, interpretations and
public concerns (回应关切)

Revision ID: 20261122_2300
Revises: 20261122_2000
Create Date: 2026-11-22 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_2300"
down_revision: str | None = "20261122_2000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("region_codes", sa.Text(), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_subscription")),
    )
    op.create_index(op.f("ix_mail_subscription_email"), "mail_subscription", ["email"], unique=False)
    op.create_index(op.f("ix_mail_subscription_status"), "mail_subscription", ["status"], unique=False)

    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["mail_subscription.id"],
            name=op.f("fk_mail_outbox_subscription_id_mail_subscription"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index(op.f("ix_mail_outbox_sent_at"), "mail_outbox", ["sent_at"], unique=False)
    op.create_index(op.f("ix_mail_outbox_subscription_id"), "mail_outbox", ["subscription_id"], unique=False)

    op.create_table(
        "mail_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=80), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["mail_outbox.id"], name=op.f("fk_mail_delivery_outbox_id_mail_outbox"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["mail_subscription.id"],
            name=op.f("fk_mail_delivery_subscription_id_mail_subscription"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_delivery")),
        sa.UniqueConstraint("subscription_id", "item_key", name=op.f("uq_mail_delivery_subscription_id")),
    )
    op.create_index(op.f("ix_mail_delivery_outbox_id"), "mail_delivery", ["outbox_id"], unique=False)
    op.create_index(op.f("ix_mail_delivery_subscription_id"), "mail_delivery", ["subscription_id"], unique=False)

    op.create_table(
        "policy_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("issuing_body", sa.String(length=200), nullable=False),
        sa.Column("doc_number", sa.String(length=100), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("attachment_name", sa.String(length=255), nullable=True),
        sa.Column("attachment_sha256", sa.String(length=64), nullable=True),
        sa.Column("attachment_type", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_policy_document_created_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_document")),
    )
    op.create_index(op.f("ix_policy_document_issued_on"), "policy_document", ["issued_on"], unique=False)
    op.create_index(op.f("ix_policy_document_level"), "policy_document", ["level"], unique=False)
    op.create_index(op.f("ix_policy_document_published_at"), "policy_document", ["published_at"], unique=False)

    op.create_table(
        "policy_interpretation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("interpreter", sa.String(length=200), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_policy_interpretation_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policy_document.id"],
            name=op.f("fk_policy_interpretation_policy_id_policy_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_interpretation")),
    )
    op.create_index(op.f("ix_policy_interpretation_policy_id"), "policy_interpretation", ["policy_id"], unique=False)
    op.create_index(
        op.f("ix_policy_interpretation_published_at"), "policy_interpretation", ["published_at"], unique=False
    )

    op.create_table(
        "public_concern",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asker_name", sa.String(length=100), nullable=True),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("policy_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reply_deadline_id", sa.Integer(), nullable=True),
        sa.Column("public_question", sa.Text(), nullable=True),
        sa.Column("answer_html", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["answered_by"], ["app_user.id"], name=op.f("fk_public_concern_answered_by_app_user")),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policy_document.id"],
            name=op.f("fk_public_concern_policy_id_policy_document"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reply_deadline_id"],
            ["tracked_deadline.id"],
            name=op.f("fk_public_concern_reply_deadline_id_tracked_deadline"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_concern")),
    )
    op.create_index(op.f("ix_public_concern_published_at"), "public_concern", ["published_at"], unique=False)
    op.create_index(op.f("ix_public_concern_status"), "public_concern", ["status"], unique=False)
    op.create_index(op.f("ix_public_concern_submitted_at"), "public_concern", ["submitted_at"], unique=False)
    op.create_index(op.f("ix_public_concern_topic"), "public_concern", ["topic"], unique=False)


def downgrade() -> None:
    op.drop_table("public_concern")
    op.drop_table("policy_interpretation")
    op.drop_table("policy_document")
    op.drop_table("mail_delivery")
    op.drop_table("mail_outbox")
    op.drop_table("mail_subscription")
