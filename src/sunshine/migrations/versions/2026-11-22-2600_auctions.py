"""online auctions (网上竞价): auctions, bidders with paddle numbers, bids

Revision ID: 20261122_2600
Revises: 20261122_2400
Create Date: 2026-11-22 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_2600"
down_revision: str | None = "20261122_2400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("start_price", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("increment", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("reserve_price", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("reserve_salt", sa.String(length=64), nullable=True),
        sa.Column("reserve_commitment", sa.String(length=64), nullable=True),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("final_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bid_count", sa.Integer(), nullable=False),
        sa.Column("current_price", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.Column("winner_id", sa.Integer(), nullable=True),
        sa.Column("final_price", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reserve_verified", sa.Boolean(), nullable=True),
        sa.Column("setup_ledger_seq", sa.Integer(), nullable=False),
        sa.Column("result_ledger_seq", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_auction_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_auction_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["project_section.id"],
            name=op.f("fk_auction_section_id_project_section"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction")),
        sa.UniqueConstraint("section_id", name=op.f("uq_auction_section_id")),
    )
    with op.batch_alter_table("auction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auction_ends_at"), ["ends_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_auction_phase"), ["phase"], unique=False)
        batch_op.create_index(batch_op.f("ix_auction_project_id"), ["project_id"], unique=False)

    op.create_table(
        "auction_bidder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("auction_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("paddle", sa.String(length=8), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["auction_id"], ["auction.id"], name=op.f("fk_auction_bidder_auction_id_auction"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_auction_bidder_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_bidder")),
        sa.UniqueConstraint("organisation_id", "auction_id", name=op.f("uq_auction_bidder_organisation_id")),
        sa.UniqueConstraint("paddle", "auction_id", name=op.f("uq_auction_bidder_paddle")),
    )
    with op.batch_alter_table("auction_bidder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auction_bidder_auction_id"), ["auction_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_auction_bidder_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "auction_bid",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("auction_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("bidder_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ledger_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["auction_id"], ["auction.id"], name=op.f("fk_auction_bid_auction_id_auction"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["bidder_id"], ["auction_bidder.id"], name=op.f("fk_auction_bid_bidder_id_auction_bidder")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_bid")),
        sa.UniqueConstraint("auction_id", "seq", name=op.f("uq_auction_bid_auction_id")),
    )
    with op.batch_alter_table("auction_bid", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auction_bid_auction_id"), ["auction_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_auction_bid_bidder_id"), ["bidder_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("auction_bid", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auction_bid_bidder_id"))
        batch_op.drop_index(batch_op.f("ix_auction_bid_auction_id"))
    op.drop_table("auction_bid")
    with op.batch_alter_table("auction_bidder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auction_bidder_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_auction_bidder_auction_id"))
    op.drop_table("auction_bidder")
    with op.batch_alter_table("auction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auction_project_id"))
        batch_op.drop_index(batch_op.f("ix_auction_phase"))
        batch_op.drop_index(batch_op.f("ix_auction_ends_at"))
    op.drop_table("auction")
