"""Re-derives the whole log from its entries and checks every signed head.

Works on an export file or on the live database. It reports each problem it finds:

* ``altered``: an entry whose payload no longer matches its digest, or whose fields no longer match
  its stored leaf hash;
* ``removed``: a gap in the sequence, or entries renumbered downwards (their stored leaf hashes were
  computed for higher sequence numbers);
* ``inserted``: a repeated or backwards sequence number, or entries renumbered upwards (their stored
  leaf hashes were computed for lower sequence numbers);
* ``reordered``: timestamps running backwards (entries swapped or back-dated), or two entries whose
  stored leaf hashes show they traded places;
* ``root_mismatch``: a signed head whose root differs from the recomputed one. This is what still
  catches an attacker who recomputes every digest and leaf hash consistently;
* ``bad_signature`` / ``unknown_key``: a head whose signature does not verify, or that names a key
  other than the platform's;
* ``truncated``: a signed head covering more entries than the log holds (entries removed at the end).

Entries appended after the last signed head are covered by no signature: they can only be checked
for internal consistency until the next head is signed.
"""

from __future__ import annotations

import base64
import hashlib
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from sunshine.ledger import format as fmt
from sunshine.ledger import merkle
from sunshine.ledger.signing import public_key_from_raw, verify

# How far from its position an entry's stored leaf hash is searched for the sequence number it was
# recorded under (only for entries whose leaf hash does not match, and only for the first
# ``max_problems`` of them).
MOVE_WINDOW = 64


class EntryRecord(NamedTuple):
    """One entry as the verifier reads it. A plain tuple in this order (a database row, an export line) is
    accepted as well: the verification unpacks by position and builds no object per entry."""

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
    # altered | removed | reordered | inserted | root_mismatch | bad_signature | unknown_key | truncated |
    # signed_early | head_time (the time rules)
    kind: str
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


def _recorded_seq(entry: EntryRecord, hint: int | None) -> int | None:
    """The sequence number the entry's stored leaf hash was computed for, if it is near its position.

    ``hint`` (the previous moved entry's recorded number plus one) is tried first, so a long run of
    renumbered entries costs one extra hash each.
    """
    seq = entry.seq
    candidates = [] if hint is None else [hint]
    for d in range(1, MOVE_WINDOW + 1):
        candidates.append(seq - d)
        candidates.append(seq + d)
    for candidate in candidates:
        if candidate < 0 or candidate == seq:
            continue
        data = fmt.leaf_input(candidate, entry.kind, entry.subject, entry.payload_sha256, entry.recorded_at)
        if merkle.leaf_hash(data).hex() == entry.leaf_hash:
            return candidate
    return None


def _classify_moves(runs: list[list[int]]) -> list[Problem]:
    """Turn runs of moved entries into problems: swaps, insertions, removals.

    A run is ``[first position, last position, shift]``: consecutive entries whose stored leaf hashes
    were computed for ``position - shift``. Two runs that map onto each other are a swap
    (``reordered``); a run recorded under lower numbers means entries were inserted before it,
    under higher numbers that entries before it were removed and the rest renumbered.
    """
    by_start = {(start, end, shift): i for i, (start, end, shift) in enumerate(runs)}
    paired: set[int] = set()
    problems: list[Problem] = []
    for i, (start, end, shift) in enumerate(runs):
        if i in paired:
            continue
        partner = by_start.get((start - shift, end - shift, -shift))
        if partner is not None and partner not in paired and partner != i:
            paired.update((i, partner))
            other = start - shift
            if start == end:
                text = f"记录 {start} 与记录 {other} 的内容被调换（叶子哈希表明它们原在对方的位置）"
            else:
                text = f"记录 {start}–{end} 与记录 {other}–{other + end - start} 的内容被调换"
            problems.append(Problem("reordered", min(start, other), text))
            continue
        span = f"记录 {start}" if start == end else f"记录 {start}–{end}"
        was = f"第 {start - shift} 条" if start == end else f"第 {start - shift}–{end - shift} 条"
        if shift > 0:
            problems.append(
                Problem(
                    "inserted",
                    start,
                    f"{span}的内容完好，但叶子哈希表明原为{was}：其前被插入了 {shift} 条记录（后续序号被后移）",
                )
            )
        else:
            problems.append(
                Problem(
                    "removed",
                    start,
                    f"{span}的内容完好，但叶子哈希表明原为{was}：其前有 {-shift} 条记录被删除（后续序号被前移）",
                )
            )
    return problems


