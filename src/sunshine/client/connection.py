"""The platform's JSON API as the bidder's command line reaches it: the server address, the access token
(from a token file or a sign-in), requests retried on timeouts, lost connections and 5xx with growing
waits, the platform's refusals explained in Chinese, and the password asked again before a sensitive step
(submitting, withdrawing, decrypting a bid) when the token's last password entry is too long ago.
"""

from __future__ import annotations

import base64
import binascii
import json
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import typer
from rich.markup import escape

from sunshine.client.bid_files import write_json
from sunshine.client.output import err, fail, local_time, warn

TOKEN_FORMAT = "sunshine-api-token/1"

RETRIES = 5  # further attempts after the first, on timeouts, lost connections and 5xx
BACKOFF_SECONDS = 1.0  # first wait; doubles each attempt (tests shrink it)
MAX_BACKOFF_SECONDS = 30.0
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


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
            f"（服务器时间 {local_time(problem.get('server_time'))}，"
            f"截止时间 {local_time(problem.get('deadline'))}）。{detail}"
        )
    if code == "invalid_credentials":
        return "登录失败：用户名或密码错误"
    if code in ("not_authenticated", "token_expired"):
        return f"未登录或访问令牌已失效（过期或已注销），请重新登录（sunshine bid login）。{detail}"
    if code == "reauthentication_required":
        return f"{detail}：请用 --username 运行并输入密码，或先运行 sunshine bid login 重新获取令牌"
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


@dataclass
class Credentials:
    """How this run obtains a fresh token when the platform asks for the password again: the account name, the
    password if it was given (otherwise it is asked for, once per run), and the token file to update."""

    username: str
    password: str | None = None
    token_file: Path | None = None

    def fresh_token(self, server: str, timeout: float, reason: str) -> dict[str, Any]:
        if self.password is None:
            err.print(f"[yellow]{escape(reason)}[/]")
            try:
                self.password = typer.prompt(f"{self.username} 的密码", hide_input=True)
            except typer.Abort:
                raise fail(f"{reason}：没有输入密码，操作未进行") from None
        data = sign_in(server, self.username, self.password, timeout)
        if self.token_file is not None:
            _save_token(self.token_file, server, self.username, data)
        return data


