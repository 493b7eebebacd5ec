"""Qualifications in a real browser (Chromium, Playwright) against ``sunshine serve`` over the demo data: the demo
enterprise administrator opens its records from the workbench, adds a qualification certificate with its scanned
copy, and finds it listed as valid, with its history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sunshine.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def test_enterprise_admin_adds_a_certificate(open_page, live_server, tmp_path, screenshot):
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/login?next=/me")
    form = page.locator("form[action='/login']")
    form.get_by_label("用户名").fill("entadmin")
    form.get_by_label("密码").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="本单位的资质、人员与业绩").first.click()
    expect(page.locator("h1")).to_have_text("本单位的资质、人员与业绩")
    expect(page.locator("#certificates")).to_contain_text("即将到期")  # the demo building certificate

    page.get_by_text("新增资质证书").click()
    add = page.locator("#add-certificate")
    add.get_by_label("资质类别").select_option(label="公路工程施工总承包")
    add.locator("#c-grade").select_option(label="二级")
    add.get_by_label("证书编号").fill("D335099001")
    add.get_by_label("发证机关").fill("福建省住房和城乡建设厅")
    add.get_by_label("有效期起").fill("2025-01-01")
    add.get_by_label("有效期至").fill("2030-12-31")
    scan = tmp_path / "资质证书.pdf"
    scan.write_bytes(b"%PDF-1.4\n% scanned certificate\n")
    add.get_by_label("证书扫描件（PDF、JPG、PNG）").set_input_files(str(scan))
    add.get_by_role("button", name="保存资质证书").click()

    expect(page.locator(".flashes")).to_contain_text("已新增资质证书")
    row = page.locator("#certificates tr", has_text="公路工程施工总承包二级（D335099001）")
    expect(row).to_contain_text("有效")
    expect(row).to_contain_text("资质证书.pdf")
    screenshot(page, "qualifications-certificate-added")
    row.get_by_role("link", name="公路工程施工总承包二级（D335099001）").click()
    expect(page.locator("#history")).to_contain_text("新增")
    watch.assert_clean()
