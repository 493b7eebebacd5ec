"""Demo signing keys (签名密钥) of 闽江建设 (build1): the signer 林峰's key in use (Ed25519, approved by the
enterprise administrator two months ago), the key it replaced (revoked when the laptop was replaced) and a new
SM2 key waiting for the administrator's approval. The demo bid of build1 is signed with the key in use
(``sign_bid``, called by demo/bidding.py); the other demo bidders have no signer and bid unsigned, which the
default rule allows. Demo private keys are derived from fixed labels so the demo can be rebuilt; the key in use is
also written to the data folder (``demo-signing-key.json``) so a visitor can sign on the bid page as ``signer``.
Idempotent."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import principal
from sunshine.signing import crypto
from sunshine.signing import service as signing
from sunshine.signing.models import KeyStatus, SigningKey

KEY_FILE = "demo-signing-key.json"
IN_USE = ("ed25519", "demo/build1/signer/2026")


def _private(algorithm: str, label: str) -> bytes:
    seed = hashlib.sha256(f"sunshine-demo-signing-key/{label}".encode()).digest()
    if algorithm == "sm2":  # a scalar below the SM2 group order
        return (int.from_bytes(seed, "big") % (2**255)).to_bytes(32, "big")
    return seed


def _public(algorithm: str, label: str) -> str:
    return crypto.public_of(algorithm, _private(algorithm, label))


def load_demo_signing(session_factory, real_now: datetime, data_dir: Path | None = None) -> int:
    """The demo keys, if build1's signer has none yet. Returns how many keys were made."""
    with session_factory() as session:
        signer = principal(session, "signer")
        if signer.organisation_id is None:
            return 0
        if session.scalar(select(SigningKey.id).where(SigningKey.user_id == signer.user_id).limit(1)) is not None:
            return 0
        admin = principal(session, "entadmin")
    walk = AdjustableClock(real_now - timedelta(days=400))
    with use_clock(walk):
        old_public = _public("ed25519", "demo/build1/signer/2025")
        with session_factory() as session:
            old = signing.register(session, signer, "ed25519", old_public, "林峰的旧笔记本电脑").id
        walk.advance(timedelta(hours=3))
        with session_factory() as session:
            signing.approve(session, admin, old)
        walk.set(real_now - timedelta(days=70))
        with session_factory() as session:
            signing.revoke(session, signer, old, "笔记本电脑已更换，旧私钥文件已销毁")
        walk.advance(timedelta(hours=1))
        with session_factory() as session:
            current = signing.register(session, signer, IN_USE[0], _public(*IN_USE), "林峰的投标专用笔记本").id
        walk.advance(timedelta(hours=2))
        with session_factory() as session:
            signing.approve(session, admin, current)
        walk.set(real_now - timedelta(days=2))
        with session_factory() as session:
            signing.register(session, signer, "sm2", _public("sm2", "demo/build1/signer/sm2"), "林峰的国密SM2密钥")
    _write_key(data_dir or get_settings().data_dir, current)
    return 3


def _write_key(data_dir: Path, key_id: int) -> None:
    algorithm, label = IN_USE
    public = _public(algorithm, label)
    doc = {
        "format": "sunshine-signing-key/1",
        "algorithm": algorithm,
        "public_key": public,
        "private_key": base64.b64encode(_private(algorithm, label)).decode(),
        "fingerprint": crypto.fingerprint(algorithm, public),
        "key_id": key_id,
        "note": "演示数据：闽江建设签章人 林峰（signer）的签名私钥，仅供演示签名",
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / KEY_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def sign_bid(session, organisation_id: int, message: bytes) -> tuple[int, str] | None:
    """(key id, base64 signature) by the organisation's demo key in use, or None if it has none."""
    algorithm, label = IN_USE
    fingerprint = crypto.fingerprint(algorithm, _public(algorithm, label))
    key = session.scalar(
        select(SigningKey).where(
            SigningKey.organisation_id == organisation_id,
            SigningKey.fingerprint == fingerprint,
            SigningKey.status == KeyStatus.ACTIVE,
        )
    )
    if key is None:
        return None
    return key.id, base64.b64encode(crypto.sign(algorithm, _private(algorithm, label), message)).decode()
