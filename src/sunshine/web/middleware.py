"""ASGI middleware: a cap on request body size, a bound on concurrent writing requests, and security
headers on every response."""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


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
    HEADERS = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (
            b"content-security-policy",
            b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            b"script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
        ),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + self.HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)
