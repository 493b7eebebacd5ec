"""The session is confidential until the results (《招标投标法》第四十四条): while the committee works,
every role outside it — the supervisor, the agency, a bidder, an expert not on the committee, the purchaser's other
staff, the administrator, a social supervisor, anyone anonymous — is told the session and its report do not exist;
the ledger carries counts and digests, never a member's
name, a score or a rejection's facts. The agency reads the report once signed, the purchaser once delivered."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from tests.builders import api_token, make_user
from tests.evaluation.builders import opened_tender
from tests.evaluation.walk import form_committee, ok, session_of, tokens
from tests.trading.builders import cheap_password_hashing

BASE = "/api/v1/evaluation"


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()


def test_outsiders_see_nothing_of_the_session_until_the_results(db, client, clock):
    w = opened_tender(db, clock, procurement=True, prices=("4800000.00", "4750000.00", "4900000.00"))
    tokens(client, w)
    headers, chair = form_committee(client, w)
    hc = headers[chair]
    view = session_of(client, w, hc)
    url = f"{BASE}/sessions/{w.sid}/bids"
    for b in view["bids"]:
        for stage in ("qualification", "compliance"):
            ok(client.post(f"{url}/{b['id']}/review", json={"stage": stage, "passed": True}, headers=hc))
    ok(client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=hc))
    sheet = {"scores": {str(b["id"]): {"tech": "47.5", "service": "18.25"} for b in view["bids"]}}
    for h in headers.values():
        ok(client.post(f"{BASE}/sessions/{w.sid}/scores", json=sheet, headers=h))
    ok(client.post(f"{BASE}/sessions/{w.sid}/compute", headers=hc))

    member_names = {m["name"] for m in session_of(client, w, w.h["centre"])["members"]}
    sitting = {e["id"] for e in w.pool if e["name"] in member_names}
    outsider_expert = next(e for e in w.pool if e["id"] not in sitting)
    purchaser_clerk = make_user(db, Role.TENDERER, organisation_id=w.school)
    admin = make_user(db, Role.ADMIN)
    social = make_user(db, Role.SOCIAL_SUPERVISOR)
    outsiders = {
        "supervisor": w.h["supervisor"],
        "agency": w.h["agency"],
        "bidder": w.hb[0],
        "other expert": w.he[outsider_expert["id"]],
        "purchaser's other staff": api_token(client, purchaser_clerk),
        "administrator": api_token(client, admin),
        "social supervisor": api_token(client, social),
        "anonymous": {},
    }
    for who, h in outsiders.items():
        for path in (f"{BASE}/sessions/{w.sid}", f"{BASE}/sessions/{w.sid}/report"):
            r = client.get(path, headers=h)
            assert r.status_code in (401, 403, 404), (who, path, r.status_code)
            assert not any(n in r.text for n in member_names), who
        mine = client.get(f"{BASE}/mine", headers=h)
        assert mine.status_code in (401, 403) or mine.json() == [], who
        for step in ("compute", "review/finish", "report/sign"):
            r = client.post(f"{BASE}/sessions/{w.sid}/{step}", json={"agree": True}, headers=h)
            assert r.status_code in (401, 403, 404), (who, step, r.status_code)
    # members and the staff running it see the session, with the names
    assert member_names <= {m["name"] for m in session_of(client, w, hc)["members"]}
    assert ok(client.get(f"{BASE}/mine", headers=hc))[0]["id"] == w.sid

    # the ledger: counts and digests, nothing of who or what was scored
    with db.unit_of_work(read_only=True) as s:
        payloads = [e.payload for e in s.scalars(select(LedgerEntry).where(LedgerEntry.kind.like("evaluation:%")))]
    assert payloads
    text = "\n".join(payloads)
    assert not any(n in text for n in member_names)
    assert "47.5" not in text and "18.25" not in text

    # signed: the agency reads the report; the purchaser's other staff once it is delivered
    for h in headers.values():
        ok(client.post(f"{BASE}/sessions/{w.sid}/report/sign", json={"agree": True}, headers=h))
    assert client.get(f"{BASE}/sessions/{w.sid}/report", headers=w.h["agency"]).status_code == 200
    assert client.get(f"{BASE}/sessions/{w.sid}", headers=w.h["agency"]).status_code == 404
    clerk = outsiders["purchaser's other staff"]
    assert client.get(f"{BASE}/sessions/{w.sid}/report", headers=clerk).status_code == 404
    ok(client.post(f"{BASE}/sessions/{w.sid}/report/deliver", headers=w.h["agency"]))
    assert client.get(f"{BASE}/sessions/{w.sid}/report", headers=clerk).status_code == 200
    assert client.get(f"{BASE}/sessions/{w.sid}/report", headers=w.h["supervisor"]).status_code == 404
