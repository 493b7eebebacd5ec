"""disclosure governance: consultations with comments and hearings, public-opinion items with discussions,
documents' disclosure attributes, local catalogs derived and claimed, inspections with findings, department scores

Revision ID: 20261206_0400
Revises: 20261206_0300
Create Date: 2026-12-06 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0400"
down_revision: str | tuple[str, ...] | None = "20261206_0300"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "gov_consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("department_org_id", sa.Integer(), nullable=True),
        sa.Column("draft_text", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("period_days", sa.Integer(), nullable=True),
        sa.Column("minimum_days", sa.Integer(), nullable=True),
        sa.Column("shortened_reason", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("adopted_text", sa.Text(), nullable=True),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("opened_seq", sa.Integer(), nullable=True),
        sa.Column("adopted_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_gov_consultation_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["department_org_id"], ["organisation.id"], name=op.f("fk_gov_consultation_department_org_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_consultation")),
        sa.UniqueConstraint("code", name=op.f("uq_gov_consultation_code")),
    )
    op.create_index(
        op.f("ix_gov_consultation_department_org_id"), "gov_consultation", ["department_org_id"], unique=False
    )
    op.create_index(op.f("ix_gov_consultation_status"), "gov_consultation", ["status"], unique=False)
    op.create_table(
        "gov_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("commenter_name", sa.String(length=100), nullable=True),
        sa.Column("commenter_contact", sa.String(length=100), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("public_body", sa.Text(), nullable=False),
        sa.Column("handling", sa.String(length=20), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["answered_by"], ["app_user.id"], name=op.f("fk_gov_comment_answered_by_app_user")),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["gov_consultation.id"], name=op.f("fk_gov_comment_consultation_id_gov_consultation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_comment")),
    )
    op.create_index(op.f("ix_gov_comment_consultation_id"), "gov_comment", ["consultation_id"], unique=False)
    op.create_table(
        "gov_proceeding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["gov_consultation.id"],
            name=op.f("fk_gov_proceeding_consultation_id_gov_consultation"),
        ),
        sa.ForeignKeyConstraint(["recorded_by"], ["app_user.id"], name=op.f("fk_gov_proceeding_recorded_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_proceeding")),
    )
    op.create_index(op.f("ix_gov_proceeding_consultation_id"), "gov_proceeding", ["consultation_id"], unique=False)
    op.create_table(
        "gov_opinion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_ref", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("risk", sa.String(length=10), nullable=True),
        sa.Column("risk_note", sa.Text(), nullable=True),
        sa.Column("responsible_org_id", sa.Integer(), nullable=True),
        sa.Column("limit_days", sa.Integer(), nullable=True),
        sa.Column("limit_unit", sa.String(length=10), nullable=True),
        sa.Column("rule_ref", sa.String(length=120), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answer_public", sa.Boolean(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=True),
        sa.Column("delay_days", sa.Integer(), nullable=True),
        sa.Column("evaluation", sa.Text(), nullable=True),
        sa.Column("effect", sa.String(length=20), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("answered_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_gov_opinion_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["responsible_org_id"], ["organisation.id"], name=op.f("fk_gov_opinion_responsible_org_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_opinion")),
        sa.UniqueConstraint("code", name=op.f("uq_gov_opinion_code")),
    )
    op.create_index(op.f("ix_gov_opinion_due"), "gov_opinion", ["due"], unique=False)
    op.create_index(op.f("ix_gov_opinion_responsible_org_id"), "gov_opinion", ["responsible_org_id"], unique=False)
    op.create_index(op.f("ix_gov_opinion_source"), "gov_opinion", ["source"], unique=False)
    op.create_index(op.f("ix_gov_opinion_status"), "gov_opinion", ["status"], unique=False)
    op.create_table(
        "gov_discussion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("bodies", sa.Text(), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["opinion_id"], ["gov_opinion.id"], name=op.f("fk_gov_discussion_opinion_id_gov_opinion")
        ),
        sa.ForeignKeyConstraint(["recorded_by"], ["app_user.id"], name=op.f("fk_gov_discussion_recorded_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_discussion")),
    )
    op.create_index(op.f("ix_gov_discussion_opinion_id"), "gov_discussion", ["opinion_id"], unique=False)
    op.create_table(
        "gov_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_number", sa.String(length=60), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("department_org_id", sa.Integer(), nullable=True),
        sa.Column("attribute", sa.String(length=20), nullable=False),
        sa.Column("attribute_reason", sa.Text(), nullable=False),
        sa.Column("item_code", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("drafted_by", sa.Integer(), nullable=True),
        sa.Column("drafted_at", TS, nullable=False),
        sa.Column("final_attribute", sa.String(length=20), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("publication_id", sa.Integer(), nullable=True),
        sa.Column("obligation_id", sa.Integer(), nullable=True),
        sa.Column("issued_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_org_id"], ["organisation.id"], name=op.f("fk_gov_document_department_org_id_organisation")
        ),
        sa.ForeignKeyConstraint(["drafted_by"], ["app_user.id"], name=op.f("fk_gov_document_drafted_by_app_user")),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["disclosure_obligation.id"],
            name=op.f("fk_gov_document_obligation_id_disclosure_obligation"),
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["disclosure_publication.id"],
            name=op.f("fk_gov_document_publication_id_disclosure_publication"),
        ),
        sa.ForeignKeyConstraint(["reviewed_by"], ["app_user.id"], name=op.f("fk_gov_document_reviewed_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_document")),
    )
    op.create_index(op.f("ix_gov_document_department_org_id"), "gov_document", ["department_org_id"], unique=False)
    op.create_index(op.f("ix_gov_document_status"), "gov_document", ["status"], unique=False)
    op.create_table(
        "gov_catalog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("submitted_at", TS, nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", TS, nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("approved_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_gov_catalog_created_by_app_user")),
        sa.ForeignKeyConstraint(["reviewed_by"], ["app_user.id"], name=op.f("fk_gov_catalog_reviewed_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_catalog")),
    )
    op.create_index(op.f("ix_gov_catalog_status"), "gov_catalog", ["status"], unique=False)
    op.create_table(
        "gov_catalog_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("catalog_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("base_code", sa.String(length=20), nullable=True),
        sa.Column("disposition", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("claimed_by_org_id", sa.Integer(), nullable=True),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        sa.Column("claimed_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["catalog_id"], ["gov_catalog.id"], name=op.f("fk_gov_catalog_entry_catalog_id_gov_catalog")
        ),
        sa.ForeignKeyConstraint(["claimed_by"], ["app_user.id"], name=op.f("fk_gov_catalog_entry_claimed_by_app_user")),
        sa.ForeignKeyConstraint(
            ["claimed_by_org_id"], ["organisation.id"], name=op.f("fk_gov_catalog_entry_claimed_by_org_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_catalog_entry")),
        sa.UniqueConstraint("catalog_id", "code", name="uq_gov_catalog_entry_code"),
    )
    op.create_index(op.f("ix_gov_catalog_entry_catalog_id"), "gov_catalog_entry", ["catalog_id"], unique=False)
    op.create_index(
        op.f("ix_gov_catalog_entry_claimed_by_org_id"), "gov_catalog_entry", ["claimed_by_org_id"], unique=False
    )
    op.create_table(
        "gov_inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("inspector_role", sa.String(length=30), nullable=False),
        sa.Column("inspector_org_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("sample_seed", sa.String(length=64), nullable=True),
        sa.Column("sample_size", sa.Integer(), nullable=True),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("ledger_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_gov_inspection_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["inspector_org_id"], ["organisation.id"], name=op.f("fk_gov_inspection_inspector_org_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_inspection")),
        sa.UniqueConstraint("code", name=op.f("uq_gov_inspection_code")),
    )
    op.create_index(op.f("ix_gov_inspection_status"), "gov_inspection", ["status"], unique=False)
    op.create_table(
        "gov_inspected_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("department_org_id", sa.Integer(), nullable=True),
        sa.Column("checked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_org_id"],
            ["organisation.id"],
            name=op.f("fk_gov_inspected_item_department_org_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["gov_inspection.id"], name=op.f("fk_gov_inspected_item_inspection_id_gov_inspection")
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["disclosure_publication.id"],
            name=op.f("fk_gov_inspected_item_publication_id_disclosure_publication"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_inspected_item")),
    )
    op.create_index(
        op.f("ix_gov_inspected_item_department_org_id"), "gov_inspected_item", ["department_org_id"], unique=False
    )
    op.create_index(op.f("ix_gov_inspected_item_inspection_id"), "gov_inspected_item", ["inspection_id"], unique=False)
    op.create_index(
        op.f("ix_gov_inspected_item_publication_id"), "gov_inspected_item", ["publication_id"], unique=False
    )
    op.create_table(
        "gov_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("inspected_item_id", sa.Integer(), nullable=True),
        sa.Column("publication_id", sa.Integer(), nullable=True),
        sa.Column("department_org_id", sa.Integer(), nullable=True),
        sa.Column("aspect", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("limit_days", sa.Integer(), nullable=False),
        sa.Column("rule_ref", sa.String(length=120), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("correction", sa.Text(), nullable=True),
        sa.Column("corrected_on", sa.Date(), nullable=True),
        sa.Column("corrected_by", sa.Integer(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=True),
        sa.Column("delay_days", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["corrected_by"], ["app_user.id"], name=op.f("fk_gov_finding_corrected_by_app_user")),
        sa.ForeignKeyConstraint(
            ["department_org_id"], ["organisation.id"], name=op.f("fk_gov_finding_department_org_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["inspected_item_id"],
            ["gov_inspected_item.id"],
            name=op.f("fk_gov_finding_inspected_item_id_gov_inspected_item"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["gov_inspection.id"], name=op.f("fk_gov_finding_inspection_id_gov_inspection")
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["disclosure_publication.id"],
            name=op.f("fk_gov_finding_publication_id_disclosure_publication"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_finding")),
    )
    op.create_index(op.f("ix_gov_finding_department_org_id"), "gov_finding", ["department_org_id"], unique=False)
    op.create_index(op.f("ix_gov_finding_due"), "gov_finding", ["due"], unique=False)
    op.create_index(op.f("ix_gov_finding_inspection_id"), "gov_finding", ["inspection_id"], unique=False)
    op.create_index(op.f("ix_gov_finding_status"), "gov_finding", ["status"], unique=False)
    op.create_table(
        "gov_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("department_org_id", sa.Integer(), nullable=False),
        sa.Column("method_version", sa.String(length=20), nullable=False),
        sa.Column("timeliness_rate", sa.Float(), nullable=True),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("computed_at", TS, nullable=False),
        sa.Column("published_at", TS, nullable=True),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_org_id"], ["organisation.id"], name=op.f("fk_gov_score_department_org_id_organisation")
        ),
        sa.ForeignKeyConstraint(["published_by"], ["app_user.id"], name=op.f("fk_gov_score_published_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_score")),
        sa.UniqueConstraint("year", "department_org_id", name="uq_gov_score_year_department"),
    )
    op.create_index(op.f("ix_gov_score_year"), "gov_score", ["year"], unique=False)


def downgrade() -> None:
    op.drop_table("gov_score")
    op.drop_table("gov_finding")
    op.drop_table("gov_inspected_item")
    op.drop_table("gov_inspection")
    op.drop_table("gov_catalog_entry")
    op.drop_table("gov_catalog")
    op.drop_table("gov_document")
    op.drop_table("gov_discussion")
    op.drop_table("gov_opinion")
    op.drop_table("gov_proceeding")
    op.drop_table("gov_comment")
    op.drop_table("gov_consultation")
