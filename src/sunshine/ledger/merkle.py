"""Merkle-tree mathematics for the Sunshine transparency log.

This module implements the hashing and proofs of an append-only log in the
manner of Certificate Transparency, following RFC 9162 §2.1 (which keeps the
tree shape and hashes of RFC 6962):

* Merkle Tree Hash (MTH) with domain-separated leaf and node hashes
  (``SHA-256(0x00 || leaf)`` and ``SHA-256(0x01 || left || right)``);
* inclusion proofs, PATH(m, D[n]) (§2.1.3.1), and their verification
  (§2.1.3.2);
* consistency proofs, PROOF(m, D[n]) (§2.1.4.1), and their verification
  (§2.1.4.2);
* a compact range (the "frontier": one root per perfect subtree) that yields
  the root of a growing log after each append, at amortised one node hash per
  leaf.

It is pure mathematics: no storage, no I/O, standard library only.  Every
function that takes "leaf hashes" expects values already produced by
:func:`leaf_hash` (32 bytes each); the builders do not re-check their length.
Verifiers never raise: any malformed argument makes them return ``False``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

__all__ = [
    "HASH_SIZE",
    "EMPTY_ROOT",
    "ProofError",
    "leaf_hash",
    "node_hash",
    "root_from_leaf_hashes",
    "subtree_root",
    "CompactRange",
    "inclusion_proof",
    "inclusion_ranges",
    "consistency_ranges",
    "perfect_pieces",
    "verify_inclusion",
    "consistency_proof",
    "verify_consistency",
]

HASH_SIZE = 32

_sha256 = hashlib.sha256
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

#: Root of the empty tree: MTH({}) = SHA-256() (RFC 9162 §2.1.1).
EMPTY_ROOT: bytes = _sha256(b"").digest()


class ProofError(ValueError):
    """A proof builder was given arguments outside the tree."""


def leaf_hash(data: bytes) -> bytes:
    """Return the hash of one log entry: SHA-256(0x00 || data)."""
    return _sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the hash of an interior node: SHA-256(0x01 || left || right)."""
    return _sha256(_NODE_PREFIX + left + right).digest()


# --------------------------------------------------------------------------
# Tree hashes
# --------------------------------------------------------------------------


def subtree_root(leaf_hashes: Sequence[bytes], start: int, end: int) -> bytes:
    """Return MTH(D[start:end]) for already-hashed leaves.

    The tree is built level by level, pairing neighbours and lifting an odd
    last node unchanged; this gives exactly the RFC 9162 shape (split at the
    largest power of two smaller than the size).  It costs ``end - start - 1``
    node hashes, needs no recursion and never copies the input sequence (the
    first level is read by index).
    """
    count = end - start
    if count <= 0:
        return EMPTY_ROOT
    if count == 1:
        return leaf_hashes[start]
    sha = _sha256
    p = _NODE_PREFIX
    lh = leaf_hashes
    level = [sha(p + lh[i] + lh[i + 1]).digest() for i in range(start, end - 1, 2)]
    if count & 1:
        level.append(lh[end - 1])
    while len(level) > 1:
        n = len(level)
        nxt = [sha(p + level[i] + level[i + 1]).digest() for i in range(0, n - 1, 2)]
        if n & 1:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> bytes:
    """Return the Merkle Tree Hash of all the given leaf hashes.

    ``EMPTY_ROOT`` for an empty sequence; ``n - 1`` node hashes otherwise.
    """
    return subtree_root(leaf_hashes, 0, len(leaf_hashes))


