"""A citizen finds a notice from the home page in a real browser (Chromium, over the demo data): the header's
search box on the home page, the results with the words highlighted, the click on a result that opens the
notice; on a phone the box stays in the header without scrolling sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_search_box_result_notice(open_page):
    page, watch = open_page(viewport={"width": 1280, "height": 900})
    page.goto("/")
    box = page.get_by_role("search").first.get_by_label("全站检索")
    box.fill("招标公告")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q="))
    expect(page.get_by_role("heading", name="全站检索", level=1)).to_be_visible()
    expect(page.locator("#search-summary")).to_contain_text("共找到")
    first = page.locator(".search-hit").first
    expect(first.locator("mark").first).to_have_text("招标公告")
    link = first.locator(".search-hit-title a")
    title = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/notices/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title[:8])
    watch.assert_clean()


def test_search_box_on_a_phone(open_page):
    page, watch = open_page(viewport={"width": 390, "height": 844})
    page.goto("/search?q=政府采购")
    expect(page.locator(".search-hit").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"the search page scrolls sideways on a phone: {width}px"
    watch.assert_clean()
