"""merge sealed bids and online auctions

Revision ID: 20261122_2700
Revises: 20261122_2500, 20261122_2600
Create Date: 2026-11-22 21:41:00
"""

from collections.abc import Sequence

revision: str = "20261122_2700"
down_revision: str | tuple[str, ...] | None = ("20261122_2500", "20261122_2600")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
