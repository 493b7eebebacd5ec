"""The demo shows a committee's session under way on a procurement of the school's laboratory equipment: every member
declared, an expert elected chair, one supplier rejected with its statutory reason, a clarification answered, three
members scored and two experts not yet — an expert who has not scored sees the session on the workbench and its
scoring sheet; a works tender evaluated, its report signed (hash in the ledger), delivered and received, candidates
ranked, the project 评审结束; a procurement failed with fewer than three valid suppliers (流标); the session under way
watched by a social supervisor, the sessions minuted, the ended ones sealed. A second load adds nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sunshine.config import get_settings
from sunshine.core import clock as core_clock
from sunshine.demo import load_demo_data
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.evaluation import DORMITORY, EQUIPMENT, FURNITURE, SUPPLIERS, load_demo_evaluation
from sunshine.demo.evaluation import account_rows as evaluation_accounts
from sunshine.evaluation.models import EvaluationMember, EvaluationSession
from sunshine.identity.models import User
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.pages import browser
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)
    get_settings.cache_clear()


def test_demo_evaluation(demo, db, app, client):
    with db.unit_of_work(read_only=True) as s:
        project = s.scalar(select(Project).where(Project.name == EQUIPMENT.project.name))
        assert project.state == "evaluation"
        row = s.scalar(select(EvaluationSession).where(EvaluationSession.project_id == project.id))
        sid = row.id
        waiting = s.scalars(
            select(User.username)
            .join(EvaluationMember, EvaluationMember.user_id == User.id)
            .where(EvaluationMember.session_id == sid, EvaluationMember.scores_submitted_at.is_(None))
            .order_by(EvaluationMember.id)
        ).all()
        sessions = s.scalar(select(func.count()).select_from(EvaluationSession))
    assert len(waiting) == 2
    assert [u for u, _, _ in evaluation_accounts(db.unit_of_work)] == waiting  # named in the loader's table
    h = api_token(client, waiting[0], DEMO_PASSWORD)
    mine = client.get("/api/v1/evaluation/mine", headers=h).json()
    assert [m["id"] for m in mine] == [sid]
    view = client.get(f"/api/v1/evaluation/sessions/{sid}", headers=h).json()
    assert view["state"] == "scoring" and view["method"] == "comprehensive_scoring"
    members = view["members"]
    assert len(members) == 5 and all(m["declared"] for m in members)
    assert [m["kind"] for m in members if m["chair"]] == ["expert"]
    assert sum(m["scores_submitted"] for m in members) == 3
    assert {m["kind"] for m in members if m["scores_submitted"]} == {"expert", "representative"}
    rejected = [b for b in view["bids"] if b["rejected_reason"]]
    assert [b["bidder"] for b in rejected] == [SUPPLIERS[2][1]]
    assert rejected[0]["rejected_reason_label"] and "经营范围" in rejected[0]["rejected_facts"]
    assert [b["bidder"] for b in view["bids"] if b["sme"]] == [SUPPLIERS[4][1]]
    [query] = view["queries"]
    assert "交货期" in query["question"] and "45个日历日" in query["answer"]
    # the expert's own page: the session and the scoring sheet
    with browser(app, waiting[0], DEMO_PASSWORD) as expert:
        page = expert.get(f"/evaluation/sessions/{sid}")
    assert page.status_code == 200 and "我的评分表" in page.text and EQUIPMENT.project.name in page.text

    # the works: evaluated, reported, delivered; read by the school (the tenderer)
    hs = api_token(client, "tenderer", DEMO_PASSWORD)
    with db.unit_of_work(read_only=True) as s:
        works = s.scalar(select(Project).where(Project.name == DORMITORY.project.name))
        furniture = s.scalar(select(Project).where(Project.name == FURNITURE.project.name))
        wsid = s.scalar(select(EvaluationSession.id).where(EvaluationSession.project_id == works.id))
        fsid = s.scalar(select(EvaluationSession.id).where(EvaluationSession.project_id == furniture.id))
    # the results demo then publicised its candidates (demo/results.py)
    assert client.get(f"/api/v1/projects/{works.id}", headers=hs).json()["state"] == "candidates_publicised"
    done = client.get(f"/api/v1/evaluation/sessions/{wsid}", headers=hs).json()
    assert done["state"] == "finished" and done["method"] == "lowest_evaluated_price"
    assert done["report_sha256"] and done["delivered_at"] and done["received_at"]
    entry = client.get(f"/api/v1/ledger/entries/{done['report_ledger_seq']}").json()
    assert entry["payload"]["report_sha256"] == done["report_sha256"]
    rep = client.get(f"/api/v1/evaluation/sessions/{wsid}/report", headers=hs).json()
    candidates = rep["content"]["candidates"]
    assert [c["rank"] for c in candidates] == [1, 2]
    assert candidates[0]["bidder"] == "榕城路桥集团有限公司"  # the lowest evaluated price of the two left
    assert [r["basis"] for r in rep["content"]["rejected"]] == ["《招标投标法实施条例》第五十一条第（六）项"]
    # the furniture: 流标, fewer than three valid suppliers
    assert client.get(f"/api/v1/projects/{furniture.id}", headers=hs).json()["state"] == "failed"
    failed = client.get(f"/api/v1/evaluation/sessions/{fsid}", headers=hs).json()
    assert failed["state"] == "failed" and "不足三家" in failed["failure_reason"]

    # watched, minuted, sealed: the social supervisor watches the session under way without names or scores; the
    # works' minutes are in its report; the works and the furniture sessions are sealed and verify
    ho = api_token(client, "observer", DEMO_PASSWORD)
    seats = [m["link"] for m in client.get("/api/v1/observers/mine", headers=ho).json()]
    assert f"/evaluation/sessions/{sid}/watch" in seats  # beside the sessions she chose as a social supervisor
    assert [link for link in seats if link.startswith("/evaluation/")] == [f"/evaluation/sessions/{sid}/watch"]
    watched = client.get(f"/api/v1/evaluation/sessions/{sid}/watch", headers=ho)
    assert watched.status_code == 200 and watched.json()["remarks"] == {"recorded": 2, "confirmed": 2}
    remote = [m for m in client.get(f"/api/v1/evaluation/sessions/{sid}", headers=h).json()["members"] if m["site"]]
    assert [m["site"] for m in remote] == ["莆田市公共资源交易中心 第二评标室"]
    assert not any(m["name"] in watched.text for m in members)
    assert [m["text"] for m in rep["content"]["minutes"]][1] == "同意，工期属于实质性要求"
    hq = api_token(client, "centre", DEMO_PASSWORD)
    sealed = {i["session_id"] for i in client.get("/api/v1/evaluation/seals", headers=hq).json()}
    assert {wsid, fsid} <= sealed and sid not in sealed  # and the results demo's finished procurement (demo/results.py)
    assert client.get(f"/api/v1/evaluation/sessions/{wsid}/seal", headers=hq).json()["ok"] is True

    assert load_demo_evaluation(db.unit_of_work, core_clock.now()) == 0
    load_demo_data(db)
    with db.unit_of_work(read_only=True) as s:
        assert s.scalar(select(func.count()).select_from(EvaluationSession)) == sessions
