"""Social supervision in a real browser (Chromium) over the demo: the 社会监督 hub; a citizen applies for an open day
and, on the open day that was drawn, follows the draw's record and sees it verified by their own browser; the
supervisor 李秀英's workbench with her sessions and the upcoming schedule, and her remote seat in the opening room;
an opinion left in the opinion box with its tracking number; the published outcome of a closed poll; axe-core (as
the portal tests run it) without serious violations on these pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sunshine.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
AXE = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
    ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))"
)


def _login(page, username: str) -> None:
    page.goto("/login")
    form = page.locator("form[action='/login']")
    form.get_by_label("用户名").fill(username)
    form.get_by_label("密码").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/me$"))


def _axe(page) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe.min.js")  # vendored; same origin, the CSP allows it
    return page.evaluate(AXE)


def test_a_citizen_applies_and_sees_the_open_day_draw_verified_in_the_browser(open_page, screenshot):
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/supervision")
    expect(page.locator("h1")).to_contain_text("社会监督")
    assert _axe(page) == []
    hub = page.locator("#open-days")
    hub.get_by_role("link", name="社会申请式公共资源交易开放日").click()
    expect(page.locator("h1")).to_have_text("社会申请式公共资源交易开放日")
    form = page.locator("#apply form")
    form.get_by_label("姓名").fill("林小雨")
    form.get_by_label("联系电话").fill("13912345678")
    form.get_by_label("参加目的").fill("想了解电子开标如何保证公平")
    form.get_by_role("button", name="提交申请").click()
    expect(page.locator(".flashes")).to_contain_text(re.compile(r"申请编号 KF\d{3}-\d{3}"))
    body = page.locator("main").inner_text()
    assert "林小雨" not in body and "13912345678" not in body
    assert _axe(page) == []

    page.goto("/supervision")
    page.locator("#open-days").get_by_role("link", name="第四季度社会申请式开放日（已抽取）").click()
    expect(page.locator("#apply")).to_contain_text("入选申请编号")
    page.locator("#apply").get_by_role("link", name=re.compile("可在浏览器中重算核验")).click()
    expect(page).to_have_url(re.compile(r"/draws/[^/]+$"))
    page.get_by_role("button", name="在浏览器中验证").click()
    verdict = page.locator("#draw-browser-verdict")
    checks = page.locator("#draw-check-list")
    expect(verdict).not_to_have_attribute("data-state", "running", timeout=30_000)
    assert verdict.get_attribute("data-state") == "ok", checks.inner_text()
    expect(checks).to_contain_text("抽取顺序：通过")
    assert "孙丽" not in page.locator("main").inner_text()  # applicants are named by application number only
    screenshot(page, "supervision-open-day-draw-verified")
    watch.assert_clean()


def test_the_supervisor_works_from_her_workbench_watches_remotely_and_leaves_an_opinion(open_page, screenshot):
    page, watch = open_page(viewport=DESKTOP)
    _login(page, "observer")
    page.goto("/supervision/me")
    expect(page.locator("h1")).to_have_text("我的社会监督")
    expect(page.locator(".page-header")).to_contain_text("工作证 JD")
    mine = page.locator("#mine")
    expect(mine).to_contain_text("自行选择")
    expect(page.locator("#upcoming")).to_be_visible()
    assert _axe(page) == []
    screenshot(page, "supervision-workbench")
    mine.get_by_role("link", name="开标会（电子开标室）").first.click()
    expect(page).to_have_url(re.compile(r"/projects/\d+/opening$"))
    expect(page.locator("#observer-seat")).to_contain_text("您持有本场开标会的观察席")

    page.goto("/supervision")
    box = page.locator("#opinion")
    box.get_by_label("意见类别").select_option(label="场地与设施")
    box.get_by_label("意见内容").fill("第一开标室的远程观察画面偶有卡顿，建议提高带宽。")
    box.get_by_role("button", name="提交意见").click()
    expect(page.locator("main")).to_contain_text(re.compile(r"意见已收到，编号 \S+"))
    watch.assert_clean()


def test_a_closed_poll_shows_the_project_the_platform_designated(open_page):
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/supervision")
    page.locator("#open-days").get_by_role("link", name="民生工程集中开放日（调查已结束）").click()
    poll = page.locator("#poll")
    expect(poll).to_contain_text("平台按得票确定的开放项目：城北片区老旧小区改造工程")
    expect(poll).to_contain_text("城北片区老旧小区改造工程：6 票")
    assert poll.get_by_role("button", name="投票").count() == 0
    assert _axe(page) == []
    watch.assert_clean()
