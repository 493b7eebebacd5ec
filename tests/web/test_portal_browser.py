"""A citizen's paths through the portal in a real browser (Chromium) over the demo: home → notice → project →
a ledger proof the browser verifies itself (验证通过); home → the information request form → its receipt; the
annual report; the phone layout; axe-core (vendored in web/static) without serious violations on the main
pages; and one walk over the demo's pages, public and per role, that fails on raw codes in what people read
(ledger event kinds, ``thing:12`` subjects, rule keys)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sunshine.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# What people read, as the browser renders it: visible text of <main>, without code blocks (hashes, leaf
# inputs, JSON shown for verifiers) — the words a person is meant to read.
VISIBLE_TEXT = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walk.nextNode())) {
    const el = node.parentElement;
    if (el.closest('code,pre,script,style,[hidden],template') || !el.getClientRects().length) continue;
    out.push(node.textContent);
  }
  return out.join(' ');
}"""
EVENT_CODE = re.compile(r"(?<![\w/.@-])[a-z][a-z_]*:[a-z][a-z_-]*(?::[a-z][a-z_-]*)?(?![\w/])")
SUBJECT_CODE = re.compile(r"(?<![\w/.@-])[a-z][a-z_-]*:\d+\b")
RULE_KEY = re.compile(r"[a-z_]+\.[a-z_]+@\d{4}-\d{2}-\d{2}")

WALK = {
    None: ["/", "/supervision", "/ledger?seq=3", "/notices", "/projects", "/disclosure", "/sitemap", "/draws"],
    "centre": ["/me", "/staff/deadlines", "/staff/deposits", "/staff/queue"],
    "disclosure": ["/me", "/staff/disclosure", "/staff/disclosure/obligations", "/staff/concerns"],
    "supervisor": ["/me", "/complaints"],
    "bidder": ["/me", "/my/registrations", "/my/bids"],
    "expert": ["/me"],
    "observer": ["/me"],
}
AXE_PAGES = ["/", "/notices", "/projects", "/disclosure", "/sitemap", "/ledger?seq=3", "/requests/new", "/supervision"]


def _login(page, username: str) -> None:
    page.goto("/login")
    form = page.locator("form[action='/login']")
    form.get_by_label("用户名").fill(username)
    form.get_by_label("密码").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/me$"))


def test_home_notice_project_and_a_proof_verified_in_the_browser(open_page, screenshot):
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/")
    page.locator("#quick").get_by_role("link", name="交易公告").click()
    expect(page.locator("h1")).to_contain_text("交易公告")
    page.locator("main table a[href^='/notices/']").first.click()
    page.locator("a[href^='/projects/'].mono").first.click()
    expect(page).to_have_url(re.compile(r"/projects/\d+$"))
    proof_link = page.get_by_role("link", name=re.compile("留痕证明")).first
    proof_link.click()
    expect(page.locator("h1")).to_have_text("全程留痕验证")
    verdict = page.locator("#browser-check [data-verdict]")
    expect(verdict).to_have_attribute("data-state", "ok")
    expect(verdict).to_have_text("验证通过")
    checks = page.locator("#browser-check .checks")
    expect(checks).to_contain_text("叶子哈希与记录一致")
    expect(checks).to_contain_text("包含性证明成立")
    expect(checks).to_contain_text("签名树头的 Ed25519 签名有效")
    screenshot(page, "proof-verified")
    watch.assert_clean()


def test_home_request_form_to_receipt_and_the_annual_report(open_page, screenshot):
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/")
    page.locator("#quick").get_by_role("link", name="申请政府信息公开").click()
    expect(page.locator("h1")).to_have_text("申请政府信息公开")
    page.get_by_label("申请人类型").select_option("natural")
    page.get_by_label("姓名或名称").fill("王小明")
    page.get_by_label("身份证件号码或统一社会信用代码").fill("350102199202021234")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("电子邮箱").fill("wxm@example.cn")
    page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill(
        "示范市第一中学食堂服务采购项目的合同文本"
    )
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("h1")).to_have_text("政府信息公开申请受理回执")
    expect(page.locator("main")).to_contain_text("查询码")
    screenshot(page, "request-receipt")

    page.goto("/")
    page.locator("#quick").get_by_role("link", name="信息公开年度报告").click()
    expect(page.locator("h1")).to_contain_text("政府信息公开工作年度报告")
    watch.assert_clean()


def test_phone_layout_has_no_sideways_scroll_and_the_menu_reaches_the_site_map(open_page, screenshot):
    page, watch = open_page(viewport=PHONE)
    for path in ("/", "/notices", "/disclosure", "/sitemap", "/ledger?seq=3"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
    page.goto("/")
    page.locator("details.nav-mobile summary").click()
    expect(page.locator(".nav-mobile-panel").get_by_role("link", name="交易公告")).to_be_visible()
    page.locator("#quick").get_by_role("link", name="网站地图").click()
    expect(page.locator("h1")).to_have_text("网站地图")
    screenshot(page, "phone-sitemap")
    watch.assert_clean()


def test_axe_core_finds_no_serious_violations_on_the_main_pages(open_page):
    page, watch = open_page(viewport=DESKTOP)
    found = {}
    for path in AXE_PAGES:
        page.goto(path)
        page.add_script_tag(url="/static/vendor/axe.min.js")  # vendored from npm; same origin, the CSP allows it
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))"
        )
        if violations:
            found[path] = violations
    assert found == {}
    watch.assert_clean()


def test_keyboard_reaches_the_main_content_and_the_navigation(open_page):
    page, _ = open_page(viewport=DESKTOP)
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_no_raw_codes_in_what_people_read_on_the_demos_pages(open_page):
    problems = []
    for user, paths in WALK.items():
        page, _ = open_page(viewport=DESKTOP)
        if user:
            _login(page, user)
        for path in paths:
            response = page.goto(path)
            assert response.status < 400, (user, path, response.status)
            text = page.evaluate(VISIBLE_TEXT)
            codes = set(EVENT_CODE.findall(text)) | set(SUBJECT_CODE.findall(text)) | set(RULE_KEY.findall(text))
            if codes:
                problems.append((user, path, sorted(codes)[:8]))
    assert problems == []
