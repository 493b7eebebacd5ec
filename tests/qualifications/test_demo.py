"""The demo data shows qualifications at realistic stages: the firms' records (one certificate within the reminder
window, one expired, a project manager on an unfinished project), the demo tenders' structured requirements, and
the finished demo opening flagging that project manager to the officials."""

from __future__ import annotations

from sqlalchemy import select

from sunshine import tasks
from sunshine.core import alerts
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.bidding import TENDERS
from sunshine.trading.models import Project
from tests.pages import browser, page_text


def test_demo_qualifications(demo, db, app):
    opened = next(t for t in TENDERS if t.stage == "opened").project.name
    with db.unit_of_work() as s:
        project_id = s.scalar(select(Project.id).where(Project.name == opened))
        raised = alerts.open_in(s, "qualifications")
    assert [a.kind for a in raised] == ["pm_conflict"]
    reminded = tasks.tick(db).qualification_reminders
    assert len(reminded) == 2  # the building certificate within the window, the expired highway certificate
    with browser(app, "entadmin", DEMO_PASSWORD) as visitor:
        mine = page_text(visitor.get("/my/qualifications").text)
    assert "即将到期" in mine and "何建平" in mine
    with browser(app, "agency", DEMO_PASSWORD) as visitor:
        room = page_text(visitor.get(f"/projects/{project_id}/opening").text)
    assert "项目经理冲突" in room and "示范市洪山片区老旧小区配套管网改造工程" in room
    with browser(app) as visitor:
        notice = page_text(visitor.get(f"/projects/{project_id}").text)
    assert "人员要求：拟派项目经理（注册建造师）：市政公用工程专业二级及以上注册" in notice
