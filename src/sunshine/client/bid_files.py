"""The files of a bid directory that ``sunshine bid seal`` writes and the later commands read: the
ciphertext, the bidder's key (mode 0600), what submit needs, and the platform's receipt, each checked
against the others. Files are written whole or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

from sunshine.bidding import envelope
from sunshine.client.output import fail, warn

SEALED_FILE = "bid.sealed"  # the ciphertext, exactly as sent
KEY_FILE = "bid.key"  # the bidder's secret: the content key, never sent before the opening
META_FILE = "bid.json"  # what submit needs: section, commitment, SHA-256, size, idempotency key
RECEIPT_FILE = "receipt.json"  # the platform's signed receipt
KEY_FORMAT = "sunshine-bid-key/1"
META_FORMAT = "sunshine-bid-meta/1"


def read_json(path: Path, what: str) -> dict[str, Any]:
    if not path.exists():
        raise fail(f"找不到{what}：{path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"{what}无法读取（{path}）：{exc}") from None
    if not isinstance(data, dict):
        raise fail(f"{what}格式不正确：{path}")
    return data


def write_json(path: Path, data: dict[str, Any], *, secret: bool = False, exclusive: bool = False) -> None:
    """Written whole or not at all; ``secret`` files are readable by their owner only (0600)."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if exclusive:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if secret else 0o644)
    else:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if secret else 0o644)
    try:
        if secret:
            os.fchmod(fd, 0o600)  # whatever the umask
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        (path if exclusive else tmp).unlink(missing_ok=True)
        raise
    if not exclusive:
        os.replace(tmp, path)


def write_bytes(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


class BidDir:
    """The files ``seal`` writes and the later commands read, checked against each other."""

    def __init__(self, path: Path) -> None:
        if not path.is_dir():
            raise fail(f"投标目录不存在：{path}（请先运行 sunshine bid seal … --out 目录）")
        self.path = path

    def meta(self) -> dict[str, Any]:
        meta = read_json(self.path / META_FILE, "投标信息文件 bid.json")
        if meta.get("format") != META_FORMAT:
            raise fail(f"bid.json 不是 sunshine bid seal 生成的文件（格式应为 {META_FORMAT}）")
        missing = [
            f
            for f in ("section_id", "key_commitment", "ciphertext_sha256", "size", "idempotency_key")
            if not meta.get(f)
        ]
        if missing:
            raise fail(f"bid.json 缺少 {'、'.join(missing)}：请勿手工修改该文件")
        return meta

    def sealed(self, meta: dict[str, Any]) -> bytes:
        path = self.path / SEALED_FILE
        if not path.exists():
            raise fail(f"找不到加密投标文件：{path}")
        sealed = path.read_bytes()
        if hashlib.sha256(sealed).hexdigest() != meta.get("ciphertext_sha256") or len(sealed) != meta.get("size"):
            raise fail("bid.sealed 与 bid.json 记载的 SHA-256 或大小不符：加密投标文件在加密之后被改动或替换过")
        return sealed

    def key(self, commitment: str) -> tuple[bytes, dict[str, Any]]:
        path = self.path / KEY_FILE
        info = read_json(path, "密钥文件 bid.key")
        if info.get("format") != KEY_FORMAT:
            raise fail(f"bid.key 不是 sunshine bid seal 生成的密钥文件（格式应为 {KEY_FORMAT}）")
        try:
            key = envelope.key_from_text(str(info.get("key", "")))
        except envelope.EnvelopeError as exc:
            raise fail(f"bid.key 中的密钥无效：{exc}") from None
        if envelope.key_commitment(key) != commitment:
            raise fail("bid.key 中的密钥与密钥承诺不符：密钥文件与加密投标文件不是同一次加密生成的")
        if os.name == "posix" and path.stat().st_mode & 0o077:
            warn(f"{path} 可被其他用户读取，建议执行 chmod 600 {path}")
        return key, info

    def receipt(self) -> dict[str, Any]:
        path = self.path / RECEIPT_FILE
        if not path.exists():
            raise fail(f"找不到投标回执 {path}：请先运行 sunshine bid submit {self.path}")
        return read_json(path, "投标回执 receipt.json")
