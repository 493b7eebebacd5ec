"""The sealed-bid format, shared by the command line, the browser page (WebCrypto) and the server.

A bid package (the bid form plus its documents, as JSON) is encrypted on the bidder's machine with a
fresh AES-256-GCM content key. The server receives only::

    b"SSB1" || nonce (12 bytes) || AES-256-GCM ciphertext with its 16-byte tag

and, beside it, the key commitment ``SHA-256("sunshine-bid-key/1" || 0x00 || key)``. The additional
authenticated data binds the ciphertext to one project, section and bidder, so a sealed bid cannot be
replayed elsewhere. The commitment is checked when the key is revealed at opening: AES-GCM alone is not
key-committing, and without it a bidder could craft one ciphertext that opens to two different prices
under two keys and choose between them after seeing the others (docs/bidding.md).

The bid is signed (电子签名) by a signer of the bidder with a key registered in ``sunshine.signing`` over one
canonical message, 121 bytes::

    b"sunshine-bid-signature/1" || 0x00 || SHA-256(sealed bytes) || SHA-256(AAD) || key commitment (32 bytes)

(``signed_message``). It names the exact ciphertext, the project, section and bidder it is bound to, and the
content key the bidder will reveal at opening, so changing any of them breaks the signature; the signer signs
without the server ever seeing the content. The browser page and ``sunshine bid submit --key`` build the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT = "sunshine-sealed-bid/1"
MAGIC = b"SSB1"
NONCE_BYTES = 12
KEY_BYTES = 32
TAG_BYTES = 16
COMMITMENT_PREFIX = b"sunshine-bid-key/1\x00"
SIGNATURE_PREFIX = b"sunshine-bid-signature/1\x00"
MAX_PRICE = Decimal("9999999999999999.99")


class EnvelopeError(ValueError):
    """The sealed bytes, the key or the package inside are not what the format says (message in Chinese)."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def key_to_text(key: bytes) -> str:
    return key.hex()


def key_from_text(text: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except (ValueError, AttributeError):
        raise EnvelopeError("解密密钥应为 64 位十六进制字符") from None
    if len(key) != KEY_BYTES:
        raise EnvelopeError("解密密钥应为 64 位十六进制字符（256 位）")
    return key


def key_commitment(key: bytes) -> str:
    return hashlib.sha256(COMMITMENT_PREFIX + key).hexdigest()


def binding(project_code: str, section_number: int, credit_code: str) -> bytes:
    """The additional authenticated data: which project, section and bidder the sealed bid is for."""
    return f"{FORMAT}|{project_code}|{section_number}|{credit_code}".encode()


def signed_message(sealed: bytes, aad: bytes, key_commitment: str) -> bytes:
    """The bytes a signer signs for a sealed bid (see the module's docstring)."""
    return message_for_digest(hashlib.sha256(sealed).hexdigest(), aad, key_commitment)


def message_for_digest(ciphertext_sha256: str, aad: bytes, key_commitment: str) -> bytes:
    """``signed_message`` from the ciphertext's SHA-256 (hex), as a receipt or the opening record carries it."""
    try:
        digest, commitment = bytes.fromhex(ciphertext_sha256), bytes.fromhex(key_commitment)
    except ValueError:
        raise EnvelopeError("密文哈希和密钥承诺应为 64 位十六进制 SHA-256 值") from None
    if len(digest) != 32 or len(commitment) != 32:
        raise EnvelopeError("密文哈希和密钥承诺应为 64 位十六进制 SHA-256 值")
    return SIGNATURE_PREFIX + digest + hashlib.sha256(aad).digest() + commitment


def seal(plaintext: bytes, key: bytes, aad: bytes, *, nonce: bytes | None = None) -> bytes:
    nonce = nonce or os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def check_shape(sealed: bytes) -> None:
    """What the server can check without the key: the header and a length that can hold a tag."""
    if not sealed.startswith(MAGIC):
        raise EnvelopeError("不是本平台格式的加密投标文件（文件头应为 SSB1）；请使用投标页面或 sunshine bid seal 加密")
    if len(sealed) < len(MAGIC) + NONCE_BYTES + TAG_BYTES + 1:
        raise EnvelopeError("加密投标文件不完整")


def open_sealed(sealed: bytes, key: bytes, aad: bytes) -> bytes:
    check_shape(sealed)
    nonce = sealed[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, sealed[len(MAGIC) + NONCE_BYTES :], aad)
    except InvalidTag:
        raise EnvelopeError("密钥与加密投标文件不匹配，或文件不是为本项目、本标段、本投标人加密的") from None


# --------------------------------------------------------------------------- the package inside


@dataclass(frozen=True)
class Document:
    name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class BidForm:
    """投标函 the structured part of a bid: what the opening record reads out."""

    price: Decimal  # 投标报价（元）
    duration_days: int | None = None  # 工期/交货期（日历天）
    quality: str = ""  # 质量承诺
    commitments: str = ""  # 其他承诺（服务承诺等）
    # 拟派项目经理 {"registration_number", "name"}, chosen from the enterprise's personnel; absent in older bids
    project_manager: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "price": f"{self.price:.2f}",
            "duration_days": self.duration_days,
            "quality": self.quality,
            "commitments": self.commitments,
        }
        if self.project_manager:
            out["project_manager"] = dict(self.project_manager)
        return out


