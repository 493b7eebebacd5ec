"""Notices as people meet them: the agency's forms (errors beside the fields, post/redirect/get), the
public list and notice page, rich text cleaned of scripts, attachments stored under their SHA-256 and
downloadable, and who may publish or see what."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.core.filestore import file_store
from sunshine.trading.models import Notice, NoticeAttachment
from tests.builders import api_token
from tests.pages import browser
from tests.pages import csrf_token as _token
from tests.pages import page_text as _text
from tests.trading.builders import accepted_project, beijing, tender_world

XSS = (
    '<p onclick="steal()">投标人须知<img src="x" onerror="alert(1)"></p>'
    "<script>alert(1)</script><style>body{display:none}</style>"
    '<a href="javascript:alert(1)">下载</a> <a href="https://www.ccgp.gov.cn/">中国政府采购网</a>'
    '<table><tr><td colspan="2" style="color:red">工期</td></tr></table><iframe src="https://evil.example"></iframe>'
)
PDF = "%PDF-1.7\n1 0 obj<<>>endobj\n招标文件\n%%EOF".encode()
NO_FILE = [("attachments", ("", b"", "application/octet-stream"))]  # what a browser sends for an empty file input
DATES = {"docs_issued_at": "2026-11-23T10:00", "docs_sale_end": "2026-11-30T17:00", "bid_deadline": "2026-12-28T09:30"}


@pytest.fixture
def w(db):
    return tender_world(db)


def _api_publish(client, headers, project_id, *, files=None, **fields):
    data = {
        "kind": "tender",
        "title": "示范市滨江路道路改造工程招标公告",
        "body_html": "<p>招标公告正文</p>",
        **DATES,
        **fields,
    }
    return client.post(f"/api/v1/projects/{project_id}/notices", data=data, files=files, headers=headers)


def _published(client, headers, project_id, **fields) -> dict:
    response = _api_publish(client, headers, project_id, **fields)
    assert response.status_code == 201, response.text
    return response.json()


# --------------------------------------------------------------------------- rich text


def test_scripts_event_handlers_and_javascript_links_are_removed(client, db, w):
    agency = api_token(client, w["agency"].username)
    notice = _published(client, agency, accepted_project(db, w), body_html=XSS)
    for shown in (notice["body_html"], client.get(notice["url"]).json()["body_html"]):
        for bad in ("<script", "alert(", "onerror", "onclick", "javascript:", "<style", "<iframe", "style="):
            assert bad not in shown, (bad, shown)
        assert "<p>投标人须知" in shown and '<td colspan="2">工期</td>' in shown
        assert '<a href="https://www.ccgp.gov.cn/" rel="noopener noreferrer">中国政府采购网</a>' in shown
    page = client.get(f"/notices/{notice['id']}")
    assert page.status_code == 200
    for bad in ("alert(", "onerror", "onclick", "javascript:", "steal()", "evil.example"):
        assert bad not in page.text, bad
    assert "投标人须知" in page.text and "中国政府采购网" in page.text


def test_plain_text_bodies_become_paragraphs_and_empty_bodies_are_refused(client, db, w):
    agency = api_token(client, w["agency"].username)
    project_id = accepted_project(db, w)
    empty = _api_publish(client, agency, project_id, body_html="<script>alert(1)</script>")
    assert empty.status_code == 422 and empty.json()["field"] == "body_html"
    notice = _published(client, agency, project_id, body_html="一、项目概况\n工期：180日历天\n\n二、<资格>要求")
    assert notice["body_html"] == "<p>一、项目概况<br>工期：180日历天</p><p>二、&lt;资格&gt;要求</p>"


# --------------------------------------------------------------------------- attachments


def test_attachments_are_stored_under_their_sha256_and_downloadable(client, db, w):
    agency = api_token(client, w["agency"].username)
    text = "投标文件格式说明".encode("gb18030")
    notice = _published(
        client,
        agency,
        accepted_project(db, w),
        files=[
            ("attachments", ("招标文件.pdf", PDF, "application/pdf")),
            ("attachments", ("../../说明.TXT", text, "application/octet-stream")),
        ],
    )
    pdf_sha, txt_sha = hashlib.sha256(PDF).hexdigest(), hashlib.sha256(text).hexdigest()
    assert [(a["filename"], a["sha256"], a["size"], a["content_type"]) for a in notice["attachments"]] == [
        ("招标文件.pdf", pdf_sha, len(PDF), "application/pdf"),
        ("说明.TXT", txt_sha, len(text), "text/plain; charset=gb18030"),
    ]
    assert file_store().path_for(pdf_sha).read_bytes() == PDF

    download = client.get(f"/api/v1/files/{pdf_sha}")  # anyone: the notice is public
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    assert hashlib.sha256(download.content).hexdigest() == download.headers["x-content-sha256"] == pdf_sha
    page = client.get(f"/notices/{notice['id']}")
    assert pdf_sha in page.text and f'href="/api/v1/files/{pdf_sha}"' in page.text


def test_unreferenced_and_unknown_files_are_not_found(client, db, w):
    stray = file_store().put(b"not part of any notice")
    for sha in (stray, "0" * 64, "not-a-hash", stray.upper()):
        response = client.get(f"/api/v1/files/{sha}")
        assert response.status_code == 404 and response.json()["code"] == "not_found", sha


@pytest.mark.parametrize(
    "name, data, status, code",
    [
        ("中标人名单.exe", b"MZ\x90\x00", 415, "attachment_type_not_allowed"),
        ("伪装的招标文件.pdf", b"<html><script>alert(1)</script></html>", 415, "attachment_type_not_allowed"),
        ("无扩展名", b"%PDF-1.7", 415, "attachment_type_not_allowed"),
        ("空文件.pdf", b"", 422, "invalid_input"),
        ("工程量清单.pdf", b"%PDF-1.7" + b"0" * 2048, 413, "attachment_too_large"),
    ],
)
def test_forbidden_or_oversized_attachments_are_refused_and_nothing_is_published(
    client, db, w, monkeypatch, name, data, status, code
):
    monkeypatch.setenv("SUNSHINE_MAX_ATTACHMENT_BYTES", "2048")
    get_settings.cache_clear()
    agency = api_token(client, w["agency"].username)
    project_id = accepted_project(db, w)
    response = _api_publish(client, agency, project_id, files=[("attachments", (name, data, "application/pdf"))])
    assert response.status_code == status, response.text
    assert response.json()["code"] == code and response.json()["field"] == "attachments"
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])  # said in Chinese
    with db.unit_of_work() as s:
        assert s.scalars(select(Notice)).all() == [] and s.scalars(select(NoticeAttachment)).all() == []
    assert client.get(f"/api/v1/projects/{project_id}", headers=agency).json()["state"] == "accepted"


# --------------------------------------------------------------------------- who may publish and see


def test_only_the_projects_own_tenderer_or_agency_may_publish(client, db, w):
    project_id = accepted_project(db, w)
    other = api_token(client, w["other_agency"].username)
    bidder = api_token(client, w["bidders"][0].username)
    centre = api_token(client, w["centre"].username)

    hidden = _api_publish(client, other, project_id)  # not public yet: it does not exist for them
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    assert _api_publish(client, bidder, project_id).status_code == 403
    assert _api_publish(client, centre, project_id).status_code == 403
    assert _api_publish(client, {}, project_id).status_code == 401

    tenderer = api_token(client, w["tenderer"].username)
    notice = _published(client, tenderer, project_id)  # the school itself may publish
    amend = client.post(
        f"/api/v1/projects/{project_id}/notices/{notice['id']}/amendments",
        headers=other,
        data={"kind": "clarification", "title": "澄清公告", "body_html": "<p>澄清</p>"},
    )
    assert amend.status_code == 403 and amend.json()["code"] == "forbidden"  # public now, but not theirs
    wrong_project = accepted_project(db, w, name="示范市另一道路工程")
    agency = api_token(client, w["agency"].username)
    stray = client.post(
        f"/api/v1/projects/{wrong_project}/notices/{notice['id']}/amendments",
        headers=agency,
        data={"kind": "clarification", "title": "澄清公告", "body_html": "<p>澄清</p>"},
    )
    assert stray.status_code == 404


def test_notice_pages_are_for_the_projects_own_publishers(app, db, w):
    project_id = accepted_project(db, w)
    with browser(app, w["other_agency"].username) as other:
        assert other.get(f"/projects/{project_id}/notices/new").status_code == 404
    with browser(app, w["bidders"][0].username) as bidder:
        assert bidder.get(f"/projects/{project_id}/notices/new").status_code == 403
    with browser(app) as anonymous:
        response = anonymous.get(f"/projects/{project_id}/notices/new", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert anonymous.get("/notices/999").status_code == 404


# --------------------------------------------------------------------------- the agency's pages


def test_agency_publishes_through_the_form_with_errors_beside_the_fields(app, db, w):
    project_id = accepted_project(db, w)
    with browser(app, w["agency"].username) as agent:
        listing = agent.get("/notices")
        assert f'href="/projects/{project_id}/notices/new"' in listing.text  # waiting for its first notice
        form = agent.get(f"/projects/{project_id}/notices/new")
        assert form.status_code == 200
        assert 'type="datetime-local"' in form.text and 'enctype="multipart/form-data"' in form.text
        assert "最早 2026年12月14日" in _text(form.text)  # 20 days from today, past the weekend
        assert 'value="2026-12-14T09:30"' in form.text

        fields = {
            "csrf_token": _token(form.text),
            "kind": "tender",
            "title": "示范市滨江路道路改造工程招标公告",
            "body_html": XSS,
            "docs_issued_at": "2026-11-25T09:00",
            "docs_sale_end": "2026-11-30T17:00",
            "bid_deadline": "2026-12-14T09:30",
            "opening_at": "",
        }
        refused = agent.post(f"/projects/{project_id}/notices/new", data=fields, files=NO_FILE)
        assert refused.status_code == 400
        assert 'id="f-bid_deadline-error"' in refused.text and 'aria-invalid="true"' in refused.text
        assert "第二十四条" in _text(refused.text) and "2026年12月15日" in _text(refused.text)
        assert 'value="2026-12-14T09:30"' in refused.text  # what was typed comes back
        bad_date = agent.post(f"/projects/{project_id}/notices/new", data={**fields, "bid_deadline": "明天"})
        assert bad_date.status_code == 400 and 'id="f-bid_deadline-error"' in bad_date.text

        done = agent.post(
            f"/projects/{project_id}/notices/new",
            data={**fields, "bid_deadline": "2026-12-15T09:30"},
            files=[("attachments", ("招标文件.pdf", PDF, "application/pdf"))],
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        page = agent.get(done.headers["location"])
        text = _text(page.text)
        assert "已发布招标公告" in text and "2026-12-15 09:30" in text
        assert hashlib.sha256(PDF).hexdigest() in page.text
        assert "alert(" not in page.text and "javascript:" not in page.text
        notice_id = int(done.headers["location"].rsplit("/", 1)[1])
        assert f'href="/projects/{project_id}/notices/{notice_id}/amend"' in page.text


def test_agency_amends_through_the_form_and_versions_show_newest_first(app, client, db, w, clock):
    project_id = accepted_project(db, w)
    agency = api_token(client, w["agency"].username)
    first = _published(client, agency, project_id)
    clock.set(beijing(2026, 12, 14, 10))  # 14 days before the deadline of 2026-12-28
    with browser(app, w["agency"].username) as agent:
        redirect = agent.get(f"/projects/{project_id}/notices/new?kind=amendment", follow_redirects=False)
        assert redirect.status_code == 303
        assert redirect.headers["location"] == f"/projects/{project_id}/notices/{first['id']}/amend?kind=amendment"
        form = agent.get(redirect.headers["location"])
        assert form.status_code == 200 and "最迟 2026年12月13日" in _text(form.text)
        fields = {
            "csrf_token": _token(form.text),
            "kind": "amendment",
            "title": "更正公告",
            "body_html": "<p>工期更正为150日历天。</p>",
            "affects_bids": "1",
            "new_bid_deadline": "",
            "new_opening_at": "",
        }
        refused = agent.post(f"/projects/{project_id}/notices/{first['id']}/amend", data=fields, files=NO_FILE)
        assert refused.status_code == 400 and 'id="f-new_bid_deadline-error"' in refused.text
        assert "2026年12月29日" in _text(refused.text)
        done = agent.post(
            f"/projects/{project_id}/notices/{first['id']}/amend",
            data={**fields, "new_bid_deadline": "2026-12-29T09:30"},
            files=NO_FILE,
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        page = agent.get(done.headers["location"])
        text = _text(page.text)
        assert "第 2 版" in text and text.index("第 2 版 · 更正公告") < text.index("第 1 版 · 招标公告")
        assert "2026-12-29 09:30" in text
        original = agent.get(f"/notices/{first['id']}")
        assert "本公告已有更新的版本" in _text(original.text) and "招标公告正文" in original.text


def test_public_list_shows_code_kind_beijing_time_and_ledger_link(app, client, db, w):
    agency = api_token(client, w["agency"].username)
    notice = _published(client, agency, accepted_project(db, w))
    with browser(app) as visitor:
        page = visitor.get("/notices")
        assert page.status_code == 200
        text = _text(page.text)
        assert notice["project_code"] in text and "招标公告" in text
        assert "2026-11-23 09:00" in text  # published at 09:00 Beijing time (01:00 UTC)
        assert f'href="/ledger?seq={notice["ledger_seq"]}"' in page.text
        assert f'href="/notices/{notice["id"]}"' in page.text
        assert "没有符合条件的公告" in _text(visitor.get("/notices?q=不存在的标题&kind=amendment").text)
        assert visitor.get("/notices?kind=nonsense").status_code == 200
    assert datetime.fromisoformat(notice["published_at"]) == beijing(2026, 11, 23, 9)
