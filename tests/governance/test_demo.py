"""The demo holds a year of disclosure governance: adopted consultations with their handled comments and one open
now, answered opinion items with one late, the centre's catalog approved with one item unclaimed and flagged,
published inspections with corrections, and published scores; the public pages show them."""

from __future__ import annotations

from sqlalchemy import func, select

from sunshine.governance.models import GovConsultation, GovFinding, GovOpinion, GovScore
from tests.pages import page_text


def test_the_demo_year_of_governance(demo, db, client):
    with db.unit_of_work() as s:
        statuses = sorted(s.scalars(select(GovConsultation.status)))
        assert statuses == ["adopted", "adopted", "open"]
        assert s.scalar(select(func.count()).where(GovOpinion.late.is_(True))) >= 1
        assert s.scalar(select(func.count()).where(GovFinding.late.is_(True))) >= 1
        assert s.scalar(select(func.count()).where(GovScore.published_at.is_not(None))) >= 1
    text = page_text(client.get("/governance").text)
    assert "交易中心进场交易服务标准" in text and "已审定公布" in text and "征求意见中" in text
    assert "逾期" in text and "示范市公共资源交易中心政务公开事项目录" in text
    assert "第三方评估机构" in text
