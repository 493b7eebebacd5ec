"""``sunshine bid …``: the bidder's command line for sealed electronic bids, talking to the platform's API.

``seal`` encrypts the bid on this machine: the content key stays in ``bid.key`` (mode 0600) and never
leaves it before the opening. ``submit`` sends only the ciphertext and the key commitment, retrying
timeouts, lost connections and 5xx answers under the one idempotency key chosen at sealing (so a lost
answer can never create a second bid), and checks the signed receipt at once. ``verify-receipt`` checks
a receipt offline; ``reveal`` hands the key over at the opening; ``withdraw``, ``status`` and ``login``
complete the set. Formats and rules: docs/bidding.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import mimetypes
import os
import random
import re
import secrets
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import httpx
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sunshine.bidding import envelope, receipts

app = typer.Typer(help="电子投标：本机加密投标文件、递交、核验回执、开标解密", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

SEALED_FILE = "bid.sealed"  # the ciphertext, exactly as sent
KEY_FILE = "bid.key"  # the bidder's secret: the content key, never sent before the opening
META_FILE = "bid.json"  # what submit needs: section, commitment, SHA-256, size, idempotency key
RECEIPT_FILE = "receipt.json"  # the platform's signed receipt
KEY_FORMAT = "sunshine-bid-key/1"
META_FORMAT = "sunshine-bid-meta/1"
TOKEN_FORMAT = "sunshine-api-token/1"

RETRIES = 5  # further attempts after the first, on timeouts, lost connections and 5xx
BACKOFF_SECONDS = 1.0  # first wait; doubles each attempt (tests shrink it)
MAX_BACKOFF_SECONDS = 30.0
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

ServerOpt = Annotated[
    str | None,
    typer.Option("--server", envvar="SUNSHINE_BID_SERVER", help="平台地址，如 https://ggzy.example.gov.cn"),
]
TokenFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--token-file",
        envvar="SUNSHINE_BID_TOKEN_FILE",
        help="访问令牌文件（sunshine bid login 保存的文件，或只含令牌的文本文件）",
    ),
]
UsernameOpt = Annotated[
    str | None, typer.Option("--username", envvar="SUNSHINE_BID_USERNAME", help="投标单位账号的用户名")
]
PasswordOpt = Annotated[
    str | None,
    typer.Option("--password", envvar="SUNSHINE_BID_PASSWORD", help="密码；缺省时提示输入（不回显）"),
]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1, help="单次请求的超时（秒）")]
RetriesOpt = Annotated[int, typer.Option("--retries", min=0, max=20, help="超时、断线或服务器错误时的重试次数")]
DirArg = Annotated[Path, typer.Argument(help="sunshine bid seal 写出的投标目录")]


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]错误：[/]{escape(message)}")
    return typer.Exit(code)


def _warn(message: str) -> None:
    err.print(f"[yellow]注意：[/]{escape(message)}")


def _kv_table(title: str) -> Table:
    table = Table(title=title, show_header=False)
    table.add_column("项目", no_wrap=True)
    table.add_column("内容", overflow="fold")
    return table


def _local(text: str | None) -> str:
    """A server timestamp (ISO 8601, UTC) in the display time zone."""
    if not text:
        return "—"
    from sunshine.config import get_settings

    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    tz = get_settings().tz
    label = "北京时间" if tz.key == "Asia/Shanghai" else tz.key
    return f"{moment.astimezone(tz):%Y-%m-%d %H:%M:%S}（{label}）"


# --------------------------------------------------------------------------- files of the bid directory


def _read_json(path: Path, what: str) -> dict[str, Any]:
    if not path.exists():
        raise _fail(f"找不到{what}：{path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(f"{what}无法读取（{path}）：{exc}") from None
    if not isinstance(data, dict):
        raise _fail(f"{what}格式不正确：{path}")
    return data


def _write_json(path: Path, data: dict[str, Any], *, secret: bool = False, exclusive: bool = False) -> None:
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


def _write_bytes(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


class BidDir:
    """The files ``seal`` writes and the later commands read, checked against each other."""

    def __init__(self, path: Path) -> None:
        if not path.is_dir():
            raise _fail(f"投标目录不存在：{path}（请先运行 sunshine bid seal … --out 目录）")
        self.path = path

    def meta(self) -> dict[str, Any]:
        meta = _read_json(self.path / META_FILE, "投标信息文件 bid.json")
        if meta.get("format") != META_FORMAT:
            raise _fail(f"bid.json 不是 sunshine bid seal 生成的文件（格式应为 {META_FORMAT}）")
        missing = [
            f
            for f in ("section_id", "key_commitment", "ciphertext_sha256", "size", "idempotency_key")
            if not meta.get(f)
        ]
        if missing:
            raise _fail(f"bid.json 缺少 {'、'.join(missing)}：请勿手工修改该文件")
        return meta

    def sealed(self, meta: dict[str, Any]) -> bytes:
        path = self.path / SEALED_FILE
        if not path.exists():
            raise _fail(f"找不到加密投标文件：{path}")
        sealed = path.read_bytes()
        if hashlib.sha256(sealed).hexdigest() != meta.get("ciphertext_sha256") or len(sealed) != meta.get("size"):
            raise _fail("bid.sealed 与 bid.json 记载的 SHA-256 或大小不符：加密投标文件在加密之后被改动或替换过")
        return sealed

    def key(self, commitment: str) -> tuple[bytes, dict[str, Any]]:
        path = self.path / KEY_FILE
        info = _read_json(path, "密钥文件 bid.key")
        if info.get("format") != KEY_FORMAT:
            raise _fail(f"bid.key 不是 sunshine bid seal 生成的密钥文件（格式应为 {KEY_FORMAT}）")
        try:
            key = envelope.key_from_text(str(info.get("key", "")))
        except envelope.EnvelopeError as exc:
            raise _fail(f"bid.key 中的密钥无效：{exc}") from None
        if envelope.key_commitment(key) != commitment:
            raise _fail("bid.key 中的密钥与密钥承诺不符：密钥文件与加密投标文件不是同一次加密生成的")
        if os.name == "posix" and path.stat().st_mode & 0o077:
            _warn(f"{path} 可被其他用户读取，建议执行 chmod 600 {path}")
        return key, info

    def receipt(self) -> dict[str, Any]:
        path = self.path / RECEIPT_FILE
        if not path.exists():
            raise _fail(f"找不到投标回执 {path}：请先运行 sunshine bid submit {self.path}")
        return _read_json(path, "投标回执 receipt.json")


# --------------------------------------------------------------------------- the platform's API


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def refusal(response: httpx.Response) -> str:
    """What the platform's refusal means for the bidder, in Chinese."""
    problem = _problem(response)
    code = problem.get("code")
    detail = str(problem.get("detail") or problem.get("title") or response.reason_phrase or "")
    if code == "bid_deadline_passed":
        return (
            "投标截止时间已过，平台拒收：截止以服务器时钟为准"
            f"（服务器时间 {_local(problem.get('server_time'))}，截止时间 {_local(problem.get('deadline'))}）。{detail}"
        )
    if code == "invalid_credentials":
        return "登录失败：用户名或密码错误"
    if code == "not_authenticated":
        return f"未登录或访问令牌已失效（过期或已注销），请重新登录（sunshine bid login）。{detail}"
    if code == "idempotency_conflict":
        return (
            f"{detail}。本目录的幂等键已用于另一份投标文件（bid.sealed 可能被重新生成过）；"
            "修改投标文件请用 sunshine bid seal 加密到新目录后再递交"
        )
    if code == "payload_too_large":
        return f"加密投标文件超过平台允许的大小：{detail}"
    if response.status_code >= 500:
        return f"平台服务器出错（HTTP {response.status_code}）：{detail or '请稍后再试'}"
    return f"平台拒绝了请求（HTTP {response.status_code}）：{detail}"


