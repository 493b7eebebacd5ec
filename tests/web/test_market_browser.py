"""The market register in a real browser (Chromium) over the demo data: a company registers itself from the login
page, is told in Chinese what is wrong beside the field, follows its application after signing in; the centre
approves it from its queue; the company's administrator then adds a bidder to its own organisation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sunshine.demo import DEMO_PASSWORD
from sunshine.identity import credit_code

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
FIELDS = {
    "#f-name": "福州闽都智能科技有限公司",
    "#f-legal_representative": "黄志远",
    "#f-address": "福州市鼓楼区软件大道89号",
    "#f-region_code": "350102",
    "#f-contact_name": "黄志远",
    "#f-contact_phone": "13805910001",
    "#f-contact_email": "hzy@mindu.example.cn",
    "#f-bank_name": "中国银行福州分行",
    "#f-bank_account_name": "福州闽都智能科技有限公司",
    "#f-bank_account_number": "408768012345",
}


def _login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    form = page.locator("form[action='/login']")
    form.locator("#f-username").fill(username)
    form.locator("#f-password").fill(password)
    form.get_by_role("button", name="登录").click()


def test_a_company_registers_is_approved_and_adds_a_bidder(open_page, live_server, tmp_path, screenshot):
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    good = credit_code.complete("91350102MA33ND7H5")
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/login")
    page.get_by_role("link", name="企业注册").click()
    expect(page.locator("h1")).to_have_text("市场主体注册")
    for selector, value in FIELDS.items():
        page.fill(selector, value)
    page.select_option("#f-org_type", "limited")
    page.fill("#f-credit_code", good[:-1] + ("1" if good[-1] != "1" else "2"))
    page.fill("#f-username", "mindu")
    page.fill("#f-display_name", "黄志远")
    page.fill("#f-password", "mindu-admin-2026")
    page.set_input_files("#f-licence", str(licence))
    page.get_by_role("button", name="提交注册申请").click()
    expect(page.locator(".has-error")).to_contain_text("统一社会信用代码校验位不正确")
    screenshot(page, "market-register-refused")

    page.fill("#f-credit_code", good)
    page.fill("#f-password", "mindu-admin-2026")
    page.set_input_files("#f-licence", str(licence))
    page.get_by_role("button", name="提交注册申请").click()
    expect(page.locator("h1")).to_have_text("登录")
    _login(page, "mindu", "mindu-admin-2026")
    expect(page.locator("#standing")).to_have_text("待审核")

    staff, _ = open_page(viewport=DESKTOP)
    staff.goto("/login?next=/staff/market")
    _login(staff, "centre")
    staff.get_by_role("link", name="福州闽都智能科技有限公司").click()
    staff.select_option("#f-decision", "approve")
    staff.get_by_role("button", name="记录审核结论").click()
    expect(staff.locator("#app-status")).to_have_text("已通过")

    page.goto("/market/mine")
    expect(page.locator("#standing")).to_have_text("已通过")
    users = page.locator("#users")
    users.locator("#u-username").fill("mindu-bid")
    users.locator("#u-display_name").fill("投标专员 陈晨")
    users.locator("#u-password").fill("mindu-bidder-2026")
    users.locator("form[action='/market/mine/users'] input[value='bidder']").check()
    users.get_by_role("button", name="添加用户").click()
    expect(page.locator("#users")).to_contain_text("mindu-bid")
    screenshot(page, "market-mine")
    # the refused form answers 422, which Chromium also reports on its console; nothing else went wrong
    assert [e for e in watch.console_errors if "status of 422" not in e] == []
    assert watch.page_errors == [] and watch.failed_requests == [] and watch.external_requests == []
