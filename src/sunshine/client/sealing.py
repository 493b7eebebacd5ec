"""``sunshine bid seal``: the bid encrypted on the bidder's machine with a fresh key, bound to the project,
section and bidder that the platform names (or that the bidder gives offline), and checked by opening it
again before anything is written.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sunshine.bidding import envelope
from sunshine.client.bid_files import (
    KEY_FILE,
    KEY_FORMAT,
    META_FILE,
    META_FORMAT,
    RECEIPT_FILE,
    SEALED_FILE,
    write_bytes,
    write_json,
)
from sunshine.client.connection import connect
from sunshine.client.options import PasswordOpt, ServerOpt, TimeoutOpt, TokenFileOpt, UsernameOpt
from sunshine.client.output import console, fail, kv_table, local_time


def _parse_binding(text: str) -> tuple[str, int, str]:
    """``sunshine-sealed-bid/1|项目编号|标段号|统一社会信用代码`` → its three parts."""
    parts = text.strip().split("|")
    usage = (
        f"绑定信息格式应为 {envelope.FORMAT}|项目编号|标段号|统一社会信用代码"
        "（即 GET /api/v1/sections/{标段ID}/bid-binding 答复中的 aad）"
    )
    if len(parts) < 4 or parts[0] != envelope.FORMAT or not parts[-2].isdigit():
        raise fail(usage)
    code, number, credit = "|".join(parts[1:-2]), int(parts[-2]), parts[-1]
    if not code or not credit or envelope.binding(code, number, credit).decode() != text.strip():
        raise fail(usage)
    return code, number, credit


def _documents(paths: list[Path]) -> list[envelope.Document]:
    documents = []
    for path in paths:
        if not path.is_file():
            raise fail(f"附件不存在或不是文件：{path}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise fail(f"无法读取附件 {path}：{exc.strerror or exc}") from None
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        documents.append(envelope.Document(path.name, content_type, data))
    return documents


def seal(
    section: Annotated[int, typer.Option("--section", help="标段ID（投标页面或项目接口中的 section id）")],
    price: Annotated[str, typer.Option("--price", help="投标报价（元），最多两位小数，如 4800000.00")],
    out: Annotated[Path, typer.Option("--out", help="输出目录（新目录，或不含投标文件的空目录）")],
    duration_days: Annotated[int | None, typer.Option("--duration-days", help="工期/交货期（日历天）")] = None,
    quality: Annotated[str, typer.Option("--quality", help="质量承诺")] = "",
    commitments: Annotated[str, typer.Option("--commitments", help="其他承诺（项目负责人、服务承诺等）")] = "",
    pm_number: Annotated[str, typer.Option("--pm-number", help="拟派项目经理的注册编号（本单位人员中登记的）")] = "",
    pm_name: Annotated[str, typer.Option("--pm-name", help="拟派项目经理的姓名")] = "",
    document: Annotated[
        list[Path] | None, typer.Option("--document", help="随投标函加密的文件（技术标、资格证明等），可重复")
    ] = None,
    binding: Annotated[
        str | None,
        typer.Option("--binding", help="已知的绑定信息（bid-binding 的 aad）；给出时离线加密，不连接平台"),
    ] = None,
    server: ServerOpt = None,
    token_file: TokenFileOpt = None,
    username: UsernameOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 30.0,
) -> None:
    """在本机加密投标文件：生成新密钥，写出 bid.sealed（密文）、bid.key（密钥，开标前不外传）和 bid.json。"""
    taken = [name for name in (SEALED_FILE, KEY_FILE, META_FILE, RECEIPT_FILE) if (out / name).exists()]
    if out.exists() and not out.is_dir():
        raise fail(f"输出路径不是目录：{out}")
    if taken:
        raise fail(f"目录 {out} 中已有 {'、'.join(taken)}；为免覆盖已递交投标文件的密钥，请换一个新目录")
    try:
        manager = {"registration_number": pm_number, "name": pm_name}
        form = envelope.make_form(price, duration_days, quality, commitments, manager)
    except envelope.EnvelopeError as exc:
        raise fail(str(exc)) from None
    documents = _documents(document or [])
    deadline = server_url = None
    if binding is not None:
        project_code, section_number, credit_code = _parse_binding(binding)
    else:
        platform = connect(server, token_file, username, password, timeout)
        server_url = platform.server
        try:
            info = platform.json("GET", f"/api/v1/sections/{section}/bid-binding", attempts=3)
        finally:
            platform.close()
        project_code, section_number, credit_code = (
            info["project_code"],
            int(info["section_number"]),
            info["bidder_credit_code"],
        )
        if info.get("aad") != envelope.binding(project_code, section_number, credit_code).decode():
            raise fail("平台给出的绑定信息与其项目编号、标段号、信用代码不一致，请联系交易中心")
        deadline = info.get("bid_deadline")
    aad = envelope.binding(project_code, section_number, credit_code)
    plaintext = envelope.build_package(form, documents)
    key = envelope.new_key()
    sealed = envelope.seal(plaintext, key, aad)
    # the check the platform makes at the opening, made here first: this key opens this file to this form
    if envelope.parse_package(envelope.open_sealed(sealed, key, aad)).form != form:
        raise fail("加密自检失败：解密结果与投标函不一致")
    commitment = envelope.key_commitment(key)
    digest = hashlib.sha256(sealed).hexdigest()
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    if created and os.name == "posix":
        out.chmod(0o700)
    write_json(
        out / KEY_FILE,
        {
            "format": KEY_FORMAT,
            "key": envelope.key_to_text(key),
            "key_commitment": commitment,
            "project_code": project_code,
            "section_number": section_number,
            "bidder_credit_code": credit_code,
            "binding": aad.decode(),
            "form": form.as_dict(),
            "documents": [{"name": d.name, "size": len(d.data), "sha256": d.sha256} for d in documents],
        },
        secret=True,
        exclusive=True,
    )
    write_bytes(out / SEALED_FILE, sealed)
    write_json(
        out / META_FILE,
        {
            "format": META_FORMAT,
            "server": server_url,
            "section_id": section,
            "project_code": project_code,
            "section_number": section_number,
            "bidder_credit_code": credit_code,
            "binding": aad.decode(),
            "key_commitment": commitment,
            "ciphertext_sha256": digest,
            "size": len(sealed),
            "idempotency_key": "cli-" + secrets.token_hex(16),
            "sealed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "bid_deadline": deadline,
        },
        exclusive=True,
    )
    table = kv_table("投标文件已在本机加密")
    table.add_row("项目编号", escape(project_code))
    table.add_row("标段", f"第{section_number}标段（ID {section}）")
    table.add_row("投标人统一社会信用代码", escape(credit_code))
    table.add_row("投标报价（元）", f"{form.price:,.2f}")
    table.add_row("工期（日历天）", str(form.duration_days or "—"))
    table.add_row("附件", "、".join(escape(d.name) for d in documents) or "—")
    table.add_row("密文 SHA-256", digest)
    table.add_row("密文大小（字节）", str(len(sealed)))
    table.add_row("密钥承诺", commitment)
    if deadline:
        table.add_row("投标截止时间", local_time(deadline))
    console.print(table)
    console.print(
        f"已写出 {escape(str(out / SEALED_FILE))}、{escape(str(out / META_FILE))} 和 "
        f"[bold]{escape(str(out / KEY_FILE))}[/]（权限 0600）。\n"
        "[bold]bid.key 是解密密钥：开标前不要发给任何人（包括平台），请另行备份；"
        "开标时丢失密钥将无法解密，按《电子招标投标办法》第三十一条视为撤销投标文件。[/]\n"
        f"下一步：sunshine bid submit {escape(str(out))}"
    )
