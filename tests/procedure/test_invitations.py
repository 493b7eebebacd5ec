"""After the prequalification of a procurement invitation tender (87号令第十四条): the centre draws at least three of
the suppliers who passed through the public draw engine, the opening waits meanwhile, fewer qualified than the
minimum fails the project with its notice, the agency sends the invitation letters with a schedule checked like a
tender notice's, the invited read them in their inbox, and only they obtain the documents and bid. Through the
API, both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.bidding import opening
from sunshine.config import get_settings
from sunshine.core import clock as core_clock
from sunshine.draws import engine
from sunshine.identity.roles import Role
from sunshine.trading import service as trading
from tests.builders import api_token, make_org
from tests.pages import page_text
from tests.trading.builders import accepted_project, actor, cheap_password_hashing, tender_world

EXTRA_FIRMS = ("榕城检测技术有限公司", "海峡公路试验检测中心有限公司")


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "5000")
    get_settings.cache_clear()


def _world(db, client, firms: int):
    w = tender_world(db)
    w["firms"] = list(w["firms"])
    w["bidders"] = list(w["bidders"])
    for name in EXTRA_FIRMS[: max(0, firms - 3)]:
        org = make_org(db, name=name)
        w["firms"].append(org)
        w["bidders"].append(actor(db, Role.BIDDER, organisation_id=org))
    w["bidders"] = w["bidders"][:firms]
    w["h"] = {who: api_token(client, w[who].username) for who in ("agency", "centre", "supervisor", "other_agency")} | {
        f"b{i}": api_token(client, b.username) for i, b in enumerate(w["bidders"])
    }
    pid = accepted_project(
        db,
        w,
        transaction_type="gov_procurement",
        method="invited_tender",
        name="示范市交通运输局公路养护检测服务采购",
        sections=[("公路技术状况检测服务", "1650000.00")],
    )
    now = core_clock.now()
    w["deadline"] = now + timedelta(days=12)
    r = client.post(
        f"/api/v1/projects/{pid}/notices",
        headers=w["h"]["agency"],
        data={
            "kind": "prequalification",
            "title": "示范市交通运输局公路养护检测服务采购资格预审公告",
            "body_html": "<p>申请人资格要求：具有公路工程试验检测资质。</p>",
            "docs_issued_at": now.isoformat(),
            "docs_sale_end": (now + timedelta(days=8)).isoformat(),
            "bid_deadline": w["deadline"].isoformat(),
        },
    )
    assert r.status_code == 201, r.text
    w["pid"] = pid
    w["sid"] = client.get(f"/api/v1/projects/{pid}", headers=w["h"]["agency"]).json()["sections"][0]["id"]
    w["regs"] = []
    for i in range(firms):
        r = client.post(
            f"/api/v1/projects/{pid}/sections/{w['sid']}/registrations",
            headers=w["h"][f"b{i}"],
            json={"contact_name": "林经理", "contact_phone": f"1390000{i:04d}"},
        )
        assert r.status_code == 201, r.text
        w["regs"].append(r.json()["id"])
    return w


def _qualify(client, w, i: int, passed: bool):
    r = client.post(
        f"/api/v1/registrations/{w['regs'][i]}/qualification",
        headers=w["h"]["agency"],
        json={"stage": "pre", "passed": passed, "reasons": "" if passed else "未提供公路工程试验检测资质证书"},
    )
    assert r.status_code == 201, r.text


def _after_deadline(db, clock, w):
    clock.set(w["deadline"] + timedelta(minutes=5))
    with db.unit_of_work() as s:
        trading.close_due(s)
        assert w["pid"] not in opening.due_for_opening(s), "the prequalification's deadline is no opening"


def _run_draw(client, w, code: str) -> None:
    secret = engine.new_secret()
    for who in ("supervisor", "centre", "agency"):
        assert client.post(f"/api/v1/draws/{code}/sign-in", headers=w["h"][who]).status_code == 200
    commitment = engine.commitment(code, f"supervisor:{w['supervisor'].user_id}", secret)
    r = client.post(f"/api/v1/draws/{code}/commitment", headers=w["h"]["supervisor"], json={"commitment": commitment})
    assert r.status_code == 200, r.text
    assert client.post(f"/api/v1/draws/{code}/start", headers=w["h"]["centre"]).status_code == 200
    r = client.post(f"/api/v1/draws/{code}/reveal", headers=w["h"]["supervisor"], json={"secret": secret})
    assert r.status_code == 200, r.text


def _schedule(days: int) -> dict:
    now = core_clock.now()
    deadline = (now + timedelta(days=days)).replace(hour=1, minute=30, second=0, microsecond=0)
    return {
        "docs_issued_at": now.isoformat(),
        "docs_sale_end": (now + timedelta(days=8)).isoformat(),
        "bid_deadline": deadline.isoformat(),
    }


def test_the_centre_draws_the_invitees_and_only_they_receive_letters_and_bid(db, client, clock):
    w = _world(db, client, firms=5)
    for i in range(3):
        _qualify(client, w, i, passed=True)
    _qualify(client, w, 3, passed=False)
    base = f"/api/v1/procedure/projects/{w['pid']}/invitations"

    shown = client.get(base, headers=w["h"]["agency"]).json()
    assert shown["state"] == "prequalifying" and shown["state_label"] == "资格预审中" and shown["min_invitees"] == 3
    assert client.get(base, headers=w["h"]["other_agency"]).status_code == 404

    _after_deadline(db, clock, w)
    project = client.get(f"/api/v1/projects/{w['pid']}", headers=w["h"]["agency"]).json()
    assert project["state"] == "bid_closed"
    held = client.post(f"/api/v1/projects/{w['pid']}/opening", headers=w["h"]["centre"])
    assert held.status_code == 409 and held.json()["code"] == "opening_held", held.text
    body = {"supervisor_user_id": w["supervisor"].user_id}
    assert client.post(f"{base}/draw", headers=w["h"]["agency"], json=body).status_code == 403
    incomplete = client.post(f"{base}/draw", headers=w["h"]["centre"], json=body)
    assert incomplete.status_code == 409 and incomplete.json()["code"] == "prequalification_incomplete"
    _qualify(client, w, 4, passed=True)  # the review of the applications may end after their deadline
    too_few = client.post(f"{base}/draw", headers=w["h"]["centre"], json={**body, "count": 2})
    assert too_few.status_code == 422 and "不得少于 3 家" in too_few.json()["detail"]
    not_supervisor = client.post(
        f"{base}/draw", headers=w["h"]["centre"], json={"supervisor_user_id": w["agency"].user_id}
    )
    assert not_supervisor.status_code == 422

    drawn = client.post(f"{base}/draw", headers=w["h"]["centre"], json=body)
    assert drawn.status_code == 200, drawn.text
    section = drawn.json()["sections"][0]
    assert drawn.json()["state"] == "drawing" and section["qualified_count"] == 4 and section["invite_count"] == 3
    code = section["draw_code"]
    early = client.post(f"{base}/send", headers=w["h"]["agency"], json=_schedule(25))
    assert early.status_code == 409, "no letter before the draw is made"
    _run_draw(client, w, code)

    shown = client.get(base, headers=w["h"]["agency"]).json()
    invited = shown["sections"][0]["invitations"]
    assert shown["state"] == "drawn" and len(invited) == 3
    failed_name = client.get(f"/api/v1/projects/{w['pid']}/registrations", headers=w["h"]["agency"]).json()
    assert len(failed_name) == 5
    invited_orgs = {i["organisation_id"] for i in invited}
    assert w["firms"][3] not in invited_orgs, "the supplier who failed the prequalification is never drawn"
    record = client.get(f"/api/v1/draws/{code}/record").json()
    assert record["state"] == "drawn" and record["candidates"] is None, "who was invited stays confidential"
    assert record["purpose_label"] == "邀请招标随机抽取受邀供应商"
    assert record["eligible_count"] == 4 and record["pool_size"] == 5

    short = client.post(f"{base}/send", headers=w["h"]["agency"], json=_schedule(15))
    assert short.status_code == 409, short.text
    assert short.json()["rule"] == "docs_to_bid_deadline" and "第三十五条" in short.json()["detail"]
    assert client.post(f"{base}/send", headers=w["h"]["centre"], json=_schedule(25)).status_code == 403
    sent = client.post(f"{base}/send", headers=w["h"]["agency"], json={**_schedule(25), "note": "请携带CA锁"})
    assert sent.status_code == 200, sent.text
    assert sent.json()["state"] == "invited" and all(i["sent_at"] for i in sent.json()["sections"][0]["invitations"])
    project = client.get(f"/api/v1/projects/{w['pid']}").json()
    assert project["state"] == "notice_published"

    index = {org: i for i, org in enumerate(w["firms"])}
    guest = next(index[o] for o in invited_orgs)
    outsider = next(i for i in range(5) if w["firms"][i] not in invited_orgs and i != 3)
    inbox = client.get("/api/v1/me/messages", headers=w["h"][f"b{guest}"]).json()["items"]
    letter_msg = next(m for m in inbox if m["kind"] == "invitation")
    assert letter_msg["subject"].startswith("投标邀请书") and "请携带CA锁" in letter_msg["body"]
    mine = client.get("/api/v1/procedure/invitations", headers=w["h"][f"b{guest}"]).json()
    assert len(mine) == 1 and mine[0]["read_at"] is None
    letter = client.get(f"/api/v1/procedure/invitations/{mine[0]['id']}", headers=w["h"][f"b{guest}"])
    assert letter.status_code == 200 and letter.json()["read_at"] is not None
    assert "第十四条" in letter.json()["letter"] and "投标截止时间" in letter.json()["letter"]
    assert (
        client.get(f"/api/v1/procedure/invitations/{mine[0]['id']}", headers=w["h"][f"b{outsider}"]).status_code == 404
    )
    assert client.get("/api/v1/procedure/invitations", headers=w["h"][f"b{outsider}"]).json() == []
    assert not any(
        m["kind"] == "invitation"
        for m in client.get("/api/v1/me/messages", headers=w["h"][f"b{outsider}"]).json()["items"]
    )

    refused = client.post(f"/api/v1/registrations/{w['regs'][outsider]}/documents", headers=w["h"][f"b{outsider}"])
    assert refused.status_code == 409 and refused.json()["code"] == "not_invited"
    assert "未收到本标段的投标邀请书" in refused.json()["detail"]
    ok = client.post(f"/api/v1/registrations/{w['regs'][guest]}/documents", headers=w["h"][f"b{guest}"])
    assert ok.status_code == 200, ok.text
    late_comer = make_org(db, name="后来检测有限公司")
    late = api_token(client, actor(db, Role.BIDDER, organisation_id=late_comer).username)
    r = client.post(
        f"/api/v1/projects/{w['pid']}/sections/{w['sid']}/registrations",
        headers=late,
        json={"contact_name": "陈经理", "contact_phone": "13900009999"},
    )
    assert r.status_code == 409 and r.json()["code"] == "not_invited"


def test_fewer_qualified_than_the_minimum_fails_the_project_with_its_notice(db, client, clock):
    w = _world(db, client, firms=3)
    _qualify(client, w, 0, passed=True)
    _qualify(client, w, 1, passed=True)
    _qualify(client, w, 2, passed=False)
    _after_deadline(db, clock, w)
    base = f"/api/v1/procedure/projects/{w['pid']}/invitations"
    r = client.post(f"{base}/draw", headers=w["h"]["centre"], json={"supervisor_user_id": w["supervisor"].user_id})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "failed" and r.json()["state_label"] == "合格供应商不足，流标"
    assert "通过资格预审的供应商 2 家，少于规定的最少 3 家" in r.json()["failed_reason"]
    assert r.json()["sections"][0]["draw_code"] is None, "no draw among too few"
    project = client.get(f"/api/v1/projects/{w['pid']}").json()
    assert project["state"] == "failed"
    timeline = client.get(f"/api/v1/projects/{w['pid']}/timeline").json()
    assert any("流标" in (t.get("step_title") or t.get("title") or "") for t in timeline), timeline


def test_the_invitation_page_and_the_letter_page(db, client, app, clock):
    from tests.pages import browser

    w = _world(db, client, firms=3)
    for i in range(3):
        _qualify(client, w, i, passed=True)
    _after_deadline(db, clock, w)
    base = f"/api/v1/procedure/projects/{w['pid']}/invitations"
    code = client.post(
        f"{base}/draw", headers=w["h"]["centre"], json={"supervisor_user_id": w["supervisor"].user_id}
    ).json()["sections"][0]["draw_code"]
    _run_draw(client, w, code)
    with browser(app, w["agency"].username) as agency:
        assert "资格预审后随机抽取受邀供应商与投标邀请书" in page_text(agency.get(f"/projects/{w['pid']}").text)
        page = agency.get(f"/projects/{w['pid']}/invitations")
        assert page.status_code == 200
        text = page_text(page.text)
        assert "已抽取，待发出投标邀请书" in text and "发出投标邀请书" in text and "bid_closed" not in text
    assert client.post(f"{base}/send", headers=w["h"]["agency"], json=_schedule(25)).status_code == 200
    inv = client.get("/api/v1/procedure/invitations", headers=w["h"]["b0"]).json()[0]
    with browser(app, w["bidders"][0].username) as bidder:
        page = bidder.get(f"/procedure/invitations/{inv['id']}")
        assert page.status_code == 200 and "投标邀请书" in page_text(page.text)
        assert bidder.get(f"/projects/{w['pid']}/invitations").status_code == 403


def test_the_opening_waits_for_the_invitations_and_follows_their_deadline(db, client, clock):
    w = _world(db, client, firms=3)
    for i in range(3):
        _qualify(client, w, i, passed=True)
    _after_deadline(db, clock, w)
    base = f"/api/v1/procedure/projects/{w['pid']}/invitations"
    drawn = client.post(f"{base}/draw", headers=w["h"]["centre"], json={"supervisor_user_id": w["supervisor"].user_id})
    _run_draw(client, w, drawn.json()["sections"][0]["draw_code"])
    schedule = _schedule(25)
    assert client.post(f"{base}/send", headers=w["h"]["agency"], json=schedule).status_code == 200
    project = client.get(f"/api/v1/projects/{w['pid']}").json()
    assert project["bid_deadline"].startswith(schedule["bid_deadline"][:16]) or project["state"] == "notice_published"
    clock.set(core_clock.now() + timedelta(days=26))
    with db.unit_of_work() as s:
        assert w["pid"] in opening.due_for_opening(s), "after the letters the opening is due at their deadline"
