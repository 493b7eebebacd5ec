"""Transparency log (全程留痕): an append-only Merkle tree with signed heads and public proofs."""
