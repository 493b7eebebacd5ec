"""The Content-Security-Policy in a real browser (Debian's Chromium, Playwright) against ``sunshine serve`` over
the demo data: the main pages, public and signed in, load with no ``securitypolicyviolation`` and no console
error; charts draw and show their tooltips; htmx swaps a panel in place; and the bid page asks for the
password in place when the bidder's last password entry is too old, then submits the same sealed bid."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, select, update

from sunshine.demo import DEMO_PASSWORD
from sunshine.identity.models import AuthToken, User

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.sourceFile + ":" + e.lineNumber;
  window.__csp.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " at " + where);
});
"""
PUBLIC_PAGES = [
    "/",
    "/trading",
    "/disclosure",
    "/supervision",
    "/opendata",
    "/notices",
    "/projects",
    "/ledger",
    "/credit",
    "/disclosure/deadline",
    "/disclosure/compliance",
    "/disclosure/annual-report",
    "/requests/stats",
    "/kiosk",
    "/login",
    "/venues",
]
SIGNED_IN_PAGES = {
    "bidder": ["/me", "/my/bids", "/my/registrations", "/reauth?next=/my/bids"],
    "admin": ["/me", "/admin/calendar", "/admin/users"],
    "disclosure": ["/staff/disclosure", "/staff/requests"],
    "centre": ["/staff/venues"],
}


def _open(open_page):
    page, watch = open_page(viewport=DESKTOP)
    page.context.add_init_script(RECORD_VIOLATIONS)
    return page, watch


def _visit_cleanly(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == [], path
    assert page.evaluate("typeof window.htmx") == "object", f"{path}: htmx did not load"


def _login(page, username: str) -> None:
    page.goto("/login")
    form = page.locator("form[action='/login']")
    form.get_by_label("用户名").fill(username)
    form.get_by_label("密码").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="登录").click()
    expect(page.locator(".account-wide .account-display")).to_be_visible()


def test_public_pages_load_without_a_policy_violation(open_page, live_server):
    page, watch = _open(open_page)
    for path in PUBLIC_PAGES:
        _visit_cleanly(page, path)
    watch.assert_clean()


def test_the_browser_refuses_inline_script_and_style_and_the_test_sees_it(open_page, live_server):
    """The check above can fail: what an injected fragment would do is refused, and recorded."""
    page, _ = _open(open_page)
    _visit_cleanly(page, "/")
    page.evaluate(
        """document.body.insertAdjacentHTML("beforeend",
             '<p id="injected" style="color: red">x</p><img src="/static/img/mark.svg" onload="window.__ran = 1">')"""
    )
    page.wait_for_timeout(300)
    seen = page.evaluate("window.__csp")
    assert any(v.startswith("style-src-attr") for v in seen), seen
    assert any(v.startswith("script-src-attr") for v in seen), seen
    assert page.evaluate("window.__ran") is None  # the event handler did not run
    assert page.evaluate("getComputedStyle(document.getElementById('injected')).color") != "rgb(255, 0, 0)"


def test_charts_draw_and_show_tooltips_within_the_policy(open_page, live_server):
    page, watch = _open(open_page)
    _visit_cleanly(page, "/requests/stats")
    chart = page.locator(".chart[data-chart-ready]").first
    expect(chart).to_be_visible()
    expect(chart.locator("canvas")).to_have_count(1)
    box = chart.bounding_box()
    for dx in (0.3, 0.5, 0.7):  # hover over the plot: the tooltip is drawn
        page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] * 0.5)
        page.wait_for_timeout(200)
    assert page.evaluate("window.__csp") == []
    watch.assert_clean()


def test_htmx_swaps_a_panel_in_place_under_the_policy(open_page, live_server):
    page, watch = _open(open_page)
    _visit_cleanly(page, "/kiosk")
    page.evaluate("window.__same_document = true")
    tab = page.locator("#kiosk-panel .kiosk-tabs").get_by_role("link", name="节假日安排")
    tab.click()
    expect(page.locator("#kiosk-panel .kiosk-tabs [aria-current='page']")).to_have_text("节假日安排")
    assert page.evaluate("window.__same_document") is True  # swapped by htmx, not a new page
    assert page.evaluate("window.__csp") == []
    watch.assert_clean()


@pytest.mark.parametrize("username", sorted(SIGNED_IN_PAGES))
def test_signed_in_pages_load_without_a_policy_violation(open_page, live_server, username):
    page, watch = _open(open_page)
    _login(page, username)
    for path in SIGNED_IN_PAGES[username]:
        _visit_cleanly(page, path)
        assert page.evaluate("window.__csp") == []
    watch.assert_clean()


def _age_password_entry(database_url: str, username: str) -> None:
    """As if the bidder had signed in an hour ago: the session's last password entry moves back."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            user_id = conn.scalar(select(User.id).where(User.username == username))
            earlier = datetime.now(UTC) - timedelta(hours=1)
            conn.execute(update(AuthToken).where(AuthToken.user_id == user_id).values(authenticated_at=earlier))
    finally:
        engine.dispose()


def test_the_bid_page_asks_for_the_password_in_place_and_submits_the_same_sealed_bid(
    open_page, live_server, database_url, tmp_path
):
    page, watch = _open(open_page)
    _login(page, "bidder")
    page.goto("/my/registrations")
    page.locator(".card").get_by_role("link", name=re.compile("递交投标文件")).first.click()
    expect(page.locator("h1")).to_have_text("递交投标文件")
    page.get_by_label("投标报价（元）").fill("7,654,321")
    page.get_by_label("工期/交货期（日历天）").fill("200")
    page.get_by_label("质量承诺").fill("合格")
    document = tmp_path / "商务标.txt"
    document.write_text("报价说明", encoding="utf-8")
    page.get_by_label("投标文件（可多选）").set_input_files(str(document))
    page.get_by_role("button", name="在本机加密").click()
    expect(page.locator("#bid-key")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    page.get_by_label(re.compile("我已下载或抄录解密密钥")).check()

    _age_password_entry(database_url, "bidder")
    page.get_by_role("button", name="递交加密投标文件").click()
    box = page.locator("#reauth")
    expect(box).to_be_visible()
    expect(page.locator("#reauth-reason")).to_have_text("此操作须在 10 分钟内输入过密码，请再次输入密码确认身份")
    expect(page.locator("#receipt")).to_be_hidden()

    page.get_by_label("请再次输入登录密码确认身份").fill("not-the-password")
    page.get_by_role("button", name="确认身份并递交").click()
    expect(page.locator("#reauth-error")).to_have_text("密码错误")
    page.get_by_label("请再次输入登录密码确认身份").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="确认身份并递交").click()
    expect(page.locator("#receipt")).to_be_visible()
    expect(page.locator("#receipt-match")).to_have_text("（与本机计算一致）")
    expect(box).to_be_hidden()
    assert page.evaluate("window.__csp") == []
    # the refused attempts answered 401 by design; nothing else went wrong
    assert watch.page_errors == [] and watch.failed_requests == [] and watch.external_requests == []
    assert all(" 401 " in f" {r} " or r.startswith("401 ") for r in watch.error_responses), watch.error_responses
