"""Tests for sunshine.ledger.merkle (RFC 9162 §2.1 Merkle tree hashing and proofs).

Three kinds of evidence:

* published known-answer vectors of the Certificate Transparency reference
  implementation (github.com/transparency-dev/merkle, testonly/constants.go
  and proof/verify_test.go);
* a tiny recursive reference written straight from the RFC text, compared
  with the module on random trees (hypothesis);
* tampering probes: every bit flip, wrong index, wrong size, wrong leaf,
  truncated or extended proof must be rejected.
"""

from __future__ import annotations

import hashlib
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sunshine.ledger.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    CompactRange,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    subtree_root,
    verify_consistency,
    verify_inclusion,
)

# ---------------------------------------------------------------------------
# Reference implementation, transcribed from RFC 9162 §2.1 (deliberately
# naive: recursion and list slicing, hashlib used directly).
# ---------------------------------------------------------------------------


def _sha(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def ref_leaf(d: bytes) -> bytes:
    return _sha(b"\x00" + d)


def ref_k(n: int) -> int:
    """Largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(hs: list[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes."""
    n = len(hs)
    if n == 0:
        return _sha(b"")
    if n == 1:
        return hs[0]
    k = ref_k(n)
    return _sha(b"\x01" + ref_mth(hs[:k]) + ref_mth(hs[k:]))


def ref_path(m: int, hs: list[bytes]) -> list[bytes]:
    """PATH(m, D[n])."""
    n = len(hs)
    if n == 1:
        return []
    k = ref_k(n)
    if m < k:
        return ref_path(m, hs[:k]) + [ref_mth(hs[k:])]
    return ref_path(m - k, hs[k:]) + [ref_mth(hs[:k])]


def ref_sides(m: int, n: int) -> list[str]:
    """On which side each element of PATH(m, D[n]) sits (leaf to root)."""
    if n == 1:
        return []
    k = ref_k(n)
    if m < k:
        return ref_sides(m, k) + ["R"]
    return ref_sides(m - k, n - k) + ["L"]


def ref_subproof(m: int, hs: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b)."""
    n = len(hs)
    if m == n:
        return [] if b else [ref_mth(hs)]
    k = ref_k(n)
    if m <= k:
        return ref_subproof(m, hs[:k], b) + [ref_mth(hs[k:])]
    return ref_subproof(m - k, hs[k:], False) + [ref_mth(hs[:k])]


def ref_proof(m: int, hs: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]); empty for m == 0 and m == n."""
    if m == 0 or m == len(hs):
        return []
    return ref_subproof(m, hs, True)


def flip_bit(b: bytes, bit: int) -> bytes:
    out = bytearray(b)
    out[(bit // 8) % len(out)] ^= 1 << (bit % 8)
    return bytes(out)


# ---------------------------------------------------------------------------
# Known-answer vectors (transparency-dev/merkle testonly + proof tests)
# ---------------------------------------------------------------------------

h = bytes.fromhex

CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]

# Node hashes of the 8-leaf tree: level 0 are leaf hashes, level 3 is the root.
CT_NODES = [
    [
        h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        h("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
        h("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        h("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
        h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
        h("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
    ],
    [
        h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
    ],
    [
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    ],
    [
        h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
    ],
]

# CT_ROOTS[n] is the root of the tree of the first n leaves.
CT_ROOTS = [
    h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]

CT_LEAF_HASHES = CT_NODES[0]

# (0-based leaf index, tree size, published audit path)
CT_INCLUSION = [
    (0, 1, []),
    (0, 8, [CT_NODES[0][1], CT_NODES[1][1], CT_NODES[2][1]]),
    (5, 8, [CT_NODES[0][4], CT_NODES[1][3], CT_NODES[2][0]]),
    (2, 3, [CT_NODES[1][0]]),
    (1, 5, [CT_NODES[0][0], CT_NODES[1][1], CT_NODES[0][4]]),
]

# (old size, new size, published consistency proof)
CT_CONSISTENCY = [
    (1, 1, []),
    (1, 8, [CT_NODES[0][1], CT_NODES[1][1], CT_NODES[2][1]]),
    (6, 8, [CT_NODES[1][2], CT_NODES[1][3], CT_NODES[2][0]]),
    (2, 5, [CT_NODES[1][1], CT_NODES[0][4]]),
    (6, 7, [CT_NODES[1][2], CT_NODES[0][6], CT_NODES[2][0]]),
]

SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


def test_constants() -> None:
    assert HASH_SIZE == 32
    assert EMPTY_ROOT == CT_ROOTS[0] == hashlib.sha256(b"").digest()


def test_leaf_and_node_hash_definitions() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    a, b = leaf_hash(b"a"), leaf_hash(b"b")
    assert node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    assert node_hash(a, b) != node_hash(b, a)
    # Domain separation: a leaf whose data looks like two hashes is not a node.
    assert leaf_hash(a + b) != node_hash(a, b)


def test_reference_implementation_matches_published_vectors() -> None:
    """The in-test reference is itself checked against the CT data."""
    hs = [ref_leaf(d) for d in CT_LEAVES]
    assert hs == CT_LEAF_HASHES
    for n in range(9):
        assert ref_mth(hs[:n]) == CT_ROOTS[n]
    for index, size, path in CT_INCLUSION:
        assert ref_path(index, hs[:size]) == path
    for m, n, proof in CT_CONSISTENCY:
        assert ref_proof(m, hs[:n]) == proof


def test_known_leaf_hashes() -> None:
    assert [leaf_hash(d) for d in CT_LEAVES] == CT_LEAF_HASHES


def test_known_interior_nodes() -> None:
    for level in range(1, 4):
        width = 1 << level
        for i, want in enumerate(CT_NODES[level]):
            assert subtree_root(CT_LEAF_HASHES, i * width, (i + 1) * width) == want
            below = CT_NODES[level - 1]
            assert node_hash(below[2 * i], below[2 * i + 1]) == want


@pytest.mark.parametrize("size", range(9))
def test_known_roots(size: int) -> None:
    assert root_from_leaf_hashes(CT_LEAF_HASHES[:size]) == CT_ROOTS[size]
    cr = CompactRange()
    for lh in CT_LEAF_HASHES[:size]:
        cr.append(lh)
    assert cr.size == size
    assert cr.root() == CT_ROOTS[size]


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_known_inclusion_proofs(index: int, size: int, path: list[bytes]) -> None:
    assert inclusion_proof(index, size, CT_LEAF_HASHES) == path
    assert verify_inclusion(CT_LEAF_HASHES[index], index, size, path, CT_ROOTS[size])


@pytest.mark.parametrize(("index", "size", "path"), [v for v in CT_INCLUSION if v[2]])
def test_known_inclusion_proofs_reject_corruption(index: int, size: int, path: list[bytes]) -> None:
    """The probes of transparency-dev/merkle's corruptInclusionProof."""
    root = CT_ROOTS[size]
    leaf = CT_LEAF_HASHES[index]
    probes = [
        (leaf, index - 1, size, path, root),
        (leaf, index + 1, size, path, root),
        (leaf, index ^ 2, size, path, root),
        (leaf, index, size * 2, path, root),
        (leaf, index, size // 2, path, root),
        (ref_leaf(b"WrongLeaf"), index, size, path, root),
        (leaf, index, size, path, EMPTY_ROOT),
        (leaf, index, size, path, SOME_HASH),
        (leaf, index, size, [*path, b""], root),
        (leaf, index, size, [*path, root], root),
        (leaf, index, size, [b"", *path], root),
        (leaf, index, size, [root, *path], root),
        (leaf, index, size, path[:-1], root),
    ]
    if len(path) > 1:
        probes.append((leaf, index, size, [path[0], SOME_HASH, *path[1:]], root))
    for i in range(len(path)):
        bad = list(path)
        bad[i] = flip_bit(bad[i], 3)
        probes.append((leaf, index, size, bad, root))
    for probe in probes:
        assert verify_inclusion(*probe) is False, probe


@pytest.mark.parametrize(("m", "n", "proof"), CT_CONSISTENCY)
def test_known_consistency_proofs(m: int, n: int, proof: list[bytes]) -> None:
    assert consistency_proof(m, n, CT_LEAF_HASHES) == proof
    assert verify_consistency(m, n, CT_ROOTS[m], CT_ROOTS[n], proof)


@pytest.mark.parametrize(("m", "n", "proof"), [v for v in CT_CONSISTENCY if v[2]])
def test_known_consistency_proofs_reject_corruption(m: int, n: int, proof: list[bytes]) -> None:
    """The probes of transparency-dev/merkle's corruptConsistencyProof."""
    r1, r2 = CT_ROOTS[m], CT_ROOTS[n]
    wrong_root = ref_leaf(b"WrongRoot")
    probes = [
        (m - 1, n, r1, r2, proof),
        (m + 1, n, r1, r2, proof),
        (m ^ 2, n, r1, r2, proof),
        (m, n * 2, r1, r2, proof),
        (m, n // 2, r1, r2, proof),
        (m, n, wrong_root, r2, proof),
        (m, n, r1, wrong_root, proof),
        (m, n, r2, r1, proof),
        (m, n, r1, r2, []),
        (m, n, r1, r2, [*proof, b""]),
        (m, n, r1, r2, [*proof, r1]),
        (m, n, r1, r2, [*proof, r2]),
        (m, n, r1, r2, [b"", *proof]),
        (m, n, r1, r2, [r1, *proof]),
        (m, n, r1, r2, [r2, *proof]),
        (m, n, r1, r2, [proof[0], *proof]),
        (m, n, r1, r2, proof[:-1]),
    ]
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = flip_bit(bad[i], 4)
        probes.append((m, n, r1, r2, bad))
    for probe in probes:
        assert verify_consistency(*probe) is False, probe


# ---------------------------------------------------------------------------
# Edge cases of the verifiers
# ---------------------------------------------------------------------------


def test_single_entry_inclusion() -> None:
    lh = leaf_hash(b"data")
    assert verify_inclusion(lh, 0, 1, [], lh)
    assert not verify_inclusion(lh, 0, 1, [], b"")
    assert not verify_inclusion(b"", 0, 1, [], lh)
    assert not verify_inclusion(b"", 0, 1, [], b"")
    assert not verify_inclusion(lh, 0, 1, [lh], lh)


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 0), (1, 1), (2, 1), (5, 5), (-1, 3)])
def test_inclusion_index_out_of_range_is_false(index: int, size: int) -> None:
    for leaf, root in [(SOME_HASH, EMPTY_ROOT), (EMPTY_ROOT, EMPTY_ROOT), (SOME_HASH, SOME_HASH)]:
        assert verify_inclusion(leaf, index, size, [], root) is False
        assert verify_inclusion(leaf, index, size, [SOME_HASH], root) is False


def test_consistency_trivial_cases() -> None:
    r1, r2 = ref_leaf(b"don't care 1"), ref_leaf(b"don't care 2")
    # Equal sizes: consistent iff the roots are equal and the proof is empty.
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(1, 1, r2, r2, [])
    assert not verify_consistency(0, 0, r1, r2, [])
    assert not verify_consistency(1, 1, r1, r2, [])
    assert not verify_consistency(1, 1, EMPTY_ROOT, r2, [])
    assert not verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    assert not verify_consistency(1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    # The empty tree is a prefix of every tree, with an empty proof.
    assert verify_consistency(0, 1, r1, r2, [])
    assert verify_consistency(0, 8, EMPTY_ROOT, CT_ROOTS[8], [])
    assert not verify_consistency(0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    # Time travel to the past.
    assert not verify_consistency(1, 0, r1, r2, [])
    assert not verify_consistency(2, 1, r1, r2, [])
    assert not verify_consistency(8, 1, CT_ROOTS[8], CT_ROOTS[1], [])
    # A real extension needs a non-empty proof.
    assert not verify_consistency(1, 2, CT_ROOTS[1], CT_ROOTS[2], [])
    # ... even when the log claims an unchanged root at a larger size.
    assert not verify_consistency(1, 2, CT_ROOTS[1], CT_ROOTS[1], [])
    assert not verify_consistency(4, 8, CT_ROOTS[4], CT_ROOTS[4], [])
    assert not verify_consistency(3, 8, CT_ROOTS[3], CT_ROOTS[3], [])


def test_builders_trivial_cases() -> None:
    assert consistency_proof(0, 0, []) == []
    assert consistency_proof(0, 5, CT_LEAF_HASHES) == []
    assert consistency_proof(5, 5, CT_LEAF_HASHES) == []
    assert inclusion_proof(0, 1, CT_LEAF_HASHES) == []
    # Only the first `size` leaves are used.
    assert inclusion_proof(1, 5, CT_LEAF_HASHES) == inclusion_proof(1, 5, CT_LEAF_HASHES[:5])
    assert consistency_proof(3, 5, CT_LEAF_HASHES) == consistency_proof(3, 5, CT_LEAF_HASHES[:5])


GARBAGE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.binary(max_size=40),
    st.lists(st.binary(max_size=40), max_size=4),
    st.lists(st.integers(), max_size=4),
    st.just(SOME_HASH),
    st.just([SOME_HASH]),
    st.just(object()),
)


@settings(max_examples=300, deadline=None)
@given(GARBAGE, GARBAGE, GARBAGE, GARBAGE, GARBAGE)
def test_verifiers_never_raise(a: object, b: object, c: object, d: object, e: object) -> None:
    assert verify_inclusion(a, b, c, d, e) in (True, False)  # type: ignore[arg-type]
    assert verify_consistency(a, b, c, d, e) in (True, False)  # type: ignore[arg-type]


def test_verifiers_reject_malformed_hashes() -> None:
    index, size, path = CT_INCLUSION[2]
    leaf, root = CT_LEAF_HASHES[index], CT_ROOTS[size]
    assert verify_inclusion(leaf, index, size, path, root)
    assert not verify_inclusion(leaf.hex(), index, size, path, root)  # type: ignore[arg-type]
    assert not verify_inclusion(leaf, index, size, path, root + b"\x00")
    assert not verify_inclusion(leaf, index, size, [*path[:-1], path[-1][:31]], root)
    assert not verify_inclusion(leaf, index, size, b"".join(path), root)
    assert not verify_inclusion(leaf, index, size, None, root)  # type: ignore[arg-type]
    assert not verify_inclusion(leaf, True, size, path, root)  # type: ignore[arg-type]
    assert not verify_inclusion(leaf, float(index), size, path, root)  # type: ignore[arg-type]
    m, n, proof = CT_CONSISTENCY[2]
    assert verify_consistency(m, n, CT_ROOTS[m], CT_ROOTS[n], proof)
    assert not verify_consistency(m, n, CT_ROOTS[m][:31], CT_ROOTS[n], proof)
    assert not verify_consistency(m, n, CT_ROOTS[m], CT_ROOTS[n], b"".join(proof))
    assert not verify_consistency(m, n, CT_ROOTS[m], CT_ROOTS[n], [*proof[:-1], proof[-1] + b"\x00"])
    assert not verify_consistency(float(m), n, CT_ROOTS[m], CT_ROOTS[n], proof)  # type: ignore[arg-type]
    assert not verify_consistency(-m, n, CT_ROOTS[m], CT_ROOTS[n], proof)


def test_verifiers_accept_any_sequence_or_iterable_of_hashes() -> None:
    index, size, path = CT_INCLUSION[2]
    leaf, root = CT_LEAF_HASHES[index], CT_ROOTS[size]
    assert verify_inclusion(leaf, index, size, tuple(path), root)
    assert verify_inclusion(leaf, index, size, iter(path), root)
    assert verify_inclusion(bytearray(leaf), index, size, [bytearray(x) for x in path], bytearray(root))
    m, n, proof = CT_CONSISTENCY[2]
    assert verify_consistency(m, n, CT_ROOTS[m], CT_ROOTS[n], tuple(proof))
    assert verify_consistency(m, n, CT_ROOTS[m], CT_ROOTS[n], iter(proof))


def test_verifiers_reject_huge_proofs() -> None:
    huge = [SOME_HASH] * 100_000
    assert not verify_inclusion(SOME_HASH, 0, 2**40, huge, SOME_HASH)
    assert not verify_inclusion(SOME_HASH, 0, 2**40, iter(huge), SOME_HASH)
    assert not verify_consistency(3, 2**40, SOME_HASH, SOME_HASH, huge)
    # Sizes far beyond 64 bits are fine (Python integers).
    assert not verify_inclusion(SOME_HASH, 2**100, 2**200, [SOME_HASH] * 200, SOME_HASH)


# ---------------------------------------------------------------------------
# ProofError
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "size", "n_leaves"),
    [
        (0, 0, 0),
        (3, 3, 8),
        (8, 8, 8),
        (0, 9, 8),
        (7, 9, 8),
        (-1, 4, 8),
        (0, -1, 8),
        (1.0, 4, 8),
        (None, 4, 8),
    ],
)
def test_inclusion_proof_bad_arguments(index: object, size: object, n_leaves: int) -> None:
    with pytest.raises(ProofError) as exc:
        inclusion_proof(index, size, CT_LEAF_HASHES[:n_leaves])  # type: ignore[arg-type]
    assert isinstance(exc.value, ValueError)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value)), "message should be Chinese"


def test_inclusion_proof_index_message() -> None:
    with pytest.raises(ProofError, match="叶子序号超出树的大小"):
        inclusion_proof(5, 5, CT_LEAF_HASHES)


@pytest.mark.parametrize(
    ("m", "n", "n_leaves"),
    [(2, 1, 8), (8, 0, 8), (0, 9, 8), (3, 9, 8), (9, 9, 8), (-1, 4, 8), (1, -4, 8), (1, 4.0, 8)],
)
def test_consistency_proof_bad_arguments(m: object, n: object, n_leaves: int) -> None:
    with pytest.raises(ProofError) as exc:
        consistency_proof(m, n, CT_LEAF_HASHES[:n_leaves])  # type: ignore[arg-type]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value)), "message should be Chinese"


# ---------------------------------------------------------------------------
# Property tests against the reference
# ---------------------------------------------------------------------------


@st.composite
def trees(draw: st.DrawFn, min_size: int = 1, max_size: int = 300) -> list[bytes]:
    """Leaf hashes of a random tree with pairwise-distinct leaves."""
    if draw(st.booleans()):
        data = draw(st.lists(st.binary(max_size=48), min_size=min_size, max_size=min(max_size, 40), unique=True))
    else:
        n = draw(st.integers(min_value=min_size, max_value=max_size))
        salt = draw(st.binary(max_size=16))
        data = [salt + i.to_bytes(4, "big") + b"\xab" * (i % 5) for i in range(n)]
    return [ref_leaf(d) for d in data]


@settings(max_examples=150, deadline=None)
@given(trees(min_size=0))
def test_root_matches_reference(hs: list[bytes]) -> None:
    want = ref_mth(hs)
    assert root_from_leaf_hashes(hs) == want
    cr = CompactRange()
    for lh in hs:
        cr.append(lh)
    assert cr.size == len(hs)
    assert cr.root() == want


@settings(max_examples=100, deadline=None)
@given(trees(min_size=0))
def test_compact_range_root_after_every_append(hs: list[bytes]) -> None:
    cr = CompactRange()
    assert cr.root() == EMPTY_ROOT
    for i, lh in enumerate(hs):
        cr.append(lh)
        assert cr.size == i + 1
        assert cr.root() == root_from_leaf_hashes(hs[: i + 1]) == ref_mth(hs[: i + 1])


@settings(max_examples=100, deadline=None)
@given(trees(min_size=0), st.data())
def test_compact_range_extend_and_copy(hs: list[bytes], data: st.DataObject) -> None:
    cut = data.draw(st.integers(min_value=0, max_value=len(hs)))
    a = CompactRange()
    a.extend(hs[:cut])
    snapshot = a.copy()
    a.extend(iter(hs[cut:]))
    assert a.size == len(hs)
    assert a.root() == ref_mth(hs)
    # The copy is unaffected by later appends and can diverge on its own.
    assert snapshot.size == cut
    assert snapshot.root() == ref_mth(hs[:cut])
    other = leaf_hash(b"fork")
    snapshot.append(other)
    assert snapshot.root() == ref_mth([*hs[:cut], other])
    assert a.root() == ref_mth(hs)


@pytest.mark.parametrize("start", range(0, 9))
def test_subtree_root_all_ranges(start: int) -> None:
    hs = [ref_leaf(bytes([i])) for i in range(40)]
    for end in range(start, 40):
        assert subtree_root(hs, start, end) == ref_mth(hs[start:end])


@settings(max_examples=100, deadline=None)
@given(trees(), st.data())
def test_inclusion_proofs_match_reference_and_verify(hs: list[bytes], data: st.DataObject) -> None:
    n = len(hs)
    root = ref_mth(hs)
    indices = {0, n - 1, data.draw(st.integers(min_value=0, max_value=n - 1))}
    for i in indices:
        proof = inclusion_proof(i, n, hs)
        assert proof == ref_path(i, hs)
        assert len(proof) == len(ref_sides(i, n))
        assert verify_inclusion(hs[i], i, n, proof, root) is True
        # Extra leaves beyond `size` are ignored.
        assert inclusion_proof(i, n, [*hs, SOME_HASH]) == proof


@settings(max_examples=60, deadline=None)
@given(trees(max_size=64))
def test_every_inclusion_proof_verifies(hs: list[bytes]) -> None:
    n = len(hs)
    for size in range(1, n + 1):
        root = ref_mth(hs[:size])
        for i in range(size):
            proof = inclusion_proof(i, size, hs)
            assert proof == ref_path(i, hs[:size])
            assert verify_inclusion(hs[i], i, size, proof, root)


@settings(max_examples=150, deadline=None)
@given(trees(), st.data())
def test_inclusion_tampering_is_rejected(hs: list[bytes], data: st.DataObject) -> None:
    n = len(hs)
    i = data.draw(st.integers(min_value=0, max_value=n - 1), label="index")
    root = ref_mth(hs)
    proof = inclusion_proof(i, n, hs)
    leaf = hs[i]
    assert verify_inclusion(leaf, i, n, proof, root)

    bit = data.draw(st.integers(min_value=0, max_value=8 * HASH_SIZE - 1), label="bit")
    # Any single bit flip in any proof element.
    for k in range(len(proof)):
        bad = list(proof)
        bad[k] = flip_bit(bad[k], bit)
        assert not verify_inclusion(leaf, i, n, bad, root)
    # ... in the leaf, or in the root.
    assert not verify_inclusion(flip_bit(leaf, bit), i, n, proof, root)
    assert not verify_inclusion(leaf, i, n, proof, flip_bit(root, bit))
    # Another leaf of the same tree with this leaf's proof.
    j = data.draw(st.integers(min_value=0, max_value=n - 1), label="other leaf")
    if j != i:
        assert not verify_inclusion(hs[j], i, n, proof, root)
        # A wrong index never verifies (the side pattern fixes the position).
        assert not verify_inclusion(leaf, j, n, proof, root)
    # Truncated and extended proofs.
    if proof:
        assert not verify_inclusion(leaf, i, n, proof[:-1], root)
        assert not verify_inclusion(leaf, i, n, proof[1:], root)
    assert not verify_inclusion(leaf, i, n, [*proof, SOME_HASH], root)
    assert not verify_inclusion(leaf, i, n, [SOME_HASH, *proof], root)
    assert not verify_inclusion(leaf, i, n, [*proof, root], root)
    # A wrong size verifies exactly when it gives the same left/right pattern
    # (inclusion proofs alone cannot tell such sizes apart: the signed tree
    # head binds the size to the root); otherwise it must fail.
    for wrong in {1, n - 1, n + 1, 2 * n, n // 2, n + 7, data.draw(st.integers(1, 2 * n + 8))} - {n}:
        if wrong <= i:
            assert not verify_inclusion(leaf, i, wrong, proof, root)
            continue
        same_shape = ref_sides(i, wrong) == ref_sides(i, n)
        assert verify_inclusion(leaf, i, wrong, proof, root) is same_shape


@settings(max_examples=60, deadline=None)
@given(trees())
def test_all_consistency_proofs_match_reference_and_verify(hs: list[bytes]) -> None:
    n = len(hs)
    roots = [ref_mth(hs[:m]) for m in range(n + 1)]
    for m in range(n + 1):
        proof = consistency_proof(m, n, hs)
        assert proof == ref_proof(m, hs)
        assert verify_consistency(m, n, roots[m], roots[n], proof) is True


@settings(max_examples=40, deadline=None)
@given(trees(max_size=40))
def test_every_consistency_pair_verifies(hs: list[bytes]) -> None:
    n = len(hs)
    roots = [ref_mth(hs[:m]) for m in range(n + 1)]
    for new in range(n + 1):
        for old in range(new + 1):
            proof = consistency_proof(old, new, hs)
            assert proof == ref_proof(old, hs[:new])
            assert verify_consistency(old, new, roots[old], roots[new], proof)


@settings(max_examples=150, deadline=None)
@given(trees(min_size=2), st.data())
def test_consistency_tampering_is_rejected(hs: list[bytes], data: st.DataObject) -> None:
    n = len(hs)
    m = data.draw(st.integers(min_value=1, max_value=n - 1), label="old size")
    r1, r2 = ref_mth(hs[:m]), ref_mth(hs)
    proof = consistency_proof(m, n, hs)
    assert proof
    assert verify_consistency(m, n, r1, r2, proof)

    bit = data.draw(st.integers(min_value=0, max_value=8 * HASH_SIZE - 1), label="bit")
    for k in range(len(proof)):
        bad = list(proof)
        bad[k] = flip_bit(bad[k], bit)
        assert not verify_consistency(m, n, r1, r2, bad)
    assert not verify_consistency(m, n, flip_bit(r1, bit), r2, proof)
    assert not verify_consistency(m, n, r1, flip_bit(r2, bit), proof)
    assert not verify_consistency(m, n, r2, r1, proof)
    assert not verify_consistency(m, n, r1, r2, [])
    assert not verify_consistency(m, n, r1, r2, proof[:-1])
    assert not verify_consistency(m, n, r1, r2, proof[1:])
    assert not verify_consistency(m, n, r1, r2, [*proof, SOME_HASH])
    assert not verify_consistency(m, n, r1, r2, [SOME_HASH, *proof])
    assert not verify_consistency(m, n, r1, r2, [r1, *proof])
    # An older tree that is not a prefix of the new one.
    forged = [*hs[: m - 1], leaf_hash(b"forged")]
    assume(forged != hs[:m])
    assert not verify_consistency(m, n, ref_mth(forged), r2, proof)
    # Wrong sizes: whenever the sizes call for a proof of another length the
    # proof must fail (the verifier consumes exactly that many elements).
    sizes = {(m - 1, n), (m + 1, n), (m ^ 2, n), (m, n * 2), (m, n // 2), (m, n + 1), (m, n - 1)}
    sizes.add((data.draw(st.integers(0, 2 * n)), data.draw(st.integers(0, 2 * n))))
    for mm, nn in sizes:
        if (mm, nn) == (m, n):
            continue
        if not 0 < mm < nn:
            assert not verify_consistency(mm, nn, r1, r2, proof)
            continue
        want_len = len(ref_subproof(mm, [SOME_HASH] * nn, True))
        if want_len != len(proof):
            assert not verify_consistency(mm, nn, r1, r2, proof)


# ---------------------------------------------------------------------------
# Scale: a million leaves, no recursion, linear work
# ---------------------------------------------------------------------------


def test_million_leaves() -> None:
    n = 1_000_000
    sha = hashlib.sha256
    hs = [sha(i.to_bytes(8, "big")).digest() for i in range(n)]
    expected_len = {i: len(ref_sides(i, n)) for i in (123_456, 999_999)}
    assert expected_len[123_456] == 20
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # nothing below may recurse deeply
    try:
        root = root_from_leaf_hashes(hs)
        cr = CompactRange()
        cr.extend(hs[:700_000])
        mid_root = cr.root()
        cr.extend(hs[700_000:])
        assert cr.root() == root
        assert mid_root == subtree_root(hs, 0, 700_000)
        for i in (123_456, 999_999):
            proof = inclusion_proof(i, n, hs)
            assert len(proof) == expected_len[i]
            assert verify_inclusion(hs[i], i, n, proof, root)
        proof = consistency_proof(700_000, n, hs)
        assert verify_consistency(700_000, n, mid_root, root, proof)
    finally:
        sys.setrecursionlimit(limit)
