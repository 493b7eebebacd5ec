"""The OpenAPI document's error answers, written in one place from what the routes declare: every operation
lists the statuses and problem codes it can answer, as RFC 9457 problem+json with one ``Problem`` schema.

What each operation can answer follows from its route, not from a hand-written list per route:

- **401** on every API operation (a token that is invalid or expired is refused even where the route is
  public), **403** where its ``core.auth.Access`` admits only some roles or signed-in users;
- **404** where the path names objects (an id that is absent, not visible, or outside what is stored), and
  wherever a query or a body names one (a tracking number, a link's token, a catalogue item, a tree size);
  an operation that answers it otherwise (``/experts/me`` for a user who is no expert) declares it on its
  route, ``responses={404: {"description": "…"}}``, and gets the same problem answer with the route's words;
- **422** everywhere: invalid parameters or body, a number out of range, a date not written YYYY-MM-DD,
  control characters in any text (``core.inputs``); **400** where there is a JSON body that may not parse;
- **413** where there is a body (``web.middleware.BodyLimitMiddleware``); **409** on operations that change
  something (a step the current state does not allow, a record that exists);
- **429** on the operations that count attempts (``RATE_LIMITED``: the login throttle, subscription requests);
- **503** on every operation: the database cannot be reached or no connection came free in time
  (``web.problems``), answered with ``Retry-After``.

Where an operation answers a status with a code of its own, its description names it: ``token_expired`` on
every 401, ``reauthentication_required`` where the route takes ``core.auth.RecentAuth``, the throttle's code
on each 429.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from sunshine.core.auth import Access, RecentAuth
from sunshine.web.problems import HTTP_CODES

PROBLEM_MEDIA_TYPE = "application/problem+json"

# Operations that count attempts and answer 429 when there are too many, with the problem code of their 429
# (identity/throttle.py, channels/service.py).
RATE_LIMITED = {
    ("POST", "/api/v1/auth/token"): "login_throttled",
    ("POST", "/api/v1/subscriptions"): "too_many_requests",
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 问题详情：code 为稳定的机器可读代码，detail 为中文说明",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "description": "问题类型 URI，以 code 结尾"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "稳定代码，如 not_found、invalid_input、control_characters"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "逐字段的错误（422）",
            "items": {
                "type": "object",
                "properties": {
                    "in": {"type": "string", "enum": ["path", "query", "body", "header", "cookie", "form"]},
                    "field": {"type": "string"},
                    "type": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
}

# The problem codes each status carries (beside codes a domain's own errors add, e.g. rule_violation).
CODES: dict[int, list[str]] = {
    400: ["invalid_json", "bad_request"],
    401: ["not_authenticated", "token_expired"],
    403: ["forbidden"],
    404: ["not_found"],
    409: ["conflict", "already_exists", "rule_violation"],
    413: ["payload_too_large"],
    422: ["invalid_input", "control_characters"],
    503: ["database_busy", "database_unavailable"],
}


def _tree(dependant) -> list:
    """The route's dependant and every dependency below it."""
    out, stack = [], [dependant]
    while stack:
        d = stack.pop()
        out.append(d)
        stack += d.dependencies
    return out


def _access(dependants: list) -> Access | None:
    return next((d.call for d in dependants if isinstance(d.call, Access)), None)


def _answers(method: str, path: str, dependant, has_body: bool) -> dict[int, list[str]]:
    """The statuses the operation can answer, each with its problem codes."""
    dependants = _tree(dependant)
    access = _access(dependants)
    statuses = {401, 422, 503}
    if access is not None and not access.anonymous:
        statuses.add(403)
    if has_body or any(d.path_params or d.query_params for d in dependants):
        statuses.add(404)
    if has_body:
        statuses |= {400, 413}
    if method not in ("GET", "HEAD"):
        statuses.add(409)
    codes = {status: list(CODES.get(status, [])) for status in sorted(statuses)}
    if isinstance(access, RecentAuth):
        codes[401].append("reauthentication_required")
    if (method, path) in RATE_LIMITED:
        codes[429] = [RATE_LIMITED[method, path]]
    return codes


def _response(status: int, problem_codes: list[str], title: str | None = None) -> dict[str, Any]:
    title = title or HTTP_CODES.get(status, ("", "请求未能完成"))[1]
    codes = "、".join(problem_codes)
    return {
        "description": f"{title}（{codes}）" if codes else title,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def with_problems(app: FastAPI, schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers of every operation to ``schema`` (the document FastAPI generated)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for route in iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        item = schema.get("paths", {}).get(getattr(route, "path_format", None) or "")
        if dependant is None or item is None:
            continue
        for method in route.methods or ():
            operation = item.get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            has_body = "requestBody" in operation
            answers = _answers(method, route.path_format, dependant, has_body)
            for status, declared in (getattr(route, "responses", None) or {}).items():  # declared on the route
                if str(status).startswith(("4", "5")):
                    answers.setdefault(int(status), list(CODES.get(int(status), [])))
                    responses[str(status)] = _response(
                        int(status), answers.pop(int(status)), declared.get("description")
                    )
            for status, codes in answers.items():
                responses[str(status)] = _response(status, codes)
            operation["responses"] = dict(sorted(responses.items()))
    return schema


def install(app: FastAPI) -> None:
    """``app.openapi()`` returns FastAPI's document with the error answers, built once."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_problems(app, generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


__all__ = ["PROBLEM_MEDIA_TYPE", "RATE_LIMITED", "install", "with_problems"]
