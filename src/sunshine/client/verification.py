"""A receipt checked on the bidder's side: the platform key the bidder trusts, the receipt's signature,
the ledger entry's inclusion proof and the ciphertext's hash (``sunshine bid verify-receipt``, and
at once after ``submit``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rich.markup import escape
from rich.table import Table

from sunshine.bidding import receipts
from sunshine.client.bid_files import RECEIPT_FILE, SEALED_FILE, read_json
from sunshine.client.connection import Platform, server_url
from sunshine.client.options import PublicKeyB64Opt, PublicKeyFileOpt, TimeoutOpt
from sunshine.client.output import console, fail, kv_table, local_time


def trusted_key(public_key_file: Path | None, public_key_b64: str | None) -> bytes | None:
    if public_key_file is not None:
        try:
            public = serialization.load_pem_public_key(public_key_file.read_bytes())
        except (OSError, ValueError, TypeError) as exc:
            raise fail(f"无法读取公钥文件 {public_key_file}：{exc}") from None
        if not isinstance(public, Ed25519PublicKey):
            raise fail("公钥文件中不是 Ed25519 公钥")
        return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if public_key_b64 is not None:
        try:
            raw = base64.b64decode(public_key_b64.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise fail("--public-key-b64 不是有效的 Base64") from None
        if len(raw) != 32:
            raise fail("公钥应为32字节的 Ed25519 公钥（/api/v1/ledger/key 的 public_key）")
        return raw
    return None


def receipt_problems(receipt: dict[str, Any], public_key: bytes, sealed: bytes | None, meta: dict | None) -> list[str]:
    problems = receipts.verify(receipt, public_key, sealed)
    if meta is not None:
        for field, label in (
            ("key_commitment", "密钥承诺"),
            ("project_code", "项目编号"),
            ("section_number", "标段号"),
            ("bidder_credit_code", "投标人统一社会信用代码"),
        ):
            if receipt.get(field) != meta.get(field):
                problems.append(f"回执中的{label}与本机加密时的记录（bid.json）不符")
    return problems


def receipt_table(receipt: dict[str, Any], title: str) -> Table:
    ledger = receipt.get("ledger") or {}
    entry, head = ledger.get("entry") or {}, ledger.get("tree_head") or {}
    table = kv_table(title)
    table.add_row("投标文件编号", escape(str(receipt.get("bid_no"))))
    table.add_row("项目", escape(f"{receipt.get('project_code')} {receipt.get('project_name') or ''}".strip()))
    table.add_row("标段", f"第{receipt.get('section_number')}标段")
    table.add_row("投标人", escape(str(receipt.get("bidder") or "")))
    table.add_row("版本", str(receipt.get("version")))
    table.add_row("密文 SHA-256", escape(str(receipt.get("ciphertext_sha256"))))
    table.add_row("密文大小（字节）", str(receipt.get("size")))
    table.add_row("服务器接收时间", local_time(receipt.get("server_time")))
    table.add_row("投标截止时间", local_time(receipt.get("bid_deadline")))
    table.add_row("留痕序号", str(entry.get("seq")))
    table.add_row("签名树头", f"大小 {head.get('size')}，签于 {local_time(head.get('signed_at'))}")
    table.add_row("平台密钥标识", escape(str(receipt.get("key_id"))))
    signed = receipt.get("bidder_signature")
    if signed:
        table.add_row("电子签名", f"{escape(str(signed.get('signer')))}（{escape(str(signed.get('algorithm')))}）")
        table.add_row("签名密钥指纹", escape(str(signed.get("key_fingerprint"))))
    else:
        table.add_row("电子签名", "未签名")
    return table


def print_problems(problems: list[str]) -> None:
    table = Table("序号", "问题", title=f"回执核验未通过：发现 {len(problems)} 处问题")
    for i, problem in enumerate(problems, start=1):
        table.add_row(str(i), escape(problem))
    console.print(table)


def verify_receipt(
    receipt_file: Annotated[Path, typer.Argument(help="投标回执 receipt.json（或投标目录）")],
    sealed_file: Annotated[
        Path | None, typer.Option("--sealed", help="同时核对的加密投标文件（给出投标目录时默认用其中的 bid.sealed）")
    ] = None,
    public_key_file: PublicKeyFileOpt = None,
    public_key_b64: PublicKeyB64Opt = None,
    server: Annotated[
        str | None, typer.Option("--server", help="从该平台的 /api/v1/ledger/key 取公钥（不如事先核对的公钥可靠）")
    ] = None,
    timeout: TimeoutOpt = 30.0,
) -> None:
    """离线核验投标回执：平台签名、留痕记录的包含性证明，以及（可选）加密投标文件的哈希。"""
    if receipt_file.is_dir():
        if sealed_file is None and (receipt_file / SEALED_FILE).exists():
            sealed_file = receipt_file / SEALED_FILE
        receipt_file = receipt_file / RECEIPT_FILE
    receipt = read_json(receipt_file, "投标回执")
    sources = [s for s in (public_key_file, public_key_b64, server) if s is not None]
    if len(sources) != 1:
        raise fail("请给出且只给出一个信任的平台公钥：--public-key-file、--public-key-b64 或 --server")
    public_key = trusted_key(public_key_file, public_key_b64)
    if public_key is None:
        platform = Platform(server_url(server), timeout=timeout)
        try:
            public_key = platform.public_key()
        finally:
            platform.close()
    sealed = None
    if sealed_file is not None:
        if not sealed_file.is_file():
            raise fail(f"加密投标文件不存在：{sealed_file}")
        sealed = sealed_file.read_bytes()
    problems = receipts.verify(receipt, public_key, sealed)
    if problems:
        print_problems(problems)
        raise typer.Exit(1)
    console.print(receipt_table(receipt, "投标回执"))
    checked = "平台签名、签名树头、留痕包含性证明" + ("、加密投标文件的 SHA-256 与大小" if sealed is not None else "")
    console.print(f"[bold green]回执核验通过[/]：{checked}均正确（公钥标识 {hashlib.sha256(public_key).hexdigest()}）")
