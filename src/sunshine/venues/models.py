"""Tables of the centre's rooms (场室) and their bookings (场地预约).

A ``Room`` is one room the centre runs: its kind (开标室, 评标室, 抽取室, 谈判室, 拍卖厅), seats, observer seats
and equipment; ``lock_version`` is bumped by every booking so that two bookings of the same room wait on each
other (the room's row is the lock on both databases). A ``Booking`` holds a room from ``starts_at`` to
``ends_at`` for a session (``purpose``) of a project, or for another use the centre enters; a released booking
stays as history. One active booking per ``subject`` (a project's opening, a draw request's evaluation).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class Room(Base):
    # 场室 a room of the centre
    __tablename__ = "venue_room"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)  # 第一开标室
    kind: Mapped[str] = mapped_column(String(20), index=True)  # opening evaluation draw negotiation auction
    location: Mapped[str] = mapped_column(String(200))  # 楼层与区域
    capacity: Mapped[int] = mapped_column(Integer)  # 座位数（参会人员）
    observer_seats: Mapped[int] = mapped_column(Integer, default=0)  # 旁听（观摩）席位
    equipment: Mapped[str] = mapped_column(Text, default="")  # 设备，以顿号分隔：音视频监控、电子开标系统
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    lock_version: Mapped[int] = mapped_column(Integer, default=0)  # bumped by each booking: the room's lock
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Booking(Base):
    # 场地预约 a room held for a session
    __tablename__ = "venue_booking"
    __table_args__ = (
        Index(
            "uq_venue_booking_active_subject",
            "subject",
            unique=True,
            sqlite_where=text("state = 'booked'"),
            postgresql_where=text("state = 'booked'"),
        ),
        Index("ix_venue_booking_room_span", "room_id", "starts_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("venue_room.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # opening evaluation draw negotiation auction other
    subject: Mapped[str] = mapped_column(String(80))  # project:<code>:opening, committee-request:<id>, manual:<n>
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))  # shown on the public schedule
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20), index=True)  # booked | released
    booked_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # none: booked by a step's hook
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    release_reason: Mapped[str | None] = mapped_column(Text)
