"""Re-derives the whole log from its entries and checks every signed head.

Works on an export file or on the live database. It reports each problem it finds: an entry whose
payload or fields were altered, an entry removed (a gap in the sequence), entries reordered or
back-dated (timestamps running backwards), entries inserted or changed under a signed head (the
recomputed root differs), and heads whose signature does not verify.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sunshine.ledger import format as fmt
from sunshine.ledger import merkle
from sunshine.ledger.signing import public_key_from_raw, verify


@dataclass(frozen=True)
class EntryRecord:
    seq: int
    kind: str
    subject: str
    payload: str
    payload_sha256: str
    recorded_at: str
    leaf_hash: str | None = None


@dataclass(frozen=True)
class HeadRecord:
    size: int
    root_hash: str
    signed_at: str
    key_id: str
    signature: str


@dataclass(frozen=True)
class Problem:
    kind: str  # altered | removed | reordered | inserted | root_mismatch | bad_signature | unknown_key | truncated
    seq: int | None
    message: str


@dataclass
class VerifyReport:
    entries: int = 0
    heads: int = 0
    root: str = merkle.EMPTY_ROOT.hex()
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_log(
    entries: Iterable[EntryRecord], heads: Iterable[HeadRecord], public_key_raw: bytes, *, max_problems: int = 1000
) -> VerifyReport:
    """Check entries (in stored order) and heads against the platform's public key."""
    report = VerifyReport()
    key = public_key_from_raw(public_key_raw)
    key_id = hashlib.sha256(public_key_raw).hexdigest()
    heads_by_size: dict[int, list[HeadRecord]] = {}
    for head in heads:
        heads_by_size.setdefault(head.size, []).append(head)
        report.heads += 1

    problems = report.problems

    def flag(kind: str, seq: int | None, message: str) -> None:
        if len(problems) < max_problems:
            problems.append(Problem(kind, seq, message))

    def check_heads(size: int, root: bytes) -> None:
        for head in heads_by_size.get(size, ()):
            if head.key_id != key_id:
                flag("unknown_key", None, f"树头 {size} 由未知密钥 {head.key_id[:16]}… 签名")
            elif not verify(key, head.signature, fmt.head_message(head.size, head.root_hash, head.signed_at, head.key_id)):
                flag("bad_signature", None, f"树头 {size} 的签名无效（树头被篡改或伪造）")
            if head.root_hash != root.hex():
                flag("root_mismatch", None,
                     f"树头 {size} 的根哈希与重新计算的结果不符：前 {size} 条记录中有记录被修改、删除、插入或调换")

    compact = merkle.CompactRange()
    sha256 = hashlib.sha256
    leaf_prefix = b"\x00"
    expected_seq = 0
    last_time = ""
    check_heads(0, merkle.EMPTY_ROOT)
    for entry in entries:
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                flag("removed", expected_seq, f"记录 {expected_seq}–{entry.seq - 1} 缺失（被删除）")
            else:
                flag("inserted", entry.seq, f"记录序号 {entry.seq} 重复或顺序错乱")
            expected_seq = entry.seq
        if sha256(entry.payload.encode()).hexdigest() != entry.payload_sha256:
            flag("altered", entry.seq, f"记录 {entry.seq} 的内容与其摘要不符（内容被修改）")
        leaf = sha256(
            leaf_prefix + fmt.leaf_input(entry.seq, entry.kind, entry.subject, entry.payload_sha256, entry.recorded_at)
        ).digest()
        if entry.leaf_hash is not None and entry.leaf_hash != leaf.hex():
            flag("altered", entry.seq, f"记录 {entry.seq} 的字段与其叶子哈希不符（类型、对象、摘要或时间被修改）")
        if entry.recorded_at < last_time:
            flag("reordered", entry.seq, f"记录 {entry.seq} 的时间早于前一条（顺序被调换或时间被倒签）")
        last_time = entry.recorded_at
        compact.append(leaf)
        expected_seq += 1
        report.entries += 1
        if expected_seq in heads_by_size:
            check_heads(expected_seq, compact.root())
    for size in sorted(s for s in heads_by_size if s > expected_seq):
        flag("truncated", size, f"树头 {size} 覆盖的记录在日志中缺失（日志被截断，末尾记录被删除）")
    report.root = compact.root().hex()
    return report


def records_from_rows(rows: Iterable) -> Iterator[EntryRecord]:
    for row in rows:
        yield EntryRecord(
            seq=row.seq,
            kind=row.kind,
            subject=row.subject,
            payload=row.payload,
            payload_sha256=row.payload_sha256,
            recorded_at=fmt.iso_utc(row.recorded_at),
            leaf_hash=row.leaf_hash,
        )


def decode_key(b64: str) -> bytes:
    return base64.b64decode(b64)
