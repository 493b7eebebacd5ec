"""Renders every error once: RFC 9457 problem+json under /api, an error page everywhere else.

Validation errors list each field path with a Chinese message. Unknown routes, bad JSON, oversized
bodies and wrong types all answer 4xx; an unexpected exception answers a generic 500 without the
raw exception text (and is logged). When the database cannot be reached, or (which the pool sizing of
``db.py`` should make impossible) no connection is free within the pool's timeout, the answer is a 503 with
a stable code and ``Retry-After``, promptly, instead of a 500 or a hang.

Every handler here is ``async`` and asks the database nothing: an error page is rendered after the
request's unit of work has ended and shows the ledger head from memory (``web.templating``), so errors are
answered on the event loop even when every worker thread is busy or the database is down.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from sunshine.core import inputs, labels
from sunshine.core.errors import SunshineError
from sunshine.core.validation import field_errors, refusal_code

log = logging.getLogger("sunshine.errors")

PROBLEM_TYPE_BASE = "https://sunshine.invalid/problems/"

HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求有误"),
    401: ("not_authenticated", "请先登录"),
    403: ("forbidden", "无权访问"),
    404: ("not_found", "未找到所请求的内容"),
    405: ("method_not_allowed", "不支持该请求方法"),
    406: ("not_acceptable", "无法提供所请求的格式"),
    409: ("conflict", "操作与当前状态冲突"),
    413: ("payload_too_large", "请求内容过大"),
    415: ("unsupported_media_type", "不支持的内容类型"),
    422: ("invalid_input", "提交的数据不符合要求"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试"),
    500: ("internal_error", "服务器内部错误"),
    503: ("service_unavailable", "服务暂不可用"),
}

# Chinese messages for pydantic's error types; anything else falls back to a generic sentence.


def _wants_problem(request: Request) -> bool:
    """JSON for the API, and for page routes only when the caller asks for JSON and not HTML."""
    if request.url.path.startswith("/api/") and request.url.path != "/api/v1/docs":
        return True
    accept = request.headers.get("accept", "")
    return "json" in accept and "text/html" not in accept


def problem_response(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """The error as problem+json for the API (and clients asking for JSON), or as a page; ``headers`` the
    status requires go with it either way (``Allow`` on a 405, ``WWW-Authenticate`` on a 401)."""
    headers = dict(headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="sunshine"')
    if _wants_problem(request):
        body = {
            "type": PROBLEM_TYPE_BASE + code,
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
            "instance": request.url.path,
            **extra,
        }
        return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)
    if code in ("session_expired", "reauthentication_required"):
        return _sign_in_again(request, code, detail)
    if status == 401 and request.method in ("GET", "HEAD"):
        from urllib.parse import quote

        from fastapi.responses import RedirectResponse

        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    from sunshine.web.templating import render_error_page

    response = render_error_page(request, status=status, code=code, title=title, detail=detail)
    response.headers.update({k: v for k, v in headers.items() if k != "WWW-Authenticate"})
    return response


def _return_to(request: Request) -> str:
    """Where the visitor comes back to afterwards: the page asked for, or for a form sent, the page the form was
    on (its Referer, when it is this site's)."""
    from urllib.parse import urlsplit

    if request.method in ("GET", "HEAD"):
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/me"


def _sign_in_again(request: Request, code: str, detail: str) -> Response:
    """A page visitor whose session has timed out goes to the sign-in page, one who must confirm the password
    before a sensitive step to the re-authentication page; either comes back afterwards (htmx: HX-Redirect)."""
    from urllib.parse import quote

    from sunshine.web.templating import flash, redirect

    page = "/login" if code == "session_expired" else "/reauth"
    flash(request, "info", detail)
    return redirect(request, f"{page}?next={quote(_return_to(request))}")


def install(app: FastAPI) -> None:
    @app.exception_handler(SunshineError)
    async def _domain(request: Request, exc: SunshineError) -> Response:
        return problem_response(request, exc.status, exc.code, exc.title, exc.detail, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = field_errors(exc)
        if any(e["type"] in ("json_invalid", "json_type") for e in errors):
            return problem_response(request, 400, "invalid_json", "请求体不是有效的 JSON", "请求体不是有效的 JSON")
        # A number that names nothing: a path id outside what is stored, or a value its type answers 404 for.
        for e in errors:
            if e["type"] == inputs.NOT_FOUND or (e["type"] == inputs.ID_OUT_OF_RANGE and e["in"] == "path"):
                detail = e["message"] if e["type"] == inputs.NOT_FOUND else f"找不到 {request.url.path[:200]}"
                return problem_response(request, 404, "not_found", "未找到所请求的内容", detail)
        name = (lambda f: f) if _wants_problem(request) else labels.field_label  # pages name fields in Chinese
        summary = "；".join(f"{name(e['field'])}：{e['message']}" for e in errors[:5])
        code = refusal_code(errors)
        return problem_response(request, 422, code, "提交的数据不符合要求", summary, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code, title = HTTP_CODES.get(exc.status_code, ("http_error", "请求未能完成"))
        detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else title
        if exc.status_code == 404:
            detail = f"找不到 {request.url.path}"
        return problem_response(request, exc.status_code, code, title, detail, headers=exc.headers)

    @app.exception_handler(PoolTimeout)
    async def _pool_exhausted(request: Request, exc: PoolTimeout) -> Response:
        log.error("no database connection free for %s %s: %s", request.method, request.url.path, exc)
        return problem_response(
            request, 503, "database_busy", "服务繁忙", "当前访问人数过多，请稍后再试", headers={"Retry-After": "5"}
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def _database_down(request: Request, exc: Exception) -> Response:
        log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return problem_response(
            request,
            503,
            "database_unavailable",
            "服务暂不可用",
            "数据库暂时无法访问，请稍后再试",
            headers={"Retry-After": "30"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            request, 500, "internal_error", "服务器内部错误", "服务器处理请求时出错，已记录，请稍后再试"
        )
