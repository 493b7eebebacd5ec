"""The tick: a term ending within the reminder window raises one alert for the committee office and one for the
expert, however often it runs; statuses follow suspensions and terms; re-appointment needs a passed assessment and
falls within the window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sunshine import tasks
from sunshine.identity.roles import Role
from tests.builders import api_token, make_user
from tests.experts.builders import add_expert
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)


def test_term_end_alert_once_and_reappointment(db, client, clock):
    soon = add_expert(db, term=(date(2023, 12, 20), date(2026, 12, 19)))  # 26 days after 2026-11-23
    later = add_expert(db, term=(date(2025, 1, 1), date(2027, 12, 31)))
    report = tasks.tick(db)
    assert len(report.expert_term_alerts) == 1 and str(soon["id"]) in report.expert_term_alerts[0]
    assert tasks.tick(db).expert_term_alerts == []
    office = api_token(client, make_user(db, Role.COMMITTEE_OFFICE))
    seen = [a["message"] for a in client.get("/api/v1/alerts", headers=office).json()]
    assert any("聘期将于 2026-12-19 届满" in m for m in seen)
    own = client.get("/api/v1/alerts", headers=api_token(client, soon["username"])).json()
    assert any("您的评标专家聘期将于 2026-12-19 届满" in a["message"] for a in own)

    r = client.post(f"/api/v1/experts/{soon['id']}/reappointment", json={}, headers=office)
    assert r.status_code == 409 and r.json()["code"] == "reassessment_missing"
    client.post(
        f"/api/v1/experts/{soon['id']}/evaluations",
        json={"period": "2026", "score": 85, "grade": "good"},
        headers=office,
    )
    r = client.post(f"/api/v1/experts/{soon['id']}/reappointment", json={}, headers=office)
    assert r.status_code == 200, r.text
    assert (r.json()["term_starts_on"], r.json()["term_ends_on"]) == ("2026-12-20", "2029-12-19")
    client.post(
        f"/api/v1/experts/{later['id']}/evaluations",
        json={"period": "2026", "score": 85, "grade": "good"},
        headers=office,
    )
    r = client.post(f"/api/v1/experts/{later['id']}/reappointment", json={}, headers=office)
    assert r.status_code == 409 and "60 日内" in r.json()["detail"]


def test_statuses_follow_suspensions_and_terms(db, client, clock):
    expert = add_expert(db, term=(date(2024, 1, 1), date(2026, 12, 31)))
    officer = make_user(db, Role.COMMITTEE_OFFICE)
    office = api_token(client, officer)
    r = client.post(
        f"/api/v1/experts/{expert['id']}/sanctions",
        headers=office,
        json={"kind": "suspension", "starts_on": "2026-11-23", "ends_on": "2026-11-30", "reason": "评标时迟到两次"},
    )
    assert r.status_code == 201, r.text

    def status() -> str:  # a fresh token: the clock moves past the token's life
        return client.get(f"/api/v1/experts/{expert['id']}", headers=api_token(client, officer)).json()["status"]

    assert status() == "suspended"
    clock.advance(timedelta(days=8))
    assert tasks.tick(db).expert_status == [expert["id"]]
    assert status() == "active"
    clock.advance(timedelta(days=31))  # 2027-01-08: the term has ended
    tasks.tick(db)
    assert status() == "expired"
