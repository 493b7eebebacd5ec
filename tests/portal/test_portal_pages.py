"""The portal's way-finding pages on an empty platform: the site map (public sections, and a role's own once
signed in), the 政务公开 page by what citizens come for (the request form, annual report, statistics linked;
no holiday table on it), the holidays on their own page, the process flowcharts beside the rule packs, and a
validation error that names the field in Chinese."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from sunshine.identity.roles import Role
from sunshine.trading import flowchart
from sunshine.trading import lifecycle as lc
from tests.builders import make_user
from tests.pages import browser, page_text

HTML = {"accept": "text/html"}


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"#]+)"', html))


def test_every_public_section_is_two_clicks_from_home_and_the_site_map_lists_a_roles_work(app, db):
    make_user(db, Role.DISCLOSURE_OFFICE, username="gongkai")
    with browser(app) as visitor:
        home = visitor.get("/")
        assert {"/sitemap", "/notices", "/requests/new", "/disclosure/annual-report", "/requests/stats"} <= _links(
            home.text
        )
        site = visitor.get("/sitemap")
        assert site.status_code == 200
        for wanted in ("/notices", "/requests/new", "/disclosure/annual-report", "/requests/stats", "/policies"):
            assert wanted in _links(site.text)
        for href in sorted(_links(site.text)):
            if href.startswith("/") and not href.startswith(("/static", "/api")):
                assert visitor.get(href).status_code in (200, 303), href  # nothing on the map is broken
        assert "我可以办理的事项" not in page_text(site.text)
    with browser(app, "gongkai") as staff:
        mine = page_text(staff.get("/sitemap").text)
        assert "我可以办理的事项" in mine and "政务公开工作台（公开时效与预警）" in mine


def test_the_disclosure_page_is_organised_by_what_citizens_come_for(app):
    with browser(app) as visitor:
        page = visitor.get("/disclosure")
        text = page_text(page.text)
        for heading in ("查找已公开的信息", "申请政府信息公开", "年度报告与统计", "政策文件与解读"):
            assert heading in text
        assert {
            "/requests/new",
            "/disclosure/annual-report",
            "/requests/stats",
            "/disclosure/catalog",
            "/disclosure/publications",
            "/policies",
            "/disclosure/calendar",
        } <= _links(page.text)
        assert "<tbody>" not in page.text  # the 40-row holiday table lives on its own page now
        calendar = visitor.get("/disclosure/calendar")
        assert calendar.status_code == 200 and "节假日与调休安排" in page_text(calendar.text)


def test_flowcharts_are_drawn_from_the_lifecycle_declarations(app):
    for lifecycle in lc.LIFECYCLES:
        chart = flowchart.chart(lifecycle)
        drawn = {(e.step.name, s, e.target) for e in chart.edges for s in e.sources}
        for step in lc.STEPS.values():  # every declared step of the lifecycle is on its chart
            if lifecycle not in step.lifecycles:
                continue
            if step.sources == lc.ANY_ACTIVE or step.target == lc.PREVIOUS:
                assert step in chart.anywhere
            elif step.target == lc.SAME:
                assert step in chart.keeps
            else:
                assert all((step.name, s, step.target) in drawn for s in step.sources), step.name
        svg = flowchart.svg(lifecycle)
        ET.fromstring(svg)  # well-formed
        assert all(step.title in svg for step in lc.STEPS.values() if lifecycle in step.lifecycles)
    with browser(app) as visitor:
        answer = visitor.get("/flowcharts/tender.svg")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/svg+xml")
        assert "开标" in answer.text and "交易中心受理" in answer.text
        assert visitor.get("/flowcharts/nothing.svg", headers=HTML).status_code == 404
        pack = visitor.get("/rules/engineering.open_tender")
        assert "/flowcharts/tender.svg" in pack.text and "工作流程图" in page_text(pack.text)


def test_a_validation_error_on_a_page_names_the_field_in_chinese(app):
    with browser(app) as visitor:
        answer = visitor.get("/notices/abc", headers=HTML)
        assert answer.status_code == 422
        text = page_text(answer.text)
        assert "notice_id" not in text and "交易公告编号：应为整数" in text
    api = browser(app)
    with api as client:
        body = client.get("/api/v1/ledger/entries/abc").json()
        assert "seq：应为整数" in body["detail"]  # the API keeps the field's code


def test_the_readme_lists_every_account_the_demo_creates():
    from pathlib import Path

    from sunshine.demo import market
    from sunshine.demo.base import USERS
    from sunshine.demo.load import EXPERT_ACCOUNTS

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    accounts = [u[0] for u in USERS] + [e[0] for e in EXPERT_ACCOUNTS] + [p.username for p in market.PARTICIPANTS]
    missing = [name for name in accounts if f"`{name}`" not in readme]
    assert missing == []


def test_every_ledger_kind_the_code_records_has_a_chinese_name():
    import pathlib

    from sunshine.core import labels

    src = pathlib.Path(__file__).parents[2] / "src" / "sunshine"
    kinds = set()
    for path in src.rglob("*.py"):
        kinds |= set(re.findall(r'"([a-z_]+:[a-z_-]+:[a-z_-]+)"', path.read_text(encoding="utf-8")))
    kinds |= {step.entry_kind for step in lc.STEPS.values()}
    for kind in sorted(kinds):
        name = labels.event_label(kind)
        assert not name.isascii() and ":" not in name, (kind, name)
    assert labels.event_label("trading:project:accept") == lc.STEPS["accept"].title
    assert labels.event_label("bidding:bid:sealed") == "投标文件已加密递交"
    assert labels.event_label("newdomain:contract:signed") == "合同已签署"  # composed for a kind no table names
    assert labels.subject_label("project:12") == "交易项目（12）"
    assert labels.subject_label("opendata:records:full") == "开放数据（交易记录 · 全量）"
    assert labels.field_label("notice_id") == "交易公告编号"
    from sunshine.rules.registry import rule_ref_label

    assert rule_ref_label("disclosure.licence_penalty@2019-05-15/publish_within") == (
        "《行政许可和行政处罚公开》（2019-05-15 版）：自作出行政决定之日起上网公开"
    )
