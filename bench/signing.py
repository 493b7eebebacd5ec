"""Signature verification cost per sealed bid (``make bench-signing``): what the server adds to a submission
and to each bid at the opening when bids are signed — Ed25519 (``cryptography``, C) and SM2 with SM3 (``gmalg``,
pure Python) — against a reference measured in the same run: SHA-256 over the same bid's ciphertext, which the
server computes for every submission anyway. Figures only; nothing is asserted.

    python bench/signing.py [--size-kb 256] [--rounds 200]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import sunshine  # noqa: F401
except ImportError:  # running from a checkout without the package installed
    sys.path.insert(0, str(ROOT / "src"))

from sunshine.bidding import envelope  # noqa: E402
from sunshine.signing import crypto  # noqa: E402


def _per_call(fn, rounds: int) -> tuple[float, float]:
    """Median and 95th percentile seconds of ``fn()`` over ``rounds`` calls (after one warm-up)."""
    fn()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-kb", type=int, default=256, help="ciphertext size of the reference bid")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    sealed = os.urandom(args.size_kb * 1024)
    key = envelope.new_key()
    aad = envelope.binding("GC2026-0001", 1, "91350100MA2XXXXXXX")
    message = envelope.signed_message(sealed, aad, envelope.key_commitment(key))
    rows = []
    reference, _ = _per_call(lambda: hashlib.sha256(sealed).digest(), args.rounds)
    rows.append((f"reference: SHA-256 of a {args.size_kb} KB ciphertext", reference, None))
    rows.append(
        (
            "canonical signed message (hashes the ciphertext)",
            *_per_call(lambda: envelope.signed_message(sealed, aad, envelope.key_commitment(key)), args.rounds),
        )
    )
    for algorithm in crypto.ALGORITHMS:
        private, public = crypto.generate(algorithm)
        signature = crypto.sign(algorithm, private, message)
        assert crypto.verify(algorithm, public, message, signature)
        rounds = args.rounds if algorithm == "ed25519" else max(10, args.rounds // 10)
        rows.append(
            (
                f"{algorithm}: verify one signature",
                *_per_call(lambda a=algorithm, k=public, sig=signature: crypto.verify(a, k, message, sig), rounds),
            )
        )
        rows.append(
            (
                f"{algorithm}: sign (the bidder's side)",
                *_per_call(lambda a=algorithm, k=private: crypto.sign(a, k, message), rounds),
            )
        )
    print(f"bench/signing.py: {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'operation':52} {'median':>10} {'p95':>10} {'× reference':>12}")
    for name, median, p95 in rows:
        p95_text = f"{p95 * 1000:8.3f} ms" if p95 is not None else ""
        print(f"{name:52} {median * 1000:8.3f} ms {p95_text:>10} {median / reference:11.1f}×")
    print("Figures only: nothing here is asserted.")


if __name__ == "__main__":
    main()
