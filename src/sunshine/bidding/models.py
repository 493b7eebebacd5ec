"""Tables of sealed bids and their opening: every submitted version of a bid (投标文件), the opening
session of a project (开标), objections raised at the opening (开标异议) and the confirmations of the
officials present.

Before its bidder reveals the key, a bid row holds only what the server may know: the ciphertext's
hash and size, the key commitment and the receipt. The form (price, duration ...) is written here
only when the bid is decrypted at opening.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class Bid(Base):
    # 投标文件 one submitted version of a bidder's sealed bid for a section; the last sealed one counts
    __tablename__ = "bid"
    __table_args__ = (UniqueConstraint("organisation_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bid_no: Mapped[str] = mapped_column(String(40), unique=True)  # public number on the receipt
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    version: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(100))
    ciphertext_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    key_commitment: Mapped[str] = mapped_column(String(64))
    # sealed (counts) | replaced (a later version counts) | withdrawn (撤回, before the deadline)
    status: Mapped[str] = mapped_column(String(20), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)
    receipt: Mapped[str] = mapped_column(Text)  # JSON, signed by the platform key
    # at opening: pending | decrypted | revoked (未解密，投标人原因：视为撤销) | void (未解密，非投标人原因：视为撤回)
    decryption: Mapped[str | None] = mapped_column(String(20))
    decryption_note: Mapped[str | None] = mapped_column(String(500))
    platform_fault: Mapped[str | None] = mapped_column(String(500))  # staff finding: not the bidder's fault
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    price: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    duration_days: Mapped[int | None] = mapped_column(Integer)
    form_json: Mapped[str | None] = mapped_column(Text)
    documents_json: Mapped[str | None] = mapped_column(Text)  # [{name, content_type, size, sha256}]
    # 电子签名: the signer's registered key and the signature over envelope.signed_message (base64)
    signing_key_id: Mapped[int | None] = mapped_column(ForeignKey("signing_key.id"))
    signature: Mapped[str | None] = mapped_column(Text)
    # 电子监察: where the sealed bid came from — the client's IP address as the server saw it, and the hashed
    # hardware identifiers the bidder's client reported (JSON {"mac": [...], "machine": "...", "browser": "..."})
    client_ip: Mapped[str | None] = mapped_column(String(45), index=True)
    device_json: Mapped[str | None] = mapped_column(Text)


class OpeningSession(Base):
    # 开标 the opening of a project's bids at the deadline, in the room and remotely (不见面开标)
    __tablename__ = "opening_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), unique=True)
    # decrypting | recording (解密结束，记录待确认) | published | failed (流标)
    status: Mapped[str] = mapped_column(String(20), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decryption_ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    decryption_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_sections: Mapped[str] = mapped_column(Text, default="[]")  # JSON [{number, reason}]
    # JSON [{reason, from, to, decryption_ends_at}]: decryption interrupted by a platform incident and restarted
    interruptions: Mapped[str | None] = mapped_column(Text)
    record_json: Mapped[str | None] = mapped_column(Text)  # 开标记录 as published
    record_sha256: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    record_ledger_seq: Mapped[int | None] = mapped_column(Integer)
    # 唱标人、记录人、监标人 announced at the opening (seed 003 开标程序（三）), entered by the centre
    reader: Mapped[str | None] = mapped_column(String(60))
    recorder: Mapped[str | None] = mapped_column(String(60))
    overseer: Mapped[str | None] = mapped_column(String(60))


class OpeningConfirmation(Base):
    # 开标记录确认 an official present confirms the record (招标人/代理机构, 交易中心, 监督人员)
    __tablename__ = "opening_confirmation"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("opening_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    capacity: Mapped[str] = mapped_column(String(20))  # party | centre | supervisor
    name: Mapped[str] = mapped_column(String(100))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
