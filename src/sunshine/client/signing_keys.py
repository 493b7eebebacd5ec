"""The signer's commands on its signing key: ``keygen`` (a key pair made on this machine; the private key file is
written with mode 0600 and never sent), ``register-key`` (the public key registered through the JSON API, pending
until the enterprise administrator approves it; the key's number is written back into the key file) and ``keys``
(the organisation's keys). ``load`` and ``sign_bid`` are what ``submit --key`` uses. Formats: docs/signing.md.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from sunshine.bidding import envelope
from sunshine.client.bid_files import read_json, write_json
from sunshine.client.connection import connect, refusal
from sunshine.client.options import PasswordOpt, ServerOpt, TimeoutOpt, TokenFileOpt, UsernameOpt
from sunshine.client.output import console, fail
from sunshine.signing import crypto

KEY_FORMAT = "sunshine-signing-key/1"
KeyFileArg = Annotated[Path, typer.Option("--key", help="签名私钥文件（sunshine bid keygen 或密钥页面生成）")]


def _private_text(algorithm: str, private: bytes) -> str:
    return base64.b64encode(private).decode() if algorithm == "ed25519" else private.hex()


def load(path: Path) -> dict[str, Any]:
    """The key file, checked: its private key must give its public key."""
    info = read_json(path, "签名私钥文件")
    if info.get("format") != KEY_FORMAT:
        raise fail(f"{path} 不是签名私钥文件（格式应为 {KEY_FORMAT}）")
    algorithm = info.get("algorithm")
    if algorithm not in crypto.ALGORITHMS:
        raise fail("签名私钥文件中的算法应为 ed25519 或 sm2")
    try:
        text = str(info.get("private_key", ""))
        private = base64.b64decode(text, validate=True) if algorithm == "ed25519" else bytes.fromhex(text)
        if len(private) != 32 or crypto.public_of(algorithm, private) != crypto.normalise(
            algorithm, str(info.get("public_key", ""))
        ):
            raise ValueError
    except (ValueError, binascii.Error, crypto.KeyFormatError):
        raise fail("签名私钥文件已损坏：私钥与公钥不对应") from None
    return {**info, "private": private}


def sign_bid(info: dict[str, Any], sealed: bytes, binding: str, key_commitment: str) -> dict[str, str]:
    """The headers that carry the signature of a sealed bid (``envelope.signed_message``)."""
    if not info.get("key_id"):
        raise fail("签名私钥文件中没有密钥编号：请先运行 sunshine bid register-key 登记公钥，并由企业管理员确认")
    message = envelope.signed_message(sealed, binding.encode(), key_commitment)
    signature = crypto.sign(info["algorithm"], info["private"], message)
    return {
        "Sunshine-Signing-Key": str(int(info["key_id"])),
        "Sunshine-Signature": base64.b64encode(signature).decode(),
    }


def keygen(
    out: Annotated[Path, typer.Option("--out", help="写出签名私钥文件的路径（权限 0600，不得已存在）")],
    algorithm: Annotated[str, typer.Option("--algorithm", help="ed25519 或 sm2")] = "ed25519",
) -> None:
    """在本机生成签名密钥对：私钥写入文件（0600），显示公钥和指纹供登记。"""
    algorithm = algorithm.strip().lower()
    if algorithm not in crypto.ALGORITHMS:
        raise fail("签名算法应为 ed25519 或 sm2")
    if out.exists():
        raise fail(f"{out} 已存在：为免覆盖已有私钥，请另选文件名")
    private, public = crypto.generate(algorithm)
    fingerprint = crypto.fingerprint(algorithm, public)
    write_json(
        out,
        {
            "format": KEY_FORMAT,
            "algorithm": algorithm,
            "public_key": public,
            "private_key": _private_text(algorithm, private),
            "fingerprint": fingerprint,
        },
        secret=True,
        exclusive=True,
    )
    console.print(f"已生成 {crypto.ALGORITHM_LABELS[algorithm]} 签名密钥，私钥保存在 {escape(str(out))}（仅本人可读）")
    console.print(f"公钥：{public}")
    console.print(f"指纹：{fingerprint}")
    console.print("下一步：sunshine bid register-key --key 私钥文件 --label 名称，登记后请企业管理员确认。")


def register_key(
    key: KeyFileArg,
    label: Annotated[str, typer.Option("--label", help="密钥名称，如“投标专用笔记本”")],
    server: ServerOpt = None,
    token_file: TokenFileOpt = None,
    username: UsernameOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 30.0,
) -> None:
    """向平台登记签名公钥（签章人账号；私钥不离开本机），登记后待企业管理员确认。"""
    info = load(key)
    platform = connect(server, token_file, username, password, timeout)
    try:
        response = platform.send(
            "POST",
            "/api/v1/signing/keys",
            json={"algorithm": info["algorithm"], "public_key": info["public_key"], "label": label},
        )
        if response.status_code != 201:
            raise fail(refusal(response))
        registered = response.json()
    finally:
        platform.close()
    if registered["fingerprint"] != info["fingerprint"]:
        raise fail("平台登记的公钥指纹与本机计算的不符，请联系交易中心")
    data = {k: v for k, v in info.items() if k != "private"}
    data["key_id"] = registered["id"]
    key.unlink()
    write_json(key, data, secret=True, exclusive=True)
    console.print(
        f"已登记签名密钥，编号 {registered['id']}，状态：{escape(registered['status_label'])}；"
        "企业管理员确认后即可以 sunshine bid submit --key 签名递交。"
    )


def keys(
    server: ServerOpt = None,
    token_file: TokenFileOpt = None,
    username: UsernameOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 30.0,
) -> None:
    """列出本单位的签名密钥及其状态。"""
    platform = connect(server, token_file, username, password, timeout)
    try:
        rows = platform.json("GET", "/api/v1/signing/keys", attempts=3)
    finally:
        platform.close()
    if not rows:
        console.print("本单位尚未登记签名密钥")
        return
    table = Table("编号", "名称", "签章人", "算法", "指纹", "状态")
    for row in rows:
        table.add_row(
            str(row["id"]),
            escape(row["label"]),
            escape(row["signer"]),
            escape(row["algorithm_label"]),
            row["fingerprint"][:16],
            escape(row["status_label"]),
        )
    console.print(table)
