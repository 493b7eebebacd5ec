"""No person sees who was drawn before the evaluation's sign-in: every GET route of the application — pages, API,
exports, the ledger page and every ledger entry (page by page; one by one once, the same to anyone) — called as
every role (the centre, the witnesses, the supervisor, the tenderer and its agency, the administrator, the social
supervisor, the public …) while the calls are under way (one confirmed, one declined and replaced, others pending)
shows no drawn expert's name or phone number, nor their pool code or ``expert:<id>`` reference; the drawn expert
sees their own assignment."""

from __future__ import annotations

import re
from collections import defaultdict

from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import select

import tests.test_access_matrix as matrix
from sunshine.core.auth import SESSION_COOKIE
from sunshine.experts.models import Expert
from sunshine.identity import service as identity
from sunshine.identity.models import TokenKind, User
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.trading.models import Project
from tests.builders import make_user
from tests.committees.calling_world import calls, drawn_committee, expert_of


def _get_routes(app) -> list[str]:
    out = []
    for ctx in iter_route_contexts(app.routes):
        if isinstance(ctx.original_route, APIRoute) and "GET" in ctx.methods:
            out.append(ctx.path)
    return sorted(set(out))


def _token(db, username: str, kind: TokenKind) -> str:
    with db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.username == username))
        raw, _ = identity.issue_token(s, user, kind)
        return raw


def _secrets(db, w, drawn_ids: set[int]) -> tuple[dict[str, int], set[str]]:
    """What would identify a drawn expert → their id; and the same for the experts not drawn (the pool's own
    pages may list the whole pool, which tells nothing about who was drawn)."""
    with db.unit_of_work(read_only=True) as s:
        rows = list(s.scalars(select(Expert)))
        marks = {}
        for e in rows:
            for mark in (e.name, e.mobile, e.code, f"expert:{e.id}", e.id_number):
                marks[mark] = e.id
    drawn = {m: i for m, i in marks.items() if i in drawn_ids}
    undrawn_names = {m for m, i in marks.items() if i not in drawn_ids and not m.startswith("expert:")}
    return drawn, undrawn_names


def test_nobody_sees_who_was_drawn_before_the_sign_in(db, app, client, clock):
    w = drawn_committee(db, clock, client=client)
    a, b, *_ = calls(db, w)
    ha = {"authorization": f"Bearer {_token(db, expert_of(w, a)['username'], TokenKind.API)}"}
    hb = {"authorization": f"Bearer {_token(db, expert_of(w, b)['username'], TokenKind.API)}"}
    assert client.post(f"/api/v1/expert/assignments/{a.id}/confirm", headers=ha).status_code == 200
    declined = client.post(f"/api/v1/expert/assignments/{b.id}/decline", headers=hb, json={"reason": "health"})
    assert declined.status_code == 200
    all_calls = calls(db, w)
    drawn_ids = {c.expert_id for c in all_calls}
    drawn, undrawn = _secrets(db, w, drawn_ids)

    with db.unit_of_work(read_only=True) as s:
        project_code = s.get(Project, w.project_id).code
        size = ledger.size(s)
    values = {
        **matrix.PATH_EXAMPLES,
        "project_id": str(w.project_id),
        "section_id": str(w.section_id),
        "request_id": str(w.request_id),
        "call_id": str(a.id),
        "project_code": project_code,
        # the pool's own pages name any expert they show: asked for one not drawn here, and below for a drawn one
        "expert_id": str(next(e["id"] for e in w.pool if e["id"] not in drawn_ids)),
    }
    paths, profiles = [], []
    for template in _get_routes(app):
        where = {"code": w.code} if "/draws/" in template else {}
        examples = defaultdict(lambda: "1", {**values, **where})
        paths.append(template.format_map(examples))
        if "{expert_id}" in template:
            profiles.append(template.format_map(defaultdict(lambda: "1", {**examples, "expert_id": str(a.expert_id)})))
    # every ledger entry, page by page, for every person; one by one once (the single entry's route answers the
    # same to anyone: it reads nothing of who asks, and its entry is the one the pages list)
    paths += [f"/api/v1/ledger/entries?limit=100&start={seq}" for seq in range(0, size, 100)]
    paths += [f"/api/v1/messages/{c.id}" for c in all_calls]  # inbox ids near the calls' ids
    paths = [p for p in paths if "{" not in p]
    entries = [f"/api/v1/ledger/entries/{seq}" for seq in range(size)]

    tenderer, agency = w.tenderer.username, w.agency.username
    people: dict[str, str | None] = {
        "anonymous": None,
        "centre": w.centre.username,
        "supervisor": w.supervisor.username,
        "tenderer": tenderer,
        "agency": agency,
        "bidder": w.bidders[0].username,
    }
    for role in Role:
        people.setdefault(role.value, make_user(db, role, username=f"walk-{role.value}"))
    failures = []
    for who, username in people.items():
        api = {"authorization": f"Bearer {_token(db, username, TokenKind.API)}"} if username else {}
        cookie = _token(db, username, TokenKind.SESSION) if username else None
        for path in paths + (entries if who == "anonymous" else []):
            is_api = path.startswith("/api/") and not path.startswith("/api/v1/docs")
            client.cookies.clear()
            if cookie and not is_api:
                client.cookies.set(SESSION_COOKIE, cookie)
            headers = {"accept": "application/json" if is_api else "text/html", **(api if is_api else {})}
            response = client.get(path, headers=headers, follow_redirects=False)
            if response.status_code >= 500:
                failures.append(f"{who} GET {path}: {response.status_code}")
                continue
            body = response.text
            hits = sorted({m for m in drawn if m in body})
            if hits and not any(n in body for n in undrawn):
                failures.append(f"{who} GET {path}: shows {hits}")
        for path in profiles:  # a drawn expert's own pool page tells nothing of the draw either
            is_api = path.startswith("/api/")
            client.cookies.clear()
            if cookie and not is_api:
                client.cookies.set(SESSION_COOKIE, cookie)
            headers = {"accept": "application/json" if is_api else "text/html", **(api if is_api else {})}
            body = client.get(path, headers=headers, follow_redirects=False).text
            if w.code in body or "示范市第一中学教学设备采购项目" in body:
                failures.append(f"{who} GET {path}: shows the draw on a drawn expert's page")
    assert not failures, "\n".join(failures[:40])

    # the expert themself sees their own assignment, and nobody else's
    mine = client.get("/api/v1/expert/assignments", headers=ha).json()
    assert [x["id"] for x in mine["upcoming"]] == [a.id]
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, _token(db, expert_of(w, a)["username"], TokenKind.SESSION))
    page = client.get("/expert", headers={"accept": "text/html"}).text
    assert "示范市第一中学教学设备采购项目" in page and "第三评标室" in page
    others = {expert_of(w, c)["name"] for c in all_calls if c.id != a.id}
    assert not any(name in page for name in others)
    assert re.search(r"签到将于 .* 开放", page)
