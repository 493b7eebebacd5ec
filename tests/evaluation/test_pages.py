"""The evaluation's pages, as people use them: the centre starts the session from the list; each member opens the
room from the list, declares no conflict for every bidder, votes for the chair; the chair records the reviews and asks
a supplier to clarify, who answers on its own page; each member fills the scoring sheet (with the live-total script),
the chair has the platform compute; everyone signs; the printable report shows the committee, the clarification, the
scores, the ranking and the signatures. Refusals come back as a flashed reason in Chinese."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from sunshine.core import clock as core_clock
from sunshine.evaluation.models import EvaluationBid, EvaluationMember, EvaluationSession
from tests.evaluation.builders import opened_tender
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import cheap_password_hashing

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)


def _post(visitor, url, page_url, data):
    page = visitor.get(page_url)
    assert page.status_code == 200, page.text
    return visitor.post(url, data={**data, "csrf_token": csrf_token(page.text)}, follow_redirects=False)


def _rows(db, sid):
    with db.unit_of_work(read_only=True) as s:
        members = s.scalars(select(EvaluationMember).where(EvaluationMember.session_id == sid)).all()
        bids = s.scalars(select(EvaluationBid).where(EvaluationBid.session_id == sid)).all()
        row = s.get(EvaluationSession, sid)
        s.expunge_all()
        return row, list(members), list(bids)


def test_a_session_through_the_pages(db, app, clock):
    w = opened_tender(db, clock, procurement=True, prices=("4800000.00", "4750000.00", "4900000.00"))
    usernames = {e["user_id"]: e["username"] for e in w.pool}
    usernames[w.tenderer.user_id] = w.tenderer.username
    with browser(app, w.centre.username) as centre:
        bad = _post(
            centre, "/evaluation/start", "/evaluation/sessions", {"section_id": w.section_id, "representatives": ""}
        )
        assert bad.status_code == 303
        assert "招标人（采购人）代表" in page_text(centre.get("/evaluation/sessions").text)
        done = _post(
            centre,
            "/evaluation/start",
            "/evaluation/sessions",
            {"section_id": w.section_id, "representatives": str(w.tenderer.user_id)},
        )
        assert done.status_code == 303
        listing = centre.get("/evaluation/sessions").text
        assert "评标会议已开始" in page_text(listing)
    with db.unit_of_work(read_only=True) as s:
        sid = s.scalar(select(EvaluationSession.id))
    room = f"/evaluation/sessions/{sid}"
    _, members, bids = _rows(db, sid)
    for m in members:
        with browser(app, usernames[m.user_id]) as member:
            assert room in member.get("/evaluation/sessions").text
            text = page_text(member.get(room).text)
            assert "回避声明" in text and all(b.bidder in text for b in bids)
            assert _post(member, f"{room}/conflicts", room, {"conflict": [""] * len(bids)}).status_code == 303
    chair = next(m for m in members if m.kind == "expert")
    for m in members[:3]:
        with browser(app, usernames[m.user_id]) as member:
            assert _post(member, f"{room}/chair", room, {"candidate": chair.id}).status_code == 303
    with browser(app, usernames[chair.user_id]) as c:
        for b in bids:
            for stage in ("qualification", "compliance"):
                r = _post(c, f"{room}/review", room, {"bid_id": b.id, "stage": stage, "outcome": "passed"})
                assert r.status_code == 303
        refused = _post(c, f"{room}/review", room, {"bid_id": bids[0].id, "stage": "compliance", "outcome": "passed"})
        assert refused.status_code == 303 and "已有结论" in page_text(c.get(room).text)
        due = (core_clock.now() + timedelta(hours=1)).astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M")
        asked = _post(
            c,
            f"{room}/queries",
            room,
            {"bid_id": bids[1].id, "kind": "clarification", "question": "请澄清质保期的起算时间", "due_at": due},
        )
        assert asked.status_code == 303
    bidder = next(b for b in w.bidders if b.organisation_id == bids[1].organisation_id)
    with browser(app, bidder.username) as supplier:
        page = supplier.get("/evaluation/my-queries")
        assert "请澄清质保期的起算时间" in page_text(page.text)
        assert room not in page.text and supplier.get(room).status_code in (403, 404)
        qid = page.text.split('action="/evaluation/queries/')[1].split("/")[0]
        ans = _post(
            supplier, f"/evaluation/queries/{qid}/answer", "/evaluation/my-queries", {"text": "自验收合格之日起算"}
        )
        assert ans.status_code == 303
    with browser(app, usernames[chair.user_id]) as c:
        assert _post(c, f"{room}/review/finish", room, {}).status_code == 303
    for m in members:
        with browser(app, usernames[m.user_id]) as member:
            sheet = member.get(room).text
            assert "我的评分表" in sheet and "js/evaluation-scoring.js" in sheet and "data-subtotal" in sheet
            keys = [f"{b.id}:{code}" for b in bids for code in ("tech", "service")]
            scores = ["45" if k.endswith("tech") else "18" for k in keys]
            page = member.get(room)
            r = member.post(
                f"{room}/scores",
                data={"key": keys, "score": scores, "csrf_token": csrf_token(page.text)},
                follow_redirects=False,
            )
            assert r.status_code == 303
            assert "已提交" in page_text(member.get(room).text)
    with browser(app, usernames[chair.user_id]) as c:
        assert _post(c, f"{room}/compute", room, {}).status_code == 303
        assert "计算结果与排序" in page_text(c.get(room).text)
    for m in members:
        with browser(app, usernames[m.user_id]) as member:
            assert _post(member, f"{room}/sign", room, {"agree": "1"}).status_code == 303
    row, _, _ = _rows(db, sid)
    assert row.state == "finished"
    with browser(app, usernames[chair.user_id]) as c:
        report = page_text(c.get(f"{room}/report").text)
    assert "评审报告" in report and "请澄清质保期的起算时间" in report and "自验收合格之日起算" in report
    assert row.report_sha256 in report and "推荐的中标候选人" in report and "45" in report
    assert chair.name in report
