"""The site as a person sees it in a real browser: Debian's Chromium, driven by Playwright, against a
real ``sunshine serve`` over the demo data (fixtures in tests/web/conftest.py).

Assertions are about what is on the screen: texts, links, where a click lands, what a phone shows.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sunshine.core import labels
from sunshine.demo import DEMO_PASSWORD, USERS
from sunshine.identity.roles import Role

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SECTIONS = ["交易信息", "政务公开", "社会监督", "数据开放"]
DEMO_USERS = {username: (name, roles[0]) for username, name, roles, _ in USERS}
ROLE_ACCOUNTS = [
    "admin",
    "centre",
    "disclosure",
    "supervisor",
    "agency",
    "tenderer",
    "bidder",
    "expert",
    "observer",
    "entadmin",
    "signer",
    "viewer",
    "industry",
    "committee",
    "govaffairs",
    "evaluator",
]


def _login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill in and submit the login form of the page currently shown."""
    form = page.locator("form[action='/login']")
    form.get_by_label("用户名").fill(username)
    form.get_by_label("密码").fill(password)
    form.get_by_role("button", name="登录").click()


def _no_horizontal_scroll(page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width + 1, f"{page.url} scrolls sideways: {scroll_width}px wide on a {width}px screen"


def test_home_page_shows_brand_sections_and_live_content(open_page, live_server, screenshot):
    page, watch = open_page(viewport=DESKTOP)
    head = live_server.get_json("/api/v1/ledger/head")  # what the footer shows: the last signed head
    size = live_server.get_json("/healthz")["ledger_size"]  # entries, signed or not yet
    page.goto("/")
    page.wait_for_load_state("networkidle")

    expect(page).to_have_title(re.compile("阳光交易"))
    expect(page.locator(".site-header .brand-name")).to_have_text("阳光交易")
    nav = page.locator("nav.site-nav")
    expect(nav).to_be_visible()
    for label in SECTIONS:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()

    enterprises = len(live_server.get_json("/api/v1/organisations?kind=enterprise"))  # as the directory lists them
    expect(page.locator(".stat", has_text="登记企业").locator(".stat-value")).to_have_text(str(enterprises))
    expect(page.locator(".stat", has_text="留痕记录").locator(".stat-value")).to_have_text(str(size))
    latest = page.locator("#recent a[href^='/ledger?seq=']").first
    expect(latest).to_be_visible()
    expect(latest).to_have_attribute("href", f"/ledger?seq={size - 1}")
    expect(latest).to_have_text(f"第 {size - 1} 号记录与证明")

    footer = page.locator("footer .ledger-line")
    expect(footer).to_contain_text(f"全程留痕：已记录 {head['size']:,} 条")
    expect(footer.locator("code.hash")).to_have_text(head["root_hash"][:16])

    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load"
    htmx_src = page.locator("script[src*='htmx']").get_attribute("src")
    assert htmx_src.startswith("/static/") or htmx_src.startswith(live_server.url("/static/")), htmx_src
    screenshot(page, "home-desktop")
    watch.assert_clean()


@pytest.mark.parametrize("username", ROLE_ACCOUNTS)
def test_each_demo_role_logs_in_sees_its_workbench_and_logs_out(open_page, live_server, username, screenshot):
    name, role = DEMO_USERS[username]
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/")
    page.locator(".account-wide").get_by_role("link", name="登录").click()
    expect(page).to_have_url(live_server.url("/login"))

    _login(page, username)
    expect(page).to_have_url(live_server.url("/me"))
    expect(page.locator("h1")).to_have_text("我的工作台")
    expect(page.locator(".flashes")).to_contain_text(f"欢迎，{name}")
    expect(page.locator(f"#role-{role.value} .card-title")).to_have_text(role.label)
    expect(page.locator(".page-header .lead")).to_contain_text(name)
    expect(page.locator(".account-wide .account-display")).to_have_text(name)
    session_cookie = next(c for c in page.context.cookies() if c["name"] == "sunshine_session")
    assert session_cookie["secure"] and session_cookie["httpOnly"], session_cookie
    if username == "admin":
        screenshot(page, "me-admin")

    logout = page.locator(".account-wide").get_by_role("button", name="退出")
    expect(logout.locator("xpath=ancestor::form")).to_have_attribute("method", "post")
    logout.click()
    expect(page).to_have_url(live_server.url("/"))
    expect(page.locator(".flashes")).to_contain_text("您已安全退出")
    expect(page.locator(".account-wide").get_by_role("link", name="登录")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "sunshine_session"]
    page.goto("/me")  # the session is really gone, not just hidden
    expect(page).to_have_url(re.compile(r"/login\?next=(%2F|/)me$"))
    watch.assert_clean()


def test_wrong_password_shows_the_error_beside_the_field(open_page, live_server):
    page, _ = open_page(viewport=DESKTOP)
    page.goto("/login")
    _login(page, "admin", "not-the-password")

    expect(page).to_have_url(live_server.url("/login"))
    expect(page.locator("h1")).to_have_text("登录")
    field = page.locator(".field.has-error", has=page.locator("#f-password"))
    expect(field.locator(".field-error")).to_contain_text("用户名或密码错误")
    expect(page.locator("#f-password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-username")).to_have_value("admin")
    expect(page.locator("#f-password")).to_have_value("")
    expect(page.locator(".account-wide").get_by_role("link", name="登录")).to_be_visible()


def test_bidder_sees_the_forbidden_page_in_chinese(open_page, live_server, screenshot):
    page, _ = open_page(viewport=DESKTOP)
    page.goto("/login")
    _login(page, "bidder")
    expect(page).to_have_url(live_server.url("/me"))

    response = page.goto("/admin/calendar")
    assert response.status == 403
    expect(page).to_have_title(re.compile(r"^403 "))
    expect(page.locator(".error-status")).to_have_text("403")
    expect(page.locator("#error-title")).to_contain_text("无权")
    expect(page.locator(".error-meta code")).to_have_text("forbidden")
    expect(page.get_by_role("link", name="返回首页")).to_be_visible()
    screenshot(page, "forbidden")


def test_anonymous_workbench_visit_goes_through_login_and_back(open_page, live_server):
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/me")
    expect(page).to_have_url(re.compile(r"/login\?next=(%2F|/)me$"))
    expect(page.locator("h1")).to_have_text("登录")

    _login(page, "observer")
    expect(page).to_have_url(live_server.url("/me"))
    expect(page.locator("#role-social_supervisor .card-title")).to_have_text("社会监督员")
    watch.assert_clean()


def test_administrator_sets_a_holiday_that_the_public_then_sees(open_page, live_server, screenshot):
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/login?next=/admin/calendar")
    _login(page, "admin")
    expect(page).to_have_url(live_server.url("/admin/calendar"))
    expect(page.locator("h1")).to_have_text("工作日历管理")

    form = page.locator("#set-day form")
    form.get_by_label("日期").fill("2027-10-08")
    form.get_by_label("安排").select_option(label="休息日")
    form.get_by_label("名称").fill("国庆节延长假")
    form.get_by_label("依据").fill("示范市人民政府通知")
    form.get_by_role("button", name="保存").click()

    expect(page).to_have_url(live_server.url("/admin/calendar?year=2027"))
    expect(page.locator(".flashes .notice-success")).to_contain_text("已将 2027-10-08 设为休息日")
    row = page.locator("#year tbody tr", has_text="2027年10月8日（星期五）")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("休息")
    expect(row).to_contain_text("国庆节延长假")
    expect(row).to_contain_text("人工录入")
    expect(row.get_by_role("button", name="撤销")).to_be_visible()
    screenshot(page, "admin-calendar")
    watch.assert_clean()

    public, public_watch = open_page(viewport=DESKTOP)  # a visitor who is not signed in
    public.goto("/disclosure/calendar?year=2027")
    expect(public.locator("#year .card-title")).to_contain_text("2027 年节假日与调休安排")
    public_row = public.locator("#year tbody tr", has_text="2027年10月8日（星期五）")
    expect(public_row).to_have_count(1)
    expect(public_row).to_contain_text("休息")
    expect(public_row).to_contain_text("国庆节延长假")
    public_watch.assert_clean()


def test_public_deadline_calculator(open_page, live_server, screenshot):
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/disclosure/deadline")
    page.get_by_label("起算日").fill("2026-09-30")
    page.get_by_label("期间长度").fill("20")
    page.get_by_label("单位").select_option(label="工作日")
    page.get_by_role("button", name="计算").click()

    expect(page).to_have_url(re.compile(r"/disclosure/deadline\?start=2026-09-30&days=20&unit=working$"))
    expect(page.locator("#result #due")).to_have_text("2026年11月3日（星期二）")
    screenshot(page, "deadline")
    watch.assert_clean()


def test_phone_collapses_the_nav_into_a_menu_and_never_scrolls_sideways(open_page, live_server, screenshot):
    page, watch = open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto("/")
    expect(page.locator("nav.site-nav")).to_be_hidden()
    menu = page.locator("details.nav-mobile")
    summary = menu.locator("summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_text("菜单")
    expect(menu.get_by_role("link", name="交易信息", exact=True)).to_be_hidden()
    _no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "home-phone")

    summary.click()
    expect(menu).to_have_attribute("open", "")
    for label in SECTIONS:
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="登录")).to_be_visible()
    _no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "home-phone-menu")

    for path in [
        "/trading",
        "/disclosure",
        "/disclosure/deadline?start=2026-09-30&days=20&unit=working",
        "/supervision",
        "/opendata",
        "/ledger?seq=0",
        "/login",
    ]:
        page.goto(path)
        _no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "login-phone")
    page.goto("/ledger?seq=0")
    screenshot(page, "ledger-phone")
    watch.assert_clean()


