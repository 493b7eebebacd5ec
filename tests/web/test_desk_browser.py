"""The service desk in a real browser (Chromium) over the demo: a citizen writes a message on /desk and the
knowledge base suggests articles while she types (htmx) and on the receipt; the desk transfers the order to a
department, which answers it, and records the callback; the citizen follows it with her number and code and rates
the service; the staff pages of the desk (handling departments, duty rota, the 12345 log) with their forms' errors
in Chinese beside the fields; axe-core without serious violations on the desk's pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sunshine.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def _login(page, username: str) -> None:
    page.goto("/login")
    form = page.locator("form[action='/login']")
    form.get_by_label("用户名").fill(username)
    form.get_by_label("密码").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/me$"))


def _axe(page) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe.min.js")  # vendored; same origin, the CSP allows it
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))"
    )


def test_a_citizen_files_an_order_the_desk_transfers_and_answers_it_and_she_rates_it(open_page, screenshot):
    citizen, watch = open_page(viewport=DESKTOP)
    citizen.goto("/desk", timeout=60_000)  # the first page of a freshly started server on a busy machine
    expect(citizen.locator("h1")).to_have_text("服务台")
    citizen.get_by_label("诉求类别").select_option(label="咨询")
    citizen.get_by_label("标题").press_sequentially("投标保证金什么时候退还", delay=20)
    suggestions = citizen.locator("#suggestions")
    expect(suggestions).to_contain_text("可能已经解答了您的问题")
    expect(suggestions.get_by_role("link", name="投标保证金缴纳与退还办事指南")).to_be_visible()
    citizen.locator("#f-content").fill("我单位参加的项目已经签订合同，投标保证金什么时候退还到账户？")
    citizen.get_by_label("称呼（可不填）").fill("刘女士")
    citizen.get_by_label("联系电话（回访用，不公开）").fill("13812340000")
    screenshot(citizen, "desk-suggestions")
    citizen.get_by_role("button", name="提交").click()
    expect(citizen.locator("h1")).to_have_text("已登记")
    table = citizen.locator("main table").first
    code = table.locator("tr", has_text="工单编号").locator("td").inner_text().strip()
    lookup = table.locator("tr", has_text="查询码").locator("td").inner_text().strip()
    assert re.fullmatch(r"GD\d+", code), code
    expect(citizen.locator("#receipt-suggestions")).to_contain_text("投标保证金缴纳与退还办事指南")

    staff, staff_watch = open_page(viewport=DESKTOP)
    _login(staff, "centre")
    staff.locator("main").get_by_role("link", name="服务台工单").click()
    expect(staff.locator("h1")).to_have_text("工单")
    staff.get_by_role("link", name=code).click()
    expect(staff.locator("#suggestions")).to_contain_text("投标保证金缴纳与退还办事指南")
    steps = staff.locator("#steps")
    steps.get_by_label("转办至").select_option(label="交易服务部")
    steps.get_by_role("button", name="转办").click()
    expect(staff.locator("#history")).to_contain_text("转办")
    expect(staff.locator("#history")).to_contain_text("交易服务部")
    steps.get_by_label("答复").fill("依法在合同签订后5日内退还，请留意基本账户到账情况。")
    steps.get_by_role("button", name="回复").click()
    expect(staff.locator("#history")).to_contain_text("回复")
    steps.get_by_label("回访满意度").select_option(label="满意")
    steps.get_by_role("button", name="记录回访").click()
    expect(staff.locator("#history")).to_contain_text("办结")
    screenshot(staff, "desk-order-closed")

    citizen.goto("/desk/track")
    citizen.get_by_label("工单编号").fill(code)
    citizen.get_by_label("查询码").fill(lookup)
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.locator("main")).to_contain_text("已办结")
    expect(citizen.locator("main")).to_contain_text("依法在合同签订后5日内退还")
    survey = citizen.locator("#survey")
    for fieldset in survey.locator("fieldset").all():
        fieldset.get_by_label("非常满意").check()
    survey.get_by_label("意见和建议（可不填）").fill("答复很快，谢谢")
    survey.get_by_role("button", name="提交评价").click()
    expect(citizen.locator("main")).to_contain_text("感谢您的评价")
    expect(citizen.locator("#survey")).to_have_count(0)  # once only
    watch.assert_clean()
    staff_watch.assert_clean()


def test_the_desks_staff_pages_show_their_errors_in_chinese(open_page, screenshot):
    page, watch = open_page(viewport=DESKTOP)
    _login(page, "centre")
    page.goto("/sitemap")
    page.locator("main").get_by_role("link", name="服务台承办部门").click()
    expect(page.locator("h1")).to_have_text("承办部门")
    expect(page.locator("main")).to_contain_text("派驻纪检监察组")
    new = page.locator("#new-department")
    new.get_by_label("部门名称").fill("规")
    new.get_by_role("button", name="新增").click()
    expect(page.locator("#new-department .field-error")).to_contain_text("部门名称应为 2 至 100 个字")
    page.locator("#new-department").get_by_label("部门名称").fill("规划和自然资源局")
    page.locator("#new-department").get_by_label("类别").select_option(label="其他政府部门")
    page.locator("#new-department").get_by_role("button", name="新增").click()
    expect(page.locator("main")).to_contain_text("已新增承办部门“规划和自然资源局”")
    card = page.locator("section, div").filter(has=page.locator("h2", has_text="规划和自然资源局")).last
    card.get_by_label("添加经办人（用户名）").fill("nobody-here")
    card.get_by_role("button", name="添加经办人").click()
    expect(page.locator("main")).to_contain_text("用户名“nobody-here”不存在或已停用")
    screenshot(page, "desk-departments")

    page.goto("/me")
    page.locator("main").get_by_role("link", name="服务台坐席排班").click()
    expect(page.locator("h1")).to_have_text("坐席排班")
    expect(page.locator("#rota")).to_contain_text("1号坐席")
    form = page.locator("#new-shift")
    form.get_by_label("坐席人员").select_option(index=1)
    form.get_by_label("上班时间").fill("18:00")
    form.get_by_label("下班时间").fill("17:00")
    form.locator("#f-seat").fill("夜间值班")
    form.get_by_role("button", name="排班").click()
    expect(page.locator("#new-shift .field-error")).to_contain_text("下班时间应晚于上班时间")
    form = page.locator("#new-shift")
    form.get_by_label("上班时间").fill("18:00")
    form.get_by_label("下班时间").fill("21:00")
    form.get_by_role("button", name="排班").click()
    expect(page.locator("main")).to_contain_text("已排班")
    expect(page.locator("#rota")).to_contain_text("18:00–21:00")
    screenshot(page, "desk-shifts")

    page.goto("/me")
    page.locator("main").get_by_role("link", name="12345 热线记录与通话录音").click()
    expect(page.locator("h1")).to_have_text("12345 热线记录")
    expect(page.locator("#exchange")).to_contain_text("12345-DEMO-000321")
    expect(page.locator("#recordings")).to_contain_text("CALL-DEMO-000321")
    audio_ok = page.evaluate(
        "async () => (await fetch(document.querySelector('#recordings audio').src)).headers.get('content-type')"
    )
    assert audio_ok == "audio/wav"
    # the refused forms above answer 422 on purpose (the form again, its errors beside the fields)
    watch.console_errors = [e for e in watch.console_errors if "status of 422" not in e]
    watch.assert_clean(allow_error_status=True)
    assert all(r.startswith("422 ") for r in watch.error_responses), watch.error_responses

    other, other_watch = open_page(viewport=DESKTOP)
    _login(other, "bidder")
    response = other.goto("/desk/shifts")
    assert response.status == 403
    expect(other.locator("main")).to_contain_text("无权")
    other_watch.console_errors = [e for e in other_watch.console_errors if "status of 403" not in e]  # refused
    other_watch.assert_clean(allow_error_status=True)


def test_axe_core_finds_no_serious_violations_on_the_desks_pages(open_page):
    page, watch = open_page(viewport=DESKTOP)
    found = {}
    for path in ("/desk", "/desk/track", "/knowledge", "/satisfaction", "/desk/statistics"):
        page.goto(path)
        if violations := _axe(page):
            found[path] = violations
    _login(page, "centre")
    for path in ("/desk/orders", "/desk/departments", "/desk/shifts", "/desk/hotline"):
        page.goto(path)
        if violations := _axe(page):
            found[path] = violations
    page.goto("/desk/orders")
    page.locator("main table a[href^='/desk/orders/']").first.click()
    if violations := _axe(page):
        found["order"] = violations
    assert found == {}
    watch.assert_clean()