class CompactRange:
    """The roots of the perfect subtrees covering leaves ``[0, size)``.

    The stack holds one hash per set bit of ``size``, largest (left-most)
    subtree first.  Appending a leaf works like incrementing a binary
    counter: while the lowest bit is set, the two equal-sized right-most
    subtrees are merged.  That is amortised one node hash per leaf; the
    stack never holds more than ``size.bit_length()`` hashes.
    """

    __slots__ = ("_stack", "_size")

    def __init__(self) -> None:
        self._stack: list[bytes] = []
        self._size = 0

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    def append(self, leaf_hash: bytes) -> None:
        """Add one leaf hash (a value from :func:`leaf_hash`) to the right."""
        stack = self._stack
        n = self._size
        self._size = n + 1
        h = leaf_hash
        while n & 1:
            h = _sha256(_NODE_PREFIX + stack.pop() + h).digest()
            n >>= 1
        stack.append(h)

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append many leaf hashes; the same as calling :meth:`append` on each."""
        stack = self._stack
        pop = stack.pop
        push = stack.append
        sha = _sha256
        p = _NODE_PREFIX
        n = self._size
        for h in leaf_hashes:
            k = n
            n += 1
            while k & 1:
                h = sha(p + pop() + h).digest()
                k >>= 1
            push(h)
        self._size = n

    def root(self) -> bytes:
        """Return MTH of all leaves appended so far (``EMPTY_ROOT`` if none).

        The subtrees are folded from the right, so the smaller right-most
        subtrees are combined first, as RFC 6962 / RFC 9162 require.  Costs
        at most ``size.bit_length() - 1`` node hashes.
        """
        stack = self._stack
        if not stack:
            return EMPTY_ROOT
        sha = _sha256
        p = _NODE_PREFIX
        r = stack[-1]
        for i in range(len(stack) - 2, -1, -1):
            r = sha(p + stack[i] + r).digest()
        return r

    @classmethod
    def restore(cls, size: int, hashes: Sequence[bytes]) -> CompactRange:
        """Rebuild a compact range from its stored size and subtree roots (left to right)."""
        if len(hashes) != bin(size).count("1"):
            raise ValueError(f"紧凑范围与树的大小不符（size={size}, 哈希数={len(hashes)}）")
        other = cls()
        other._stack = list(hashes)
        other._size = size
        return other

    @property
    def hashes(self) -> list[bytes]:
        """The perfect subtree roots, largest (left-most) first."""
        return list(self._stack)

    def append_collecting(self, leaf_hash: bytes) -> list[tuple[int, int, bytes]]:
        """Append one leaf and return the perfect subtrees it completed as ``(level, index, hash)``
        (level >= 1), so that a store can keep them for proofs."""
        stack = self._stack
        n = self._size
        index = n
        self._size = n + 1
        h = leaf_hash
        level = 0
        made = []
        while n & 1:
            h = _sha256(_NODE_PREFIX + stack.pop() + h).digest()
            n >>= 1
            level += 1
            index >>= 1
            made.append((level, index, h))
        stack.append(h)
        return made

    def copy(self) -> CompactRange:
        """Return an independent copy (appending to one leaves the other alone)."""
        other = CompactRange()
        other._stack = self._stack.copy()
        other._size = self._size
        return other

    def __repr__(self) -> str:
        return f"CompactRange(size={self._size})"


# --------------------------------------------------------------------------
# Proof builders
# --------------------------------------------------------------------------


def _largest_power_of_two_below(n: int) -> int:
    """The k of RFC 9162: the largest power of two strictly smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _check_count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProofError(f"{name} 必须是非负整数（收到 {value!r}）")


