"""Signature verification for the registered algorithms: Ed25519 (RFC 8032, via ``cryptography``) and SM2 with
SM3 (GB/T 32918.2, GM/T 0003.2; hash GB/T 32905, GM/T 0004; via the pure-Python package ``gmalg``).

Encodings (docs/signing.md):

- Ed25519: public key the raw 32 bytes in standard base64; signature the raw 64 bytes.
- SM2: public key the uncompressed point ``04 || x || y`` in hexadecimal (65 bytes); signature ``r || s``,
  each 32 bytes big-endian (64 bytes, not DER). The signer's distinguishing identifier is the default
  ``1234567812345678`` of GM/T 0009, so the digest is ``SM3(Z_A || M)`` with Z_A over that identifier.

Over the wire (API, receipts) a signature is base64 of those 64 bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from gmalg import SM2

ALGORITHMS = ("ed25519", "sm2")
ALGORITHM_LABELS = {"ed25519": "Ed25519", "sm2": "SM2（国密，SM3 杂凑）"}
SM2_DEFAULT_ID = b"1234567812345678"  # GM/T 0009 默认用户标识
SIGNATURE_BYTES = 64


class KeyFormatError(ValueError):
    """A public key or signature is not in the encoding its algorithm uses here (message in Chinese)."""


def key_bytes(algorithm: str, public_key: str) -> bytes:
    """The key's bytes from its text encoding; checks the length and (SM2) that the point is on the curve."""
    text = (public_key or "").strip()
    if algorithm == "ed25519":
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise KeyFormatError("Ed25519 公钥应为 32 字节的 Base64 编码") from None
        if len(raw) != 32:
            raise KeyFormatError("Ed25519 公钥应为 32 字节的 Base64 编码")
        try:
            Ed25519PublicKey.from_public_bytes(raw)
        except ValueError:
            raise KeyFormatError("Ed25519 公钥无效") from None
        return raw
    if algorithm == "sm2":
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise KeyFormatError("SM2 公钥应为 04 开头的非压缩点十六进制编码（130 位）") from None
        if len(raw) != 65 or raw[0] != 4:
            raise KeyFormatError("SM2 公钥应为 04 开头的非压缩点十六进制编码（130 位）")
        try:
            valid = SM2(pk=raw).verify_pk(raw)
        except Exception:  # gmalg raises its own errors for points it cannot parse
            valid = False
        if not valid:
            raise KeyFormatError("SM2 公钥不是 SM2 曲线上的有效点")
        return raw
    raise KeyFormatError("签名算法应为 ed25519 或 sm2")


def normalise(algorithm: str, public_key: str) -> str:
    """The one text form stored for a key (base64 for Ed25519, lowercase hex for SM2)."""
    raw = key_bytes(algorithm, public_key)
    return base64.b64encode(raw).decode() if algorithm == "ed25519" else raw.hex()


def fingerprint(algorithm: str, public_key: str) -> str:
    """SHA-256 over ``algorithm || 0x00 || key bytes``, hexadecimal."""
    return hashlib.sha256(algorithm.encode() + b"\x00" + key_bytes(algorithm, public_key)).hexdigest()


def verify(algorithm: str, public_key: str, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is a valid signature of ``message`` under the key; never raises on bad input."""
    if not isinstance(signature, bytes | bytearray) or len(signature) != SIGNATURE_BYTES:
        return False
    try:
        raw = key_bytes(algorithm, public_key)
    except KeyFormatError:
        return False
    if algorithm == "ed25519":
        try:
            Ed25519PublicKey.from_public_bytes(raw).verify(bytes(signature), message)
        except (InvalidSignature, ValueError):
            return False
        return True
    try:
        return bool(SM2(pk=raw, uid=SM2_DEFAULT_ID).verify(message, bytes(signature[:32]), bytes(signature[32:])))
    except Exception:  # a malformed point or value inside gmalg answers "not valid", never a 500
        return False


# Key generation and signing, for the command line client and the demo data (the server never holds a
# private key of a bidder; these run on the bidder's side).


def generate(algorithm: str) -> tuple[bytes, str]:
    """A new key pair: (private key bytes — Ed25519 32-byte seed or SM2 32-byte scalar, public key text)."""
    if algorithm == "ed25519":
        private = Ed25519PrivateKey.generate()
        seed = private.private_bytes_raw()
        return seed, base64.b64encode(private.public_key().public_bytes_raw()).decode()
    if algorithm == "sm2":
        sk, pk = SM2().generate_keypair()
        return sk, pk.hex()
    raise KeyFormatError("签名算法应为 ed25519 或 sm2")


def public_of(algorithm: str, private: bytes) -> str:
    if algorithm == "ed25519":
        return base64.b64encode(Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()).decode()
    if algorithm == "sm2":
        return SM2(sk=private, uid=SM2_DEFAULT_ID).generate_pk(private).hex()
    raise KeyFormatError("签名算法应为 ed25519 或 sm2")


def sign(algorithm: str, private: bytes, message: bytes) -> bytes:
    if algorithm == "ed25519":
        return Ed25519PrivateKey.from_private_bytes(private).sign(message)
    if algorithm == "sm2":
        signer = SM2(sk=private, uid=SM2_DEFAULT_ID)
        r, s = signer.sign(message)
        return r.rjust(32, b"\x00") + s.rjust(32, b"\x00")
    raise KeyFormatError("签名算法应为 ed25519 或 sm2")
