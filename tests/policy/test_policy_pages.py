"""Policy documents and their interpretations as the disclosure office publishes them and the public
reads them: each policy page lists its interpretations, each interpretation links its policy, text is
cleaned of scripts, attachments are kept under their SHA-256, and every publication is in the ledger."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from sqlalchemy import select

from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from tests.builders import api_token, make_user
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import cheap_password_hashing

XSS = (
    '<p onclick="steal()">第一条 为了规范招标投标活动<img src="x" onerror="alert(1)"></p>'
    '<script>alert(1)</script><a href="javascript:alert(1)">原文</a><iframe src="https://evil.example"></iframe>'
)
PDF = "%PDF-1.7\n1 0 obj<<>>endobj\n招标投标法实施条例\n%%EOF".encode()
POLICY = {
    "title": "中华人民共和国招标投标法实施条例",
    "issuing_body": "国务院",
    "doc_number": "国务院令第613号",
    "level": "regulation",
    "issued_on": "2011-12-20",
    "effective_on": "2012-02-01",
    "region_code": "",
    "body_html": "第一条　为了规范招标投标活动，根据《中华人民共和国招标投标法》，制定本条例。\n\n"
    "第十六条　发售期不得少于5日。",
    "source_url": "https://www.gov.cn/",
}


@pytest.fixture
def office(db, monkeypatch):
    cheap_password_hashing(monkeypatch)
    make_user(db, Role.DISCLOSURE_OFFICE, username="office")
    return "office"


def _publish_policy(office_browser, *, files=None, **fields):
    page = office_browser.get("/staff/policies/new")
    assert page.status_code == 200
    data = {**POLICY, **fields, "csrf_token": csrf_token(page.text)}
    return office_browser.post("/staff/policies/new", data=data, files=files or {}, follow_redirects=False)


def _body(page: str) -> str:
    return re.search(r'<div class="notice-body">(.*?)</div>', page, re.S).group(1)


def _ledger(db, kind: str) -> list[dict]:
    with db.unit_of_work() as s:
        return [json.loads(e.payload) for e in s.scalars(select(LedgerEntry).where(LedgerEntry.kind == kind))]


def test_policy_with_interpretation_linked_both_ways(app, client, db, office):
    with browser(app, office) as staff:
        response = _publish_policy(staff, files={"attachment": ("条例.pdf", PDF, "application/pdf")})
        assert response.status_code == 303, response.text
        policy_url = response.headers["location"]
        policy_id = int(policy_url.rsplit("/", 1)[1])
        form = staff.get(f"/staff/policies/{policy_id}/interpretations/new")
        assert "《中华人民共和国招标投标法实施条例》解读" in form.text
        made = staff.post(
            f"/staff/policies/{policy_id}/interpretations/new",
            data={
                "title": "《招标投标法实施条例》中的几个关键时限",
                "form": "qa",
                "interpreter": "示范市公共资源交易中心",
                "body_html": "问：招标文件最少发售几天？\n\n答：不得少于5日。",
                "csrf_token": csrf_token(form.text),
            },
            follow_redirects=False,
        )
        assert made.status_code == 303
        interpretation_url = made.headers["location"]

    page = client.get(policy_url)
    assert page.status_code == 200
    text = page_text(page.text)
    assert "中华人民共和国招标投标法实施条例" in text and "国务院令第613号" in text and "行政法规" in text
    assert f'href="{interpretation_url}"' in page.text and "问答解读" in text
    assert "第十六条 发售期不得少于5日。" in text

    interpretation = client.get(interpretation_url)
    assert interpretation.status_code == 200
    assert f'href="{policy_url}"' in interpretation.text
    assert "答：不得少于5日。" in page_text(interpretation.text)

    listing = client.get("/policies?q=613")
    assert f'href="{policy_url}"' in listing.text and f'href="{interpretation_url}"' in listing.text
    assert "没有符合条件" in page_text(client.get("/policies?q=不存在的文件").text)

    download = client.get(f"{policy_url}/attachment")
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["x-content-sha256"] == hashlib.sha256(PDF).hexdigest()

    [published] = _ledger(db, "policy:document:published")
    assert published["doc_number"] == "国务院令第613号"
    assert published["attachment_sha256"] == hashlib.sha256(PDF).hexdigest()
    [explained] = _ledger(db, "policy:interpretation:published")
    assert explained["policy"] == policy_id

    api = client.get(f"/api/v1/policies/{policy_id}").json()
    assert api["interpretations"][0]["url"] == interpretation_url
    one = client.get(f"/api/v1/policies/{policy_id}/interpretations/{api['interpretations'][0]['id']}").json()
    assert one["policy_url"] == policy_url and one["form_label"] == "问答解读"
    assert client.get(f"/api/v1/policies/{policy_id + 1}/interpretations/{one['id']}").status_code == 404

    feed = client.get("/feeds/category/policy.interpretation.atom").text
    assert "《招标投标法实施条例》中的几个关键时限" in feed


def test_scripts_are_removed_from_policies_and_interpretations(client, db, office):
    headers = api_token(client, office)
    created = client.post(
        "/api/v1/policies",
        json={**POLICY, "region_code": None, "body_html": XSS},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    policy = created.json()
    explained = client.post(
        f"/api/v1/policies/{policy['id']}/interpretations",
        json={"title": "解读", "form": "text", "interpreter": "交易中心", "body_html": XSS},
        headers=headers,
    )
    assert explained.status_code == 201
    for shown in (
        policy["body_html"],
        explained.json()["body_html"],
        _body(client.get(f"/policies/{policy['id']}").text),
        _body(client.get(explained.json()["url"]).text),
    ):
        for bad in ("<script", "alert(", "onerror", "onclick", "javascript:", "<iframe", "evil.example"):
            assert bad not in shown, bad
        assert "第一条 为了规范招标投标活动" in shown
    with db.unit_of_work() as s:
        stored = s.scalar(select(LedgerEntry.payload).where(LedgerEntry.kind == "policy:document:published"))
    assert json.loads(stored)["body_sha256"] == hashlib.sha256(policy["body_html"].encode()).hexdigest()


def test_only_the_disclosure_office_publishes(client, db, office):
    make_user(db, Role.CENTRE_STAFF, username="centre")
    refused = client.post("/api/v1/policies", json={**POLICY, "region_code": None}, headers=api_token(client, "centre"))
    assert refused.status_code == 403
    assert client.post("/api/v1/policies", json=POLICY).status_code == 401


def test_the_form_says_what_is_wrong(app, db, office):
    with browser(app, office) as staff:
        for fields, field, message in (
            ({"title": ""}, "title", "至少 2 个字符"),
            ({"issued_on": "2011/12/20"}, "issued_on", "YYYY-MM-DD"),
            ({"effective_on": "2011-01-01"}, "effective_on", "施行日期不得早于公布日期"),
            ({"region_code": "35"}, "region_code", "6 位数字"),
            ({"source_url": "javascript:alert(1)"}, "source_url", "http://"),
            ({"body_html": "<script>x</script>"}, "body_html", "不能为空"),
        ):
            response = _publish_policy(staff, **fields)
            assert response.status_code == 400, fields
            assert re.search(rf'id="f-{field}-error"[^>]*>.*?{re.escape(message)}', response.text, re.S), (
                fields,
                page_text(response.text),
            )
        wrong = _publish_policy(staff, files={"attachment": ("条例.pdf", b"not a pdf", "application/pdf")})
        assert wrong.status_code == 400 and "不符" in page_text(wrong.text)
    assert _ledger(db, "policy:document:published") == []


def test_missing_things_answer_404(client, db, office):
    assert client.get("/policies/999").status_code == 404
    assert client.get("/interpretations/999").status_code == 404
    assert client.get("/api/v1/policies/999").status_code == 404
    assert client.get("/policies/0/attachment").status_code == 404


def test_control_characters_are_refused_and_the_feeds_stay_valid(client, db, office):
    headers = api_token(client, office)
    created = client.post(
        "/api/v1/policies",
        json={**POLICY, "region_code": None, "title": "政策\u0001文件\u0008标题", "body_html": "正文\u0002内容"},
        headers=headers,
    )
    assert created.status_code == 422 and created.json()["code"] == "control_characters"
    for path in ("/feeds/notices.atom", "/feeds/notices.rss", "/feeds/category/policy.document.atom"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "政策文件标题" not in response.text


def test_hostile_query_strings_are_harmless(client, db, office):
    """NUL and other control characters (which PostgreSQL refuses in text) are refused before any query."""
    assert client.get("/policies", params={"q": "条例\x00"}).status_code == 422
    assert client.get("/concerns", params={"q": "\x00\x01"}).status_code == 422
    assert client.get("/api/v1/policies", params={"q": "\x00"}).json()["code"] == "control_characters"
    assert client.get("/feeds/projects/%00.atom").status_code == 422
    assert client.get("/feeds/category/%00.rss").status_code == 422
    asked = client.post("/api/v1/concerns", json={"question": "问题\x00中带有控制字符？", "contact": "\x00"})
    assert asked.status_code == 422 and asked.json()["code"] == "control_characters"
