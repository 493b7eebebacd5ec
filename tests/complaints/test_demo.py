"""The demo shows a procurement challenge answered, the complaint after it accepted by the finance department with
the school's statement and the decision running, and a works complaint awaiting the housing bureau's acceptance;
the department's list orders them by due date; a second load adds nothing."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from sunshine.awards.contract_models import AwardContract
from sunshine.credit import hooks as credit_hooks
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.complaints import load_demo_complaints
from sunshine.demo.reevaluation import LIBRARY
from sunshine.performance.models import Acceptance
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.pages import browser, page_text


def test_demo_complaints(demo, app, client):
    finance = api_token(client, "finance", DEMO_PASSWORD)
    housing = api_token(client, "supervisor", DEMO_PASSWORD)
    with demo.unit_of_work() as s:  # the smart library's complaint, decided (re-evaluation), is the evaluation's
        library = s.scalar(select(Project.id).where(Project.name == LIBRARY.project.name))
    cases = [c for c in client.get("/api/v1/complaints/cases", headers=finance).json() if c["project"]["id"] != library]
    # each department sees the cases of its jurisdiction: the finance bureau the procurement's, the housing bureau
    # the works' — among them the opening's and the publicity's objections, answered, in the same pages
    assert sorted(c["kind_label"] for c in cases) == ["投诉（政府采购）", "质疑"]
    works = client.get("/api/v1/complaints/cases", headers=housing).json()
    assert sorted(c["kind_label"] for c in works) == ["对评标结果的异议", "开标现场异议", "投诉（招标投标）"]
    assert {c["department_label"] for c in works} == {"住房和城乡建设主管部门"}
    folded = {c["kind_label"]: c for c in works if c["kind_label"] != "投诉（招标投标）"}
    assert all(c["state_label"] == "已答复" for c in folded.values())
    assert client.get(f"/api/v1/complaints/cases/{works[0]['id']}", headers=finance).status_code == 404
    with browser(app, "supervisor", DEMO_PASSWORD) as visitor:
        text = page_text(visitor.get(f"/complaints/{folded['开标现场异议']['id']}").text)
        assert "第四十四条" in text and "项目经理" in text and "住房和城乡建设主管部门" in text
        text = page_text(visitor.get(f"/complaints/{folded['对评标结果的异议']['id']}").text)
        assert "第五十四条" in text and "答复对评标结果的异议" in text
    listed = client.get("/api/v1/complaints/department", headers=housing).json()
    assert [c["state"] for c in client.get("/api/v1/complaints/department", headers=finance).json()] == ["accepted"]
    assert [c["state"] for c in listed] == ["filed"]  # the housing bureau's open case: the works complaint
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
    # the ratings read contract performance through the source performance registers: the demo's accepted contract
    with demo.unit_of_work() as s:
        accepted = select(AwardContract.winner_id).join(Acceptance, Acceptance.contract_id == AwardContract.id)
        winner, year = s.scalars(accepted.where(Acceptance.result == "passed")).one(), date.today().year
        figures = credit_hooks.sources()["performance"](s, "bidder", [winner], date(year - 1, 1, 1), date(year, 12, 31))
        assert figures.get(winner, {}).get("performance_passed") == 1
