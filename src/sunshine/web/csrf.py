"""CSRF protection for every page form: a token bound to the session (or, before login, to a random
anonymous cookie), required on every unsafe request made with cookies.

The JSON API is not exposed to CSRF: it authenticates by bearer token only, never by cookie.

The check reads who is asking through the request's own unit of work, in a worker thread: it opens no
connection of its own and asks the database nothing on the event loop.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.core.auth import SessionDep, resolve_principal
from sunshine.core.errors import CsrfFailed

ANON_COOKIE = "sunshine_anon"
FORM_FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _sign(request: Request, binding: str) -> str:
    key = request.app.state.secret_key.encode()
    return hmac.new(key, f"csrf|{binding}".encode(), hashlib.sha256).hexdigest()


def _binding(request: Request) -> str | None:
    principal = getattr(request.state, "principal", None)
    if principal is not None and principal.csrf_secret:
        return f"session|{principal.csrf_secret}"
    anon = getattr(request.state, "anon_id", None) or request.cookies.get(ANON_COOKIE)
    return f"anon|{anon}" if anon else None


def token_for(request: Request) -> str:
    """The token to embed in this page's forms (creates the anonymous binding if needed)."""
    binding = _binding(request)
    if binding is None:
        request.state.anon_id = secrets.token_urlsafe(24)
        binding = f"anon|{request.state.anon_id}"
    return _sign(request, binding)


def set_anon_cookie(request: Request, response: Response) -> None:
    anon = getattr(request.state, "anon_id", None)
    if anon and request.cookies.get(ANON_COOKIE) != anon:
        response.set_cookie(
            ANON_COOKIE,
            anon,
            httponly=True,
            secure=request.app.state.settings.cookie_secure,
            samesite="lax",
            max_age=60 * 60 * 24,
        )


async def check_csrf(request: Request, session: Session = SessionDep) -> None:
    """Router-level dependency of the page routes. ``async`` to read the form (already in memory: the
    middleware buffers a write's body), while the principal is looked up in a worker thread."""
    if request.method in SAFE_METHODS:
        return
    supplied = request.headers.get(HEADER)
    if not supplied:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(FORM_FIELD)
            supplied = value if isinstance(value, str) else None
    if not supplied:
        raise CsrfFailed()
    await run_in_threadpool(resolve_principal, request, session)
    binding = _binding(request)
    if binding is None or not hmac.compare_digest(supplied, _sign(request, binding)):
        expired = getattr(request.state, "session_expired", None)
        if expired is not None:  # a form of a session that has timed out meanwhile: sign in again
            raise expired
        raise CsrfFailed()
