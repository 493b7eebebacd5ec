"""The disclosure API: the catalog and its revisions, the review pipeline (held for an identity number, redacted,
published; drafts invisible to the public), tombstones, the negative list and the compliance figures."""

from __future__ import annotations

import pytest

from sunshine.tasks import tick
from tests.builders import api_token
from tests.disclosure.builders import ID_NUMBER, load_catalog
from tests.trading.builders import actor, cheap_password_hashing


@pytest.fixture(autouse=True)
def _setup(db, monkeypatch):
    cheap_password_hashing(monkeypatch)
    load_catalog(db)


@pytest.fixture
def tokens(client, db):
    from sunshine.identity.roles import Role

    people = {
        "office": actor(db, Role.DISCLOSURE_OFFICE),
        "centre": actor(db, Role.CENTRE_STAFF),
        "bidder": actor(db, Role.BIDDER),
    }
    return {k: api_token(client, p.username) for k, p in people.items()}


def test_the_catalog_is_published_as_json(client):
    tree = client.get("/api/v1/disclosure/catalog").json()
    codes = [i["code"] for c in tree for s in c["scopes"] for i in s["items"]]
    assert len(codes) >= 40 and "ZC.JG.01" in codes
    item = client.get("/api/v1/disclosure/catalog/items/ZC.JG.01").json()
    assert item["time_limit"] == "自中标人确定之日起公告中标结果并发出中标通知书：2 个工作日内"
    assert item["time_limit_basis"] == "《政府采购货物和服务招标投标管理办法》第六十九条"
    assert item["channels"]["portal"] == "required" and item["revisions"] == []
    missing = client.get("/api/v1/disclosure/catalog/items/NO.SU.CH")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_the_office_revises_an_item_and_others_may_not(client, tokens):
    body = {"effective_from": "2026-11-23", "reason": "增加公开层级", "levels": ["province", "city", "county"]}
    refused = client.put("/api/v1/disclosure/catalog/items/NC.JY.01", json=body, headers=tokens["centre"])
    assert refused.status_code == 403
    done = client.put("/api/v1/disclosure/catalog/items/NC.JY.01", json=body, headers=tokens["office"])
    assert done.status_code == 200, done.text
    item = done.json()
    assert item["levels"] == ["province", "city", "county"] and item["version"] == 2
    assert item["revisions"][0]["before"] == {"levels": ["city", "county"]}
    bad = client.put(
        "/api/v1/disclosure/catalog/items/NC.JY.01",
        json={**body, "levels": ["nation"], "reason": "错误"},
        headers=tokens["office"],
    )
    assert bad.status_code == 422 and bad.json()["field"] == "levels"
    unknown = client.put(
        "/api/v1/disclosure/catalog/items/NC.JY.01", json={**body, "code": "XX"}, headers=tokens["office"]
    )
    assert unknown.status_code == 422


def test_the_review_pipeline_through_the_api(client, db, tokens):
    created = client.post(
        "/api/v1/disclosure/publications",
        json={
            "item_code": "ZX.JD.01",
            "title": "投诉举报渠道和监督电话",
            "body": f"监督电话：0591-87110000。经办人身份证 {ID_NUMBER}。",
            "submit": True,
        },
        headers=tokens["centre"],
    )
    assert created.status_code == 201, created.text
    pub = created.json()
    assert pub["status"] == "review" and pub["held"] is True
    assert [(f["detector"], f["masked"]) for f in pub["findings"]] == [("id_card", "1101**********002X")]
    assert client.get(f"/api/v1/disclosure/publications/{pub['id']}").status_code == 404, "not public yet"
    assert client.get(f"/api/v1/disclosure/publications/{pub['id']}", headers=tokens["bidder"]).status_code == 404
    held = client.post(f"/api/v1/disclosure/publications/{pub['id']}/approve", json={}, headers=tokens["office"])
    assert held.status_code == 422 and held.json()["code"] == "held_for_review"
    own = client.post(f"/api/v1/disclosure/publications/{pub['id']}/redact", json={}, headers=tokens["centre"])
    assert own.status_code == 403 and own.json()["code"] == "reviewer_is_author"
    redacted = client.post(f"/api/v1/disclosure/publications/{pub['id']}/redact", json={}, headers=tokens["office"])
    assert redacted.status_code == 200 and redacted.json()["held"] is False
    approved = client.post(
        f"/api/v1/disclosure/publications/{pub['id']}/approve",
        json={"optional_channels": ["feed"]},
        headers=tokens["office"],
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["channels"] == ["portal", "platform", "terminal", "board", "feed"]
    public = client.get(f"/api/v1/disclosure/publications/{pub['id']}").json()
    assert public["status"] == "published" and public["findings"] is None
    assert ID_NUMBER not in public["body"] and public["proof_url"].endswith("/proof")
    tick(db)  # signs a tree head covering the entry
    proof = client.get(public["proof_url"])
    assert proof.status_code == 200, proof.text

    withdrawn = client.post(
        f"/api/v1/disclosure/publications/{pub['id']}/withdraw", json={"reason": "电话变更"}, headers=tokens["office"]
    )
    assert withdrawn.status_code == 200
    tombstone = client.get(f"/api/v1/disclosure/publications/{pub['id']}").json()
    assert (tombstone["status"], tombstone["body"], tombstone["withdrawal_reason"]) == ("withdrawn", None, "电话变更")
    listed = client.get("/api/v1/disclosure/publications").json()
    assert listed["total"] == 1 and listed["items"][0]["status"] == "withdrawn"


def test_obligations_alerts_and_compliance(client, tokens):
    declared = client.post(
        "/api/v1/disclosure/obligations",
        json={"item_code": "ZX.FW.02", "title": "2026年收费标准", "event_date": "2026-11-23"},
        headers=tokens["office"],
    )
    assert declared.status_code == 201, declared.text
    assert declared.json()["due"] == "2026-12-21" and declared.json()["status"] == "open"
    assert client.get("/api/v1/disclosure/obligations", headers=tokens["bidder"]).status_code == 403
    listed = client.get("/api/v1/disclosure/obligations?status=open", headers=tokens["centre"]).json()
    assert [o["title"] for o in listed] == ["2026年收费标准"]
    assert client.get("/api/v1/disclosure/alerts", headers=tokens["office"]).json() == []
    figures = client.get("/api/v1/disclosure/compliance").json()
    assert figures["total"]["pending"] == 1 and figures["total"]["rate"] is None
    future = client.post(
        "/api/v1/disclosure/obligations",
        json={"item_code": "ZX.FW.02", "title": "未来", "event_date": "2027-01-04"},
        headers=tokens["office"],
    )
    assert future.status_code == 422


def test_the_negative_list_api(client, tokens):
    added = client.post(
        "/api/v1/disclosure/negative-list", json={"term": "某涉密项目", "reason": "国家秘密"}, headers=tokens["office"]
    )
    assert added.status_code == 201
    again = client.post(
        "/api/v1/disclosure/negative-list", json={"term": "某涉密项目", "reason": "国家秘密"}, headers=tokens["office"]
    )
    assert again.status_code == 409
    assert client.get("/api/v1/disclosure/negative-list", headers=tokens["centre"]).status_code == 403
    term_id = added.json()["id"]
    gone = client.delete(f"/api/v1/disclosure/negative-list/{term_id}?reason=已解密", headers=tokens["office"])
    assert gone.status_code == 204
    assert client.get("/api/v1/disclosure/negative-list", headers=tokens["office"]).json() == []