def test_phone_back_office_pages_never_scroll_sideways(open_page, live_server, screenshot):
    page, watch = open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto("/login")
    _login(page, "admin")
    expect(page).to_have_url(live_server.url("/me"))
    for path in ["/me", "/admin/users", "/staff/deadlines", "/admin/calendar?year=2027"]:
        page.goto(path)
        _no_horizontal_scroll(page, PHONE["width"])
    expect(page.locator("#year .table-wrap")).to_be_visible()
    screenshot(page, "admin-calendar-phone")
    watch.assert_clean()


def test_ledger_page_shows_an_entry_and_its_inclusion_proof(open_page, live_server, screenshot):
    proof = live_server.get_json("/api/v1/ledger/entries/0/proof")
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/ledger?seq=0")

    expect(page.locator("h1")).to_have_text("全程留痕验证")
    expect(page.locator("#f-seq")).to_have_value("0")
    entry = page.locator("#lookup table.kv")
    expect(entry.locator("tr", has_text="序号")).to_contain_text("0")
    expect(entry.locator("tr", has_text="事件")).to_contain_text(labels.event_label(proof["entry"]["kind"]))
    expect(entry.locator("tr", has_text="对象")).to_contain_text(labels.subject_label(proof["entry"]["subject"]))
    expect(page.locator("#leaf-input")).to_have_text(proof["leaf_input"])  # the raw data, for verifiers
    expect(page.locator("#lookup h3")).to_have_text(f"包含性证明（树大小 {proof['tree_size']}）")
    assert proof["audit_path"], "the demo log has more than one entry, so the proof is not empty"
    expect(page.locator("#lookup ol.hash li code")).to_have_text(proof["audit_path"])
    expect(page.locator("#head table.kv")).to_contain_text(proof["head"]["root_hash"])
    screenshot(page, "ledger")
    watch.assert_clean()


def test_role_labels_cover_every_demo_role():
    """The parametrised login test covers one account per role of the platform (the demo's second
    supervisor and second bidder add no role)."""
    assert {DEMO_USERS[u][1] for u in ROLE_ACCOUNTS} == set(Role)
