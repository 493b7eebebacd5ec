"""A platform incident as the centre, the supervisory department, bidders and the public meet it through the
API: declared across a bid deadline, the tick leaves the project alone; confirmed and ended, the deadline moves
by the rule, the notices are out, bidders bid until the new deadline, the ledger verifies. An incident during
decryption pauses it and restarts it with the time it had left. Refusals and bad input answer 4xx in Chinese."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

import pytest

from sunshine import tasks
from sunshine.config import get_settings
from sunshine.core.formatting import local_time
from sunshine.ledger.export import iter_db_entries, iter_db_heads
from sunshine.ledger.verify import verify_log
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.bidding.test_sealed_bids import submit
from tests.builders import api_token
from tests.disclosure.builders import load_catalog
from tests.trading.builders import accepted_project


@pytest.fixture
def w(db, client, monkeypatch):
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()
    load_catalog(db)  # the 公开事项目录: the incident notice (ZX.JD.05) and the suspension notice (GC.ZB.04)
    world = tender_with_bidders(db)
    world.tokens = [api_token(client, b.username) for b in world.bidders]
    world.centre_token = api_token(client, world.centre.username)
    world.supervisor_token = api_token(client, world.supervisor.username)
    world.agency_token = api_token(client, world.agency.username)
    return world


def signed_in_again(client, w) -> None:
    """The bidders sign in again after the clock has moved: the bid steps need a recent password entry."""
    w.tokens = [api_token(client, b.username) for b in w.bidders]


def iso(moment: datetime) -> str:
    return moment.isoformat()


def declare(client, w, started_at: datetime, **body):
    payload = {
        "kind": "network",
        "description": "电信出口光缆中断，投标人无法访问交易平台",
        "started_at": iso(started_at),
    }
    return client.post("/api/v1/incidents", json={**payload, **body}, headers=w.centre_token)


def project(client, w) -> dict:
    return client.get(f"/api/v1/projects/{w.project_id}", headers=w.centre_token).json()


def ledger_verifies(db, client) -> None:
    tasks.tick(db)  # signs a head over everything
    key = base64.b64decode(client.get("/api/v1/ledger/key").json()["public_key"])
    with db.unit_of_work() as s:
        report = verify_log(iter_db_entries(s), list(iter_db_heads(s)), key)
    assert report.ok, report.problems


def test_an_incident_across_the_bid_deadline_suspends_then_extends_it(client, w, db, clock):
    assert submit(client, w, 0, seal_for(w, w.bidders[0])).status_code == 201
    deadline = datetime.fromisoformat(project(client, w)["bid_deadline"])
    clock.advance(timedelta(days=30) - timedelta(hours=2))  # two hours before the deadline
    signed_in_again(client, w)
    started = clock.now() - timedelta(minutes=30)  # the failure began half an hour before it was declared
    r = declare(client, w, started)
    assert r.status_code == 201, r.text
    incident = r.json()
    assert incident["status_label"] == "处置中（待监督部门确认）" and incident["kind_label"] == "网络中断"
    assert [p["project_code"] for p in incident["projects"]] == [w.code]
    assert incident["projects"][0]["outcome"] == "暂停中"
    assert project(client, w)["state"] == "suspended"

    # the deadline passes during the incident: the tick neither closes nor opens the project
    clock.advance(timedelta(hours=5))
    signed_in_again(client, w)
    report = tasks.tick(db)
    assert w.code not in report.closed and w.code not in report.opened
    assert project(client, w)["state"] == "suspended"
    refused = submit(client, w, 1, seal_for(w, w.bidders[1]))
    assert refused.status_code == 409

    # it can be ended only once the supervisory department has confirmed it
    early = client.post(
        f"/api/v1/incidents/{incident['id']}/end",
        json={"ended_at": iso(clock.now()), "note": "光缆已修复"},
        headers=w.centre_token,
    )
    assert early.status_code == 409 and early.json()["code"] == "incident_not_confirmed"
    ok = client.post(
        f"/api/v1/incidents/{incident['id']}/confirm", json={"note": "经核实，故障属实"}, headers=w.supervisor_token
    )
    assert ok.status_code == 200 and ok.json()["status_label"] == "处置中（监督部门已确认）"
    again = client.post(f"/api/v1/incidents/{incident['id']}/confirm", json={}, headers=w.supervisor_token)
    assert again.status_code == 409 and again.json()["code"] == "incident_already_confirmed"
    before_start = client.post(
        f"/api/v1/incidents/{incident['id']}/end",
        json={"ended_at": iso(started - timedelta(minutes=1)), "note": "光缆已修复"},
        headers=w.centre_token,
    )
    assert before_start.status_code == 422 and before_start.json()["code"] == "incident_bad_time"
    assert "晚于故障开始时间" in before_start.json()["detail"]

    # ended: the project resumes, its deadline moves by the whole days the failure lasted (不足一日按一日计)
    ended = client.post(
        f"/api/v1/incidents/{incident['id']}/end",
        json={"ended_at": iso(clock.now() - timedelta(minutes=10)), "note": "运营商修复光缆，平台访问恢复正常"},
        headers=w.centre_token,
    )
    assert ended.status_code == 200, ended.text
    done = ended.json()
    assert done["status_label"] == "已结束"
    row = done["projects"][0]
    assert row["outcome"] == "已恢复" and row["days_added"] == 1
    moved = {m["label"]: m for m in row["moved"]}
    new_deadline = deadline + timedelta(days=1)
    assert datetime.fromisoformat(moved["投标截止"]["after"]) == new_deadline
    shown = project(client, w)
    assert shown["state"] == "notice_published"
    assert datetime.fromisoformat(shown["bid_deadline"]) == new_deadline
    twice = client.post(
        f"/api/v1/incidents/{incident['id']}/end",
        json={"ended_at": iso(clock.now()), "note": "再次结束"},
        headers=w.centre_token,
    )
    assert twice.status_code == 409 and twice.json()["code"] == "incident_already_ended"

    # the notices: the incident and its end, published; the end notice gives the new deadline
    titles = [n["title"] for n in done["notices"]]
    assert len(titles) == 2 and "应急处置公告" in titles[0] and "恢复交易" in titles[1]
    end_page = client.get(f"/disclosure/publications/{done['notices'][1]['publication_id']}").text
    assert local_time(new_deadline) in end_page and w.code in end_page
    listing = client.get("/api/v1/disclosure/publications", params={"q": "暂停公告（平台故障）"}).json()
    assert listing["items"], listing  # the project's own suspension notice (GC.ZB.04)

    # bidders bid until the new deadline; at it the tick closes and opens
    assert submit(client, w, 1, seal_for(w, w.bidders[1])).status_code == 201
    clock.advance(new_deadline - clock.now() - timedelta(minutes=1))
    signed_in_again(client, w)
    assert submit(client, w, 2, seal_for(w, w.bidders[2])).status_code == 201
    assert w.code not in tasks.tick(db).closed
    clock.advance(timedelta(minutes=1))
    signed_in_again(client, w)
    assert tasks.tick(db).opened == [w.code]

    # the ledger holds one entry per step and verifies
    entries = client.get("/api/v1/ledger/entries", params={"subject": f"incident:{done['code']}"}).json()
    items = entries.get("entries", entries.get("items")) if isinstance(entries, dict) else entries
    kinds = [e["kind"] for e in items]
    assert kinds == ["incidents:incident:declared", "incidents:incident:confirmed", "incidents:incident:ended"]
    ledger_verifies(db, client)


def test_an_incident_during_decryption_pauses_and_restarts_it(client, w, db, clock):
    kept = []
    for i in range(3):
        sealed = seal_for(w, w.bidders[i], f"48{i}0000.00")
        kept.append((sealed, submit(client, w, i, sealed).json()["bid_no"]))
    clock.advance(timedelta(days=30))
    signed_in_again(client, w)
    assert tasks.tick(db).opened == [w.code]
    window_end = datetime.fromisoformat(
        client.get(f"/api/v1/projects/{w.project_id}/opening").json()["decryption_ends_at"]
    )
    reveal = lambda i: client.post(  # noqa: E731
        f"/api/v1/bids/{kept[i][1]}/reveal", json={"key": kept[i][0].key_text}, headers=w.tokens[i]
    )
    assert reveal(0).status_code == 200
    clock.advance(timedelta(minutes=20))
    signed_in_again(client, w)
    started = clock.now() - timedelta(minutes=5)  # 40 minutes of the hour were left when it failed
    incident = declare(client, w, started, kind="ca", description="CA 证书服务中断，投标人无法解密").json()
    assert incident["projects"][0]["state_before"] == "开标中"
    paused = reveal(1)
    assert paused.status_code == 409 and paused.json()["code"] == "decryption_paused"
    clock.advance(timedelta(hours=2))  # the window would have run out: the tick leaves it alone
    signed_in_again(client, w)
    assert w.code not in tasks.tick(db).decryption_closed
    client.post(f"/api/v1/incidents/{incident['id']}/confirm", json={}, headers=w.supervisor_token)
    done = client.post(
        f"/api/v1/incidents/{incident['id']}/end",
        json={"ended_at": iso(clock.now()), "note": "CA 服务商恢复服务"},
        headers=w.centre_token,
    ).json()
    moved = {m["label"]: m for m in done["projects"][0]["moved"]}
    restarted = datetime.fromisoformat(moved["在线解密截止"]["after"])
    assert restarted == clock.now() + (window_end - started)  # the 40 minutes it had left
    assert datetime.fromisoformat(moved["在线解密截止"]["before"]) == window_end
    record = client.get(f"/api/v1/projects/{w.project_id}/opening").json()
    assert record["status"] == "decrypting" and done["code"] in record["interruptions"][0]["reason"]
    assert reveal(1).status_code == 200
    clock.advance(restarted - clock.now())
    signed_in_again(client, w)
    assert tasks.tick(db).decryption_closed == [w.code]
    record = client.get(f"/api/v1/projects/{w.project_id}/opening").json()
    by_no = {b["bid_no"]: b["decryption"] for b in record["sections"][0]["bids"]}
    assert by_no[kept[1][1]] == "decrypted" and by_no[kept[2][1]] == "revoked"  # its own doing after the restart
    ledger_verifies(db, client)


def test_scope_by_type_and_by_project(client, w, db, clock):
    other = accepted_project(db, vars(w), transaction_type="gov_procurement", name="示范市第一中学课桌椅采购")
    r = declare(client, w, clock.now(), scope="types", transaction_types=["gov_procurement"])
    assert r.status_code == 201 and r.json()["projects"] == []  # its procurement project has no notice yet
    assert r.json()["scope_label"] == "指定交易类型（政府采购）"
    r = declare(client, w, clock.now(), scope="projects", project_ids=[other])
    assert r.status_code == 409 and r.json()["code"] == "incident_project_not_affected"
    assert "不受平台故障影响" in r.json()["detail"]
    r = declare(client, w, clock.now(), scope="projects", project_ids=[w.project_id])
    assert r.status_code == 201 and [p["project_code"] for p in r.json()["projects"]] == [w.code]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"started_at": "2099-01-01T09:00:00+08:00"}, 422, "incident_bad_time"),
        ({"kind": "meteor"}, 422, "invalid_input"),
        ({"scope": "galaxy"}, 422, "invalid_input"),
        ({"description": "断"}, 422, "invalid_input"),
        ({"description": "故障\u0000说明"}, 422, "control_characters"),
        ({"scope": "projects", "project_ids": [987654]}, 422, "incident_unknown_project"),
        ({"scope": "projects", "project_ids": []}, 422, "invalid_input"),
        ({"scope": "types", "transaction_types": ["spaceships"]}, 422, "invalid_input"),
        ({"started_at": "明天上午"}, 422, None),
        ({"description": "值班人员身份证号 11010519491231002X，请联系"}, 422, "held_for_review"),
    ],
)
def test_bad_input_is_refused_in_chinese_with_nothing_written(client, w, clock, body, status, code):
    base = {"kind": "network", "description": "网络中断", "started_at": iso(clock.now())}
    r = client.post("/api/v1/incidents", json={**base, **body}, headers=w.centre_token)
    assert r.status_code == status, r.text
    if code:
        assert r.json()["code"] == code
    assert client.get("/api/v1/incidents").json() == []
    assert project(client, w)["state"] == "notice_published"


def test_who_may_do_what(client, w, db, clock):
    body = {"kind": "system", "description": "数据库服务器宕机", "started_at": iso(clock.now())}
    assert client.post("/api/v1/incidents", json=body).status_code == 401
    for token in (w.tokens[0], w.supervisor_token, w.agency_token):
        assert client.post("/api/v1/incidents", json=body, headers=token).status_code == 403
    incident = client.post("/api/v1/incidents", json=body, headers=w.centre_token).json()
    confirm = f"/api/v1/incidents/{incident['id']}/confirm"
    assert client.post(confirm, json={}, headers=w.centre_token).status_code == 403
    assert client.post(confirm, json={}, headers=w.tokens[0]).status_code == 403
    assert client.post(confirm, json={}, headers=w.supervisor_token).status_code == 200
    end = f"/api/v1/incidents/{incident['id']}/end"
    end_body = {"ended_at": iso(clock.now()), "note": "已修复"}
    clock.advance(timedelta(minutes=5))
    signed_in_again(client, w)
    assert client.post(end, json=end_body, headers=w.supervisor_token).status_code == 403
    assert client.post("/api/v1/incidents/987654/end", json=end_body, headers=w.centre_token).status_code == 404
    # the public reads every incident, without the names of the staff
    public = client.get("/api/v1/incidents").json()
    assert public[0]["code"] == incident["code"] and public[0]["declared_by"] is None
    staff = client.get(f"/api/v1/incidents/{incident['id']}", headers=w.centre_token).json()
    assert staff["declared_by"] and staff["confirmed_by"]
    assert client.get("/api/v1/incidents/987654").status_code == 404


def test_a_window_that_ran_out_during_the_failure_leaves_its_bids_withdrawn(client, w, db, clock):
    kept = []
    for i in range(3):
        sealed = seal_for(w, w.bidders[i], f"47{i}0000.00")
        kept.append((sealed, submit(client, w, i, sealed).json()["bid_no"]))
    clock.advance(timedelta(days=30))
    signed_in_again(client, w)
    tasks.tick(db)
    assert (
        client.post(
            f"/api/v1/bids/{kept[0][1]}/reveal", json={"key": kept[0][0].key_text}, headers=w.tokens[0]
        ).status_code
        == 200
    )
    failed_at = clock.now() + timedelta(minutes=30)
    clock.advance(timedelta(hours=1, minutes=1))  # the window ran out while bidders could not reach the platform
    signed_in_again(client, w)
    assert tasks.tick(db).decryption_closed == [w.code]
    # declared afterwards, for a failure that began before the window ran out
    clock.advance(timedelta(minutes=10))
    signed_in_again(client, w)
    body = {"scope": "projects", "project_ids": [w.project_id]}
    incident = declare(client, w, failed_at, **body)
    assert incident.status_code == 201, incident.text
    row = incident.json()["projects"][0]
    assert "视为撤回" in row["outcome"] and row["suspended_seq"] is None
    assert project(client, w)["state"] == "opening"  # nothing to suspend: the record waits for people
    record = client.get(f"/api/v1/projects/{w.project_id}/opening").json()
    by_no = {b["bid_no"]: b["decryption"] for b in record["sections"][0]["bids"]}
    assert by_no == {kept[0][1]: "decrypted", kept[1][1]: "void", kept[2][1]: "void"}
    assert incident.json()["code"] in record["interruptions"][0]["reason"]
    notice = client.get(f"/disclosure/publications/{incident.json()['notices'][0]['publication_id']}").text
    assert "第三十一条" in notice and w.code in notice
    # a failure that began after the window had run out changes nothing
    later = declare(client, w, clock.now(), **body)
    assert later.status_code == 409 and later.json()["code"] == "incident_project_not_affected"


def test_a_deadline_closed_by_the_clock_during_the_failure_reopens_bidding(client, w, db, clock):
    from sunshine.trading import service as trading

    deadline = datetime.fromisoformat(project(client, w)["bid_deadline"])
    clock.advance(timedelta(days=30, minutes=5))
    signed_in_again(client, w)
    with db.unit_of_work() as s:  # the clock closed bidding; bidders had not reached the platform since 08:00
        assert trading.close_due(s) == [w.code]
    incident = declare(client, w, deadline - timedelta(hours=1)).json()
    assert incident["projects"][0]["state_before"] == "投标截止"
    client.post(f"/api/v1/incidents/{incident['id']}/confirm", json={}, headers=w.supervisor_token)
    clock.advance(timedelta(hours=2))
    signed_in_again(client, w)
    done = client.post(
        f"/api/v1/incidents/{incident['id']}/end",
        json={"ended_at": iso(clock.now()), "note": "网络恢复"},
        headers=w.centre_token,
    ).json()
    shown = project(client, w)
    assert shown["state"] == "notice_published"
    assert datetime.fromisoformat(shown["bid_deadline"]) == deadline + timedelta(days=1)
    assert done["projects"][0]["outcome"] == "已恢复"
    assert submit(client, w, 0, seal_for(w, w.bidders[0])).status_code == 201
    entry = client.get(f"/api/v1/ledger/entries/{done['projects'][0]['resumed_seq']}").json()
    assert entry["payload"]["bidding_reopened"] is True and entry["payload"]["to"] == "notice_published"
