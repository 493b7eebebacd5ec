"""The notice states the documents' price (招标文件售价, seed 003; 条例第十六条): given through the API and the
page, refused when it is no amount, shown on the public notice page; free download when none is given."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.config import get_settings
from sunshine.core import clock
from tests.builders import api_token
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import accepted_project, cheap_password_hashing, tender_world


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "5000")
    get_settings.cache_clear()


def _form(**overrides) -> dict:
    now = clock.now()
    body = {
        "kind": "tender",
        "title": "示范市滨江路道路改造工程招标公告",
        "body_html": "<p>招标公告正文</p>",
        "docs_issued_at": now.isoformat(),
        "docs_sale_end": (now + timedelta(days=8)).isoformat(),
        "bid_deadline": (now + timedelta(days=30)).isoformat(),
    }
    body.update(overrides)
    return body


def test_the_notice_states_the_documents_price(db, client, app):
    w = tender_world(db)
    pid = accepted_project(db, w)
    agency = api_token(client, w["agency"].username)
    url = f"/api/v1/projects/{pid}/notices"
    bad = client.post(url, data=_form(docs_price="-5"), headers=agency)
    assert bad.status_code == 422
    r = client.post(url, data=_form(docs_price="300.00"), headers=agency)
    assert r.status_code == 201, r.text
    assert r.json()["docs_price"] == "300.00"
    page = page_text(client.get(f"/notices/{r.json()['id']}").text)
    assert "招标文件售价" in page and "300.00" in page


def test_a_notice_without_a_price_says_the_documents_are_free(db, client, app):
    w = tender_world(db)
    pid = accepted_project(db, w)
    with browser(app, w["agency"].username) as agency:
        form = agency.get(f"/projects/{pid}/notices/new")
        assert form.status_code == 200 and "招标文件售价（元）" in form.text
        token = csrf_token(form.text)
        now = clock.now()
        values = {
            "csrf_token": token,
            "kind": "tender",
            "title": "示范市滨江路道路改造工程招标公告",
            "body_html": "<p>招标公告正文</p>",
            "docs_issued_at": (now + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M"),
            "docs_sale_end": (now + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
            "bid_deadline": (now + timedelta(days=31)).strftime("%Y-%m-%dT%H:%M"),
            "docs_price": "三百元",
        }
        refused = agency.post(f"/projects/{pid}/notices/new", data=values)
        assert refused.status_code == 400 and "招标文件售价应为金额" in refused.text
        done = agency.post(f"/projects/{pid}/notices/new", data={**values, "docs_price": ""}, follow_redirects=True)
        assert done.status_code == 200, done.text
        assert "免费下载" in page_text(done.text)
