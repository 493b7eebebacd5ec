"""The credit pages as their users meet them: the supervisory department enters a penalty through the form (its
publication period shown), revokes it with a reason, computes and publishes the year's ratings; the centre reads the
ratings but cannot compute; the tenderer rates its agency on its reviews page once the result is published; a
missing decision number comes back in Chinese naming the field."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sunshine.core import clock as clock_module
from sunshine.identity.roles import Role
from sunshine.trading.models import Project
from tests.builders import make_user
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import cheap_password_hashing, make_project, tender_world


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db):
    return SimpleNamespace(**tender_world(db))


def test_the_supervisor_enters_and_revokes_a_penalty_and_publishes_ratings(db, app, w):
    today = clock_module.today_local().isoformat()
    form = {
        "kind": "handling",
        "subject_type": "organisation",
        "organisation_id": str(w.bidders[0].organisation_id),
        "department": "示范市住房和城乡建设局",
        "decision_no": "",
        "behaviour": "投标文件中项目经理业绩不实",
        "basis": "《中华人民共和国招标投标法实施条例》第六十八条",
        "source": "行政处理决定书",
        "decided_on": today,
        "effective_from": today,
        "published": "1",
    }
    with browser(app, w.supervisor.username) as page:
        first = page.get("/staff/credit")
        assert first.status_code == 200 and "录入信用记录" in page_text(first.text)
        missing = page.post("/staff/credit/records", data={**form, "csrf_token": csrf_token(first.text)})
        assert "须填写决定文号" in page_text(missing.text)
        done = page.post(
            "/staff/credit/records",
            data={**form, "decision_no": "示建处〔2026〕7号", "csrf_token": csrf_token(first.text)},
        )
        text = page_text(done.text)
        assert "已录入信用记录" in text and "行政处理决定" in text and "公示至" in text
        record_id = int(done.text.split("/staff/credit/records/")[1].split("/")[0])
        revoked = page.post(
            f"/staff/credit/records/{record_id}/revoke",
            data={"kind": "corrected", "reason": "文号录入有误，另行录入", "csrf_token": csrf_token(done.text)},
        )
        assert "已更正该记录" in page_text(revoked.text) and "文号录入有误" in page_text(revoked.text)
        ratings = page.get("/staff/credit/ratings")
        year = str(clock_module.today_local().year)
        computed = page.post("/staff/credit/ratings", data={"period": year, "csrf_token": csrf_token(ratings.text)})
        assert f"已计算{year}年度信用评价" in page_text(computed.text) and "守信（A级）" in page_text(computed.text)
        published = page.post(
            "/staff/credit/ratings", data={"period": year, "publish": "1", "csrf_token": csrf_token(computed.text)}
        )
        assert f"已公布{year}年度信用评价结果" in page_text(published.text)
    with browser(app, w.centre.username) as centre:
        assert "计算与公布" not in page_text(centre.get("/staff/credit/ratings").text)
        assert centre.get("/staff/credit").status_code in (403, 303)


def test_the_tenderer_rates_its_agency_on_its_page(db, app, w):
    pid = make_project(db, w.agency, tenderer_id=w.school, agency_id=w.agency_org)
    with db.unit_of_work() as s:
        s.get(Project, pid).state = "result_published"
    username = make_user(db, Role.TENDERER, organisation_id=w.school)
    with browser(app, username) as page:
        todo = page.get("/me/credit/reviews")
        assert "招标代理机构" in page_text(todo.text) and "服务质量" in page_text(todo.text)
        scores = {"score_service": "90", "score_competence": "80", "score_compliance": "100", "score_timeliness": "abc"}
        base = {"project_id": str(pid), "subject_type": "agency", "subject_id": str(w.agency_org)}
        wrong = page.post("/me/credit/reviews", data={**base, **scores, "csrf_token": csrf_token(todo.text)})
        assert "每项得分应为0至100的整数" in page_text(wrong.text)
        done = page.post(
            "/me/credit/reviews",
            data={**base, **scores, "score_timeliness": "70", "csrf_token": csrf_token(todo.text)},
        )
        text = page_text(done.text)
        assert "评价已提交" in text and "已评价" in text, text[text.find("退出 菜单") :][:600]
