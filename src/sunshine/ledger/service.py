"""Appending to the transparency log, signing tree heads and serving proofs.

``append`` runs inside the caller's transaction: the entry commits with the change it records, or
neither does. Appends are serialised by locking the single ``ledger_state`` row, which also holds
the compact range, so the new root is known without reading the whole log.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sunshine.core import clock, pagination
from sunshine.core.errors import InvalidInput, NotFound
from sunshine.ledger import format as fmt
from sunshine.ledger import merkle
from sunshine.ledger.models import LedgerEntry, LedgerNode, LedgerState, TreeHead
from sunshine.ledger.signing import SigningKey, platform_key


@dataclass(frozen=True)
class Head:
    size: int
    root_hash: str
    signed_at: str
    key_id: str
    signature: str

    @classmethod
    def of(cls, row: TreeHead) -> Head:
        return cls(row.size, row.root_hash, fmt.iso_utc(row.signed_at), row.key_id, row.signature)

    def as_dict(self) -> dict[str, Any]:
        return {
            "log_id": fmt.LOG_ID,
            "size": self.size,
            "root_hash": self.root_hash,
            "signed_at": self.signed_at,
            "key_id": self.key_id,
            "signature": self.signature,
        }


def _locked_state(session: Session) -> LedgerState:
    state = session.scalar(select(LedgerState).where(LedgerState.id == 1).with_for_update())
    if state is None:
        state = LedgerState(id=1, size=0, compact_range="[]")
        session.add(state)
        session.flush()
    return state


def _compact_range(state: LedgerState) -> merkle.CompactRange:
    hashes = [bytes.fromhex(h) for h in json.loads(state.compact_range)]
    return merkle.CompactRange.restore(state.size, hashes)


# Column widths of ledger_entry (PostgreSQL enforces them; TOKEN_PATTERN alone allows 200 characters).
_MAX_LENGTH = {name: LedgerEntry.__table__.c[name].type.length for name in ("kind", "subject")}
# seq and size are INTEGER columns; larger numbers cannot name a row (and overflow SQLite's driver).
MAX_INDEX = 2**31 - 1
HEADS_ORDER = pagination.Keyset.of("ledger-heads", pagination.Key(TreeHead.size, descending=False))


def _canonical(kind: str, subject: str, payload: dict[str, Any]) -> bytes:
    """The entry's fields checked, and its payload's RFC 8785 text (refused with 422 when it has none)."""
    for name, value in (("kind", kind), ("subject", subject)):
        if not isinstance(value, str) or not fmt.TOKEN_PATTERN.match(value) or len(value) > _MAX_LENGTH[name]:
            raise InvalidInput(f"留痕记录的{name}格式不正确：{value!r}")
    try:
        return fmt.canonical_payload(payload)
    except ValueError as exc:  # rfc8785.CanonicalizationError: NaN, integers beyond 2**53, bad keys ...
        raise InvalidInput(f"留痕记录的内容无法按 RFC 8785 规范化：{exc}") from None


def _grow(
    session: Session, items: list[tuple[str, str, bytes]]
) -> tuple[LedgerState, list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of entries (and the perfect-subtree nodes they complete) for ``items`` — (kind, subject,
    canonical payload) in order — appended after the locked state's last entry, and the state advanced.

    ``recorded_at`` never runs backwards: if the clock is behind the previous entry (a clock step,
    or two servers whose clocks differ), the previous entry's time is used, so that the verifier's
    back-dating check cannot fire on an untouched log.
    """
    state = _locked_state(session)
    recorded_at = clock.now()
    if state.size:
        previous = session.scalar(select(LedgerEntry.recorded_at).where(LedgerEntry.seq == state.size - 1))
        if previous is not None and previous > recorded_at:
            recorded_at = previous
    at = fmt.iso_utc(recorded_at)
    compact = _compact_range(state)
    entries: list[dict[str, Any]] = []
    nodes: list[dict[str, Any]] = []
    for kind, subject, canonical in items:
        seq = compact.size
        digest = fmt.payload_digest(canonical)
        leaf = merkle.leaf_hash(fmt.leaf_input(seq, kind, subject, digest, at))
        for level, index, h in compact.append_collecting(leaf):
            nodes.append({"level": level, "index": index, "hash": h.hex()})
        entries.append(
            {
                "seq": seq,
                "kind": kind,
                "subject": subject,
                "payload": canonical.decode(),
                "payload_sha256": digest,
                "recorded_at": recorded_at,
                "leaf_hash": leaf.hex(),
            }
        )
    state.size = compact.size
    state.compact_range = json.dumps([h.hex() for h in compact.hashes])
    return state, entries, nodes


def append(session: Session, kind: str, subject: str, payload: dict[str, Any]) -> LedgerEntry:
    """Record an event in the log, in the caller's transaction (see ``_grow`` for its time)."""
    canonical = _canonical(kind, subject, payload)
    _, (row,), nodes = _grow(session, [(kind, subject, canonical)])
    entry = LedgerEntry(**row)
    session.add(entry)
    session.add_all(LedgerNode(**node) for node in nodes)
    session.flush()
    return entry


def append_many(session: Session, items: Sequence[tuple[str, str, dict[str, Any]]]) -> list[int]:
    """Record several events — (kind, subject, payload) in order — in the caller's transaction, as ``append``
    would one after the other, at the cost of one: the state is locked and read once, the entries and nodes
    are inserted in two statements. Every item is checked before anything is written (422 on the first bad
    one, nothing appended). Returns their sequence numbers."""
    prepared = [(kind, subject, _canonical(kind, subject, payload)) for kind, subject, payload in items]
    if not prepared:
        return []
    _, entries, nodes = _grow(session, prepared)
    session.execute(insert(LedgerEntry), entries)
    if nodes:
        session.execute(insert(LedgerNode), nodes)
    session.flush()
    return [row["seq"] for row in entries]


