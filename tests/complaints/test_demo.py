"""The demo shows a procurement challenge answered, the complaint after it accepted by the finance department with
the school's statement and the decision running, and a works complaint awaiting the housing bureau's acceptance;
the department's list orders them by due date; a second load adds nothing."""

from __future__ import annotations

from datetime import datetime

from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.complaints import load_demo_complaints
from tests.builders import api_token
from tests.pages import browser, page_text


def test_demo_complaints(demo, app, client):
    finance = api_token(client, "finance", DEMO_PASSWORD)
    housing = api_token(client, "supervisor", DEMO_PASSWORD)
    cases = client.get("/api/v1/complaints/cases", headers=finance).json()
    kinds = sorted(c["kind_label"] for c in cases)
    assert kinds == ["对评标结果的异议", "开标现场异议", "投诉（招标投标）", "投诉（政府采购）", "质疑"]
    # the opening's and the publicity's objections are cases of the same pages, answered, without an open clock
    folded = {c["kind_label"]: c for c in cases if c["kind_label"] in ("开标现场异议", "对评标结果的异议")}
    assert all(c["state_label"] == "已答复" for c in folded.values())
    with browser(app, "supervisor", DEMO_PASSWORD) as visitor:
        text = page_text(visitor.get(f"/complaints/{folded['开标现场异议']['id']}").text)
        assert "第四十四条" in text and "项目经理" in text
        text = page_text(visitor.get(f"/complaints/{folded['对评标结果的异议']['id']}").text)
        assert "第五十四条" in text and "答复对评标结果的异议" in text
    listed = client.get("/api/v1/complaints/department", headers=housing).json()
    assert [c["state"] for c in listed] == ["filed", "accepted"] or [c["state"] for c in listed] == [
        "accepted",
        "filed",
    ]
    assert all(c["next_due"] for c in listed)
    gp = next(c for c in cases if c["kind_label"] == "投诉（政府采购）")
    view = client.get(f"/api/v1/complaints/cases/{gp['id']}", headers=finance).json()
    keys = {c["key"]: c for c in view["clocks"]}
    assert keys["respondent"]["who"] == "被投诉人" and keys["respondent"]["due"] and keys["decide"]["due"]
    assert keys["copy"]["met_on"] and "第二十一条" in keys["copy"]["basis"]
    assert [h["step"] for h in view["history"]] == ["filed", "accepted", "copy_sent"]
    with browser(app, "finance", DEMO_PASSWORD) as visitor:
        text = page_text(visitor.get(f"/complaints/{gp['id']}").text)
    assert "作出处理决定" in text and "第二十二条" in text and "海峡教育装备集团有限公司" in text
    bidder = api_token(client, "bidder", DEMO_PASSWORD)
    mine = client.get("/api/v1/complaints/cases", headers=bidder).json()
    assert [c["kind_label"] for c in mine] == ["投诉（招标投标）", "对评标结果的异议"]
    assert load_demo_complaints(demo.unit_of_work, datetime.now().astimezone()) == 0
