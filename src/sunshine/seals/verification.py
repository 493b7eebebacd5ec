"""Verifying a seal on the server, as the public /verify/<code> page and its JSON show it:

(a) the seal — the document rendered afresh still has the sealed SHA-256, the signature verifies against the
    registered key, and that key was in force (registered, not revoked) when the seal was made;
(b) the ledger — the seal's entry is the one recorded for it, and its inclusion proof leads to a signed tree
    head whose Ed25519 signature verifies with the platform's key.

The browser repeats (a)'s signature and hash and all of (b) with ``web/static/js/ledger-verify.js``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from sunshine.core.errors import NotFound
from sunshine.ledger import format as fmt
from sunshine.ledger import merkle
from sunshine.ledger import service as ledger
from sunshine.ledger.signing import platform_key, public_key_from_raw
from sunshine.ledger.signing import verify as verify_head_signature
from sunshine.seals import registry
from sunshine.seals.models import DocumentSeal
from sunshine.signing import crypto
from sunshine.signing import service as signing
from sunshine.signing.models import SigningKey


def _raw(signature: str) -> bytes:
    try:
        return base64.b64decode(signature, validate=True)
    except ValueError:
        return b""


@dataclass(frozen=True)
class Check:
    key: str  # document | signature | key_status | ledger
    label: str
    ok: bool
    detail: str


@dataclass
class Report:
    seal: DocumentSeal
    rendered: registry.Rendered | None
    key: SigningKey | None
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def key_in_force(key: SigningKey, row: DocumentSeal) -> tuple[bool, str]:
    """Whether the key was approved and not revoked or superseded at the moment of sealing."""
    if signing.valid_at(key, row.sealed_at):
        if key.revoked_at is not None:
            return True, "签章时密钥有效（该密钥此后已停用，不影响此前的签章）"
        return True, "签章时密钥有效"
    if key.approved_at is None or key.approved_at > row.sealed_at:
        return False, "签章时该密钥尚未经企业管理员确认"
    return False, "签章时该密钥已被吊销或已被替换"


def _document_check(session: Session, row: DocumentSeal) -> tuple[Check, registry.Rendered | None]:
    kind = registry.KINDS.get(row.kind)
    try:
        rendered = kind.render(session, row.document_id) if kind else None
    except NotFound:
        rendered = None
    if rendered is None:
        return Check("document", "文书内容", False, "文书已不存在，无法核对"), None
    if rendered.sha256() != row.document_sha256:
        return Check("document", "文书内容", False, "文书内容已被改动：现在的文书与签章时的文书不一致"), rendered
    return Check("document", "文书内容", True, "文书内容与签章时一致（SHA-256 相同）"), rendered


def _signature_check(row: DocumentSeal, rendered: registry.Rendered | None, key: SigningKey | None) -> Check:
    if key is None:
        return Check("signature", "签名", False, "签章所用的密钥未登记")
    credit_code = rendered.issuer_credit_code if rendered else ""
    message = registry.seal_message(row.kind, row.document_id, row.document_sha256, credit_code)
    if crypto.verify(row.algorithm, key.public_key, message, _raw(row.signature)):
        return Check("signature", "签名", True, f"签名有效（{algorithm_label(row.algorithm)}）")
    return Check("signature", "签名", False, "签名无效：签名与登记的公钥或文书不符")


def ledger_proof(session: Session, seq: int) -> dict[str, Any] | None:
    """The entry, its inclusion proof and the signed head it leads to (None if no head covers it yet)."""
    head = ledger.latest_head(session)
    if head is None or head.size <= seq:
        return None
    entry = ledger.get_entry(session, seq)
    return {
        "seq": seq,
        "payload": entry.payload,
        "leaf_input": fmt.leaf_input(
            entry.seq, entry.kind, entry.subject, entry.payload_sha256, fmt.iso_utc(entry.recorded_at)
        ).decode(),
        "leaf_hash": entry.leaf_hash,
        "audit_path": ledger.inclusion_proof(session, seq, head.size),
        "head": head.as_dict(),
    }


def check_proof(proof: dict[str, Any]) -> tuple[bool, str]:
    """The same checks as the browser module: payload digest, leaf hash, inclusion, head signature."""
    parts = proof["leaf_input"].split("|")
    if hashlib.sha256(proof["payload"].encode()).hexdigest() != parts[4]:
        return False, "留痕记录的内容与其摘要不符"
    leaf = merkle.leaf_hash(proof["leaf_input"].encode())
    if leaf.hex() != proof["leaf_hash"]:
        return False, "留痕记录的叶子哈希不符"
    head = proof["head"]
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    if not merkle.verify_inclusion(leaf, proof["seq"], head["size"], path, bytes.fromhex(head["root_hash"])):
        return False, "包含性证明不成立：该记录不在签名树头所承诺的日志中"
    key = platform_key()
    message = fmt.head_message(head["size"], head["root_hash"], head["signed_at"], head["key_id"])
    if head["key_id"] != key.key_id or not verify_head_signature(
        public_key_from_raw(key.public_bytes), head["signature"], message
    ):
        return False, "签名树头的签名无效"
    return True, f"第 {proof['seq']} 号留痕记录已被第 {head['size']} 号签名树头覆盖，包含性证明成立"


def _ledger_check(session: Session, row: DocumentSeal) -> tuple[Check, dict[str, Any] | None]:
    proof = ledger_proof(session, row.ledger_seq)
    if proof is None:
        return Check("ledger", "全程留痕", False, "该签章尚未被签名树头覆盖，请稍后再验证"), None
    payload = json.loads(proof["payload"])
    if (
        payload.get("seal") != row.code
        or payload.get("signature") != row.signature
        or payload.get("document_sha256") != row.document_sha256
    ):
        return Check("ledger", "全程留痕", False, "留痕记录与签章不符：签章在记入留痕后被改动"), proof
    ok, detail = check_proof(proof)
    return Check("ledger", "全程留痕", ok, detail), proof


def verify(session: Session, row: DocumentSeal) -> tuple[Report, dict[str, Any] | None]:
    key = session.get(SigningKey, row.key_id)
    document, rendered = _document_check(session, row)
    report = Report(row, rendered, key)
    report.checks.append(document)
    report.checks.append(_signature_check(row, rendered, key))
    if key is None:
        report.checks.append(Check("key_status", "签章密钥", False, "签章所用的密钥未登记"))
    else:
        ok, detail = key_in_force(key, row)
        report.checks.append(Check("key_status", "签章密钥", ok, detail))
    ledger_check, proof = _ledger_check(session, row)
    report.checks.append(ledger_check)
    return report, proof


def algorithm_label(algorithm: str) -> str:
    return crypto.ALGORITHM_LABELS.get(algorithm, algorithm)
