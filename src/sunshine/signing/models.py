"""The signing key registry (签名密钥): one row per public key a signer of a market participant registered.

``public_key`` is text in one encoding per algorithm: Ed25519 — the raw 32-byte key in standard base64;
SM2 — the uncompressed point ``04 || x || y`` in lowercase hexadecimal (130 characters). ``fingerprint`` is
SHA-256 over ``algorithm || 0x00 || key bytes`` in hexadecimal (``signing.crypto.fingerprint``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class KeyStatus(StrEnum):
    PENDING = "pending"  # 待审核：登记后等待本单位企业管理员确认
    ACTIVE = "active"  # 有效
    REVOKED = "revoked"  # 已吊销
    SUPERSEDED = "superseded"  # 已被新密钥替换（轮换）

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.value]


STATUS_LABELS = {
    "pending": "待企业管理员确认",
    "active": "有效",
    "revoked": "已吊销",
    "superseded": "已被新密钥替换",
}


class SigningKey(Base):
    # 签名密钥 a signer's public key, registered by the signer and approved by the enterprise administrator
    __tablename__ = "signing_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    algorithm: Mapped[str] = mapped_column(String(10))  # ed25519 | sm2
    public_key: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(500))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("signing_key.id"))
