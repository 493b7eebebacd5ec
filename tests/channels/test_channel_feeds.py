"""Atom and RSS feeds as a feed reader meets them: valid documents (parsed back with the standard
library), absolute links, Chinese titles, newest first, limited in size, only public items, filtered
by category and by project; and the autodiscovery links on the pages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from sunshine.channels import feeds
from tests.trading.builders import (
    accepted_project,
    cheap_password_hashing,
    publish_notice,
    tender_world,
)

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(db, monkeypatch, clock):
    cheap_password_hashing(monkeypatch)
    w = tender_world(db)
    w["p_road"] = accepted_project(db, w, name="示范市滨江路道路改造工程")
    w["p_school"] = accepted_project(
        db, w, name="示范市第一中学教学设备采购", transaction_type="gov_procurement", method="open_tender"
    )
    w["p_hidden"] = accepted_project(db, w, name="示范市尚未发布公告的项目")  # accepted, no notice: not public
    w["road_notice"] = publish_notice(db, w["agency"], w["p_road"])
    clock.advance(timedelta(hours=2))
    w["school_notice"] = publish_notice(db, w["agency"], w["p_school"])
    return w


def _code(db, project_id: int) -> str:
    from sunshine.trading.models import Project

    with db.unit_of_work() as s:
        return s.get(Project, project_id).code


def _atom(response) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None and root.findtext(f"{ATOM}{required}").strip(), required
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link and self_link[0].get("href").startswith("https://testserver/feeds/")
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
        href = entry.find(f"{ATOM}link").get("href")
        assert href.startswith("https://testserver/"), href
    return root


def _rss(response) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), required
    for item in channel.findall("item"):
        assert item.findtext("title") and item.findtext("link").startswith("https://testserver/")
        assert item.findtext("guid") == item.findtext("link")
        parsedate_to_datetime(item.findtext("pubDate"))  # RFC 822 date
    return channel


def _titles(root: ET.Element) -> list[str]:
    if root.tag == f"{ATOM}feed":
        return [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    return [i.findtext("title") for i in root.findall("item")]


def test_the_notice_feed_is_valid_atom_and_rss_newest_first(client, world):
    root = _atom(client.get("/feeds/notices.atom"))
    assert root.findtext(f"{ATOM}title").startswith("阳光交易")
    assert _titles(root) == ["示范市第一中学教学设备采购招标公告", "示范市滨江路道路改造工程招标公告"]
    published = [datetime.fromisoformat(e.findtext(f"{ATOM}published")) for e in root.findall(f"{ATOM}entry")]
    assert published == sorted(published, reverse=True)
    first = root.find(f"{ATOM}entry")
    assert first.find(f"{ATOM}link").get("href") == f"https://testserver/notices/{world['school_notice']}"
    assert first.findtext(f"{ATOM}summary").startswith("招标公告正文")
    terms = {c.get("term"): c.get("label") for c in first.findall(f"{ATOM}category")}
    assert terms == {"type.gov_procurement": "政府采购", "kind.tender": "招标公告"}

    channel = _rss(client.get("/feeds/notices.rss"))
    assert _titles(channel) == _titles(root)
    assert channel.findtext("language") == "zh-CN"


def test_only_public_projects_reach_the_feeds(client, db, world):
    for path in ("/feeds/notices.atom", "/feeds/category/type.engineering.atom"):
        assert "尚未发布公告" not in client.get(path).text
    hidden = client.get(f"/feeds/projects/{_code(db, world['p_hidden'])}.atom")
    assert hidden.status_code == 404
    assert client.get("/feeds/projects/NO-SUCH-CODE.rss").status_code == 404


def test_category_feeds_filter_by_transaction_type_and_notice_kind(client, world):
    engineering = _atom(client.get("/feeds/category/type.engineering.atom"))
    assert _titles(engineering) == ["示范市滨江路道路改造工程招标公告"]
    assert "工程建设" in engineering.findtext(f"{ATOM}title")
    procurement = _rss(client.get("/feeds/category/type.gov_procurement.rss"))
    assert _titles(procurement) == ["示范市第一中学教学设备采购招标公告"]
    assert len(_titles(_atom(client.get("/feeds/category/kind.tender.atom")))) == 2
    assert _titles(_atom(client.get("/feeds/category/kind.termination.atom"))) == []
    for bad in ("type.nothing", "nonsense", "kind.tender<script>"):
        assert client.get(f"/feeds/category/{bad}.atom").status_code == 404


def test_the_project_feed_follows_one_project_with_its_amendments(client, db, world, clock):
    from sunshine.trading import notices

    clock.advance(timedelta(days=1))
    with db.unit_of_work() as s:
        notices.publish_amendment(
            s,
            world["agency"],
            world["p_road"],
            world["road_notice"],
            kind="clarification",
            title="示范市滨江路道路改造工程澄清公告",
            body_html="<p>澄清：工期调整为150日历天。</p>",
        )
    code = _code(db, world["p_road"])
    root = _atom(client.get(f"/feeds/projects/{code}.atom"))
    assert _titles(root) == ["示范市滨江路道路改造工程澄清公告", "示范市滨江路道路改造工程招标公告"]
    assert code in root.findtext(f"{ATOM}title")
    alternate = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
    assert alternate == [f"https://testserver/projects/{world['p_road']}"]
    assert _titles(_rss(client.get(f"/feeds/projects/{code}.rss")))[0] == "示范市滨江路道路改造工程澄清公告"


def test_feeds_are_limited_in_size(client, world, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 1)
    assert _titles(_atom(client.get("/feeds/notices.atom"))) == ["示范市第一中学教学设备采购招标公告"]


def test_feeds_look_the_same_to_everyone(client, db, world):
    """A signed-in officer sees unpublished projects on pages, never in a feed."""
    from sunshine.identity.roles import Role
    from tests.builders import make_user
    from tests.pages import browser

    make_user(db, Role.CENTRE_STAFF, username="feed-staff")
    with browser(client.app, "feed-staff") as staff:
        code = _code(db, world["p_hidden"])
        assert staff.get(f"/projects/{world['p_hidden']}").status_code == 200
        assert staff.get(f"/feeds/projects/{code}.atom").status_code == 404
        assert staff.get("/feeds/notices.atom").content == client.get("/feeds/notices.atom").content


def test_pages_announce_their_feeds(client, db, world):
    code = _code(db, world["p_road"])
    project_page = client.get(f"/projects/{world['p_road']}").text
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="/feeds/projects/{code}.atom">',
        project_page,
    )
    assert '<link rel="alternate" type="application/atom+xml" title="交易公告（Atom）" href="/feeds/notices.atom">' in (
        client.get("/notices").text
    )
    index = client.get("/feeds")
    assert index.status_code == 200
    assert 'href="/feeds/category/type.engineering.atom"' in index.text
    assert "邮件订阅" in index.text


def test_the_category_api_lists_every_feed(client, world):
    response = client.get("/api/v1/subscriptions/categories")
    assert response.status_code == 200
    by_code = {c["code"]: c for c in response.json()}
    assert by_code["type.engineering"]["label"] == "工程建设"
    assert by_code["kind.tender"]["atom_url"] == "https://testserver/feeds/category/kind.tender.atom"
    assert {"policy.document", "policy.interpretation", "policy.concern"} <= by_code.keys()
