"""The seals table: one row per seal put on a document (which document and version hash, which key, the
signature, who sealed it and when, its ledger entry and its public verification code)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class DocumentSeal(Base):
    # 电子签章 a seal on one version (SHA-256) of an issued document
    __tablename__ = "document_seal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # 验证码: the /verify/<code> of its QR code
    kind: Mapped[str] = mapped_column(String(40), index=True)  # registry key: notice, opening_record, ...
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    document_sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    number: Mapped[str] = mapped_column(String(100))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("signing_key.id"), index=True)
    algorithm: Mapped[str] = mapped_column(String(20))
    key_fingerprint: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(Text)  # base64
    signer_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)
