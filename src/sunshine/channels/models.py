"""Tables of the channels: e-mail subscriptions (邮件订阅) with their filters, the outbox of mails to
send after the commit, and the record of which item went to which subscription (so each is mailed once).

E-mail addresses live here only: never in the ledger, never on a public page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class Subscription(Base):
    # 邮件订阅 a subscriber's filter; pending until the address is confirmed (double opt-in)
    __tablename__ = "mail_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    categories: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of category codes
    region_codes: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of 行政区划代码
    keywords: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of words
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending | active | unsubscribed
    nonce: Mapped[str] = mapped_column(String(32))  # in every signed link; replaced to revoke old links
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxMail(Base):
    # 待发邮件 a mail written in a unit of work and sent only after it commits
    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # confirm | digest
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_subscription.id", ondelete="SET NULL"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[str] = mapped_column(Text, default="{}")  # JSON: List-Unsubscribe and the like
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a sender is working on it
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))


class Delivery(Base):
    # 推送记录 one published item included in one subscription's mail
    __tablename__ = "mail_delivery"
    __table_args__ = (UniqueConstraint("subscription_id", "item_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("mail_subscription.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(80))
    outbox_id: Mapped[int] = mapped_column(ForeignKey("mail_outbox.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
