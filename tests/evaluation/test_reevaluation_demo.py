"""The demo shows a procurement complaint upheld by the finance department that ordered re-evaluation by the
original committee (87号令 第六十四条): the session in its second round, the same members re-scoring (two done), the
first report kept in the rounds page, the decision's history naming the remedy."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.core import clock
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.reevaluation import LIBRARY, load_demo_reevaluation
from sunshine.evaluation.models import EvaluationMember, EvaluationRound, EvaluationSession
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.pages import browser, page_text


def test_demo_reevaluation(demo, app, client):
    with demo.unit_of_work() as s:
        project = s.scalar(select(Project).where(Project.name == LIBRARY.project.name))
        assert project.state == "evaluation"
        row = s.scalar(select(EvaluationSession).where(EvaluationSession.project_id == project.id))
        assert row.round == 2 and row.state == "scoring"
        kept = s.scalars(select(EvaluationRound).where(EvaluationRound.session_id == row.id)).one()
        assert kept.ground == "objective_inconsistent" and kept.source.startswith("complaint:CT")
        members = s.scalars(select(EvaluationMember).where(EvaluationMember.session_id == row.id)).all()
        assert all(m.state == "active" for m in members)  # the same committee
        assert sum(1 for m in members if m.scores_submitted_at is not None) == 2
        sid, pid, sha = row.id, project.id, kept.report_sha256
    finance = api_token(client, "finance", DEMO_PASSWORD)
    cases = client.get(f"/api/v1/complaints/cases?project_id={pid}", headers=finance).json()
    decided = next(c for c in cases if c["kind_label"] == "投诉（政府采购）")
    assert decided["state"] == "decided"
    with browser(app, "centre", DEMO_PASSWORD) as staff:
        text = page_text(staff.get(f"/evaluation/sessions/{sid}/rounds").text)
    assert "第2轮" in text and sha in text and "评标委员会成员对客观评审因素评分不一致" in text
    assert load_demo_reevaluation(demo.unit_of_work, clock.now()) == 0  # a second load adds nothing
