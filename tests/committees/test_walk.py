"""A full walk through the API: request → approval → the draw room (sign-ins of the required witnesses, the
supervisor's commitment from their browser, the platform's and the supervisor's reveals) → drawn: the seats are
positions and hashes, no name anywhere → the project is terminated → the draw is disclosed with its replay data,
the record verifies, and the names of those who sat appear on the request."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from sunshine.draws import engine, replay
from sunshine.ledger.models import LedgerEntry
from tests.builders import api_token
from tests.committees.builders import procurement, request_body


def test_api_walk(db, client, clock):
    w = procurement(db)
    h = {n: api_token(client, getattr(w, n).username) for n in ("agency", "tenderer", "supervisor", "centre")}
    created = client.post(
        f"/api/v1/committees/projects/{w.project_id}/requests", json=request_body(w), headers=h["agency"]
    )
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    assert client.post(f"/api/v1/committees/requests/{rid}/approve", headers=h["supervisor"]).status_code == 200

    clock.set(w.deadline + timedelta(minutes=10))
    h = {n: api_token(client, getattr(w, n).username) for n in ("agency", "tenderer", "supervisor", "centre")}
    opened = client.post(f"/api/v1/committees/requests/{rid}/draw", headers=h["centre"])
    assert opened.status_code == 200, opened.text
    code = opened.json()["draw_code"]
    assert opened.json()["state_label"] == "抽取中" and opened.json()["room_url"] == f"/draws/{code}/room"

    # The draw cannot start before the witnesses are signed in.
    early = client.post(f"/api/v1/draws/{code}/start", headers=h["centre"])
    assert early.status_code == 409
    for who in ("supervisor", "centre", "agency"):
        assert client.post(f"/api/v1/draws/{code}/sign-in", headers=h[who]).status_code == 200, who
    secret = engine.new_secret()
    party = f"supervisor:{w.supervisor.user_id}"
    committed = client.post(
        f"/api/v1/draws/{code}/commitment",
        json={"commitment": engine.commitment(code, party, secret)},
        headers=h["supervisor"],
    )
    assert committed.status_code == 200, committed.text
    assert client.post(f"/api/v1/draws/{code}/start", headers=h["centre"]).status_code == 200
    revealed = client.post(f"/api/v1/draws/{code}/reveal", json={"secret": secret}, headers=h["supervisor"])
    assert revealed.status_code == 200, revealed.text

    drawn = client.get(f"/api/v1/committees/requests/{rid}", headers=h["tenderer"]).json()
    assert drawn["state"] == "drawn"
    seats = [s for s in drawn["seats"] if not s["reserve"]]
    assert len(seats) == 4 and all(len(s["leaf"]) == 64 and s["name"] is None for s in seats)
    assert sorted(s["specialty"] for s in seats) == ["A0101", "A0101", "A0102", "A0102"]
    for who in ("agency", "tenderer", "supervisor", "centre"):
        page = client.get(f"/expert-draws/{rid}", headers={**h[who], "accept": "text/html"})
        api = client.get(f"/api/v1/committees/requests/{rid}", headers=h[who])
        assert not any(n in page.text or n in api.text for n in _drawn_names(db, rid)), who
    record = client.get(f"/api/v1/draws/{code}/record")
    assert record.status_code == 200  # public before the results: commitments, hashes, the order — no names
    assert not any(n in record.text for n in _drawn_names(db, rid))
    assert not any(f"expert:{e['id']}" in record.text for e in w.experts)

    # The project is terminated: the draw is disclosed and its record verifies.
    ended = client.post(
        f"/api/v1/projects/{w.project_id}/terminate",
        json={"reason": "采购需求发生重大变化，终止采购"},
        headers=h["agency"],
    )
    assert ended.status_code == 200, ended.text
    after = client.get(f"/api/v1/committees/requests/{rid}", headers=h["tenderer"]).json()
    assert after["disclosed_at"] is not None
    sat = [s for s in after["seats"] if not s["reserve"]]
    assert sorted(s["name"] for s in sat) == sorted(_drawn_names(db, rid))
    public = client.get(f"/api/v1/draws/{code}/record")
    assert public.status_code == 200
    report = replay.verify(public.json())
    assert report.ok, report.as_dict()
    with db.unit_of_work() as s:
        payloads = [e.payload for e in s.scalars(select(LedgerEntry).where(LedgerEntry.kind.like("committees:%")))]
    assert payloads and not any(n in p for p in payloads for n in _drawn_names(db, rid))
    seated = [json.loads(p) for p in payloads if '"seats"' in p]
    assert seated and all("expert" not in json.dumps(p) for p in seated)


def _drawn_names(db, request_id: int) -> list[str]:
    from sunshine.committees import service
    from sunshine.experts import service as experts

    with db.unit_of_work() as s:
        return [
            experts.contact(s, seat.expert_id)[0] for seat in service.committee_of(s, request_id) if not seat.reserve
        ]
