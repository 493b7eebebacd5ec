"""Builders for the procedure tests: a procurement open tender that failed the rule pack's number of times, and
the two experts drawn from the pool for the method change opinion (the committees' draw, run as the draw room
would). Keyword defaults everywhere."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from sunshine.committees import drawing
from sunshine.committees import service as committees
from sunshine.committees.service import RequestIn
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.trading import lifecycle
from sunshine.trading import service as trading
from sunshine.trading.models import Project
from tests.committees.builders import CIVIL, procurement


def failed_procurement(db, clock, *, failures: int = 2) -> SimpleNamespace:
    """A procurement open tender whose deadline passed with too few bids: failed, ``failures`` times in all
    (the earlier failures carried over as a retender carries them)."""
    w = procurement(db, experts=6)
    clock.set(w.deadline + timedelta(minutes=1))
    with db.unit_of_work() as s:
        trading.close_due(s)
        project = s.get(Project, w.project_id)
        lifecycle.apply(s, project, "fail", w.agency, reason="有效投标人不足3家，流标")
        project.failed_attempts = failures
    return w


def drawn_opinion_experts(db, w: SimpleNamespace) -> int:
    """Two experts drawn from the pool for the method change opinion: submitted, approved, drawn."""
    data = RequestIn(
        section_id=w.section_id,
        purpose="method_opinion",
        specialties=[(CIVIL, 2)],
        reserve=0,
        representatives=0,
        meeting_at=w.deadline + timedelta(days=2),
        place_kind="room",
        place="第二评审室",
    )
    with db.unit_of_work() as s:
        rid = committees.submit(s, w.agency, w.project_id, data).id
    with db.unit_of_work() as s:
        committees.approve(s, w.supervisor, rid)
    with db.unit_of_work() as s:
        code = drawing.start_draw(s, w.centre, rid).draw_code
    secret = engine.new_secret()
    party = f"supervisor:{w.supervisor.user_id}"
    with db.unit_of_work() as s:
        for who in (w.supervisor, w.centre, w.agency):
            draws.sign_in(s, who, code)
        draws.commit(s, w.supervisor, code, engine.commitment(code, party, secret))
    with db.unit_of_work() as s:
        draws.start_reveal(s, w.centre, code)
    with db.unit_of_work() as s:
        draws.reveal(s, w.supervisor, code, secret)
    return rid


def application(**overrides) -> dict:
    body = {
        "method": "competitive_negotiation",
        "expert_opinion": "经审查，招标文件没有不合理条款（两名抽取专家分别签字）",
        "agency_statement": "两次招标公告的发布时间及程序符合规定（法定代表人签字盖章）",
        "request_text": "连续两次公开招标失败，申请变更为竞争性谈判（采购人盖章）",
    }
    body.update(overrides)
    return body
