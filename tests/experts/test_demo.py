"""The demo pool: about 300 experts flagged 演示数据 across the three categories, at realistic stages (leave,
suspension, a ban, a removal, terms ended and ending), last year's assessment published, applications waiting at
each stage, and demo experts who sign in to their profile."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from sunshine.core import clock
from sunshine.demo import load_demo_data
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.experts import service
from sunshine.experts.models import Expert, ExpertApplication
from tests.pages import browser, page_text


def test_demo_pool(demo, db, app, client):
    with db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(Expert).where(Expert.is_demo.is_(True))) >= 300
        states = Counter(s.scalars(select(ExpertApplication.state)))
        statuses = Counter(s.scalars(select(Expert.status)))
        pool = service.pool_for_draw(s, specialties=["A", "B", "C"], at=clock.now() + timedelta(days=1))
    assert states["submitted"] >= 2 and states["reviewed"] >= 2 and states["refused"] >= 1
    assert statuses["removed"] == 1 and statuses["suspended"] >= 8 and statuses["expired"] >= 5
    reasons = Counter(m.status for m in pool)
    assert reasons["eligible"] > 200
    assert {"banned", "suspended", "term_expired"} <= set(reasons)
    published = client.get("/api/v1/experts/published").json()
    assert Counter(p["kind"] for p in published) == {"入库": 4, "考核评价": 1, "清退": 1}
    assert load_demo_data(db)  # a second run adds nothing to the pool
    with db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(Expert)) == len(pool) + 1  # + the removed one
    with browser(app, "expert2", DEMO_PASSWORD) as expert:
        profile = page_text(expert.get("/expert/profile").text)
    assert "郑文斌" in profile and "城市道路与桥梁" in profile
    with browser(app, "committee", DEMO_PASSWORD) as office:
        pool_page = page_text(office.get("/staff/experts").text)
        queue = page_text(office.get("/staff/experts-applications").text)
    assert "演示数据" in pool_page and "共 304 名" in pool_page
    assert "樊国庆" in queue