def inclusion_proof(index: int, size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """Return the audit path PATH(index, D[size]) of RFC 9162 §2.1.3.1.

    Only the first ``size`` items of ``leaf_hashes`` are used.  The path is
    ordered from the leaf's sibling up to the child of the root.  The walk
    goes from the root down, so the sibling subtrees it hashes are disjoint:
    at most ``size`` node hashes in total and no recursion.

    Raises :class:`ProofError` if ``index >= size`` or ``size`` exceeds the
    number of leaves available.
    """
    _check_count("叶子序号 index", index)
    _check_count("树的大小 size", size)
    if index >= size:
        raise ProofError(f"叶子序号超出树的大小（index={index}, size={size}）")
    if size > len(leaf_hashes):
        raise ProofError(f"树的大小超出已有叶子数量（size={size}, 叶子数={len(leaf_hashes)}）")

    return [subtree_root(leaf_hashes, a, b) for a, b in inclusion_ranges(index, size)]


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges ``[start, end)`` whose roots make up PATH(index, D[size]), in proof order.

    Lets a store that keeps subtree roots build the proof without the leaves (see
    :func:`perfect_pieces`).
    """
    ranges: list[tuple[int, int]] = []  # collected root-first
    start, end = 0, size
    while end - start > 1:
        k = _largest_power_of_two_below(end - start)
        mid = start + k
        if index < mid:
            ranges.append((mid, end))
            end = mid
        else:
            ranges.append((start, mid))
            start = mid
    ranges.reverse()
    return ranges


def consistency_proof(old_size: int, new_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """Return the consistency proof PROOF(old_size, D[new_size]) of RFC 9162 §2.1.4.1.

    Empty when ``old_size`` is 0 or equal to ``new_size``.  Implements
    SUBPROOF(m, D[n], b) iteratively: the recursion only ever descends into
    one half, so the sibling hashes are collected on the way down and the
    terminal MTH (emitted when ``b`` is false) goes first.

    Raises :class:`ProofError` if ``old_size > new_size`` or ``new_size``
    exceeds the number of leaves available.
    """
    _check_count("旧树大小 old_size", old_size)
    _check_count("新树大小 new_size", new_size)
    if old_size > new_size:
        raise ProofError(f"旧树大小大于新树大小（old_size={old_size}, new_size={new_size}）")
    if new_size > len(leaf_hashes):
        raise ProofError(f"树的大小超出已有叶子数量（new_size={new_size}, 叶子数={len(leaf_hashes)}）")
    if old_size == 0 or old_size == new_size:
        return []

    return [subtree_root(leaf_hashes, a, b) for a, b in consistency_ranges(old_size, new_size)]


def consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose roots make up PROOF(old_size, D[new_size]), in proof order."""
    if old_size == 0 or old_size == new_size:
        return []
    ranges: list[tuple[int, int]] = []  # collected root-first
    start, end, m, b = 0, new_size, old_size, True
    while m != end - start:
        k = _largest_power_of_two_below(end - start)
        mid = start + k
        if m <= k:
            ranges.append((mid, end))
            end = mid
        else:
            ranges.append((start, mid))
            start = mid
            m -= k
            b = False
    ranges.reverse()
    if not b:
        ranges.insert(0, (start, end))
    return ranges


def perfect_pieces(start: int, end: int) -> list[tuple[int, int]]:
    """Split a proof range into aligned perfect subtrees ``(level, index)``, left to right.

    Subtree ``(level, index)`` covers leaves ``[index << level, (index + 1) << level)``. For every
    range produced by :func:`inclusion_ranges` or :func:`consistency_ranges`, MTH of the range is
    the right-to-left fold of its pieces' roots with :func:`node_hash`.
    """
    pieces: list[tuple[int, int]] = []
    while start < end:
        level = (end - start).bit_length() - 1
        while start & ((1 << level) - 1):
            level -= 1
        pieces.append((level, start >> level))
        start += 1 << level
    return pieces


# --------------------------------------------------------------------------
# Verifiers (never raise)
# --------------------------------------------------------------------------


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_hash(value: object) -> bool:
    return isinstance(value, (bytes, bytearray)) and len(value) == HASH_SIZE


def _hash_list(proof: object, max_len: int) -> list[bytes] | None:
    """The proof as a list of 32-byte hashes, or None if it is not one.

    ``max_len`` is a generous bound on any valid proof for the sizes at hand
    (tree depth + 1); longer proofs are refused before being copied.
    """
    if isinstance(proof, (bytes, bytearray, memoryview, str)):
        return None
    # A sized proof is measured before copying; an iterator has no length and is measured after.
    if hasattr(proof, "__len__") and len(proof) > max_len:  # type: ignore[arg-type]
        return None
    try:
        items = list(proof)  # type: ignore[call-overload]
    except TypeError:
        return None
    if len(items) > max_len:
        return None
    for item in items:
        if not _is_hash(item):
            return None
    return [bytes(item) for item in items]


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Check an inclusion proof with the algorithm of RFC 9162 §2.1.3.2.

    True iff ``proof`` shows that ``leaf_hash`` is leaf number ``index``
    (0-based) of the tree of ``size`` leaves whose root is ``root``.
    Returns False, never raises, on malformed input (index >= size, hashes
    that are not 32 bytes, proof too short or too long, ...).
    """
    if not (_is_count(index) and _is_count(size) and index < size):
        return False
    if not (_is_hash(leaf_hash) and _is_hash(root)):
        return False
    path = _hash_list(proof, size.bit_length() + 1)
    if path is None:
        return False

    # fn walks up from the leaf, sn from the last leaf; a set low bit of fn
    # (or fn == sn: a right-edge node with no right sibling) means the proof
    # element is on the left.
    sha = _sha256
    p = _NODE_PREFIX
    fn = index
    sn = size - 1
    r = bytes(leaf_hash)
    for c in path:
        if sn == 0:  # the proof is longer than the path to the root
            return False
        if fn & 1 or fn == sn:
            r = sha(p + c + r).digest()
            # Skip the levels where this node is lifted unpaired (only runs
            # when fn == sn with a clear low bit).
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = sha(p + r + c).digest()
        fn >>= 1
        sn >>= 1
    # sn != 0 here means the proof was too short.
    return sn == 0 and r == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """Check a consistency proof with the algorithm of RFC 9162 §2.1.4.2.

    True iff ``proof`` shows that the tree of ``old_size`` leaves with root
    ``old_root`` is a prefix of the tree of ``new_size`` leaves with root
    ``new_root``.  Special cases: equal sizes are consistent iff the proof is
    empty and the roots are equal; ``old_size == 0`` is consistent with any
    new tree iff the proof is empty.  Returns False, never raises, on
    malformed input.
    """
    if not (_is_count(old_size) and _is_count(new_size) and old_size <= new_size):
        return False
    path = _hash_list(proof, new_size.bit_length() + 2)
    if path is None:
        return False
    if old_size == new_size:
        return not path and _is_hash(old_root) and _is_hash(new_root) and old_root == new_root
    if old_size == 0:
        return not path
    if not (_is_hash(old_root) and _is_hash(new_root)):
        return False
    # Step 1: an empty path cannot prove 0 < old_size < new_size.
    if not path:
        return False
    # Step 2: if old_size is a power of two, old_root is itself a node of the
    # new tree, and the proof omits it.
    if old_size & (old_size - 1) == 0:
        path.insert(0, bytes(old_root))

    sha = _sha256
    p = _NODE_PREFIX
    # Steps 3-4: start from the largest perfect subtree ending at old_size.
    fn = old_size - 1
    sn = new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # Steps 5-6: fr rebuilds the old root, sr the new one.
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = sha(p + c + fr).digest()
            sr = sha(p + c + sr).digest()
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = sha(p + sr + c).digest()
        fn >>= 1
        sn >>= 1
    # Step 7.
    return fr == old_root and sr == new_root and sn == 0
