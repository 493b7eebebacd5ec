"""sections evaluated together (合并评审: the section a declaration is evaluated with); 异地评标: the remote centre
named as a member's site, and that centre's own sign-in of the member there

Revision ID: 20261205_0300
Revises: 20261205_0200
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261205_0300"
down_revision: str | tuple[str, ...] | None = "20261205_0200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("evaluation_declaration", sa.Column("evaluated_with", sa.Integer(), nullable=True))
    op.add_column("evaluation_member", sa.Column("site_centre_id", sa.Integer(), nullable=True))
    op.add_column("evaluation_member", sa.Column("site_signed_in_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("evaluation_member", sa.Column("site_signed_in_by", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("evaluation_member", "site_signed_in_by")
    op.drop_column("evaluation_member", "site_signed_in_at")
    op.drop_column("evaluation_member", "site_centre_id")
    op.drop_column("evaluation_declaration", "evaluated_with")
