"""Every list pages: a walk over the app's JSON list routes, over the demo data.

- A route that answers a list (a JSON array, or an object with ``items``) takes ``cursor`` and ``limit``
  and never answers more than ``limit`` rows; its next page (``Link: rel="next"`` or ``next_cursor``)
  answers too, and not with the same rows. Each route is called as a caller the access matrix allows.
- A list route without a cursor must be named in ``BOUNDED`` with what bounds it by nature; a new list
  route without a cursor fails here, and ``NOT_PAGED`` (lists still to be put on cursors) stays empty.
"""

from __future__ import annotations

import re
import typing

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from sunshine.demo import DEMO_PASSWORD, USERS
from tests.builders import api_token
from tests.test_access_matrix import MATRIX, PUBLIC, SIGNED_IN

# List routes answered whole, with what keeps each short: a list bounded by nature (a pack's versions, one
# object's rows). A list that grows with the centre's work pages by cursor instead.
BOUNDED = {
    "/api/v1/rules": "the rule packs installed (a few dozen)",
    "/api/v1/rules/{key}/versions": "one pack's versions",
    "/api/v1/experts/specialties": "the specialty tree (a few hundred codes)",
    "/api/v1/venues/rooms": "the centre's rooms",
    "/api/v1/venues/schedule": "bookings within `days` (at most 90) of the centre's rooms",
    "/api/v1/disclosure/catalog": "the 公开事项目录 (a few hundred items)",
    "/api/v1/disclosure/negative-list": "the negative list's terms",
    "/api/v1/subscriptions/categories": "the feed categories",
    "/api/v1/monitoring/rules": "the monitoring rule pack",
    "/api/v1/statistics": "one year's statistics rows",
    "/api/v1/staff/statistics": "one year's statistics rows",
    "/api/v1/tender-templates": "the centre's templates",
    "/api/v1/opendata/downloads": "one bulk download a day, kept for a bounded period",
    "/api/v1/projects/{project_id}/timeline": "one project's steps",
    "/api/v1/projects/{project_id}/registrations": "one project's registrants",
    "/api/v1/projects/{project_id}/auctions": "one project's auctions",
    "/api/v1/auctions/{auction_id}/bids": "one auction's bids",
    "/api/v1/venues/projects/{project_id}/bookings": "one project's bookings",
    "/api/v1/qualifications/certificates/{record_id}/history": "one record's versions",
    "/api/v1/qualifications/people/{record_id}/history": "one record's versions",
    "/api/v1/qualifications/performance/{record_id}/history": "one record's versions",
    "/api/v1/qualifications/sections/{section_id}/requirements": "one section's requirements",
    "/api/v1/qualifications/sections/{section_id}/assessment": "one section's registrants",
    "/api/v1/qualifications/projects/{project_id}/manager-conflicts": "one project's conflicts",
    "/api/v1/procedure/projects/{project_id}/method-changes": "one project's applications",
    "/api/v1/market/projects/{project_id}/entrustments": "one project's entrustments",
    "/api/v1/projects/{project_id}/acknowledgements": "one project's document holders",
    "/api/v1/projects/{project_id}/tender-documents/opinions": "one project's reviewers",
    "/api/v1/projects/{project_id}/contracts": "one project's sections",
    "/api/v1/credit/lookup": "at most 20 matches by code or name",
    "/api/v1/governance/inspections/{inspection_id}": "one inspection (its `items` are its findings)",
    "/api/v1/governance/scores/{year}": "one year's scores, one per department",
}
NOT_PAGED: set[str] = set()  # every list that grows with the centre's work pages by cursor; keep it empty
QUERY = {"/api/v1/search": {"q": "示范"}}  # required parameters of a paged route


def _query_names(dependant) -> set[str]:
    """The query parameters of a route, its dependencies' (such as ``Paging``) included."""
    names = {p.name for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _list_routes(app) -> list[tuple[str, APIRoute]]:
    out = []
    for ctx in iter_route_contexts(app.routes):
        route = ctx.original_route
        if not isinstance(route, APIRoute) or "GET" not in ctx.methods:
            continue
        names = _query_names(route.dependant)
        model = route.response_model
        listing = typing.get_origin(model) is list or (
            model is not None and hasattr(model, "model_fields") and "items" in model.model_fields
        )
        if listing or "cursor" in names:
            out.append((ctx.path, route))
    return out


def _caller(path: str) -> str | None:
    allowed = MATRIX[("GET", path)]
    if allowed in (PUBLIC, SIGNED_IN):
        return None if allowed == PUBLIC else "admin"
    for username, _, roles, _ in USERS:
        if set(roles) & set(allowed):
            return username
    pytest.fail(f"no demo account may call {path}")


def _rows(body) -> list:
    if isinstance(body, list):
        return body
    for key in ("items", "releases", "records", "heads"):  # OCDS packages and the ledger's heads name their list
        if isinstance(body.get(key), list):
            return body[key]
    pytest.fail(f"a list route answered no list: {sorted(body)}")


def _next(answer) -> dict[str, str] | None:
    body = answer.json()
    if isinstance(body, dict) and body.get("next_cursor"):
        return {"cursor": body["next_cursor"]}
    link = re.search(r"<[^>]*[?&]cursor=([^&>]+)[^>]*>;\s*rel=\"next\"", answer.headers.get("link", ""))
    return {"cursor": link.group(1)} if link else None


def test_every_list_route_pages_within_its_limit(demo, app, client):
    unpaged, pages = [], []
    checked = 0
    tokens: dict[str | None, dict[str, str]] = {None: {}}
    for path, route in _list_routes(app):
        names = _query_names(route.dependant)
        if "cursor" in names and not path.startswith("/api/"):
            pages.append(path)  # a page: its own page size, a pager of cursors
            continue
        if "cursor" not in names or "limit" not in names:
            if path not in BOUNDED and path not in NOT_PAGED:
                unpaged.append(path)
            continue
        if "{" in path:
            continue  # a list under one object: walked by its domain's tests
        who = _caller(path)
        if who not in tokens:
            tokens[who] = api_token(client, who, DEMO_PASSWORD)
        params = {**QUERY.get(path, {}), "limit": 1}
        first = client.get(path, params=params, headers=tokens[who])
        assert first.status_code == 200, f"{path} as {who}: {first.status_code} {first.text[:300]}"
        rows = _rows(first.json())
        assert len(rows) <= 1, f"{path} answered {len(rows)} rows for limit=1"
        more = _next(first)
        if more:
            second = client.get(path, params={**params, **more}, headers=tokens[who])
            assert second.status_code == 200, f"{path} page 2: {second.status_code} {second.text[:300]}"
            assert len(_rows(second.json())) <= 1 and _rows(second.json()) != rows, f"{path}: page 2 repeats page 1"
        checked += 1
    assert not unpaged, (
        f"list routes without cursor and limit (page them, or say in BOUNDED what bounds them): {unpaged}"
    )
    assert checked >= 15
    public_pages = [p for p in pages if "{" not in p and MATRIX[("GET", p)] == PUBLIC]
    assert len(public_pages) >= 6
    for path in public_pages:  # a public page answers, and refuses a foreign cursor with 422, never a 500
        query = {"q": "示范"} if path == "/search" else {}
        assert client.get(path, params=query).status_code == 200, path
        assert client.get(path, params={**query, "cursor": "not-a-cursor"}).status_code == 422, path
    stale = (set(BOUNDED) | NOT_PAGED) - {p for p, _ in _list_routes(app)}
    assert not stale, f"entries for routes that no longer list: {sorted(stale)}"
