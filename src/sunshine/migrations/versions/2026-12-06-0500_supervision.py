"""social supervision: recruitment notices and supervisors with their work cards, weekly schedules, supervisors
at sessions and session draws, the opinion box, open days with their participants and poll

Revision ID: 20261206_0500
Revises: 20261206_0400
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0500"
down_revision: str | None = "20261206_0400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supervision_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("items_json", sa.Text(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_schedule")),
        sa.UniqueConstraint("week_start", name=op.f("uq_supervision_schedule_week_start")),
    )
    op.create_table(
        "supervision_recruitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_supervision_recruitment_created_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_recruitment")),
    )
    op.create_table(
        "supervision_supervisor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("recruitment_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("employer", sa.String(length=200), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("card_serial", sa.String(length=24), nullable=True),
        sa.Column("card_version", sa.Integer(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dismissal_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["app_user.id"], name=op.f("fk_supervision_supervisor_entered_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["recruitment_id"],
            ["supervision_recruitment.id"],
            name=op.f("fk_supervision_supervisor_recruitment_id_supervision_recruitment"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["app_user.id"], name=op.f("fk_supervision_supervisor_reviewed_by_app_user")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_supervision_supervisor_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_supervisor")),
        sa.UniqueConstraint("card_serial", name=op.f("uq_supervision_supervisor_card_serial")),
    )
    with op.batch_alter_table("supervision_supervisor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_supervisor_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_supervisor_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_supervisor_user_id"), ["user_id"], unique=False)

    op.create_table(
        "supervision_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=True),
        sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["venue_booking.id"],
            name=op.f("fk_supervision_attendance_booking_id_venue_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"], ["observer_seat.id"], name=op.f("fk_supervision_attendance_seat_id_observer_seat")
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["supervision_supervisor.id"],
            name=op.f("fk_supervision_attendance_supervisor_id_supervision_supervisor"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_attendance")),
        sa.UniqueConstraint("booking_id", "supervisor_id", name=op.f("uq_supervision_attendance_booking_id")),
    )
    with op.batch_alter_table("supervision_attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_attendance_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_attendance_supervisor_id"), ["supervisor_id"], unique=False)

    op.create_table(
        "supervision_open_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("apply_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("draw_code", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report", sa.Text(), nullable=True),
        sa.Column("report_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_due_on", sa.Date(), nullable=True),
        sa.Column("reported_to_office_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["venue_booking.id"],
            name=op.f("fk_supervision_open_day_booking_id_venue_booking"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_supervision_open_day_created_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_open_day")),
    )
    with op.batch_alter_table("supervision_open_day", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_open_day_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_open_day_state"), ["state"], unique=False)

    op.create_table(
        "supervision_session_draw",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("draw_code", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["venue_booking.id"],
            name=op.f("fk_supervision_session_draw_booking_id_venue_booking"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_session_draw")),
        sa.UniqueConstraint("draw_code", name=op.f("uq_supervision_session_draw_draw_code")),
    )
    with op.batch_alter_table("supervision_session_draw", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_session_draw_booking_id"), ["booking_id"], unique=False)

    op.create_table(
        "supervision_opinion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("lookup_hash", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("open_day_id", sa.Integer(), nullable=True),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("author_kind", sa.String(length=20), nullable=False),
        sa.Column("contact", sa.String(length=60), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("publish", sa.String(length=20), nullable=False),
        sa.Column("publish_reason", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by"], ["app_user.id"], name=op.f("fk_supervision_opinion_answered_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["author_user_id"], ["app_user.id"], name=op.f("fk_supervision_opinion_author_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["venue_booking.id"],
            name=op.f("fk_supervision_opinion_booking_id_venue_booking"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["open_day_id"],
            ["supervision_open_day.id"],
            name=op.f("fk_supervision_opinion_open_day_id_supervision_open_day"),
        ),
        sa.ForeignKeyConstraint(["room_id"], ["venue_room.id"], name=op.f("fk_supervision_opinion_room_id_venue_room")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_opinion")),
        sa.UniqueConstraint("code", name=op.f("uq_supervision_opinion_code")),
    )
    with op.batch_alter_table("supervision_opinion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_opinion_author_user_id"), ["author_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_opinion_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_opinion_responsible"), ["responsible"], unique=False)

    op.create_table(
        "supervision_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("open_day_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=24), nullable=False),
        sa.Column("lookup_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("screening_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("feedback_score", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["open_day_id"],
            ["supervision_open_day.id"],
            name=op.f("fk_supervision_participant_open_day_id_supervision_open_day"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_supervision_participant_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_participant")),
    )
    with op.batch_alter_table("supervision_participant", schema=None) as batch_op:
        batch_op.create_index("ix_supervision_participant_day_state", ["open_day_id", "state"], unique=False)

    op.create_table(
        "supervision_poll_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("open_day_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["open_day_id"],
            ["supervision_open_day.id"],
            name=op.f("fk_supervision_poll_option_open_day_id_supervision_open_day"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_supervision_poll_option_project_id_project"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_poll_option")),
    )
    with op.batch_alter_table("supervision_poll_option", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_poll_option_open_day_id"), ["open_day_id"], unique=False)

    op.create_table(
        "supervision_poll_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("open_day_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("voter_hash", sa.String(length=64), nullable=False),
        sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["open_day_id"],
            ["supervision_open_day.id"],
            name=op.f("fk_supervision_poll_vote_open_day_id_supervision_open_day"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["supervision_poll_option.id"],
            name=op.f("fk_supervision_poll_vote_option_id_supervision_poll_option"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_poll_vote")),
        sa.UniqueConstraint("open_day_id", "voter_hash", name=op.f("uq_supervision_poll_vote_open_day_id")),
    )


def downgrade() -> None:
    op.drop_table("supervision_poll_vote")
    with op.batch_alter_table("supervision_poll_option", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_poll_option_open_day_id"))

    op.drop_table("supervision_poll_option")
    with op.batch_alter_table("supervision_participant", schema=None) as batch_op:
        batch_op.drop_index("ix_supervision_participant_day_state")

    op.drop_table("supervision_participant")
    with op.batch_alter_table("supervision_opinion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_opinion_responsible"))
        batch_op.drop_index(batch_op.f("ix_supervision_opinion_due_on"))
        batch_op.drop_index(batch_op.f("ix_supervision_opinion_author_user_id"))

    op.drop_table("supervision_opinion")
    with op.batch_alter_table("supervision_session_draw", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_session_draw_booking_id"))

    op.drop_table("supervision_session_draw")
    with op.batch_alter_table("supervision_open_day", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_open_day_state"))
        batch_op.drop_index(batch_op.f("ix_supervision_open_day_kind"))

    op.drop_table("supervision_open_day")
    with op.batch_alter_table("supervision_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_attendance_supervisor_id"))
        batch_op.drop_index(batch_op.f("ix_supervision_attendance_booking_id"))

    op.drop_table("supervision_attendance")
    with op.batch_alter_table("supervision_supervisor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_supervisor_user_id"))
        batch_op.drop_index(batch_op.f("ix_supervision_supervisor_state"))
        batch_op.drop_index(batch_op.f("ix_supervision_supervisor_kind"))

    op.drop_table("supervision_supervisor")
    op.drop_table("supervision_recruitment")
    op.drop_table("supervision_schedule")
