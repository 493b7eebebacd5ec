"""Shared steps of the API walks: tokens, the session's members as the API shows them, the committee's conflicts,
the chair's election, and the replacement of a recused expert through the expert's own workbench API."""

from __future__ import annotations

from sunshine.committees import calling
from tests.builders import api_token
from tests.evaluation.builders import calls


def ok(response, status: int = 200):
    assert response.status_code == status, response.text
    return response.json()


def tokens(client, w) -> None:
    w.h = {n: api_token(client, getattr(w, n).username) for n in ("agency", "tenderer", "centre", "supervisor")}
    w.hb = [api_token(client, b.username) for b in w.bidders]
    w.he = {e["id"]: api_token(client, e["username"]) for e in w.pool}


def session_of(client, w, headers) -> dict:
    return ok(client.get(f"/api/v1/evaluation/sessions/{w.sid}", headers=headers))


def member_headers(client, w) -> dict[int, dict]:
    """Member id → headers, for every active member (experts by user, the representative is the tenderer)."""
    view = session_of(client, w, w.h["centre"])
    out = {}
    by_user = {e["name"]: w.he[e["id"]] for e in w.pool}
    for m in view["members"]:
        if m["state"] != "active":
            continue
        out[m["id"]] = w.h["tenderer"] if m["kind"] == "representative" else by_user[m["name"]]
    return out


def declare_none(client, w, headers) -> dict:
    bids = session_of(client, w, headers)["bids"]
    body = {"declarations": [{"bid_id": b["id"], "conflict": False} for b in bids]}
    declared = ok(client.post(f"/api/v1/evaluation/sessions/{w.sid}/conflicts", json=body, headers=headers))
    assert declared["recused"] is False
    return declared


def replace_recused(client, db, clock, w) -> dict:
    """The next expert in the draw's order is called: they confirm and sign in on their workbench API, the centre
    admits them. Returns the new expert's dict."""
    pending = [c for c in calls(db, w) if c.state == calling.PENDING]
    assert len(pending) == 1, "the recusal calls exactly one replacement"
    expert = w.by_id[pending[0].expert_id]
    h = w.he[expert["id"]]
    mine = ok(client.get("/api/v1/expert/assignments", headers=h))
    call_id = mine["pending"][0]["id"]
    ok(client.post(f"/api/v1/expert/assignments/{call_id}/confirm", headers=h))
    ok(client.post(f"/api/v1/expert/assignments/{call_id}/sign-in", headers=h))
    ok(client.post(f"/api/v1/evaluation/sessions/{w.sid}/admit", json={}, headers=w.h["centre"]))
    return expert


def form_committee(client, w, *, chair_kind: str = "expert") -> tuple[dict[int, dict], int]:
    """The centre opens the session with the representative; every member declares no conflict; all vote for the
    first member of ``chair_kind``. Returns (member id → headers, chair id)."""
    started = client.post(
        f"/api/v1/evaluation/sections/{w.section_id}/session",
        json={"representatives": [w.tenderer.user_id]},
        headers=w.h["centre"],
    )
    w.sid = ok(started, 201)["id"]
    headers = member_headers(client, w)
    for h in headers.values():
        declare_none(client, w, h)
    view = session_of(client, w, w.h["centre"])
    chair = next(m["id"] for m in view["members"] if m["kind"] == chair_kind)
    for h in headers.values():
        voted = ok(client.post(f"/api/v1/evaluation/sessions/{w.sid}/chair", json={"candidate": chair}, headers=h))
        if voted["state"] == "review":  # a majority elected the chair
            break
    assert session_of(client, w, headers[chair])["state"] == "review"
    return headers, chair
