"""ASGI middleware: a cap on request body size, a bound on concurrent writing requests, the work of a request's
commits (messages to gateways) run after its response, and security headers (CSP, HSTS, no-store on private
responses, no Server banner, the session activity cookie) on every response."""

from __future__ import annotations

import asyncio
import json

from anyio import to_thread
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sunshine.core import after_commit


class WriteConcurrencyMiddleware:
    """Lets at most ``limit`` unsafe requests (POST, PUT, PATCH, DELETE) into the app at once; the others
    wait in the event loop, holding neither a worker thread nor a database connection.

    Why: a write holds its transaction (SQLite's write lock, PostgreSQL's ledger row lock) across several
    worker-thread hops of one request — dependencies, route, commit. At a bid deadline hundreds of
    submissions arrive together; unbounded, they filled every worker thread waiting for the lock while
    the request that held it waited for a thread to commit, and the pile-up ended in pool timeouts.
    The body is read in full before a slot is taken, so a slow upload never holds one. Reads have a
    bound of their own (``read_limit``): together the two stay below the worker threads (their sum plus a
    headroom, ``config.Settings.worker_threads``), so the request that holds a lock always finds a thread to
    finish on — 64 bidders polling an auction room on SQLite had otherwise taken them all. Each admitted
    request holds at most one thread and one database connection at a time, and the connection pool is
    sized from the same two limits (``db.py``), so no admitted request waits for a connection.

    ``/healthz`` does not queue behind the admitted requests: it answers whether the server is alive (the
    event loop, a worker thread from the headroom, a database connection), not how long the queue is.
    """

    UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
    UNQUEUED = frozenset({"/healthz"})

    def __init__(self, app: ASGIApp, limit: int, read_limit: int = 24) -> None:
        self.app = app
        self.limit = limit
        self._slots: asyncio.Semaphore | None = None
        self._reads: asyncio.Semaphore | None = None
        self.read_limit = read_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.UNQUEUED:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in self.UNSAFE:
            if self._reads is None:
                self._reads = asyncio.Semaphore(self.read_limit)
            async with self._reads:
                await self.app(scope, receive, send)
            return
        buffered: list[Message] = []
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        if self._slots is None:  # created inside the running loop
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, replay, send)


class AfterResponseMiddleware:
    """What a request's commits hand to ``core.after_commit`` (SMS, voice calls, mail to their gateways) runs once
    the response has been sent, in a worker thread, so that no one waits for a gateway: the draw room's reveal used
    to answer only after the 18 SMS and voice calls of the nine experts it called. The deliveries are already in
    their outbox by the commit; one that fails here stays there for the tick, as before. Innermost: the request's
    write slot (``WriteConcurrencyMiddleware``) is held until this work is done."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        queue: list = []
        token = after_commit.hold(queue)
        try:
            await self.app(scope, receive, send)
        finally:
            after_commit.release(token)
            if queue:
                await to_thread.run_sync(after_commit.run_held, queue)


class BodyLimitMiddleware:
    """Answers 413 problem+json to a body larger than ``max_bytes``, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.max_bytes
            except ValueError:
                await self._reject(send, 400, "bad_content_length", "Content-Length 无效")
                return
            if too_large:
                await self._reject(
                    send, 413, "payload_too_large", f"请求内容超过 {self.max_bytes // (1024 * 1024)} MB 上限"
                )
                return
        if declared is not None:
            await self.app(scope, receive, send)
            return
        # No declared length (chunked): read up to the limit before the app sees anything, so an
        # oversized body is refused whole instead of failing half-way through parsing.
        buffered: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                await self._reject(send, 413, "payload_too_large", "请求内容过大")
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _reject(send: Send, status: int, code: str, detail: str) -> None:
        body = json.dumps(
            {
                "type": f"https://sunshine.invalid/problems/{code}",
                "title": detail,
                "status": status,
                "detail": detail,
                "code": code,
            },
            ensure_ascii=False,
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Security headers on every response the application answers.

    - ``Content-Security-Policy``: scripts and styles only from this site's own files (``/static``, vendored),
      no inline script, event-handler attribute, ``<style>`` element or style attribute, no ``eval``; no frames,
      no plug-ins, forms only to this site.
    - ``Strict-Transport-Security`` when the request came over HTTPS (the scope's scheme, which uvicorn sets
      from ``X-Forwarded-Proto`` behind a trusted proxy), with the configured ``hsts_max_age``.
    - ``Cache-Control: no-store`` on private responses: any request with a session cookie or a bearer token
      (answered to a signed-in user, or refused as expired), any answer to a POST, PUT, PATCH or DELETE (an
      issued token among them), and pages whose forms carry a CSRF token (``templating.render`` marks those).
      Public pages keep their headers.
    - No ``Server`` banner from the application.
    - The signed activity cookie of a signed-in page session is renewed (``core.auth``: the idle timeout);
      a session found expired has its cookies removed.
    """

    CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    )
    HEADERS = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"content-security-policy", CSP.encode()),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})  # the request's ``request.state``, read once the answer starts

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                # a page that sets its own policy (the vendored API documentation renderer) keeps it
                own_csp = any(k.lower() == b"content-security-policy" for k, _ in kept)
                defaults = [h for h in self.HEADERS if not (own_csp and h[0] == b"content-security-policy")]
                message["headers"] = kept + defaults + self._extra(scope, state, kept)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _extra(scope: Scope, state: dict, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        from sunshine.core.auth import ACTIVITY_COOKIE, SESSION_COOKIE, WROTE_COOKIE, activity_cookie_value
        from sunshine.core.clock import now

        app = scope.get("app")
        settings = getattr(getattr(app, "state", None), "settings", None)
        out: list[tuple[bytes, bytes]] = []
        if scope.get("scheme") == "https" and settings is not None and settings.hsts_max_age > 0:
            out.append((b"strict-transport-security", f"max-age={settings.hsts_max_age}".encode()))
        request_headers = dict(scope.get("headers") or [])
        cookies = cookie_parser(request_headers.get(b"cookie", b"").decode("latin-1"))
        principal = state.get("principal")
        private = (
            scope.get("method") not in ("GET", "HEAD")  # answers to steps (an issued token among them)
            or state.get("private_page")
            or b"authorization" in request_headers
            or SESSION_COOKIE in cookies
            or (principal is not None and principal.is_authenticated)
        )
        if private:
            headers[:] = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
            out.append((b"cache-control", b"no-store"))
        if settings is None:
            return out
        secure = "; Secure" if settings.cookie_secure else ""
        new_session = SESSION_COOKIE.encode() + b"="
        sets_session = any(k.lower() == b"set-cookie" and v.startswith(new_session) for k, v in headers)
        if state.get("session_expired") is not None and not sets_session:
            for name in (SESSION_COOKIE, ACTIVITY_COOKIE):
                expired = f'{name}=""; Max-Age=0; Path=/; HttpOnly; SameSite=lax{secure}'
                out.append((b"set-cookie", expired.encode()))
        elif state.get("session_active") is not None:
            value = activity_cookie_value(app.state.secret_key, state["session_active"], now())
            max_age = settings.session_hours * 3600
            cookie = f"{ACTIVITY_COOKIE}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=lax{secure}"
            out.append((b"set-cookie", cookie.encode()))
        if state.get("wrote_lsn"):  # read-your-writes with read replicas (core.auth.get_session)
            cookie = f"{WROTE_COOKIE}={state['wrote_lsn']}; Max-Age={settings.replica_sticky_seconds}; Path=/"
            out.append((b"set-cookie", f"{cookie}; HttpOnly; SameSite=lax{secure}".encode()))
        return out
