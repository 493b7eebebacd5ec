"""Acknowledged changes (签收回执) through the API: each holder of the documents (registered before the change)
sees every clarification, amendment and change of time under /me and acknowledges it once; the agency sees who
has and who has not; a bidder that registered later, or is not a holder, has nothing to acknowledge; the
holders get a message in their inbox."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.core import clock as core_clock
from sunshine.trading import registrations
from sunshine.trading.models import Section
from tests.builders import api_token
from tests.trading.builders import accepted_project, publish_notice, tender_world


@pytest.fixture
def w(db, client):
    w = tender_world(db)
    w["pid"] = accepted_project(db, w, transaction_type="gov_procurement", sections=[("第一包", "2000000.00")])
    w["first"] = publish_notice(db, w["agency"], w["pid"])
    with db.unit_of_work() as s:
        w["section"] = s.query(Section).filter_by(project_id=w["pid"]).one().id
    for person in w["bidders"][:2]:
        with db.unit_of_work() as s:
            registrations.register_bidder(s, person, w["pid"], w["section"], "王经理", "13800138000")
    w["h"] = {k: api_token(client, w[k].username) for k in ("agency", "tenderer", "supervisor", "other_agency")}
    w["b"] = [api_token(client, b.username) for b in w["bidders"]]
    return w


def _amend(client, w, kind="clarification", **extra):
    data = {"kind": kind, "title": "教学设备采购项目澄清公告", "body_html": "<p>第三章第5条澄清如下。</p>", **extra}
    r = client.post(f"/api/v1/projects/{w['pid']}/notices/{w['first']}/amendments", data=data, headers=w["h"]["agency"])
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_holders_acknowledge_each_change_and_the_agency_sees_who_has_not(client, db, w, clock):
    clarification = _amend(client, w)
    later_deadline = (core_clock.now() + timedelta(days=40)).isoformat()
    change_of_time = _amend(
        client, w, kind="opening_change", title="开标时间变更公告", affects_bids="true", new_bid_deadline=later_deadline
    )
    # the third firm registers after both changes: it got the changed documents, nothing to acknowledge
    clock.advance(timedelta(minutes=5))
    with db.unit_of_work() as s:
        registrations.register_bidder(s, w["bidders"][2], w["pid"], w["section"], "李经理", "13900139000")

    mine = client.get("/api/v1/me/acknowledgements", headers=w["b"][0]).json()
    assert [(c["notice"]["id"], c["acknowledged_at"]) for c in mine] == [(change_of_time, None), (clarification, None)]
    assert mine[0]["notice"]["kind_label"] == "开标时间变更公告"
    assert client.get("/api/v1/me/acknowledgements", headers=w["b"][2]).json() == []

    r = client.post(f"/api/v1/me/acknowledgements/{clarification}", headers=w["b"][0])
    assert r.status_code == 201 and r.json()["acknowledged_at"], r.text
    again = client.post(f"/api/v1/me/acknowledgements/{clarification}", headers=w["b"][0])
    assert again.status_code == 409 and again.json()["code"] == "already_exists"
    assert client.post(f"/api/v1/me/acknowledgements/{clarification}", headers=w["b"][2]).status_code == 404
    assert client.post(f"/api/v1/me/acknowledgements/{w['first']}", headers=w["b"][1]).status_code == 404

    status = client.get(f"/api/v1/projects/{w['pid']}/acknowledgements", headers=w["h"]["agency"]).json()
    by_notice = {row["notice"]["id"]: row for row in status}
    names = [n for n in ("示范建设集团有限公司", "闽江路桥工程有限公司")]
    assert [o["organisation_name"] for o in by_notice[clarification]["acknowledged"]] == names[:1]
    assert [o["organisation_name"] for o in by_notice[clarification]["pending"]] == names[1:]
    assert by_notice[change_of_time]["acknowledged"] == []
    assert sorted(o["organisation_name"] for o in by_notice[change_of_time]["pending"]) == sorted(names)
    # the other agency sees nothing of this project's receipts; a bidder may not read them
    assert (
        client.get(f"/api/v1/projects/{w['pid']}/acknowledgements", headers=w["h"]["other_agency"]).status_code == 404
    )
    assert client.get(f"/api/v1/projects/{w['pid']}/acknowledgements", headers=w["b"][0]).status_code == 403

    inbox = client.get("/api/v1/me/messages", headers=w["b"][1]).json()
    items = inbox["items"] if isinstance(inbox, dict) else inbox
    assert any("请签收" in m["subject"] for m in items)


def test_the_15_day_check_of_an_amendment_stays_as_it_was(client, db, w, clock):
    clock.advance(timedelta(days=20))
    w["h"]["agency"] = api_token(client, w["agency"].username)
    data = {"kind": "amendment", "title": "更正公告", "body_html": "<p>技术参数修改。</p>", "affects_bids": "true"}
    r = client.post(f"/api/v1/projects/{w['pid']}/notices/{w['first']}/amendments", data=data, headers=w["h"]["agency"])
    assert r.status_code == 409 and r.json()["code"] == "rule_violation", r.text
