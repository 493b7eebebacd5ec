"""The public OpenAPI document rendered on the API documentation page: the JSON operations anyone may call,
without the staff-only ones, those that need a signed-in user, and signing in itself (tokens, passwords); the
component schemas they do not use are dropped too."""

from __future__ import annotations

import copy
import json
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from sunshine.core.auth import Access

# Signing in and tokens: public routes by necessity, but not what an open-data reader needs to see.
LOGIN_PATHS = ("/api/v1/auth/",)


def _access(dependant: Any) -> Access | None:
    stack = [dependant]
    while stack:
        d = stack.pop()
        if isinstance(d.call, Access):
            return d.call
        stack += d.dependencies
    return None


def public_operations(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every API operation open to anyone."""
    out = set()
    for route in iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        path = getattr(route, "path_format", "") or ""
        if dependant is None or not path.startswith("/api/") or path.startswith(LOGIN_PATHS):
            continue
        access = _access(dependant)
        if access is None or not access.anonymous:
            continue
        out |= {(m.lower(), path) for m in route.methods or ()}
    return out


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def public_document(app: FastAPI) -> dict[str, Any]:
    full = app.openapi()
    keep = public_operations(app)
    doc = copy.deepcopy({k: v for k, v in full.items() if k not in ("paths", "components")})
    doc["info"] = {
        **doc.get("info", {}),
        "description": "公开接口（无需登录）：开放数据（OCDS）、公告、项目、留痕验证等。",
    }
    paths: dict[str, Any] = {}
    for path, item in full.get("paths", {}).items():
        ops = {m: copy.deepcopy(op) for m, op in item.items() if (m, path) in keep}
        if ops:
            paths[path] = ops
    doc["paths"] = paths
    schemas = full.get("components", {}).get("schemas", {})
    wanted: set[str] = set()
    _refs(paths, wanted)
    while True:  # schemas used by the schemas kept
        more: set[str] = set()
        _refs([schemas[n] for n in wanted if n in schemas], more)
        if more <= wanted:
            break
        wanted |= more
    doc["components"] = {"schemas": {n: schemas[n] for n in sorted(wanted) if n in schemas}}
    return json.loads(json.dumps(doc))
