"""the centre's rooms (场室) and their bookings (场地预约)

Revision ID: 20261203_0120
Revises: 20261203_0110
Create Date: 2026-12-03 01:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203_0120"
down_revision: str | tuple[str, ...] | None = "20261203_0110"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "venue_room",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("observer_seats", sa.Integer(), nullable=False),
        sa.Column("equipment", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venue_room")),
        sa.UniqueConstraint("name", name=op.f("uq_venue_room_name")),
    )
    with op.batch_alter_table("venue_room", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_venue_room_kind"), ["kind"], unique=False)

    op.create_table(
        "venue_booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("booked_by", sa.Integer(), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["room_id"], ["venue_room.id"], name=op.f("fk_venue_booking_room_id_venue_room")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_venue_booking_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["booked_by"], ["app_user.id"], name=op.f("fk_venue_booking_booked_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venue_booking")),
    )
    with op.batch_alter_table("venue_booking", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_venue_booking_room_id"), ["room_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_venue_booking_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_venue_booking_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_venue_booking_state"), ["state"], unique=False)
        batch_op.create_index("ix_venue_booking_room_span", ["room_id", "starts_at", "ends_at"], unique=False)
        batch_op.create_index(
            "uq_venue_booking_active_subject",
            ["subject"],
            unique=True,
            sqlite_where=sa.text("state = 'booked'"),
            postgresql_where=sa.text("state = 'booked'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("venue_booking", schema=None) as batch_op:
        batch_op.drop_index("uq_venue_booking_active_subject")
        batch_op.drop_index("ix_venue_booking_room_span")
        batch_op.drop_index(batch_op.f("ix_venue_booking_state"))
        batch_op.drop_index(batch_op.f("ix_venue_booking_starts_at"))
        batch_op.drop_index(batch_op.f("ix_venue_booking_project_id"))
        batch_op.drop_index(batch_op.f("ix_venue_booking_room_id"))
    op.drop_table("venue_booking")
    with op.batch_alter_table("venue_room", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_venue_room_kind"))
    op.drop_table("venue_room")