class Platform:
    """The platform's JSON API as the bidder's command line uses it."""

    def __init__(
        self, server: str, *, timeout: float, token: str | None = None, credentials: Credentials | None = None
    ) -> None:
        self.server = server
        self.timeout = timeout
        self.credentials = credentials
        headers = {"Accept": "application/json", "User-Agent": "sunshine-bid/1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(base_url=server, timeout=timeout, headers=headers)

    def close(self) -> None:
        self.client.close()

    def reauthenticate(self, reason: str) -> None:
        """A fresh token (its password entry is now) in place of the current one."""
        if self.credentials is None:
            raise fail(f"{reason}：请用 --username 运行并输入密码，或先运行 sunshine bid login 重新获取令牌")
        data = self.credentials.fresh_token(self.server, self.timeout, reason)
        self.client.headers["Authorization"] = f"Bearer {data['access_token']}"

    def confirm_identity(self) -> None:
        """Before a sensitive step: if the platform's window since the token's last password entry is (nearly)
        over, the password is entered again first, so the step is not refused half-way."""
        me = self.json("GET", "/api/v1/me", attempts=3)
        until, now = _instant(me.get("confirmed_until")), _instant(me.get("server_time"))
        if until is None or now is None or until > now + timedelta(seconds=30):
            return
        self.reauthenticate("此操作须再次输入密码确认身份")

    def send(self, method: str, path: str, *, attempts: int = 1, hint: str = "", **kwargs: Any) -> httpx.Response:
        """One request, retried on timeouts, lost connections and 5xx with growing waits; the last answer
        (even a 5xx) is returned, and only if no answer came at all does this fail. Refused because the
        password must be entered again, it is sent once more with a fresh token."""
        response = self._send(method, path, attempts=attempts, hint=hint, **kwargs)
        if response.status_code == 401 and _problem(response).get("code") == "reauthentication_required":
            self.reauthenticate(str(_problem(response).get("detail") or "请再次输入密码确认身份"))
            response = self._send(method, path, attempts=attempts, hint=hint, **kwargs)
        return response

    def _send(self, method: str, path: str, *, attempts: int, hint: str, **kwargs: Any) -> httpx.Response:
        problem = ""
        response: httpx.Response | None = None
        for attempt in range(1, attempts + 1):
            response = None
            try:
                response = self.client.request(method, path, **kwargs)
            except httpx.TimeoutException:
                problem = f"请求超时（{self.timeout:g} 秒内未收到答复）"
            except httpx.UnsupportedProtocol:
                raise fail(f"平台地址无效：{self.server}") from None
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
        raise fail(f"无法连接平台 {self.server}：{problem}，已尝试 {attempts} 次。{hint}".rstrip())

    def json(self, method: str, path: str, *, ok: tuple[int, ...] = (200,), **kwargs: Any) -> Any:
        response = self.send(method, path, **kwargs)
        if response.status_code not in ok:
            raise fail(refusal(response))
        try:
            return response.json()
        except ValueError:
            raise fail(
                f"平台的答复不是 JSON（HTTP {response.status_code}）：{self.server} 可能不是本平台地址"
            ) from None

    def public_key(self) -> bytes:
        """The platform's Ed25519 key as it publishes it at ``/api/v1/ledger/key``."""
        data = self.json("GET", "/api/v1/ledger/key", attempts=3)
        try:
            raw = base64.b64decode(data["public_key"], validate=True)
        except (KeyError, TypeError, binascii.Error, ValueError):
            raise fail("平台公布的签名公钥格式不正确") from None
        if len(raw) != 32:
            raise fail("平台公布的签名公钥不是32字节的 Ed25519 公钥")
        return raw


def server_url(server: str | None, *fallbacks: str | None) -> str:
    for candidate in (server, *fallbacks):
        if candidate:
            break
    else:
        raise fail("请用 --server 指定平台地址（或设置环境变量 SUNSHINE_BID_SERVER）")
    url = candidate.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(f"平台地址应以 https:// 或 http:// 开头：{candidate}")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        warn("正以明文 HTTP 连接平台：访问令牌和开标时提交的解密密钥可能被窃听，请使用 HTTPS 地址")
    return url


def _instant(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def _save_token(path: Path, server: str, username: str, data: dict[str, Any]) -> None:
    record = {"format": TOKEN_FORMAT, "server": server, "username": username, "access_token": data["access_token"]}
    write_json(path, {**record, "expires_at": data.get("expires_at")}, secret=True)  # replaced whole, 0600


def _username_in(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = data.get("username") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else None


def token_from_file(path: Path) -> tuple[str, str | None]:
    if not path.exists():
        raise fail(f"找不到访问令牌文件：{path}（可用 sunshine bid login 生成）")
    text = path.read_text(encoding="utf-8").strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
            return str(data["access_token"]), data.get("server")
        except (json.JSONDecodeError, KeyError, TypeError):
            raise fail(f"访问令牌文件格式不正确：{path}") from None
    if not text:
        raise fail(f"访问令牌文件是空的：{path}")
    return text, None


def sign_in(server: str, username: str, password: str | None, timeout: float) -> dict[str, Any]:
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
        token, saved_server = token_from_file(token_file)
        name = username or _username_in(token_file)
        credentials = Credentials(name, password, token_file) if name else None
        url = server_url(server, fallback_server, saved_server)
        return Platform(url, timeout=timeout, token=token, credentials=credentials)
    if not username:
        raise fail("请用 --token-file 给出访问令牌，或用 --username 登录（密码可在提示时输入）")
    url = server_url(server, fallback_server)
    if password is None:
        password = typer.prompt(f"{username} 的密码", hide_input=True)
    token = sign_in(url, username, password, timeout)["access_token"]
    return Platform(url, timeout=timeout, token=token, credentials=Credentials(username, password))
