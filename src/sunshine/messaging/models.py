"""Tables of the message gateway: each person's inbox (站内消息, per user — the organisation's 站内通知 is
``trading.models.Message``), the queue of SMS and voice deliveries sent after the commit, and what the
simulated gateway "received".

Phone numbers live in ``message_delivery`` and ``message_gateway_record`` only: never in the ledger, never
on a page unmasked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class InboxMessage(Base):
    # 站内消息 a platform message to one person
    __tablename__ = "inbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # a registered kind (messaging.service.KINDS)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Delivery(Base):
    # 短信/语音待发 one SMS or voice call, written in a unit of work and handed to the gateway after it commits
    __tablename__ = "message_delivery"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_message.id", ondelete="SET NULL"), index=True)
    # none: a number without an account (an applicant entered by staff from a paper form)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))  # sms | voice
    phone: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)  # content never shown on staff pages
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a sender is working on it
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    gateway: Mapped[str | None] = mapped_column(String(60))  # the gateway that accepted it
    gateway_ref: Mapped[str | None] = mapped_column(String(100))  # the gateway's reference for it
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))


class GatewayRecord(Base):
    # 模拟网关记录 what the simulated SMS/voice gateway received (tests and the demo read texts here)
    __tablename__ = "message_gateway_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("message_delivery.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    phone: Mapped[str] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
