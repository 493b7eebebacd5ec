"""Integers in addresses and queries are bounded in one place: every identifier, sequence number and count the
platform stores is an INTEGER column (32-bit on PostgreSQL), so a larger number names nothing. A path with one
answers 404 (the object cannot exist); a query with one answers 422 naming the parameter — before any route
passes the number to the database, which would otherwise fail on it (SQLite beyond 64 bits, PostgreSQL beyond
32)."""

from __future__ import annotations

import re
from typing import get_args

from fastapi import Request

from sunshine.core.errors import InvalidInput, NotFound

MAX_STORED_INTEGER = 2**31 - 1  # INTEGER on PostgreSQL; the ledger's MAX_INDEX is the same
_INTEGER = re.compile(r"^[+-]?\d+$")


def out_of_range(text: str) -> bool:
    return bool(_INTEGER.match(text)) and abs(int(text)) > MAX_STORED_INTEGER


def _integer_params(request: Request, kind: str) -> set[str]:
    """The names of the route's ``kind`` ("path" or "query") parameters declared as integers: free text that
    happens to be digits (a search for a telephone number) is not an integer parameter."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return set()
    fields = dependant.path_params if kind == "path" else dependant.query_params
    return {f.alias for f in fields if int in (f.field_info.annotation, *get_args(f.field_info.annotation))}


def check_integer_bounds(request: Request) -> None:
    """An application-wide dependency: runs before every route's own parameters reach its code."""
    for name in _integer_params(request, "path"):
        value = request.path_params.get(name)
        if isinstance(value, str) and out_of_range(value):
            raise NotFound(f"找不到 {request.url.path[:200]}")
    for name in _integer_params(request, "query"):
        if any(out_of_range(value) for value in request.query_params.getlist(name)):
            raise InvalidInput(f"参数 {name} 超出允许的范围", field=name)
