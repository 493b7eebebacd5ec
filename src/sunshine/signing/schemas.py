"""Pydantic shapes of signing keys: what a signer registers (or rotates to), what a revocation says, and a key as
its organisation reads it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class KeyIn(BaseModel):
    algorithm: str = Field(max_length=10, description="签名算法：ed25519 或 sm2")
    public_key: str = Field(
        max_length=200, description="公钥：Ed25519 为 32 字节 Base64；SM2 为 04 开头的非压缩点十六进制（130 位）"
    )
    label: str = Field(max_length=100, description="密钥名称（便于识别，如“投标专用笔记本”）")


class RevokeIn(BaseModel):
    reason: str = Field(max_length=500, description="吊销原因")


class KeyOut(BaseModel):
    id: int
    algorithm: str
    algorithm_label: str
    public_key: str
    fingerprint: str
    label: str
    status: str
    status_label: str
    signer: str = Field(description="签章人")
    created_at: datetime
    approved_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str | None
    replaces_id: int | None
