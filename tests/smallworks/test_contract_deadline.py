"""The draw's own contract deadline (the pack's ``contract_within`` from the determination) closes when the
contract is signed: it no longer runs on the deadlines list, nor shows as overdue once its date has passed, and
the draw page no longer asks the tenderer to sign."""

from __future__ import annotations

from datetime import timedelta

from sunshine.identity.roles import Role
from sunshine.smallworks import service
from tests.awards.builders import awarded_draw
from tests.builders import api_token
from tests.pages import browser, page_text
from tests.trading.builders import actor


def _draw_deadlines(client, w, code: str) -> list[dict]:
    deadlines = client.get("/api/v1/calendar/deadlines", headers=w.headers["centre"]).json()
    return [d for d in deadlines if d["subject"] == f"project:{code}" and d["purpose"] == service.CONTRACT]


def test_the_draw_contract_deadline_closes_at_the_signing(db, client, clock, app):
    result, letters = awarded_draw(db, client, clock)
    w, pid, code = result.w, result.project["id"], result.project["code"]
    award = next(x for x in letters if x["kind"] == "award")
    winner = next(i for i, b in enumerate(w.bidders) if b.organisation_id == award["organisation_id"])
    [tracked] = _draw_deadlines(client, w, code)
    assert tracked["rule_ref"].endswith("/contract_within")

    terms = {"section_id": award["section_id"], "term": "开工之日起60日历天", "payment": "竣工验收合格后支付"}
    contract = client.post(f"/api/v1/projects/{pid}/contracts", headers=w.headers["agency"], json=terms).json()
    sha = {"sha256": contract["sha256"]}
    assert client.post(f"/api/v1/contracts/{contract['id']}/sign", headers=w.headers[f"bidder{winner}"], json=sha)
    school = actor(db, Role.TENDERER, organisation_id=w.school)
    url = f"/api/v1/contracts/{contract['id']}/sign"
    signed = client.post(url, headers=api_token(client, school.username), json=sha)
    assert signed.json()["project_state_label"] == "合同已签订", signed.text

    assert _draw_deadlines(client, w, code) == []  # closed at the signing
    clock.advance(timedelta(days=60))  # well past the date the deadline would have had
    w.login(client)
    assert _draw_deadlines(client, w, code) == []
    with browser(app, w.centre.username) as centre:
        deadlines = page_text(centre.get("/staff/deadlines").text)
        assert service.CONTRACT not in deadlines  # neither running nor overdue
        draw_page = page_text(centre.get(f"/projects/{pid}/smallworks").text)
    assert "前与中选承包人签订合同" not in draw_page
