"""API shapes of seals: a document ready to seal, a seal, a verification report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id


class SealIn(BaseModel):
    key_id: Id = Field(description="签章人登记的签名密钥编号")
    document_sha256: str = Field(min_length=64, max_length=64, pattern="^[0-9a-fA-F]{64}$")
    signature: str = Field(min_length=1, max_length=400, description="对签章消息的签名（Base64）")


class SealOut(BaseModel):
    code: str
    kind: str
    kind_label: str
    document_id: int
    document_sha256: str
    title: str
    number: str
    organisation: str
    organisation_credit_code: str
    algorithm: str
    key_fingerprint: str
    signature: str
    sealed_at: datetime
    ledger_seq: int
    verify_url: str


class DocumentOut(BaseModel):
    kind: str
    kind_label: str
    document_id: int
    title: str
    number: str
    issuer: str
    issuer_credit_code: str
    sha256: str
    message: str = Field(description="签章人签署的消息（UTF-8）")
    may_seal: bool
    seals: list[SealOut]


class CheckOut(BaseModel):
    key: str
    label: str
    ok: bool
    detail: str


class VerificationOut(BaseModel):
    ok: bool
    seal: SealOut
    checks: list[CheckOut]
    message: str
    public_key: str | None = Field(description="签章密钥的公钥（Ed25519：Base64；SM2：十六进制）")
    algorithm: str = Field(description="ed25519 或 sm2")
    document_public: bool
    document_url: str | None
    proof: dict[str, Any] | None = Field(description="留痕记录、包含性证明与签名树头")
