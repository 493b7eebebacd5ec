"""The demo shows social supervision at work: the hub with the schedule, the published opinion and the open days,
李秀英's workbench with her chosen session and card, and the centre's registry with a pending application."""

from __future__ import annotations

from sunshine.demo import DEMO_PASSWORD
from sunshine.draws import replay
from tests.pages import browser, page_text


def test_the_demo_shows_supervision(demo, app):
    with browser(app) as visitor:
        hub = page_text(visitor.get("/supervision").text)
        assert "关于公开招募公共资源交易社会监督员的公告" in hub
        assert "已在后排增设两只音箱" in hub and "社会申请式公共资源交易开放日" in hub
        assert "李秀英" not in hub and "13805910001" not in hub
        assert "第四季度社会申请式开放日（已抽取）" in hub and "民生工程集中开放日（调查已结束）" in hub
        listed = visitor.get("/api/v1/supervision/open-days").json()
        days = {d["title"]: d for d in (listed["items"] if isinstance(listed, dict) else listed)}
        drawn = days["第四季度社会申请式开放日（已抽取）"]
        assert drawn["state_label"] == "参加人员已确定" and len(drawn["selected"]) == 8 and drawn["draw_code"]
        record = visitor.get(f"/api/v1/draws/{drawn['draw_code']}/record").json()
        assert replay.verify(record).ok and "孙丽" not in str(record)
        poll = days["民生工程集中开放日（调查已结束）"]["poll_result"]
        assert poll["designated"] == "城北片区老旧小区改造工程" and not poll["overridden"]
    with browser(app, "observer", DEMO_PASSWORD) as li:
        bench = page_text(li.get("/supervision/me").text)
        assert "工作证 JD" in bench and "自行选择" in bench
        assert "开标会（电子开标室）" in bench  # her chosen opening seats her in the opening room too
    with browser(app, "centre", DEMO_PASSWORD) as centre:
        staff = page_text(centre.get("/staff/supervision").text)
        assert "陈磊" in staff and "待审核" in staff and "特约监督员" in staff