def sign_head(session: Session, key: SigningKey | None = None) -> Head:
    """Sign the current tree head (or return the existing head if the tree has not grown)."""
    key = key or platform_key()
    state = _locked_state(session)
    existing = session.get(TreeHead, state.size)
    if existing is not None:
        return Head.of(existing)
    root = _compact_range(state).root().hex()
    signed_at = signing_time(session, state.size)
    signature = key.sign(fmt.head_message(state.size, root, fmt.iso_utc(signed_at), key.key_id))
    row = TreeHead(size=state.size, root_hash=root, signed_at=signed_at, key_id=key.key_id, signature=signature)
    session.add(row)
    session.flush()
    return Head.of(row)


def signing_time(session: Session, size: int) -> datetime:
    """The time a head of ``size`` entries is signed at, by the log's time rules (docs/ledger.md): now, but
    never before the last entry it covers was recorded, nor before the latest head already signed — so a
    head is signed at or after every entry it covers, and heads in size order are in time order (even when
    the clock steps back, or the entries carry a later time than the clock, as a loader's history may)."""
    times = [clock.now()]
    if size:
        times.append(session.scalar(select(LedgerEntry.recorded_at).where(LedgerEntry.seq == size - 1)))
    times.append(session.scalar(select(TreeHead.signed_at).order_by(TreeHead.size.desc()).limit(1)))
    return max(t for t in times if t is not None)


def heads_page(session: Session, *, cursor: str | None, limit: int | None) -> pagination.Page[Head]:
    """The signed heads in size order (ascending), a page at a time: which tree sizes an auditor can ask for."""
    page = pagination.paginate(session, select(TreeHead), HEADS_ORDER, cursor=cursor, limit=limit)
    return pagination.Page([Head.of(r) for r in page.items], page.next_cursor, page.limit, page.number)


def latest_head(session: Session) -> Head | None:
    row = session.scalar(select(TreeHead).order_by(TreeHead.size.desc()).limit(1))
    return Head.of(row) if row else None


def head_at(session: Session, size: int) -> Head:
    row = session.get(TreeHead, size) if 0 <= size <= MAX_INDEX else None
    if row is None:
        raise NotFound(f"没有大小为 {size} 的签名树头")
    return Head.of(row)


def size(session: Session) -> int:
    """How many entries the log has: the counter every append maintains (one row, no count over the log)."""
    return session.scalar(select(LedgerState.size).where(LedgerState.id == 1)) or 0


def get_entry(session: Session, seq: int) -> LedgerEntry:
    entry = session.get(LedgerEntry, seq) if 0 <= seq <= MAX_INDEX else None
    if entry is None:
        raise NotFound(f"留痕记录 {seq} 不存在")
    return entry


def entries_for(session: Session, subject: str, limit: int = 200) -> list[LedgerEntry]:
    stmt = select(LedgerEntry).where(LedgerEntry.subject == subject).order_by(LedgerEntry.seq).limit(limit)
    return list(session.scalars(stmt))


def recent(session: Session, limit: int = 20) -> list[LedgerEntry]:
    return list(session.scalars(select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(limit)))


def _range_hashes(session: Session, ranges: list[tuple[int, int]]) -> list[bytes]:
    """MTH of each [start, end) range, folded from stored perfect-subtree nodes in one query per level."""
    pieces = {piece for start, end in ranges for piece in merkle.perfect_pieces(start, end)}
    known: dict[tuple[int, int], bytes] = {}
    leaves = sorted(index for level, index in pieces if level == 0)
    if leaves:
        for seq, leaf in session.execute(
            select(LedgerEntry.seq, LedgerEntry.leaf_hash).where(LedgerEntry.seq.in_(leaves))
        ):
            known[(0, seq)] = bytes.fromhex(leaf)
    for level in sorted({level for level, _ in pieces if level > 0}):
        wanted = [index for lv, index in pieces if lv == level]
        for index, h in session.execute(
            select(LedgerNode.index, LedgerNode.hash).where(LedgerNode.level == level, LedgerNode.index.in_(wanted))
        ):
            known[(level, index)] = bytes.fromhex(h)
    missing = pieces - known.keys()
    if missing:
        raise NotFound("留痕日志的节点缺失，无法生成证明")
    out = []
    for start, end in ranges:
        parts = [known[p] for p in merkle.perfect_pieces(start, end)]
        acc = parts[-1]
        for h in reversed(parts[:-1]):
            acc = merkle.node_hash(h, acc)
        out.append(acc)
    return out


def inclusion_proof(session: Session, seq: int, tree_size: int) -> list[str]:
    get_entry(session, seq)
    head_at(session, tree_size)
    if seq >= tree_size:
        raise InvalidInput(f"记录 {seq} 不在大小为 {tree_size} 的树中")
    return [h.hex() for h in _range_hashes(session, merkle.inclusion_ranges(seq, tree_size))]


def consistency_proof(session: Session, old_size: int, new_size: int) -> list[str]:
    if not 0 <= old_size <= new_size:
        raise InvalidInput("一致性证明要求 0 ≤ 旧树大小 ≤ 新树大小")
    head_at(session, new_size)
    if old_size:
        head_at(session, old_size)
    return [h.hex() for h in _range_hashes(session, merkle.consistency_ranges(old_size, new_size))]
