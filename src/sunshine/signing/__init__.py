"""Signing keys (签名密钥): the public keys a market participant's signers register, approve and revoke, and the
verification of the signatures made with them (docs/signing.md)."""
