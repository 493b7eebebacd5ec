"""Hashing baselines for the ledger benchmark.

``bare_hash_loop`` is the floor: exactly the SHA-256 work needed to build the
Merkle tree of some leaves (n leaf hashes, then n - 1 node hashes level by
level), in the tightest plain-Python loop.  ``compact_range_loop`` does the
same hashing through :class:`sunshine.ledger.merkle.CompactRange`, the way a
log verifier consumes entries one at a time.  The ledger benchmark compares
its verification time against ``bare_hash_loop``; the aim is a ratio of at
most 2.

Run directly to print both timings for 1,000,000 leaves of ~200 bytes.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

try:
    from sunshine.ledger.merkle import CompactRange, leaf_hash, root_from_leaf_hashes
except ImportError:  # running from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from sunshine.ledger.merkle import CompactRange, leaf_hash, root_from_leaf_hashes


def bare_hash_loop(leaf_inputs: Sequence[bytes]) -> float:
    """Seconds to hash the leaves and all interior nodes with bare hashlib calls."""
    sha = hashlib.sha256
    start = time.perf_counter()
    level = [sha(b"\x00" + d).digest() for d in leaf_inputs]
    while len(level) > 1:
        n = len(level)
        nxt = [sha(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, n - 1, 2)]
        if n & 1:
            nxt.append(level[-1])
        level = nxt
    return time.perf_counter() - start


def bare_verify_loop(payloads: Sequence[bytes], leaf_inputs: Sequence[bytes]) -> float:
    """Seconds for every hash a verifier must compute over a log: each entry's payload digest, then the
    leaves and all interior nodes (``bare_hash_loop``). The floor the verification is measured against."""
    sha = hashlib.sha256
    start = time.perf_counter()
    digests = [sha(p).hexdigest() for p in payloads]
    level = [sha(b"\x00" + d).digest() for d in leaf_inputs]
    while len(level) > 1:
        n = len(level)
        nxt = [sha(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, n - 1, 2)]
        if n & 1:
            nxt.append(level[-1])
        level = nxt
    del digests
    return time.perf_counter() - start


def compact_range_loop(leaf_inputs: Sequence[bytes]) -> float:
    """Seconds to hash the leaves, append them one by one to a CompactRange and take the root."""
    start = time.perf_counter()
    cr = CompactRange()
    append = cr.append
    for d in leaf_inputs:
        append(leaf_hash(d))
    cr.root()
    return time.perf_counter() - start


def _compact_range_extend(leaf_inputs: Sequence[bytes]) -> float:
    start = time.perf_counter()
    cr = CompactRange()
    cr.extend(map(leaf_hash, leaf_inputs))
    cr.root()
    return time.perf_counter() - start


def _root_from_leaf_hashes(leaf_inputs: Sequence[bytes]) -> float:
    start = time.perf_counter()
    root_from_leaf_hashes([leaf_hash(d) for d in leaf_inputs])
    return time.perf_counter() - start


def _check_same_root(leaf_inputs: Sequence[bytes]) -> None:
    cr = CompactRange()
    for d in leaf_inputs:
        cr.append(leaf_hash(d))
    assert cr.root() == root_from_leaf_hashes([leaf_hash(d) for d in leaf_inputs])


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rounds = 3
    blob = os.urandom(256)
    inputs = [i.to_bytes(8, "big") + blob[(i % 64) : (i % 64) + 192] for i in range(n)]
    _check_same_root(inputs[:1000])
    timings: dict[str, list[float]] = {"bare": [], "append": [], "extend": [], "root_from": []}
    for _ in range(rounds):
        timings["bare"].append(bare_hash_loop(inputs))
        timings["append"].append(compact_range_loop(inputs))
        timings["extend"].append(_compact_range_extend(inputs))
        timings["root_from"].append(_root_from_leaf_hashes(inputs))
    best = {k: min(v) for k, v in timings.items()}
    print(f"{n:,} leaves of {len(inputs[0])} bytes, best of {rounds}")
    labels = {
        "bare": "bare hash loop",
        "append": "CompactRange append(leaf_hash)",
        "extend": "CompactRange extend(map(...))",
        "root_from": "root_from_leaf_hashes",
    }
    for key, label in labels.items():
        print(f"{label:34s}{best[key]:.3f} s   ratio {best[key] / best['bare']:.2f}")
