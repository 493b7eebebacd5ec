"""Every list pages: a walk over the app's JSON list routes, over the demo data.

- A route that answers a list (a JSON array, or an object with ``items``) takes ``cursor`` and ``limit``
  and never answers more than ``limit`` rows; its next page (``Link: rel="next"`` or ``next_cursor``)
  answers too, and not with the same rows. Each route is called as a caller the access matrix allows.
- A list route without a cursor must be named in ``BOUNDED`` with what bounds it by nature; a new list
  route without a cursor fails here, and ``NOT_PAGED`` (lists still to be put on cursors) stays empty.
- The pages' lists (several on one page each under its own cursor parameter) are seeded past a page and walked
  by their 下一页 links: no page shows more than its page size, and every row shows on exactly one page.
"""

from __future__ import annotations

import re
import typing
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import select

from sunshine.core import clock
from sunshine.core.pagination import DEFAULT_LIMIT
from sunshine.demo import DEMO_PASSWORD, USERS
from sunshine.identity.models import User
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


# --------------------------------------------------------------------------- the pages' lists
#
# Each list a page shows pages by keyset too: seeded with more rows than a page (clones of a row the demo has, each
# with its own marker the page shows), its first page shows at most a page of them and a pager whose 下一页 leads
# on; walking the pages shows every seeded row exactly once; a damaged cursor is a 422.


def _clone(s, row, n: int, vary) -> list:
    """``n`` copies of ``row`` (a mapped object) with ``vary(i)``'s columns changed, flushed."""
    columns = [c.key for c in sqlalchemy.inspect(type(row)).column_attrs if c.key != "id"]
    rows = [type(row)(**{**{k: getattr(row, k) for k in columns}, **vary(i)}) for i in range(n)]
    s.add_all(rows)
    s.flush()
    return rows


def _next_url(html: str, param: str, current: str) -> str | None:
    """The 下一页 link of the list paged by ``param`` (its own cursor changes; the other lists' stay)."""
    mine = parse_qs(urlsplit(current).query).get(param)
    for href in re.findall(r'<a href="([^"]+)" rel="next">', html):
        href = unescape(href)
        theirs = parse_qs(urlsplit(href).query).get(param)
        if theirs and theirs != mine:
            return href
    return None


def _walk(client, path: str, param: str, markers: list[str], size: int) -> None:
    url, seen, pages = path, [], 0
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, f"{url}: {answer.status_code} {answer.text[:300]}"
        shown = [m for m in markers if m in answer.text]
        assert len(shown) <= size, f"{path} ({param}) page {pages + 1} shows {len(shown)} rows, more than {size}"
        seen += shown
        pages += 1
        url = _next_url(answer.text, param, url)
        if pages == 1:
            assert url, f"{path}: no 下一页 for {param} with {len(markers)} rows of {size} a page"
        else:
            navs = re.findall(r"<nav class=.pagination.*?</nav>", answer.text, re.S)
            assert 'rel="first"' in answer.text, f"{path} page {pages}: no 首页 {navs} {shown}"
        assert pages <= 50, f"{path} ({param}) does not end"
    assert sorted(seen) == sorted(markers), f"{path} ({param}): rows missing or repeated across its pages"
    bad = client.get(path, params={param: "not-a-cursor"})
    assert bad.status_code == 422, f"{path} with a damaged {param}: {bad.status_code}"


