"""The ledger services on a real database: append in the caller's transaction, signed heads, proofs
built from stored nodes (checked against the pure RFC 9162 mathematics), input validation, the tick."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from sunshine.core.errors import InvalidInput, NotFound
from sunshine.db import Database
from sunshine.identity import service as identity
from sunshine.identity.models import OrganisationKind
from sunshine.ledger import export, merkle, service
from sunshine.ledger import format as fmt
from sunshine.ledger.models import LedgerEntry, LedgerNode, LedgerState, TreeHead
from sunshine.ledger.signing import platform_key, public_key_from_raw, verify
from sunshine.ledger.verify import verify_log
from sunshine.tasks import tick
from tests.builders import valid_credit_code


def append_many(db: Database, count: int, *, start: int = 0) -> None:
    with db.unit_of_work() as s:
        for i in range(start, start + count):
            service.append(s, "test:entry:appended", f"test:{i}", {"i": i})


def leaf_hashes(db: Database) -> list[bytes]:
    with db.unit_of_work(read_only=True) as s:
        return [bytes.fromhex(h) for h in s.scalars(select(LedgerEntry.leaf_hash).order_by(LedgerEntry.seq))]


def snapshot(db: Database) -> tuple:
    """Everything the ledger stores, to compare before and after a failed transaction."""
    with db.engine.connect() as conn:
        return (
            conn.execute(
                text("SELECT seq, kind, subject, payload, recorded_at, leaf_hash FROM ledger_entry ORDER BY seq")
            ).all(),
            conn.execute(text('SELECT level, "index", hash FROM ledger_node ORDER BY level, "index"')).all(),
            conn.execute(text("SELECT size, compact_range FROM ledger_state")).all(),
            conn.execute(text("SELECT size, root_hash, signature FROM ledger_tree_head ORDER BY size")).all(),
        )


def verify_db(db: Database):
    with db.unit_of_work(read_only=True) as s:
        heads = list(export.iter_db_heads(s))
        return verify_log(export.iter_db_entries(s), heads, platform_key().public_bytes)


# --------------------------------------------------------------------------------------------------
# Transactions
# --------------------------------------------------------------------------------------------------


def test_append_in_a_failed_transaction_leaves_no_trace(db):
    append_many(db, 3)
    with db.unit_of_work() as s:
        service.sign_head(s)
    before = snapshot(db)

    with pytest.raises(RuntimeError, match="boom"), db.unit_of_work() as s:
        for i in range(5):  # enough to complete perfect subtrees, so ledger_node rows were written too
            service.append(s, "test:entry:appended", f"test:{10 + i}", {"i": i})
        service.sign_head(s)
        s.flush()
        assert s.scalar(select(func.count()).select_from(LedgerNode)) > len(before[1])
        raise RuntimeError("boom")

    assert snapshot(db) == before
    # The next append takes the next free number, as if the failed attempt never happened.
    with db.unit_of_work() as s:
        assert service.append(s, "test:entry:appended", "test:99", {}).seq == 3
    assert verify_db(db).ok


def test_a_failing_domain_operation_rolls_back_its_ledger_entry(db):
    code = valid_credit_code()
    with db.unit_of_work() as s:
        identity.create_organisation(
            s,
            name="福州市示范建设有限公司",
            credit_code_value=code,
            kind=OrganisationKind.ENTERPRISE,
            region_code="350100",
        )
    before = snapshot(db)
    with pytest.raises(ValueError, match="after"), db.unit_of_work() as s:
        identity.create_organisation(
            s,
            name="另一家公司",
            credit_code_value=valid_credit_code(),
            kind=OrganisationKind.ENTERPRISE,
            region_code="350100",
        )
        raise ValueError("a later step of the same request failed after the entry was appended")
    assert snapshot(db) == before
    with db.unit_of_work(read_only=True) as s:
        assert [e.kind for e in service.recent(s)] == ["identity:organisation:registered"]


def test_concurrent_appends_are_serialised(db):
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(8):
                with db.unit_of_work() as s:
                    service.append(s, "test:entry:appended", f"worker:{n}", {"i": i, "worker": n})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.unit_of_work() as s:
        head = service.sign_head(s)
        assert sorted(s.scalars(select(LedgerEntry.seq))) == list(range(32))
    assert head.size == 32
    assert bytes.fromhex(head.root_hash) == merkle.root_from_leaf_hashes(leaf_hashes(db))
    assert verify_db(db).ok


# --------------------------------------------------------------------------------------------------
# Entries and heads
# --------------------------------------------------------------------------------------------------


def test_entry_fields_follow_the_documented_format(db, clock):
    with db.unit_of_work() as s:
        entry = service.append(s, "test:thing:created", "thing:7", {"b": 2, "a": [1, "x"]})
    with db.unit_of_work(read_only=True) as s:
        stored = service.get_entry(s, entry.seq)
    assert stored.seq == 0
    assert stored.payload == '{"a":[1,"x"],"b":2}'  # RFC 8785: sorted keys, no spaces
    assert stored.payload_sha256 == hashlib.sha256(b'{"a":[1,"x"],"b":2}').hexdigest()
    assert stored.recorded_at == clock.now()
    recorded = clock.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    data = f"sunshine-ledger-v1|0|test:thing:created|thing:7|{stored.payload_sha256}|{recorded}".encode()
    assert stored.leaf_hash == hashlib.sha256(b"\x00" + data).hexdigest()


def test_chinese_payload_round_trips_exactly(db):
    payload = {
        "名称": "福州市公共资源交易中心·阳光交易",
        "项目": {"编号": "FZ-2026-工程-0042", "金额": "1,234,567.89元", "标段": ["一标段", "二标段"]},
        "备注": "含“引号”、\\反斜杠、换行\n和制表符\t以及😀",
        "数量": 12,
    }
    with db.unit_of_work() as s:
        seq = service.append(s, "test:project:registered", "project:42", payload).seq
    with db.unit_of_work(read_only=True) as s:
        stored = service.get_entry(s, seq)
    assert json.loads(stored.payload) == payload
    assert stored.payload.encode() == fmt.canonical_payload(payload)
    assert "福州市公共资源交易中心" in stored.payload  # UTF-8 as is, not \\u escapes
    assert stored.payload_sha256 == hashlib.sha256(stored.payload.encode("utf-8")).hexdigest()
    with db.unit_of_work() as s:
        service.sign_head(s)
    assert verify_db(db).ok


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        ("", "user:1"),
        ("test:kind", ""),
        ("test kind", "user:1"),
        ("test|kind", "user:1"),
        ("test:kind", "user|1"),
        ("test:kind\n", "user:1"),
        ("test:kind", "user:1\n"),
        ("测试:类型", "user:1"),
        ("-test", "user:1"),
        ("k" * 101, "user:1"),
        ("test:kind", "s" * 201),
    ],
)
def test_invalid_kind_or_subject_is_rejected_and_nothing_recorded(db, kind, subject):
    with pytest.raises(InvalidInput, match="格式不正确"), db.unit_of_work() as s:
        service.append(s, kind, subject, {})
    with db.unit_of_work(read_only=True) as s:
        assert service.size(s) == 0
        assert s.get(LedgerState, 1).size == 0


def test_longest_valid_kind_and_subject_are_accepted(db):
    with db.unit_of_work() as s:
        entry = service.append(s, "k" * 100, "s" * 200, {})
    assert (entry.kind, entry.subject) == ("k" * 100, "s" * 200)


@pytest.mark.parametrize("payload", [{"x": float("nan")}, {"x": 2**60}, {1: "non-string key"}])
def test_payload_that_cannot_be_canonicalised_is_rejected(db, payload):
    with pytest.raises(InvalidInput, match="RFC 8785"), db.unit_of_work() as s:
        service.append(s, "test:kind", "test:1", payload)


def test_recorded_at_never_runs_backwards(db, clock):
    append_many(db, 1)
    first = clock.now()
    clock.advance(timedelta(minutes=-5))  # the clock steps back (NTP, another server)
    append_many(db, 1, start=1)
    clock.advance(timedelta(minutes=10))
    append_many(db, 1, start=2)
    with db.unit_of_work(read_only=True) as s:
        times = list(s.scalars(select(LedgerEntry.recorded_at).order_by(LedgerEntry.seq)))
    assert times == [first, first, first + timedelta(minutes=5)]
    with db.unit_of_work() as s:
        service.sign_head(s)
    assert verify_db(db).ok


def test_signed_heads(db, clock):
    key = platform_key()
    with db.unit_of_work() as s:
        assert service.latest_head(s) is None
        empty = service.sign_head(s)
    assert (empty.size, empty.root_hash) == (0, hashlib.sha256(b"").hexdigest())

    append_many(db, 5)
    clock.advance(timedelta(minutes=1))
    with db.unit_of_work() as s:
        head = service.sign_head(s)
    assert head.size == 5
    assert bytes.fromhex(head.root_hash) == merkle.root_from_leaf_hashes(leaf_hashes(db))
    assert head.signed_at == clock.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert head.key_id == hashlib.sha256(key.public_bytes).hexdigest()
    message = f"sunshine-ledger-v1|tree-head|5|{head.root_hash}|{head.signed_at}|{head.key_id}".encode()
    assert fmt.head_message(5, head.root_hash, head.signed_at, head.key_id) == message
    assert verify(public_key_from_raw(key.public_bytes), head.signature, message)
    assert not verify(public_key_from_raw(key.public_bytes), head.signature, message.replace(b"|5|", b"|6|"))

    clock.advance(timedelta(minutes=1))
    with db.unit_of_work() as s:
        assert service.sign_head(s) == head  # the tree has not grown: the same head, not a new one
        assert service.latest_head(s) == head
        assert service.head_at(s, 0) == empty
        assert service.head_at(s, 5) == head
        with pytest.raises(NotFound, match="没有大小为 3 的签名树头"):
            service.head_at(s, 3)
        assert head.as_dict() == {
            "log_id": "sunshine-ledger-v1",
            "size": 5,
            "root_hash": head.root_hash,
            "signed_at": head.signed_at,
            "key_id": head.key_id,
            "signature": head.signature,
        }


def test_get_entry_out_of_range(db):
    append_many(db, 2)
    with db.unit_of_work(read_only=True) as s:
        for seq in (-1, 2, 2**31, 10**20):
            with pytest.raises(NotFound, match=f"留痕记录 {seq} 不存在"):
                service.get_entry(s, seq)
        with pytest.raises(NotFound):
            service.head_at(s, 10**20)


def test_tick_signs_a_head_only_when_the_tree_grew(db, clock):
    def head_sizes() -> list[int]:
        with db.unit_of_work(read_only=True) as s:
            return list(s.scalars(select(TreeHead.size).order_by(TreeHead.size)))

    assert tick(db).head_size == 0  # the empty tree gets its head once
    assert tick(db).head_size is None
    assert head_sizes() == [0]
    append_many(db, 3)
    clock.advance(timedelta(minutes=1))
    assert tick(db).head_size == 3
    clock.advance(timedelta(minutes=1))
    assert tick(db).head_size is None
    assert tick(db).head_size is None
    assert head_sizes() == [0, 3]
    append_many(db, 1, start=3)
    assert tick(db).head_size == 4
    assert head_sizes() == [0, 3, 4]
    assert verify_db(db).ok


# --------------------------------------------------------------------------------------------------
# Proofs from stored nodes
# --------------------------------------------------------------------------------------------------

HEAD_SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 15, 16, 17, 21, 31, 32, 33, 48, 63, 64, 65, 70]


@pytest.fixture
def grown_log(db) -> tuple[Database, list[bytes], dict[int, bytes]]:
    """70 entries appended one transaction each, with a head signed at every size in HEAD_SIZES."""
    for n in range(70):
        append_many(db, 1, start=n)
        if n + 1 in HEAD_SIZES:
            with db.unit_of_work() as s:
                service.sign_head(s)
    with db.unit_of_work(read_only=True) as s:
        roots = {h.size: bytes.fromhex(h.root_hash) for h in s.scalars(select(TreeHead))}
    return db, leaf_hashes(db), roots


def test_stored_state_matches_the_mathematics(grown_log):
    db, leaves, roots = grown_log
    assert sorted(roots) == HEAD_SIZES
    for size, root in roots.items():
        assert root == merkle.root_from_leaf_hashes(leaves[:size])
    with db.unit_of_work(read_only=True) as s:
        nodes = {(n.level, n.index): bytes.fromhex(n.hash) for n in s.scalars(select(LedgerNode))}
        state = s.get(LedgerState, 1)
    # Every complete perfect subtree (level >= 1) of the 70 leaves is stored, and nothing else.
    expected = {
        (level, index): merkle.subtree_root(leaves, index << level, (index + 1) << level)
        for level in range(1, 7)
        for index in range(70 >> level)
    }
    assert nodes == expected
    compact = merkle.CompactRange()
    compact.extend(leaves)
    assert (state.size, json.loads(state.compact_range)) == (70, [h.hex() for h in compact.hashes])


def test_inclusion_proofs_for_every_entry_and_head(grown_log):
    db, leaves, roots = grown_log
    with db.unit_of_work(read_only=True) as s:
        for size, root in roots.items():
            for seq in range(size):
                proof = [bytes.fromhex(h) for h in service.inclusion_proof(s, seq, size)]
                assert proof == merkle.inclusion_proof(seq, size, leaves), (seq, size)
                assert merkle.verify_inclusion(leaves[seq], seq, size, proof, root)
                # The same proof does not verify for a neighbouring leaf or against a different head.
                assert not merkle.verify_inclusion(leaves[(seq + 1) % 70], seq, size, proof, root)
                other = roots[70] if size != 70 else roots[65]
                assert not merkle.verify_inclusion(leaves[seq], seq, size, proof, other)


def test_consistency_proofs_between_all_heads(grown_log):
    db, leaves, roots = grown_log
    sizes = [0, *HEAD_SIZES]
    roots = {0: merkle.EMPTY_ROOT, **roots}
    with db.unit_of_work(read_only=True) as s:
        for i, old in enumerate(sizes):
            for new in sizes[max(i, 1) :]:  # the second size must be a signed head
                proof = [bytes.fromhex(h) for h in service.consistency_proof(s, old, new)]
                assert proof == merkle.consistency_proof(old, new, leaves), (old, new)
                assert merkle.verify_consistency(old, new, roots[old], roots[new], proof)
                if 0 < old < new:
                    assert not merkle.verify_consistency(old, new, roots[new], roots[new], proof)


def test_proofs_need_only_logarithmically_many_rows(grown_log):
    db, leaves, roots = grown_log
    rows_read = 0
    with db.unit_of_work(read_only=True) as s:
        real_execute = s.execute

        def counting_execute(*args, **kwargs):
            nonlocal rows_read
            frozen = real_execute(*args, **kwargs).freeze()
            rows_read += len(frozen.data)
            return frozen()

        s.execute = counting_execute  # type: ignore[method-assign]
        for seq in (0, 33, 69):
            rows_read = 0
            service.inclusion_proof(s, seq, 70)
            assert rows_read <= 2 + 2 * (70).bit_length(), rows_read  # entry, head, proof pieces
        rows_read = 0
        service.consistency_proof(s, 33, 70)
        assert rows_read <= 2 + 2 * (70).bit_length(), rows_read


def test_proof_requests_outside_the_signed_tree_are_refused(grown_log):
    db, _, _ = grown_log
    with db.unit_of_work(read_only=True) as s:
        with pytest.raises(NotFound, match="没有大小为 10 的签名树头"):
            service.inclusion_proof(s, 3, 10)
        with pytest.raises(InvalidInput, match="不在大小为 5 的树中"):
            service.inclusion_proof(s, 5, 5)
        with pytest.raises(NotFound, match="留痕记录 70 不存在"):
            service.inclusion_proof(s, 70, 70)
        with pytest.raises(InvalidInput, match="旧树大小"):
            service.consistency_proof(s, 9, 8)
        with pytest.raises(NotFound, match="没有大小为 10 的签名树头"):
            service.consistency_proof(s, 10, 70)
        with pytest.raises(NotFound, match="没有大小为 71 的签名树头"):
            service.consistency_proof(s, 8, 71)


def _reset_ledger(db: Database) -> None:
    with db.engine.begin() as conn:
        for table in ("ledger_entry", "ledger_node", "ledger_tree_head"):
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text("UPDATE ledger_state SET size = 0, compact_range = '[]'"))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    batches=st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=6),
    picks=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0)), min_size=1, max_size=6),
)
def test_proofs_for_random_batches(db, batches, picks):
    """Appends in transactions of random sizes, a head after each; random proofs against the math."""
    _reset_ledger(db)
    start = 0
    for batch in batches:
        append_many(db, batch, start=start)
        start += batch
        with db.unit_of_work() as s:
            service.sign_head(s)
    leaves = leaf_hashes(db)
    with db.unit_of_work(read_only=True) as s:
        roots = {h.size: bytes.fromhex(h.root_hash) for h in s.scalars(select(TreeHead))}
        sizes = sorted(roots)
        for a, b in picks:
            size = sizes[a % len(sizes)]
            seq = b % size
            proof = [bytes.fromhex(h) for h in service.inclusion_proof(s, seq, size)]
            assert proof == merkle.inclusion_proof(seq, size, leaves)
            assert merkle.verify_inclusion(leaves[seq], seq, size, proof, roots[size])
            old, new = sorted((size, sizes[b % len(sizes)]))
            proof = [bytes.fromhex(h) for h in service.consistency_proof(s, old, new)]
            assert proof == merkle.consistency_proof(old, new, leaves)
            assert merkle.verify_consistency(old, new, roots[old], roots[new], proof)
