"""Every role's workbench lists what awaits it, from the demo: the agency and the tenderer their projects' next
steps and the case answers they owe, the supervisory departments their approvals and decisions, the industry
department and the committee office the expert applications, 政务办 the catalog to re-check — each linking to the
page where it is done (which opens for that person), with its time limit where one runs."""

from __future__ import annotations

import re

from sunshine.demo.base import DEMO_PASSWORD
from tests.pages import browser, page_text


def _todos(visitor) -> list[tuple[str, str]]:
    """The to-do card of ``/me``: (link, visible text) of each item."""
    page = visitor.get("/me")
    assert page.status_code == 200
    card = re.search(r'id="todos".*?</section>', page.text, re.S)
    assert card, "the workbench has a to-do card"
    items = re.findall(r"<li>(.*?)</li>", card.group(0), re.S)
    return [(re.search(r'href="([^"]+)"', li).group(1), page_text(li)) for li in items]


def _find(items, *words: str) -> tuple[str, str]:
    for href, text in items:
        if all(w in text for w in words):
            return href, text
    raise AssertionError(f"no to-do with {words}: {[t for _, t in items]}")


def test_every_role_sees_what_awaits_it_with_a_link_and_its_time_limit(demo, app):
    expected = {
        "agency": [("提交书面说明", "投诉（政府采购）", "期限"), ("办理“", "项目环节")],
        "tenderer": [("提交书面说明", "投诉（政府采购）", "期限"), ("办理“", "项目环节")],
        "landbureau": [("办理“", "项目环节")],
        "supervisor": [("受理审查", "投诉（招标投标）", "期限"), ("审批专家抽取申请", "期限"), ("认领公开事项",)],
        "finance": [("作出处理决定", "投诉（政府采购）", "期限")],
        "industry": [("审核专家入库申请",)],
        "committee": [("审批专家入库申请",)],
        "govaffairs": [("复核公开事项目录", "鼓楼区")],
    }
    for username, wanted in expected.items():
        with browser(app, username, DEMO_PASSWORD) as visitor:
            items = _todos(visitor)
            for words in wanted:
                href, text = _find(items, *words)
                assert visitor.get(href).status_code == 200, (username, href)  # the page where it is done
                assert not re.search(r"\b[a-z_]+:[a-z_]+", text), text  # people's words, no codes


def test_a_bidder_with_nothing_waiting_is_told_so(demo, app):
    with browser(app, "viewer", DEMO_PASSWORD) as visitor:
        assert "目前没有等待您办理的事项" in page_text(visitor.get("/me").text)
