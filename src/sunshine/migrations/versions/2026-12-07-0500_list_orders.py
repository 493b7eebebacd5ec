"""indexes behind the lists paged by cursor: each list's sort key with the row id as tiebreaker (and its
filter first where a list is one organisation's or one state's), so a page is an index range scan on SQLite
and PostgreSQL alike

Revision ID: 20261207_0500
Revises: 20261207_0400
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261207_0500"
down_revision: str | tuple[str, ...] | None = "20261207_0400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index, table, columns)
INDEXES = [
    ("ix_gov_consultation_created_id", "gov_consultation", ["created_at", "id"]),
    ("ix_gov_opinion_received_id", "gov_opinion", ["received_on", "id"]),
    ("ix_gov_document_drafted_id", "gov_document", ["drafted_at", "id"]),
    ("ix_gov_catalog_created_id", "gov_catalog", ["created_at", "id"]),
    ("ix_gov_inspection_inspected_id", "gov_inspection", ["inspected_on", "id"]),
    ("ix_supervision_recruitment_published_id", "supervision_recruitment", ["published_at", "id"]),
    ("ix_supervision_opinion_published_id", "supervision_opinion", ["published_at", "id"]),
    ("ix_supervision_open_day_starts_id", "supervision_open_day", ["starts_at", "id"]),
    ("ix_login_throttle_locked_until", "login_throttle", ["locked_until"]),
    ("ix_tracked_deadline_open_due_id", "tracked_deadline", ["is_open", "due", "id"]),
    ("ix_alert_created_id", "alert", ["created_at", "id"]),
    ("ix_alert_domain_created_id", "alert", ["domain", "created_at", "id"]),
    ("ix_credit_ban_starts_id", "credit_ban", ["starts_on", "id"]),
    ("ix_credit_rating_period_order", "credit_rating", ["period", "subject_type", "grade", "subject_id", "id"]),
    ("ix_platform_incident_started_id", "platform_incident", ["started_at", "id"]),
    ("ix_expert_application_user_submitted", "expert_application", ["user_id", "submitted_at", "id"]),
    ("ix_message_organisation_created_id", "message", ["organisation_id", "created_at", "id"]),
    ("ix_procedure_method_change_applied_id", "procedure_method_change", ["applied_at", "id"]),
    ("ix_procedure_invitation_org_sent_id", "procedure_invitation", ["organisation_id", "sent_at", "id"]),
    ("ix_award_letter_org_issued_id", "award_letter", ["organisation_id", "issued_at", "id"]),
    ("ix_public_concern_status_submitted_id", "public_concern", ["status", "submitted_at", "id"]),
    ("ix_market_application_status_submitted_id", "market_application", ["status", "submitted_at", "id"]),
    ("ix_committee_request_state_meeting_id", "committee_request", ["state", "meeting_at", "id"]),
    ("ix_tender_document_drafted_id", "tender_document", ["drafted_at", "id"]),
    ("ix_performance_tender_report_determined_id", "performance_tender_report", ["determined_on", "id"]),
    ("ix_desk_survey_invitation_user_sent_id", "desk_survey_invitation", ["user_id", "sent_at", "id"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
