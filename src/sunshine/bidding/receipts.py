"""Bid receipts (投标回执): what the platform signs when it accepts a sealed bid, and the offline check.

A receipt names the bid, the ciphertext's SHA-256 and size, the key commitment, the server time, and
the ledger entry that records the submission with its inclusion proof under a signed tree head. The
whole receipt is signed with the platform's Ed25519 key over its RFC 8785 canonical JSON (without the
``signature`` field). A signed bid's receipt also carries ``bidder_signature``: the signer, the algorithm, the
public key, its fingerprint and the signature over ``envelope.signed_message``, which ``verify`` checks again
from the receipt alone (the binding is rebuilt from the project code, section and credit code). ``verify`` needs
nothing but the receipt, the platform's public key and, if the bidder wants to check it too, the sealed
file: no network, no database.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from sunshine.bidding import envelope
from sunshine.ledger import format as fmt
from sunshine.ledger import merkle
from sunshine.ledger.signing import SigningKey, public_key_from_raw
from sunshine.ledger.signing import verify as verify_signature
from sunshine.signing import crypto

FORMAT = "sunshine-bid-receipt/1"


def _body(receipt: dict[str, Any]) -> bytes:
    return fmt.canonical_payload({k: v for k, v in receipt.items() if k != "signature"})


def sign(receipt: dict[str, Any], key: SigningKey) -> dict[str, Any]:
    signed = {**receipt, "format": FORMAT, "key_id": key.key_id}
    signed["signature"] = key.sign(_body(signed))
    return signed


def verify(receipt: dict[str, Any], public_key: bytes, sealed: bytes | None = None) -> list[str]:
    """Every problem found, in Chinese; an empty list means the receipt is genuine and complete."""
    problems: list[str] = []
    try:
        if receipt.get("format") != FORMAT:
            return [f"不是投标回执（格式应为 {FORMAT}）"]
        key = public_key_from_raw(public_key)
        if receipt.get("key_id") != hashlib.sha256(public_key).hexdigest():
            problems.append("回执的签名密钥不是所给的平台公钥")
        if not verify_signature(key, str(receipt.get("signature", "")), _body(receipt)):
            problems.append("回执签名无效：回执内容被改动，或不是本平台签发")
        ledger = receipt["ledger"]
        entry = ledger["entry"]
        payload = entry["payload"]
        if payload.get("ciphertext_sha256") != receipt["ciphertext_sha256"]:
            problems.append("留痕记录中的密文哈希与回执不符")
        if payload.get("key_commitment") != receipt["key_commitment"]:
            problems.append("留痕记录中的密钥承诺与回执不符")
        problems.extend(_bidder_signature_problems(receipt, payload))
        digest = fmt.payload_digest(fmt.canonical_payload(payload))
        leaf = merkle.leaf_hash(
            fmt.leaf_input(entry["seq"], entry["kind"], entry["subject"], digest, entry["recorded_at"])
        )
        head = ledger["tree_head"]
        message = fmt.head_message(head["size"], head["root_hash"], head["signed_at"], head["key_id"])
        if head["key_id"] != receipt.get("key_id") or not verify_signature(key, head["signature"], message):
            problems.append("树头签名无效")
        proof = [bytes.fromhex(h) for h in ledger["inclusion_proof"]]
        if not merkle.verify_inclusion(leaf, entry["seq"], head["size"], proof, bytes.fromhex(head["root_hash"])):
            problems.append("包含性证明不成立：该记录不在回执所附的签名树头之下")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return [*problems, f"回执缺少字段或格式不正确：{exc}"]
    if sealed is not None:
        if hashlib.sha256(sealed).hexdigest() != receipt["ciphertext_sha256"]:
            problems.append("所给加密投标文件的 SHA-256 与回执不符：不是回执对应的那份文件")
        elif len(sealed) != receipt["size"]:
            problems.append("所给加密投标文件的大小与回执不符")
    return problems


def _bidder_signature_problems(receipt: dict[str, Any], payload: dict[str, Any]) -> list[str]:
    signed = receipt.get("bidder_signature")
    if not signed:
        return ["留痕记录载有签名密钥指纹，回执却没有电子签名"] if payload.get("signer_fingerprint") else []
    problems = []
    algorithm, public_key = signed["algorithm"], signed["public_key"]
    try:
        if crypto.fingerprint(algorithm, public_key) != signed["key_fingerprint"]:
            problems.append("回执中签名公钥与其指纹不符")
    except crypto.KeyFormatError as exc:
        return [f"回执中的签名公钥格式不正确：{exc}"]
    if payload.get("signer_fingerprint") != signed["key_fingerprint"]:
        problems.append("留痕记录中的签名密钥指纹与回执不符")
    aad = envelope.binding(receipt["project_code"], receipt["section_number"], receipt["bidder_credit_code"])
    message = envelope.message_for_digest(receipt["ciphertext_sha256"], aad, receipt["key_commitment"])
    if not crypto.verify(algorithm, public_key, message, base64.b64decode(signed["signature"])):
        problems.append("投标人的电子签名无效：与密文、绑定信息或密钥承诺不符")
    return problems


def public_key_from_b64(text: str) -> bytes:
    return base64.b64decode(text)
