"""merge disclosure, information requests and channels

Revision ID: 20261122_2400
Revises: 20261122_2100, 20261122_2200, 20261122_2300
Create Date: 2026-11-22 19:56:11.583650
"""

from collections.abc import Sequence

revision: str = "20261122_2400"
down_revision: str | tuple[str, ...] | None = ("20261122_2100", "20261122_2200", "20261122_2300")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
