"""The manifest's ledger entry checked: the entry that records an archive (``archives:manifest``) is found by
the project's code and the manifest's hash; its payload is hashed again, its leaf hash recomputed, and, when a
signed tree head covers it, its inclusion proof checked against that head's root (RFC 9162). Used by the
archive page and ``sunshine archive verify``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.archives.bundle import Check
from sunshine.archives.service import LEDGER_KIND
from sunshine.ledger import format as ledger_format
from sunshine.ledger import merkle
from sunshine.ledger import service as ledger
from sunshine.ledger.models import LedgerEntry


@dataclass
class LedgerProof:
    seq: int | None
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return self.seq is not None and all(c.ok for c in self.checks)


def check(session: Session, project_code: str, manifest_sha256: str) -> LedgerProof:
    entries = session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.kind == LEDGER_KIND, LedgerEntry.subject == f"project:{project_code}")
        .order_by(LedgerEntry.seq)
    ).all()
    entry = next((e for e in entries if json.loads(e.payload).get("manifest_sha256") == manifest_sha256), None)
    if entry is None:
        return LedgerProof(None, [Check("留痕记录", False, f"日志中没有项目 {project_code} 记载此清单哈希的归档记录")])
    checks = [Check("留痕记录", True, f"第{entry.seq}号记录（{entry.kind}）记载的清单哈希与压缩包一致")]
    payload_ok = hashlib.sha256(entry.payload.encode()).hexdigest() == entry.payload_sha256
    checks.append(Check("记录内容的哈希", payload_ok, entry.payload_sha256))
    leaf = merkle.leaf_hash(
        ledger_format.leaf_input(
            entry.seq, entry.kind, entry.subject, entry.payload_sha256, ledger_format.iso_utc(entry.recorded_at)
        )
    )
    checks.append(Check("叶子哈希", leaf.hex() == entry.leaf_hash, entry.leaf_hash))
    head = ledger.latest_head(session)
    if head is None or head.size <= entry.seq:
        checks.append(Check("签名树头", True, "尚无覆盖此记录的签名树头（下次签名后可验证包含证明）"))
    else:
        proof = [bytes.fromhex(h) for h in ledger.inclusion_proof(session, entry.seq, head.size)]
        included = merkle.verify_inclusion(leaf, entry.seq, head.size, proof, bytes.fromhex(head.root_hash))
        checks.append(Check("包含证明", included, f"树大小 {head.size}，树根 {head.root_hash}"))
    return LedgerProof(entry.seq, checks)