class Platform:
    """The platform's JSON API as the bidder's command line uses it."""

    def __init__(self, server: str, *, timeout: float, token: str | None = None) -> None:
        self.server = server
        self.timeout = timeout
        headers = {"Accept": "application/json", "User-Agent": "sunshine-bid/1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(base_url=server, timeout=timeout, headers=headers)

    def close(self) -> None:
        self.client.close()

    def send(self, method: str, path: str, *, attempts: int = 1, hint: str = "", **kwargs: Any) -> httpx.Response:
        """One request, retried on timeouts, lost connections and 5xx with growing waits; the last answer
        (even a 5xx) is returned, and only if no answer came at all does this fail."""
        problem = ""
        response: httpx.Response | None = None
        for attempt in range(1, attempts + 1):
            response = None
            try:
                response = self.client.request(method, path, **kwargs)
            except httpx.TimeoutException:
                problem = f"请求超时（{self.timeout:g} 秒内未收到答复）"
            except httpx.UnsupportedProtocol:
                raise _fail(f"平台地址无效：{self.server}") from None
            except httpx.TransportError as exc:
                problem = f"网络连接失败（{exc or type(exc).__name__}）"
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                problem = f"平台暂时无法处理（HTTP {response.status_code}）"
            if attempt == attempts:
                break
            delay = min(MAX_BACKOFF_SECONDS, BACKOFF_SECONDS * 2 ** (attempt - 1)) * (1 + random.random() / 4)
            retry_after = response.headers.get("Retry-After") if response is not None else None
            if retry_after and retry_after.isdigit():
                delay = min(MAX_BACKOFF_SECONDS, max(delay, float(retry_after)))
            err.print(
                f"[yellow]{escape(problem)}，{delay:.1f} 秒后重试（第 {attempt + 1}/{attempts} 次）{escape(hint)}[/]"
            )
            time.sleep(delay)
        if response is not None:
            return response
        raise _fail(f"无法连接平台 {self.server}：{problem}，已尝试 {attempts} 次。{hint}".rstrip())

    def json(self, method: str, path: str, *, ok: tuple[int, ...] = (200,), **kwargs: Any) -> Any:
        response = self.send(method, path, **kwargs)
        if response.status_code not in ok:
            raise _fail(refusal(response))
        try:
            return response.json()
        except ValueError:
            raise _fail(
                f"平台的答复不是 JSON（HTTP {response.status_code}）：{self.server} 可能不是本平台地址"
            ) from None

    def public_key(self) -> bytes:
        """The platform's Ed25519 key as it publishes it at ``/api/v1/ledger/key``."""
        data = self.json("GET", "/api/v1/ledger/key", attempts=3)
        try:
            raw = base64.b64decode(data["public_key"], validate=True)
        except (KeyError, TypeError, binascii.Error, ValueError):
            raise _fail("平台公布的签名公钥格式不正确") from None
        if len(raw) != 32:
            raise _fail("平台公布的签名公钥不是32字节的 Ed25519 公钥")
        return raw


def _server_url(server: str | None, *fallbacks: str | None) -> str:
    for candidate in (server, *fallbacks):
        if candidate:
            break
    else:
        raise _fail("请用 --server 指定平台地址（或设置环境变量 SUNSHINE_BID_SERVER）")
    url = candidate.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail(f"平台地址应以 https:// 或 http:// 开头：{candidate}")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        _warn("正以明文 HTTP 连接平台：访问令牌和开标时提交的解密密钥可能被窃听，请使用 HTTPS 地址")
    return url


def _token_from_file(path: Path) -> tuple[str, str | None]:
    if not path.exists():
        raise _fail(f"找不到访问令牌文件：{path}（可用 sunshine bid login 生成）")
    text = path.read_text(encoding="utf-8").strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
            return str(data["access_token"]), data.get("server")
        except (json.JSONDecodeError, KeyError, TypeError):
            raise _fail(f"访问令牌文件格式不正确：{path}") from None
    if not text:
        raise _fail(f"访问令牌文件是空的：{path}")
    return text, None


def _login(server: str, username: str, password: str | None, timeout: float) -> dict[str, Any]:
    if password is None:
        password = typer.prompt(f"{username} 的密码", hide_input=True)
    anonymous = Platform(server, timeout=timeout)
    try:
        return anonymous.json(
            "POST", "/api/v1/auth/token", json={"username": username, "password": password}, attempts=3
        )
    finally:
        anonymous.close()


def connect(
    server: str | None,
    token_file: Path | None,
    username: str | None,
    password: str | None,
    timeout: float,
    *,
    fallback_server: str | None = None,
) -> Platform:
    """A signed-in client: the token from ``--token-file``, or one obtained with the username and password."""
    if token_file is not None:
        token, saved_server = _token_from_file(token_file)
        return Platform(_server_url(server, fallback_server, saved_server), timeout=timeout, token=token)
    if not username:
        raise _fail("请用 --token-file 给出访问令牌，或用 --username 登录（密码可在提示时输入）")
    url = _server_url(server, fallback_server)
    token = _login(url, username, password, timeout)["access_token"]
    return Platform(url, timeout=timeout, token=token)


# --------------------------------------------------------------------------- commands


@app.command("login")
def login(
    token_file: Annotated[Path, typer.Option("--token-file", help="保存访问令牌的文件（权限 0600）")],
    server: ServerOpt = None,
    username: UsernameOpt = None,
    password: PasswordOpt = None,
    timeout: TimeoutOpt = 30.0,
) -> None:
    """登录平台，把访问令牌保存到文件，供其他命令以 --token-file 使用。"""
    url = _server_url(server)
    if not username:
        username = typer.prompt("用户名")
    data = _login(url, username, password, timeout)
    if token_file.exists():
        token_file.unlink()
    _write_json(
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
        f"已登录 {escape(url)}，令牌保存在 {escape(str(token_file))}，有效期至 {_local(data.get('expires_at'))}"
    )


def _parse_binding(text: str) -> tuple[str, int, str]:
    """``sunshine-sealed-bid/1|项目编号|标段号|统一社会信用代码`` → its three parts."""
    parts = text.strip().split("|")
    usage = (
        f"绑定信息格式应为 {envelope.FORMAT}|项目编号|标段号|统一社会信用代码"
        "（即 GET /api/v1/sections/{标段ID}/bid-binding 答复中的 aad）"
    )
    if len(parts) < 4 or parts[0] != envelope.FORMAT or not parts[-2].isdigit():
        raise _fail(usage)
    code, number, credit = "|".join(parts[1:-2]), int(parts[-2]), parts[-1]
    if not code or not credit or envelope.binding(code, number, credit).decode() != text.strip():
        raise _fail(usage)
    return code, number, credit


def _documents(paths: list[Path]) -> list[envelope.Document]:
    documents = []
    for path in paths:
        if not path.is_file():
            raise _fail(f"附件不存在或不是文件：{path}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _fail(f"无法读取附件 {path}：{exc.strerror or exc}") from None
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        documents.append(envelope.Document(path.name, content_type, data))
    return documents


@app.command("seal")
def seal(
    section: Annotated[int, typer.Option("--section", help="标段ID（投标页面或项目接口中的 section id）")],
    price: Annotated[str, typer.Option("--price", help="投标报价（元），最多两位小数，如 4800000.00")],
    out: Annotated[Path, typer.Option("--out", help="输出目录（新目录，或不含投标文件的空目录）")],
    duration_days: Annotated[int | None, typer.Option("--duration-days", help="工期/交货期（日历天）")] = None,
    quality: Annotated[str, typer.Option("--quality", help="质量承诺")] = "",
    commitments: Annotated[str, typer.Option("--commitments", help="其他承诺（项目负责人、服务承诺等）")] = "",
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
        raise _fail(f"输出路径不是目录：{out}")
    if taken:
        raise _fail(f"目录 {out} 中已有 {'、'.join(taken)}；为免覆盖已递交投标文件的密钥，请换一个新目录")
    try:
        form = envelope.make_form(price, duration_days, quality, commitments)
    except envelope.EnvelopeError as exc:
        raise _fail(str(exc)) from None
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
            raise _fail("平台给出的绑定信息与其项目编号、标段号、信用代码不一致，请联系交易中心")
        deadline = info.get("bid_deadline")
    aad = envelope.binding(project_code, section_number, credit_code)
    plaintext = envelope.build_package(form, documents)
    key = envelope.new_key()
    sealed = envelope.seal(plaintext, key, aad)
    # the check the platform makes at the opening, made here first: this key opens this file to this form
    if envelope.parse_package(envelope.open_sealed(sealed, key, aad)).form != form:
        raise _fail("加密自检失败：解密结果与投标函不一致")
    commitment = envelope.key_commitment(key)
    digest = hashlib.sha256(sealed).hexdigest()
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    if created and os.name == "posix":
        out.chmod(0o700)
    _write_json(
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
    _write_bytes(out / SEALED_FILE, sealed)
    _write_json(
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
    table = _kv_table("投标文件已在本机加密")
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
        table.add_row("投标截止时间", _local(deadline))
    console.print(table)
    console.print(
        f"已写出 {escape(str(out / SEALED_FILE))}、{escape(str(out / META_FILE))} 和 "
        f"[bold]{escape(str(out / KEY_FILE))}[/]（权限 0600）。\n"
        "[bold]bid.key 是解密密钥：开标前不要发给任何人（包括平台），请另行备份；"
        "开标时丢失密钥将无法解密，按《电子招标投标办法》第三十一条视为撤销投标文件。[/]\n"
        f"下一步：sunshine bid submit {escape(str(out))}"
    )


def _trusted_key(public_key_file: Path | None, public_key_b64: str | None) -> bytes | None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if public_key_file is not None:
        try:
            public = serialization.load_pem_public_key(public_key_file.read_bytes())
        except (OSError, ValueError, TypeError) as exc:
            raise _fail(f"无法读取公钥文件 {public_key_file}：{exc}") from None
        if not isinstance(public, Ed25519PublicKey):
            raise _fail("公钥文件中不是 Ed25519 公钥")
        return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if public_key_b64 is not None:
        try:
            raw = base64.b64decode(public_key_b64.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise _fail("--public-key-b64 不是有效的 Base64") from None
        if len(raw) != 32:
            raise _fail("公钥应为32字节的 Ed25519 公钥（/api/v1/ledger/key 的 public_key）")
        return raw
    return None


PublicKeyFileOpt = Annotated[
    Path | None, typer.Option("--public-key-file", help="信任的平台公钥 PEM 文件（/api/v1/ledger/key.pem）")
]
PublicKeyB64Opt = Annotated[
    str | None, typer.Option("--public-key-b64", help="信任的平台公钥，Base64（/api/v1/ledger/key 的 public_key）")
]


def _receipt_problems(receipt: dict[str, Any], public_key: bytes, sealed: bytes | None, meta: dict | None) -> list[str]:
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


def _receipt_table(receipt: dict[str, Any], title: str) -> Table:
    ledger = receipt.get("ledger") or {}
    entry, head = ledger.get("entry") or {}, ledger.get("tree_head") or {}
    table = _kv_table(title)
    table.add_row("投标文件编号", escape(str(receipt.get("bid_no"))))
    table.add_row("项目", escape(f"{receipt.get('project_code')} {receipt.get('project_name') or ''}".strip()))
    table.add_row("标段", f"第{receipt.get('section_number')}标段")
    table.add_row("投标人", escape(str(receipt.get("bidder") or "")))
    table.add_row("版本", str(receipt.get("version")))
    table.add_row("密文 SHA-256", escape(str(receipt.get("ciphertext_sha256"))))
    table.add_row("密文大小（字节）", str(receipt.get("size")))
    table.add_row("服务器接收时间", _local(receipt.get("server_time")))
    table.add_row("投标截止时间", _local(receipt.get("bid_deadline")))
    table.add_row("留痕序号", str(entry.get("seq")))
    table.add_row("签名树头", f"大小 {head.get('size')}，签于 {_local(head.get('signed_at'))}")
    table.add_row("平台密钥标识", escape(str(receipt.get("key_id"))))
    return table


def _print_problems(problems: list[str]) -> None:
    table = Table("序号", "问题", title=f"回执核验未通过：发现 {len(problems)} 处问题")
    for i, problem in enumerate(problems, start=1):
        table.add_row(str(i), escape(problem))
    console.print(table)


@app.command("submit")
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
) -> None:
    """递交加密投标文件（只发送密文与密钥承诺），保存并立即核验平台签名的投标回执。"""
    bid_dir = BidDir(directory)
    meta = bid_dir.meta()
    sealed = bid_dir.sealed(meta)
    bid_dir.key(meta["key_commitment"])  # never submit a bid whose key is not at hand for the opening
    trusted = _trusted_key(public_key_file, public_key_b64)
    platform = connect(server, token_file, username, password, timeout, fallback_server=meta.get("server"))
    try:
        console.print(f"正在向 {escape(platform.server)} 递交加密投标文件（{len(sealed)} 字节）…")
        response = platform.send(
            "POST",
            f"/api/v1/sections/{meta['section_id']}/bids",
            content=sealed,
            headers={
                "Content-Type": "application/octet-stream",
                "Idempotency-Key": meta["idempotency_key"],
                "Sunshine-Key-Commitment": meta["key_commitment"],
            },
            attempts=retries + 1,
            hint="；重试使用同一幂等键，不会产生第二份投标",
        )
        if response.status_code not in (200, 201):
            raise _fail(refusal(response))
        try:
            receipt = response.json()
        except ValueError:
            raise _fail("平台的答复不是投标回执（不是 JSON）") from None
        _write_json(directory / RECEIPT_FILE, receipt)
        public_key = trusted if trusted is not None else platform.public_key()
    finally:
        platform.close()
    if response.status_code == 200:
        console.print("此前已以同一幂等键递交过：平台返回了第一次递交的回执，没有产生新的投标文件。")
    problems = _receipt_problems(receipt, public_key, sealed, meta)
    if problems:
        _print_problems(problems)
        raise _fail(f"回执已保存到 {directory / RECEIPT_FILE}，但核验未通过；请保存证据并联系交易中心")
    console.print(_receipt_table(receipt, "投标回执（已核验：平台签名、留痕包含性证明、密文哈希）"))
    replaces = ((receipt.get("ledger") or {}).get("entry") or {}).get("payload", {}).get("replaces")
    if replaces:
        console.print(f"本次递交替换了此前的投标文件 {escape(str(replaces))}，以最后递交的为准。")
    console.print(
        f"回执已保存到 {escape(str(directory / RECEIPT_FILE))}。"
        f"签名公钥标识 {hashlib.sha256(public_key).hexdigest()}，可与平台公布的核对。"
        "开标时运行 sunshine bid reveal 提交解密密钥。"
    )


@app.command("verify-receipt")
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
    receipt = _read_json(receipt_file, "投标回执")
    sources = [s for s in (public_key_file, public_key_b64, server) if s is not None]
    if len(sources) != 1:
        raise _fail("请给出且只给出一个信任的平台公钥：--public-key-file、--public-key-b64 或 --server")
    public_key = _trusted_key(public_key_file, public_key_b64)
    if public_key is None:
        platform = Platform(_server_url(server), timeout=timeout)
        try:
            public_key = platform.public_key()
        finally:
            platform.close()
    sealed = None
    if sealed_file is not None:
        if not sealed_file.is_file():
            raise _fail(f"加密投标文件不存在：{sealed_file}")
        sealed = sealed_file.read_bytes()
    problems = receipts.verify(receipt, public_key, sealed)
    if problems:
        _print_problems(problems)
        raise typer.Exit(1)
    console.print(_receipt_table(receipt, "投标回执"))
    checked = "平台签名、签名树头、留痕包含性证明" + ("、加密投标文件的 SHA-256 与大小" if sealed is not None else "")
    console.print(f"[bold green]回执核验通过[/]：{checked}均正确（公钥标识 {hashlib.sha256(public_key).hexdigest()}）")


def _bid_no(receipt: dict[str, Any]) -> str:
    bid_no = str(receipt.get("bid_no") or "")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", bid_no):
        raise _fail("receipt.json 中没有有效的投标文件编号（bid_no）")
    return bid_no


def _bid_table(bid: dict[str, Any], title: str) -> Table:
    table = _kv_table(title)
    table.add_row("投标文件编号", escape(str(bid.get("bid_no"))))
    table.add_row("状态", escape(str(bid.get("status_label") or bid.get("status"))))
    if bid.get("decryption"):
        table.add_row("解密情况", escape(str(bid.get("decryption_label") or bid.get("decryption"))))
    price = bid.get("price")
    table.add_row("投标报价（元）", "—" if price is None else f"{Decimal(str(price)):,.2f}")
    table.add_row("工期（日历天）", str(bid.get("duration_days") or "—"))
    return table


@app.command("reveal")
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
        raise _fail("receipt.json 中的密钥承诺与本目录的密钥不符：回执不是本目录投标文件的回执")
    bid_no = _bid_no(receipt)
    platform = connect(server, token_file, username, password, timeout, fallback_server=meta.get("server"))
    try:
        # the key leaves this machine only once the opening of this bid has begun
        bid = platform.json("GET", f"/api/v1/bids/{bid_no}", attempts=3)
        if bid.get("decryption") is None:
            if bid.get("status") != "sealed":
                raise _fail(f"该投标文件{bid.get('status_label') or bid.get('status')}，无需解密；密钥没有发送")
            raise _fail("开标尚未开始（或该标段不予开标），密钥没有发送；请在开标后解密时间内再运行本命令")
        if bid["decryption"] == "pending":
            bid = platform.json(
                "POST",
                f"/api/v1/bids/{bid_no}/reveal",
                json={"key": envelope.key_to_text(key)},
                attempts=retries + 1,
            )
        elif bid["decryption"] != "decrypted":
            raise _fail(f"解密时间已结束：{bid.get('decryption_label') or bid['decryption']}；密钥没有发送")
    finally:
        platform.close()
    console.print(_bid_table(bid, "投标文件已解密"))
    sealed_price = (info.get("form") or {}).get("price")
    if (
        sealed_price is not None
        and bid.get("price") is not None
        and Decimal(str(bid["price"])) != Decimal(sealed_price)
    ):
        raise _fail(f"平台解密出的报价 {bid['price']} 与本机加密时的报价 {sealed_price} 不一致，请立即提出开标异议")
    console.print(f"投标报价：[bold]{escape(str(bid.get('price')))}[/] 元")


@app.command("withdraw")
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
        response = platform.send("POST", f"/api/v1/bids/{bid_no}/withdraw", attempts=retries + 1)
        if response.status_code == 409:  # perhaps an earlier attempt went through and its answer was lost
            current = platform.send("GET", f"/api/v1/bids/{bid_no}", attempts=3)
            if current.status_code == 200 and current.json().get("status") == "withdrawn":
                response = current
        if response.status_code != 200:
            raise _fail(refusal(response))
        bid = response.json()
    finally:
        platform.close()
    console.print(_bid_table(bid, "投标文件已撤回"))


@app.command("status")
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
            _local(bid["submitted_at"]),
            escape(bid.get("decryption_label") or "—"),
            "—" if bid.get("price") is None else str(bid["price"]),
        )
    console.print(table)