@dataclass(frozen=True)
class Package:
    form: BidForm
    documents: list[Document] = field(default_factory=list)


def parse_price(value: Any) -> Decimal:
    try:
        price = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise EnvelopeError("投标报价应为以元为单位的数字") from None
    if not price.is_finite() or price <= 0 or price > MAX_PRICE:
        raise EnvelopeError("投标报价应大于 0 且在合理范围内")
    if price != price.quantize(Decimal("0.01")):
        raise EnvelopeError("投标报价最多保留两位小数（元、角、分）")
    return price.quantize(Decimal("0.01"))


def parse_project_manager(value: Any) -> dict[str, str] | None:
    """拟派项目经理: registration number and name, both short text; nothing named is None."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict):
        raise EnvelopeError("拟派项目经理应包含注册编号和姓名")
    number, name = str(value.get("registration_number") or "").strip(), str(value.get("name") or "").strip()
    if not number and not name:
        return None
    if not (1 <= len(number) <= 40 and 1 <= len(name) <= 50):
        raise EnvelopeError("拟派项目经理须同时写明注册编号（不超过 40 字）和姓名（不超过 50 字）")
    return {"registration_number": number, "name": name}


def make_form(
    price: Any, duration_days: Any = None, quality: str = "", commitments: str = "", project_manager: Any = None
) -> BidForm:
    if duration_days in ("", None):
        duration = None
    else:
        try:
            duration = int(duration_days)
        except (TypeError, ValueError):
            raise EnvelopeError("工期应为整数（日历天）") from None
        if not 0 < duration <= 36500:
            raise EnvelopeError("工期应在 1 到 36500 日历天之间")
    for label, text in (("质量承诺", quality), ("其他承诺", commitments)):
        if not isinstance(text, str) or len(text) > 2000:
            raise EnvelopeError(f"{label}应为不超过 2000 字的文字")
    return BidForm(
        parse_price(price), duration, quality.strip(), commitments.strip(), parse_project_manager(project_manager)
    )


def build_package(form: BidForm, documents: list[Document]) -> bytes:
    return json.dumps(
        {
            "format": FORMAT,
            "form": form.as_dict(),
            "documents": [
                {"name": d.name, "content_type": d.content_type, "data": base64.b64encode(d.data).decode()}
                for d in documents
            ],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def parse_package(plaintext: bytes) -> Package:
    try:
        doc = json.loads(plaintext)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise EnvelopeError("解密后的投标文件不是本平台的投标文件格式") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("form"), dict):
        raise EnvelopeError("解密后的投标文件缺少投标函（form）或格式标识")
    form = doc["form"]
    parsed = make_form(
        form.get("price"),
        form.get("duration_days"),
        form.get("quality") or "",
        form.get("commitments") or "",
        form.get("project_manager"),
    )
    documents = []
    for item in doc.get("documents") or []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise EnvelopeError("投标文件附件格式不正确")
        try:
            data = base64.b64decode(item.get("data") or "", validate=True)
        except (binascii.Error, ValueError):
            raise EnvelopeError(f"附件“{item['name']}”的内容不是有效的 base64") from None
        documents.append(
            Document(item["name"][:255], str(item.get("content_type") or "application/octet-stream")[:100], data)
        )
    return Package(parsed, documents)
