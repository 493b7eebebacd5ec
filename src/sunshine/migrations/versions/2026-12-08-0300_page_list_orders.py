"""indexes behind the pages' lists now paged by cursor: the public credit records by decision date, one
organisation's qualification records, users and agency staff, the employer's expert applications and the
bidder's bids, each with the row id as tiebreaker, so a page is an index range scan on SQLite and PostgreSQL

Revision ID: 20261208_0300
Revises: 20261208_0100
Create Date: 2026-12-08 03:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261208_0300"
down_revision: str | tuple[str, ...] | None = "20261208_0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index, table, columns)
INDEXES = [
    ("ix_credit_record_decided_id", "credit_record", ["decided_on", "id"]),
    ("ix_qualification_certificate_org_id", "qualification_certificate", ["organisation_id", "id"]),
    ("ix_qualification_person_org_id", "qualification_person", ["organisation_id", "id"]),
    ("ix_qualification_performance_org_id", "qualification_performance", ["organisation_id", "id"]),
    ("ix_app_user_organisation_id_id", "app_user", ["organisation_id", "id"]),
    ("ix_market_staff_org_id", "market_staff", ["organisation_id", "id"]),
    (
        "ix_expert_application_employer_submitted",
        "expert_application",
        ["employer_organisation_id", "submitted_at", "id"],
    ),
    ("ix_bid_organisation_id_id", "bid", ["organisation_id", "id"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