def _seed(s, app_user: int, agency_org: int, bidder_org: int, rated_orgs: list[int]) -> dict[str, list[str]]:
    """Rows for every list below, and the markers each list shows."""
    from sunshine.bidding.models import Bid
    from sunshine.core.models import Alert
    from sunshine.credit import bans, service
    from sunshine.credit.models import CreditRating
    from sunshine.evaluation.models import EvaluationSession
    from sunshine.experts.models import ExpertApplication
    from sunshine.governance import consultations
    from sunshine.identity.models import User
    from sunshine.market.models import StaffMember
    from sunshine.qualifications.models import Certificate
    from sunshine.supervision import opendays, registry
    from sunshine.trading.models import Section

    def first(stmt):
        row = s.scalars(stmt.limit(1)).first()
        assert row is not None, f"the demo has no row for {stmt}"
        return row

    n, now = DEFAULT_LIMIT + 3, clock.now()
    out: dict[str, list[str]] = {}
    rating = first(select(CreditRating))
    _clone(
        s,
        rating,
        len(rated_orgs),
        lambda i: {"period": "2099", "subject_type": "bidder", "subject_id": rated_orgs[i], "published_at": now},
    )
    out["ratings"] = [f"分页样本单位{i:02d}" for i in range(len(rated_orgs))]
    ban = bans.ban_page(s, limit=1).items[0][0]
    out["bans"] = [r.basis for r in _clone(s, ban, n, lambda i: {"basis": f"分页样本禁入{i:02d}"})]
    record = service.published_page(s, limit=1).items[0][0]
    out["records"] = [r.behaviour for r in _clone(s, record, n, lambda i: {"behaviour": f"分页样本记录{i:02d}"})]
    recruitment = registry.recruitment_page(s, limit=1).items[0]
    out["recruitments"] = [r.title for r in _clone(s, recruitment, 7, lambda i: {"title": f"分页样本招募{i:02d}"})]
    day = opendays.page(s, limit=1).items[0]
    out["open_days"] = [r.title for r in _clone(s, day, n, lambda i: {"title": f"分页样本开放日{i:02d}"})]
    consultation = consultations.listing(s, public=True, limit=1).items[0]
    rows = _clone(s, consultation, n, lambda i: {"code": f"ZQ2099-{i:04d}", "title": f"分页样本征求意见{i:02d}"})
    out["consultations"] = [r.title for r in rows]
    certificate = first(select(Certificate))
    rows = _clone(
        s,
        certificate,
        n,
        lambda i: {"organisation_id": bidder_org, "retired_at": None, "number": f"分页样本证书{i:02d}"},
    )
    out["certificates"] = [r.number for r in rows]
    admin = first(select(User).where(User.organisation_id == agency_org))
    out["users"] = [r.username for r in _clone(s, admin, n, lambda i: {"username": f"pager-user-{i:02d}x"})]
    member = first(select(StaffMember))
    rows = _clone(
        s, member, n, lambda i: {"organisation_id": agency_org, "removed_at": None, "name": f"分页样本人员{i:02d}"}
    )
    out["staff"] = [r.name for r in rows]
    application = first(select(ExpertApplication))
    rows = _clone(s, application, n, lambda i: {"user_id": app_user, "code": f"PGAPP{i:02d}X", "is_demo": False})
    out["applications"] = [r.code for r in rows]
    bid = first(select(Bid))
    rows = _clone(
        s,
        bid,
        n,
        lambda i: {"organisation_id": bidder_org, "bid_no": f"PGBID{i:02d}X", "idempotency_key": f"pager-{i}"},
    )
    out["bids"] = [r.bid_no for r in rows]
    evaluation = first(select(EvaluationSession))
    section = s.get(Section, evaluation.section_id)
    sections = _clone(s, section, n, lambda i: {"number": 900 + i})
    rows = _clone(s, evaluation, n, lambda i: {"section_id": sections[i].id})
    out["sessions"] = [f'/evaluation/sessions/{r.id}"' for r in rows]
    s.add_all(
        Alert(
            key=f"pager:{i}",
            domain="disclosure",
            kind="disclosure_overdue",
            subject_kind="disclosure-obligation",
            subject_id=i,
            message=f"分页样本预警{i:02d}",
            created_at=now,
        )
        for i in range(n)
    )
    out["alerts"] = [f"分页样本预警{i:02d}" for i in range(n)]
    return out


def test_every_list_of_the_pages_pages_by_cursor(demo, app):
    from sunshine.identity.models import OrganisationKind
    from sunshine.identity.roles import Role
    from tests.builders import make_org, make_user
    from tests.pages import browser

    agency = make_org(demo, kind=OrganisationKind.AGENCY)
    bidder = make_org(demo)
    rated = [make_org(demo, name=f"分页样本单位{i:02d}") for i in range(DEFAULT_LIMIT + 3)]
    accounts = {
        "supervisor": make_user(demo, Role.SUPERVISOR),
        "centre": make_user(demo, Role.CENTRE_STAFF),
        "agency": make_user(demo, Role.ENTERPRISE_ADMIN, organisation_id=agency),
        "bidder": make_user(demo, Role.BIDDER, organisation_id=bidder),
        "applicant": make_user(demo),
    }
    with demo.unit_of_work() as s:
        applicant = s.scalar(select(User.id).where(User.username == accounts["applicant"]))
        markers = _seed(s, applicant, agency, bidder, rated)
    size = DEFAULT_LIMIT
    lists = [  # who, page, cursor parameter, list, page size
        (None, "/credit", "bans_cursor", "bans", size),
        (None, "/credit", "records_cursor", "records", size),
        (None, "/credit", "ratings_cursor", "ratings", size),
        ("supervisor", "/staff/credit", "bans_cursor", "bans", size),
        ("supervisor", "/staff/credit/ratings", "cursor", "ratings", size),
        (None, "/supervision", "recruitments_cursor", "recruitments", 5),
        (None, "/supervision", "open_days_cursor", "open_days", 10),
        ("centre", "/staff/supervision", "open_days_cursor", "open_days", size),
        (None, "/governance", "consultations_cursor", "consultations", size),
        ("bidder", "/my/qualifications", "certificates_cursor", "certificates", size),
        ("agency", "/market/mine", "users_cursor", "users", size),
        ("agency", "/market/mine", "staff_cursor", "staff", size),
        (None, f"/market/organisations/{agency}", "cursor", "staff", size),
        ("applicant", "/expert/profile", "cursor", "applications", size),
        ("bidder", "/my/bids", "cursor", "bids", size),
        ("centre", "/evaluation/sessions", "cursor", "sessions", size),
        ("centre", "/staff/disclosure", "cursor", "alerts", size),
    ]
    for who, path, param, name, per_page in lists:
        with browser(app, accounts.get(who)) as client:
            _walk(client, path, param, markers[name], per_page)