def verify_log(
    entries: Iterable[EntryRecord],
    heads: Iterable[HeadRecord],
    public_key_raw: bytes,
    *,
    max_problems: int = 1000,
) -> VerifyReport:
    """Check entries (in stored order) and heads against the platform's public key.

    Every head's signature is checked, whatever entries there are; every head's root is compared
    with the root recomputed over the entries in front of it. Problems come back ordered by the
    sequence number they concern, head problems (``seq`` None) last.
    """
    report = VerifyReport()
    key = public_key_from_raw(public_key_raw)
    key_id = hashlib.sha256(public_key_raw).hexdigest()
    problems: list[Problem] = []

    def flag(kind: str, seq: int | None, message: str) -> None:
        if len(problems) < max_problems:
            problems.append(Problem(kind, seq, message))

    heads_by_size: dict[int, list[HeadRecord]] = {}
    for head in heads:
        heads_by_size.setdefault(head.size, []).append(head)
        report.heads += 1
        if head.key_id != key_id:
            flag("unknown_key", None, f"树头 {head.size} 由未知密钥 {head.key_id[:16]}… 签名")
        elif not verify(key, head.signature, fmt.head_message(head.size, head.root_hash, head.signed_at, head.key_id)):
            flag("bad_signature", None, f"树头 {head.size} 的签名无效（树头被篡改或伪造）")
    head_sizes = sorted(heads_by_size)
    head_sizes.append(sys.maxsize)  # sentinel, never reached
    next_head = 0  # index into head_sizes

    def check_roots(size: int, root: bytes | None) -> None:
        for head in heads_by_size[size]:
            if root is None or head.root_hash != root.hex():
                flag(
                    "root_mismatch",
                    None,
                    f"树头 {size} 的根哈希与重新计算的结果不符：前 {size} 条记录中有记录被修改、删除、插入或调换",
                )
            elif size and head.signed_at < last_time:  # time rule 1 (docs/ledger.md): signed after what it covers
                flag("signed_early", None, f"树头 {size} 的签名时间 {head.signed_at} 早于其覆盖的最后一条记录的时间")

    # The compact range is inlined (see merkle.CompactRange.append): this loop is the cost of a
    # verification, so it avoids per-entry calls. ``n`` counts leaves hashed, ``expected`` is the
    # sequence number the next entry should carry; they differ only after a gap or a repeat.
    # (Checking chunks of entries with C-level map() pipelines was tried: gathering the fields
    # costs more than the bytecode it saves, hashing being most of the work either way.)
    sha256 = hashlib.sha256
    node_prefix = b"\x01"
    prefix = "\x00" + fmt.LOG_ID + "|"  # leaf prefix + leaf input; "\x00" encodes to the byte 0x00
    stack: list[bytes] = []
    push = stack.append
    pop = stack.pop
    n = 0
    expected = 0
    last_time = ""
    runs: list[list[int]] = []  # moved entries, see _classify_moves
    searches = max_problems
    hint: int | None = None

    def root_of(size: int, n: int) -> bytes | None:
        if n != size:
            return None
        if not stack:
            return merkle.EMPTY_ROOT
        r = stack[-1]
        for i in range(len(stack) - 2, -1, -1):
            r = sha256(node_prefix + stack[i] + r).digest()
        return r

    if head_sizes[0] == 0:
        check_roots(0, merkle.EMPTY_ROOT)
        next_head = 1
    due = head_sizes[next_head]

    for entry in entries:
        seq, kind, subject, payload, digest, recorded_at, stored = entry
        if seq != expected:
            if seq > expected:
                span = f"{expected}" if seq - 1 == expected else f"{expected}–{seq - 1}"
                flag("removed", expected, f"记录 {span} 缺失（被删除）")
            else:
                flag("inserted", seq, f"记录序号 {seq} 重复或顺序错乱")
            expected = seq
        if sha256(payload.encode()).hexdigest() != digest:
            flag("altered", seq, f"记录 {seq} 的内容与其摘要不符（内容被修改）")
        h = sha256(f"{prefix}{seq}|{kind}|{subject}|{digest}|{recorded_at}".encode()).digest()
        if stored is not None and stored != h.hex():
            recorded = None
            if searches > 0:
                searches -= 1
                recorded = _recorded_seq(EntryRecord(*entry), hint)
            if recorded is None:
                hint = None
                flag("altered", seq, f"记录 {seq} 的字段与其叶子哈希不符（类型、对象、摘要或时间被修改）")
            else:
                hint = recorded + 1
                searches += 1  # a renumbered run costs one hash per entry; do not exhaust the budget
                shift = seq - recorded
                if runs and runs[-1][1] == seq - 1 and runs[-1][2] == shift:
                    runs[-1][1] = seq
                elif len(runs) < max_problems:
                    runs.append([seq, seq, shift])
        if recorded_at < last_time:
            flag("reordered", seq, f"记录 {seq} 的时间早于前一条（顺序被调换或时间被倒签）")
        last_time = recorded_at
        k = n
        n += 1
        while k & 1:
            h = sha256(node_prefix + pop() + h).digest()
            k >>= 1
        push(h)
        expected += 1
        if expected >= due:
            # Heads whose size was jumped over by a gap cannot match: entries they cover are missing.
            while due <= expected:
                check_roots(due, root_of(due, n) if due == expected else None)
                next_head += 1
                due = head_sizes[next_head]

    report.entries = n
    # time rule 2: heads in size order are in time order
    earlier = None
    for size in head_sizes[:-1]:
        for head in heads_by_size[size]:
            if earlier is not None and head.signed_at < earlier.signed_at:
                flag("head_time", None, f"树头 {size} 的签名时间早于较小的树头 {earlier.size}（树头时间倒流）")
            earlier = head
    for size in head_sizes[next_head:-1]:
        flag("truncated", size, f"树头 {size} 覆盖的记录在日志中缺失（日志被截断，末尾记录被删除）")
    for problem in _classify_moves(runs):
        flag(problem.kind, problem.seq, problem.message)
    report.root = (root_of(n, n) or merkle.EMPTY_ROOT).hex()
    problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    report.problems = problems
    return report


def records_from_rows(rows: Iterable) -> Iterator[EntryRecord]:
    iso = fmt.iso_utc
    for row in rows:
        yield EntryRecord(
            seq=row.seq,
            kind=row.kind,
            subject=row.subject,
            payload=row.payload,
            payload_sha256=row.payload_sha256,
            recorded_at=iso(row.recorded_at),
            leaf_hash=row.leaf_hash,
        )


def decode_key(b64: str) -> bytes:
    return base64.b64decode(b64)
