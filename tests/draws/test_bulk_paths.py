"""What ``prepare``, ``finish`` and the verifier compute in bulk is what the construction ``sunshine-draw-v1``
defines entry by entry: leaves, the pool hash (digests joined at once), the list hash from pairs, the stream read
ahead, the order over leaves already sorted (against the standalone verifier's own code in docs/draws.md), and the
pool stored in one row reads back as it was written."""

from __future__ import annotations

import hashlib

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.draws import engine, pooldata

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
HEX = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
SHAPES = st.sampled_from([["civil"], ["cost"], ["civil", "cost"], ["mech", "civil"]])
STATUS = st.sampled_from(["eligible", "eligible", "on_leave", "expert_banned"])


def reference_order(seed, leaves):
    """The order as the standalone verifier of docs/draws.md computes it (a value at a time)."""
    items, seed_bytes, counter, buffer = sorted(leaves), bytes.fromhex(seed), 0, b""

    def next_u64():
        nonlocal counter, buffer
        if not buffer:
            buffer = hashlib.sha256(seed_bytes + counter.to_bytes(8, "big")).digest()
            counter += 1
        value, buffer = int.from_bytes(buffer[:8], "big"), buffer[8:]
        return value

    for i in range(len(items) - 1, 0, -1):
        limit = 2**64 - (2**64 % (i + 1))
        x = next_u64()
        while x >= limit:
            x = next_u64()
        j = x % (i + 1)
        items[i], items[j] = items[j], items[i]
    return items


@settings(max_examples=150)
@given(TEXT, st.lists(st.tuples(TEXT, TEXT, st.one_of(SHAPES, st.lists(TEXT, max_size=3)), TEXT), max_size=12))
def test_leaves_in_bulk_are_each_leaf(code, entries):
    assert engine.leaves(code, entries) == [engine.leaf(code, *e) for e in entries]


@settings(max_examples=150)
@given(st.lists(st.one_of(HEX, TEXT, st.just('a","b')), max_size=12))
def test_the_pool_hash_is_rfc8785_of_the_sorted_leaves(items):
    assert engine.pool_hash(items) == engine.H(rfc8785.dumps(sorted(items)).decode())


@settings(max_examples=100)
@given(TEXT, st.lists(st.tuples(HEX, st.one_of(SHAPES, st.lists(TEXT, max_size=3))), max_size=12), HEX)
def test_the_list_hash_from_pairs_is_the_list_hash(code, pairs, pool_h):
    groups = [{"code": "civil", "count": 2, "reserve": 1}, {"code": "cost", "count": 1}]
    pairs = sorted(dict(pairs).items())
    expected = engine.list_hash(code, groups, engine.eligible_list(pairs), pool_h)
    assert engine.list_hash_of_pairs(code, groups, pairs, pool_h) == expected


@settings(max_examples=100)
@given(HEX, st.lists(HEX, unique=True, max_size=60), st.integers(min_value=0, max_value=9))
def test_the_order_over_sorted_leaves_is_the_reference_order(seed, leaves, read_first):
    expected = reference_order(seed, leaves)
    assert engine.order_of_leaves(seed, sorted(leaves)) == expected
    assert engine.order(seed, [{"leaf": lf, "groups": []} for lf in leaves]) == expected
    stream, ahead = engine.Stream(seed), engine.Stream(seed)
    ahead.reserve(read_first)
    assert [stream.next_u64() for _ in range(read_first + 9)] == [ahead.next_u64() for _ in range(read_first + 9)]


@settings(max_examples=60)
@given(st.lists(st.tuples(HEX, TEXT, HEX, SHAPES, STATUS), max_size=15, unique_by=lambda e: e[0]))
def test_the_pool_in_one_row_reads_back_as_written(entries):
    pool = pooldata.decode(pooldata.encode(pooldata.build(entries)))
    rows = sorted(entries)
    assert pool.leaves == [e[0] for e in rows]
    assert pool.refs == [e[1] for e in rows] and pool.salts == [e[2] for e in rows]
    assert [pool.groups(i) for i in range(len(pool))] == [e[3] for e in rows]
    assert pool.statuses() == [e[4] for e in rows]
    eligible = [e for e in rows if e[4] == "eligible"]
    assert pool.eligible() == [{"leaf": e[0], "groups": e[3]} for e in eligible]
    assert pool.eligible_leaves == [e[0] for e in eligible]
    assert all(pool.ref_of(e[0]) == e[1] for e in rows)
