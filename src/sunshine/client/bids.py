"""The bidder's commands on a sealed bid at the platform: ``login``, ``submit`` (only the ciphertext and
the key commitment leave the machine, under the one idempotency key chosen at sealing), ``reveal`` (the
key, once the opening has begun), ``withdraw`` and ``status``.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from sunshine.bidding import envelope
from sunshine.client import device, signing_keys
from sunshine.client.bid_files import RECEIPT_FILE, BidDir, write_json
from sunshine.client.connection import RETRIES, TOKEN_FORMAT, connect, refusal, server_url, sign_in
from sunshine.client.options import (
    DirArg,
    PasswordOpt,
    PublicKeyB64Opt,
    PublicKeyFileOpt,
    RetriesOpt,
    ServerOpt,
    TimeoutOpt,
    TokenFileOpt,
    UsernameOpt,
)
from sunshine.client.output import console, fail, kv_table, local_time
from sunshine.client.verification import print_problems, receipt_problems, receipt_table, trusted_key


def login(
    token_file: Annotated[Path, typer.Option("--token-file", help="保存访问令牌的文件（权限 0600）")],
    server: ServerOpt = None,
    username: UsernameOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 30.0,
) -> None:
    """登录平台，把访问令牌保存到文件，供其他命令以 --token-file 使用。"""
    url = server_url(server)
    if not username:
        username = typer.prompt("用户名")
    data = sign_in(url, username, password, timeout)
    if token_file.exists():
        token_file.unlink()
    write_json(
        token_file,
        {
            "format": TOKEN_FORMAT,
            "server": url,
            "username": username,
            "access_token": data["access_token"],
            "expires_at": data.get("expires_at"),
        },
        secret=True,
        exclusive=True,
    )
    console.print(
        f"已登录 {escape(url)}，令牌保存在 {escape(str(token_file))}，有效期至 {local_time(data.get('expires_at'))}"
    )


def submit(
    directory: DirArg,
    server: ServerOpt = None,
    token_file: TokenFileOpt = None,
    username: UsernameOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 60.0,
    retries: RetriesOpt = RETRIES,
    public_key_file: PublicKeyFileOpt = None,
    public_key_b64: PublicKeyB64Opt = None,
    key: Annotated[
        Path | None, typer.Option("--key", help="签章人的签名私钥文件：以已确认的签名密钥对投标文件电子签名")
    ] = None,
    no_device: Annotated[
        bool, typer.Option("--no-device", help="不报告本机硬件标识的哈希（网卡 MAC 地址、机器码；供电子监察比对）")
    ] = False,
) -> None:
    """递交加密投标文件（只发送密文、密钥承诺和电子签名），保存并立即核验平台签名的投标回执。"""
    bid_dir = BidDir(directory)
    meta = bid_dir.meta()
    sealed = bid_dir.sealed(meta)
    bid_dir.key(meta["key_commitment"])  # never submit a bid whose key is not at hand for the opening
    signature_headers: dict[str, str] = {}
    if key is not None:
        if not meta.get("binding"):
            raise fail("bid.json 中没有绑定信息（binding），无法签名：请用 sunshine bid seal 重新加密")
        signature_headers = signing_keys.sign_bid(
            signing_keys.load(key), sealed, meta["binding"], meta["key_commitment"]
        )
    trusted = trusted_key(public_key_file, public_key_b64)
    platform = connect(server, token_file, username, password, timeout, fallback_server=meta.get("server"))
    try:
        platform.confirm_identity()
        console.print(f"正在向 {escape(platform.server)} 递交加密投标文件（{len(sealed)} 字节）…")
        response = platform.send(
            "POST",
            f"/api/v1/sections/{meta['section_id']}/bids",
            content=sealed,
            headers={
                "Content-Type": "application/octet-stream",
                "Idempotency-Key": meta["idempotency_key"],
                "Sunshine-Key-Commitment": meta["key_commitment"],
                **signature_headers,
                **({} if no_device else {"Sunshine-Device": device.header()}),
            },
            attempts=retries + 1,
            hint="；重试使用同一幂等键，不会产生第二份投标",
        )
        if response.status_code not in (200, 201):
            raise fail(refusal(response))
        try:
            receipt = response.json()
        except ValueError:
            raise fail("平台的答复不是投标回执（不是 JSON）") from None
        write_json(directory / RECEIPT_FILE, receipt)
        public_key = trusted if trusted is not None else platform.public_key()
    finally:
        platform.close()
    if response.status_code == 200:
        console.print("此前已以同一幂等键递交过：平台返回了第一次递交的回执，没有产生新的投标文件。")
    problems = receipt_problems(receipt, public_key, sealed, meta)
    if problems:
        print_problems(problems)
        raise fail(f"回执已保存到 {directory / RECEIPT_FILE}，但核验未通过；请保存证据并联系交易中心")
    console.print(receipt_table(receipt, "投标回执（已核验：平台签名、留痕包含性证明、密文哈希）"))
    replaces = ((receipt.get("ledger") or {}).get("entry") or {}).get("payload", {}).get("replaces")
    if replaces:
        console.print(f"本次递交替换了此前的投标文件 {escape(str(replaces))}，以最后递交的为准。")
    console.print(
        f"回执已保存到 {escape(str(directory / RECEIPT_FILE))}。"
        f"签名公钥标识 {hashlib.sha256(public_key).hexdigest()}，可与平台公布的核对。"
        "开标时运行 sunshine bid reveal 提交解密密钥。"
    )


def _bid_no(receipt: dict[str, Any]) -> str:
    bid_no = str(receipt.get("bid_no") or "")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", bid_no):
        raise fail("receipt.json 中没有有效的投标文件编号（bid_no）")
    return bid_no


def _bid_table(bid: dict[str, Any], title: str) -> Table:
    table = kv_table(title)
    table.add_row("投标文件编号", escape(str(bid.get("bid_no"))))
    table.add_row("状态", escape(str(bid.get("status_label") or bid.get("status"))))
    if bid.get("decryption"):
        table.add_row("解密情况", escape(str(bid.get("decryption_label") or bid.get("decryption"))))
    price = bid.get("price")
    table.add_row("投标报价（元）", "—" if price is None else f"{Decimal(str(price)):,.2f}")
    table.add_row("工期（日历天）", str(bid.get("duration_days") or "—"))
    return table


def reveal(
    directory: DirArg,
    server: ServerOpt = None,
    token_file: TokenFileOpt = None,
    username: UsernameOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 30.0,
    retries: RetriesOpt = RETRIES,
) -> None:
    """开标时提交解密密钥（bid.key），由平台解密并显示开标结果。"""
    bid_dir = BidDir(directory)
    meta = bid_dir.meta()
    receipt = bid_dir.receipt()
    key, info = bid_dir.key(meta["key_commitment"])
    if receipt.get("key_commitment") != meta["key_commitment"]:
        raise fail("receipt.json 中的密钥承诺与本目录的密钥不符：回执不是本目录投标文件的回执")
    bid_no = _bid_no(receipt)
    platform = connect(server, token_file, username, password, timeout, fallback_server=meta.get("server"))
    try:
        # the key leaves this machine only once the opening of this bid has begun
        bid = platform.json("GET", f"/api/v1/bids/{bid_no}", attempts=3)
        if bid.get("decryption") is None:
            if bid.get("status") != "sealed":
                raise fail(f"该投标文件{bid.get('status_label') or bid.get('status')}，无需解密；密钥没有发送")
            raise fail("开标尚未开始（或该标段不予开标），密钥没有发送；请在开标后解密时间内再运行本命令")
        if bid["decryption"] == "pending":
            platform.confirm_identity()
            bid = platform.json(
                "POST",
                f"/api/v1/bids/{bid_no}/reveal",
                json={"key": envelope.key_to_text(key)},
                attempts=retries + 1,
            )
        elif bid["decryption"] != "decrypted":
            raise fail(f"解密时间已结束：{bid.get('decryption_label') or bid['decryption']}；密钥没有发送")
    finally:
        platform.close()
    console.print(_bid_table(bid, "投标文件已解密"))
    sealed_price = (info.get("form") or {}).get("price")
    if (
        sealed_price is not None
        and bid.get("price") is not None
        and Decimal(str(bid["price"])) != Decimal(sealed_price)
    ):
        raise fail(f"平台解密出的报价 {bid['price']} 与本机加密时的报价 {sealed_price} 不一致，请立即提出开标异议")
    console.print(f"投标报价：[bold]{escape(str(bid.get('price')))}[/] 元")


def withdraw(
    directory: DirArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不再询问，直接撤回")] = False,
    server: ServerOpt = None,
    token_file: TokenFileOpt = None,
    username: UsernameOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 30.0,
    retries: RetriesOpt = RETRIES,
) -> None:
    """投标截止前撤回已递交的投标文件（《招标投标法》第二十九条）。"""
    bid_dir = BidDir(directory)
    meta = bid_dir.meta()
    bid_no = _bid_no(bid_dir.receipt())
    if not yes:
        typer.confirm(f"撤回后投标文件 {bid_no} 不再有效（截止前可重新加密递交）。确定撤回？", abort=True)
    platform = connect(server, token_file, username, password, timeout, fallback_server=meta.get("server"))
    try:
        platform.confirm_identity()
        response = platform.send("POST", f"/api/v1/bids/{bid_no}/withdraw", attempts=retries + 1)
        if response.status_code == 409:  # perhaps an earlier attempt went through and its answer was lost
            current = platform.send("GET", f"/api/v1/bids/{bid_no}", attempts=3)
            if current.status_code == 200 and current.json().get("status") == "withdrawn":
                response = current
        if response.status_code != 200:
            raise fail(refusal(response))
        bid = response.json()
    finally:
        platform.close()
    console.print(_bid_table(bid, "投标文件已撤回"))


def status(
    project_id: Annotated[int | None, typer.Option("--project-id", help="只列出该项目的投标文件")] = None,
    server: ServerOpt = None,
    token_file: TokenFileOpt = None,
    username: UsernameOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 30.0,
) -> None:
    """列出本单位递交过的投标文件（各版本）及其状态。"""
    platform = connect(server, token_file, username, password, timeout)
    try:
        params = {"project_id": project_id} if project_id is not None else None
        bids = platform.json("GET", "/api/v1/bids/mine", params=params, attempts=3)
    finally:
        platform.close()
    if not bids:
        console.print("本单位尚未递交投标文件")
        return
    table = Table("投标文件编号", "项目ID", "标段ID", "版本", "状态", "递交时间", "解密情况", "报价（元）")
    for bid in bids:
        table.add_row(
            escape(bid["bid_no"]),
            str(bid["project_id"]),
            str(bid["section_id"]),
            str(bid["version"]),
            escape(bid["status_label"]),
            local_time(bid["submitted_at"]),
            escape(bid.get("decryption_label") or "—"),
            "—" if bid.get("price") is None else str(bid["price"]),
        )
    console.print(table)
