"""Renders every error once: RFC 9457 problem+json under /api, an error page everywhere else.

Validation errors list each field path with a Chinese message. Unknown routes, bad JSON, oversized
bodies and wrong types all answer 4xx; an unexpected exception answers a generic 500 without the
raw exception text (and is logged).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from sunshine.core.errors import SunshineError

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
VALIDATION_MESSAGES: dict[str, str] = {
    "missing": "缺少必填项",
    "string_type": "应为字符串",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字金额",
    "decimal_type": "应为数字金额",
    "decimal_max_places": "小数位数过多",
    "bool_type": "应为布尔值",
    "bool_parsing": "应为布尔值（true 或 false）",
    "date_type": "应为日期",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "datetime_type": "应为日期时间",
    "datetime_parsing": "应为日期时间，格式 ISO 8601",
    "datetime_from_date_parsing": "应为日期时间，格式 ISO 8601",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "JSON 格式错误",
    "json_type": "应为 JSON",
    "extra_forbidden": "不允许的字段",
    "value_error": "取值无效",
    "too_short": "项目数量过少",
    "too_long": "项目数量过多",
    "uuid_parsing": "应为 UUID",
    "url_parsing": "应为网址",
}


def _wants_problem(request: Request) -> bool:
    """JSON for the API, and for page routes only when the caller asks for JSON and not HTML."""
    if request.url.path.startswith("/api/") and request.url.path != "/api/v1/docs":
        return True
    accept = request.headers.get("accept", "")
    return "json" in accept and "text/html" not in accept


def problem_response(request: Request, status: int, code: str, title: str, detail: str, **extra: Any) -> Response:
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
        headers = {"WWW-Authenticate": 'Bearer realm="sunshine"'} if status == 401 else None
        return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)
    if status == 401 and request.method in ("GET", "HEAD"):
        from urllib.parse import quote

        from fastapi.responses import RedirectResponse

        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    from sunshine.web.templating import render_error_page

    return render_error_page(request, status=status, code=code, title=title, detail=detail)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie", "form"):
            where, path = loc[0], loc[1:]
        else:
            where, path = "body", loc
        kind = err.get("type", "value_error")
        message = VALIDATION_MESSAGES.get(kind, "取值无效")
        ctx = err.get("ctx") or {}
        if kind in ("string_too_short", "too_short") and "min_length" in ctx:
            message = (
                f"至少 {ctx['min_length']} 个字符" if kind == "string_too_short" else f"至少 {ctx['min_length']} 项"
            )
        elif kind in ("string_too_long", "too_long") and "max_length" in ctx:
            message = (
                f"最多 {ctx['max_length']} 个字符" if kind == "string_too_long" else f"最多 {ctx['max_length']} 项"
            )
        elif kind in ("greater_than_equal", "greater_than") and "ge" in ctx:
            message = f"不得小于 {ctx['ge']}"
        elif kind == "greater_than" and "gt" in ctx:
            message = f"应大于 {ctx['gt']}"
        elif kind in ("less_than_equal", "less_than") and "le" in ctx:
            message = f"不得大于 {ctx['le']}"
        elif kind == "less_than" and "lt" in ctx:
            message = f"应小于 {ctx['lt']}"
        elif kind in ("literal_error", "enum") and "expected" in ctx:
            message = f"取值应为 {str(ctx['expected']).replace(' or ', ' 或 ')}"
        elif kind == "value_error" and isinstance(ctx.get("error"), ValueError | str):
            message = str(ctx["error"])
        out.append({"in": where, "field": ".".join(path) or where, "type": kind, "message": message})
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(SunshineError)
    async def _domain(request: Request, exc: SunshineError) -> Response:
        return problem_response(request, exc.status, exc.code, exc.title, exc.detail, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = _field_errors(exc)
        if any(e["type"] in ("json_invalid", "json_type") for e in errors):
            return problem_response(request, 400, "invalid_json", "请求体不是有效的 JSON", "请求体不是有效的 JSON")
        summary = "；".join(f"{e['field']}：{e['message']}" for e in errors[:5])
        return problem_response(request, 422, "invalid_input", "提交的数据不符合要求", summary, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code, title = HTTP_CODES.get(exc.status_code, ("http_error", "请求未能完成"))
        detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else title
        if exc.status_code == 404:
            detail = f"找不到 {request.url.path}"
        return problem_response(request, exc.status_code, code, title, detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            request, 500, "internal_error", "服务器内部错误", "服务器处理请求时出错，已记录，请稍后再试"
        )
