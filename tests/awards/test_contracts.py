"""Contracts walked through the API: drafted from the award letter (the winner's amount, the section as
tendered), a changed amount or object or an excessive performance security refused with 422, the contract
deadline tracked from the letters and overdue with an alert from the tick, then signed by both parties (each
by its own users) and the project 合同已签订 with the contract's hash in the ledger."""

from __future__ import annotations

from datetime import timedelta

from sunshine.core import clock as core_clock
from sunshine.identity.roles import Role
from tests.awards.builders import awarded_draw
from tests.builders import api_token
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import actor


def test_a_draw_contract_refused_when_changed_then_signed_late_by_both(db, client, clock, app):
    result, letters = awarded_draw(db, client, clock)
    w, pid = result.w, result.project["id"]
    award = next(x for x in letters if x["kind"] == "award")
    winner = next(i for i, b in enumerate(w.bidders) if b.organisation_id == award["organisation_id"])
    section = award["section_id"]
    school = actor(db, Role.TENDERER, organisation_id=w.school)
    issued_on = core_clock.today_local()

    deadlines = client.get("/api/v1/calendar/deadlines", headers=w.headers["centre"]).json()
    due = next(d for d in deadlines if d["rule_ref"].endswith("/contract_within") and d["purpose"] == "awards:contract")
    assert due["due"] == (issued_on + timedelta(days=30)).isoformat()  # 30 calendar days from the letters

    terms = {"section_id": section, "term": "自开工之日起90日历天", "payment": "按月进度付款，竣工验收后付至97%"}
    changed = client.post(
        f"/api/v1/projects/{pid}/contracts", headers=w.headers["agency"], json={**terms, "amount": "380000.00"}
    )
    assert changed.status_code == 422 and changed.json()["code"] == "contract_changes_substance"
    assert "第四十六条" in changed.json()["detail"] and changed.json()["field"] == "amount"
    other_object = client.post(
        f"/api/v1/projects/{pid}/contracts", headers=w.headers["agency"], json={**terms, "subject": "道路白改黑"}
    )
    assert other_object.status_code == 422 and other_object.json()["code"] == "contract_changes_substance"
    too_much = client.post(
        f"/api/v1/projects/{pid}/contracts",
        headers=w.headers["agency"],
        json={**terms, "performance_security": "38600.01"},
    )
    assert too_much.status_code == 422 and too_much.json()["field"] == "performance_security"
    by_bidder = client.post(f"/api/v1/projects/{pid}/contracts", headers=w.headers[f"bidder{winner}"], json=terms)
    assert by_bidder.status_code == 403
    assert client.get(f"/api/v1/projects/{pid}/contracts", headers=w.headers["agency"]).json() == []
    with browser(app, w.agency.username) as agency_page:
        form = agency_page.get(f"/projects/{pid}/contracts")
        assert "起草合同" in page_text(form.text) and "386,000.00" in form.text
        project_page = agency_page.get(f"/projects/{pid}").text  # links to the letters; no contract yet
        assert f'href="/projects/{pid}/award-letters"' in project_page
        assert "中选通知书与结果通知书" in page_text(project_page)
        assert f'href="/projects/{pid}/contracts"' not in project_page
        assert f'href="/projects/{pid}/results"' not in project_page  # a draw has no evaluation
    with browser(app) as anonymous:  # the letters are not public
        assert f'href="/projects/{pid}/award-letters"' not in anonymous.get(f"/projects/{pid}").text

    drafted = client.post(
        f"/api/v1/projects/{pid}/contracts",
        headers=w.headers["agency"],
        json={**terms, "amount": "386000", "performance_security": "38600.00"},
    )
    assert drafted.status_code == 201, drafted.text
    contract = drafted.json()
    assert contract["amount"] == "386000.00" and contract["title"] == "合同"
    assert contract["winner"] == award["addressee"] and "人民币386,000.00元" in contract["body"]
    assert contract["state_label"] == "待双方签署"
    with browser(app, w.bidders[winner].username) as bidder_page:  # the winner: its letter and the contract
        project_page = bidder_page.get(f"/projects/{pid}").text
        assert f'href="/projects/{pid}/award-letters"' in project_page
        assert f'href="/projects/{pid}/contracts"' in project_page and "合同" in page_text(project_page)

    # The deadline passes unsigned: the tick raises one alert.
    clock.advance(timedelta(days=31))
    w.login(client)
    from sunshine.tasks import tick

    assert tick(db).contracts_overdue == [result.project["code"]]
    assert tick(db).contracts_overdue == []
    alerts = client.get("/api/v1/alerts", headers=w.headers["centre"]).json()
    assert any("合同应于" in a["message"] and "已逾期" in a["message"] for a in alerts)

    # Each side signs by its own users; the agency may not sign for the tenderer, a loser not for the winner.
    loser = next(i for i in range(len(w.bidders)) if i != winner)
    sha = {"sha256": contract["sha256"]}
    url = f"/api/v1/contracts/{contract['id']}/sign"
    cid = contract["id"]
    assert client.post(url, headers=w.headers["agency"], json=sha).status_code == 403
    assert client.post(url, headers=w.headers[f"bidder{loser}"], json=sha).status_code == 404
    wrong = client.post(url, headers=w.headers[f"bidder{winner}"], json={"sha256": "0" * 64})
    assert wrong.status_code == 409
    clock.advance(timedelta(hours=1))  # the token is still valid, but the password was entered too long ago
    stale = client.post(url, headers=w.headers[f"bidder{winner}"], json=sha)
    assert stale.status_code == 401 and stale.json()["code"] == "reauthentication_required"
    w.login(client)
    with browser(app, w.bidders[winner].username) as person:  # the winner signs on the contract's page
        page = person.get(f"/contracts/{cid}")
        assert "本方签署合同" in page_text(page.text) and "待双方签署" in page_text(page.text)
        signed_page = person.post(
            f"/contracts/{cid}/sign",
            data={"csrf_token": csrf_token(page.text), "sha256": contract["sha256"]},
            follow_redirects=True,
        )
        assert "乙方已签署，待甲方签署" in page_text(signed_page.text)
        assert "本方签署合同" not in page_text(signed_page.text)
    first = client.get(f"/api/v1/contracts/{cid}", headers=w.headers[f"bidder{winner}"])
    assert first.json()["state_label"] == "乙方已签署，待甲方签署"
    assert first.json()["project_state_label"] == "已发出中选通知书"
    school_headers = api_token(client, school.username)
    second = client.post(url, headers=school_headers, json=sha)
    assert second.status_code == 200, second.text
    signed = second.json()
    assert signed["state_label"] == "双方已签署" and signed["project_state_label"] == "合同已签订"
    assert client.get(f"/api/v1/projects/{pid}").json()["state"] == "contracted"
    entry = client.get(f"/api/v1/ledger/entries/{signed['ledger_seq']}").json()
    assert entry["payload"]["contracts"] == [
        {"contract": cid, "number": contract["number"], "section": section, "sha256": contract["sha256"]}
    ]
    timeline = [t["step"] for t in client.get(f"/api/v1/projects/{pid}/timeline").json()]
    assert timeline[-2:] == ["issue_award_letters", "sign_contract"]
    again = client.post(url, headers=school_headers, json=sha)
    assert again.status_code == 409
