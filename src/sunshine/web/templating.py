"""The Jinja2 environment and ``render``: every page gets the principal, the CSRF token, flash
messages and the current ledger head, so templates never fetch anything themselves.

``render`` opens no unit of work of its own: a page drawn by a route reads the ledger head through the
request's unit of work (``core.auth.request_session``), so a request holds one connection, not two. A page
drawn without one — an error page, rendered after the request's unit of work has ended, or when the
database is down — shows the head this process last read, from memory, and never asks the database; it
can therefore be rendered on the event loop (the error handlers of ``web.problems`` are ``async``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeSerializer

from sunshine.core import formatting, labels
from sunshine.core.auth import ANONYMOUS, request_session
from sunshine.web import csrf

TEMPLATES_DIR = Path(__file__).parent / "templates"
FLASH_COOKIE = "sunshine_flash"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


templates.env.filters["local"] = formatting.local_time
templates.env.filters["cn_datetime"] = formatting.cn_datetime
templates.env.filters["cn_date"] = formatting.cn_date
templates.env.filters["yuan"] = formatting.yuan


def _org_kind(value: str) -> str:
    from sunshine.identity.models import OrganisationKind

    return OrganisationKind(value).label


def _role_label(value: str) -> str:
    from sunshine.identity.roles import Role

    return Role(value).label


templates.env.filters["org_kind"] = _org_kind
templates.env.filters["role_label"] = _role_label
templates.env.filters["org_option"] = lambda org: (str(org.id), org.name)
templates.env.filters["short_hash"] = lambda h, n=16: (h or "")[:n]
templates.env.filters["event_label"] = labels.event_label
templates.env.filters["subject_label"] = labels.subject_label
templates.env.filters["purpose_label"] = labels.purpose_label


def _rule_label(ref: str | None) -> str:
    from sunshine.rules.registry import rule_ref_label

    return rule_ref_label(ref)


templates.env.filters["rule_label"] = _rule_label


def _serializer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(request.app.state.secret_key, salt="flash")


def flash(request: Request, category: str, message: str) -> None:
    """Queue a message for the next page this visitor sees (post/redirect/get)."""
    pending = getattr(request.state, "flashes_out", [])
    pending.append((category, message))
    request.state.flashes_out = pending


def _take_flashes(request: Request) -> list[tuple[str, str]]:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return []
    try:
        return [tuple(item) for item in _serializer(request).loads(raw)]
    except (BadSignature, ValueError, TypeError):
        return []


def _finish(request: Request, response: Response, consumed: bool) -> Response:
    csrf.set_anon_cookie(request, response)
    pending = getattr(request.state, "flashes_out", None)
    if pending:
        response.set_cookie(
            FLASH_COOKIE,
            _serializer(request).dumps(pending),
            httponly=True,
            secure=request.app.state.settings.cookie_secure,
            samesite="lax",
        )
    elif consumed:
        response.delete_cookie(FLASH_COOKIE)
    return response


def _ledger_head(request: Request) -> Any:
    """The newest signed tree head, through the request's own unit of work; without one, the head last read
    (kept in memory on ``app.state``), or None before any page has read one."""
    from sunshine.ledger import service as ledger

    session = request_session(request)
    if session is None:
        return getattr(request.app.state, "last_ledger_head", None)
    head = ledger.latest_head(session)
    last = getattr(request.app.state, "last_ledger_head", None)
    if head is not None and (last is None or head.size >= last.size):  # requests finish in any order
        request.app.state.last_ledger_head = head
    return head


def base_context(request: Request) -> dict[str, Any]:
    settings = request.app.state.settings
    return {
        "request": request,
        "principal": getattr(request.state, "principal", None) or ANONYMOUS,
        "csrf_token": csrf.token_for(request),
        "site_name": settings.site_name,
        "centre_name": settings.centre_name,
        "ledger_head": _ledger_head(request),
        "flashes": _take_flashes(request),
    }


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    ctx = base_context(request)
    ctx.update(context)
    response = templates.TemplateResponse(request, name, ctx, status_code=status)
    if b'name="csrf_token"' in response.body:  # a form bound to this visitor: never kept by a cache
        request.state.private_page = True
    return _finish(request, response, consumed=bool(ctx["flashes"]))


def redirect(request: Request, url: str, status: int = 303) -> Response:
    """Post/redirect/get; an htmx request gets HX-Redirect instead of a 303 it would follow inline."""
    if request.headers.get("hx-request"):
        response: Response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=status)
    return _finish(request, response, consumed=False)


def render_error_page(request: Request, *, status: int, code: str, title: str, detail: str) -> HTMLResponse:
    return render(
        request,
        "error.html",
        status=status,
        status_code=status,
        code=code,
        title=title,
        detail=detail,
        page_title=title,
    )


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


templates.env.filters["tojson_cn"] = to_json
