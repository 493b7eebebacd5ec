"""The reveal at the results: a step that takes the project into a results state (or ends it) discloses its
finished draws — whichever domain declares that step — and a step that does not leaves them confidential."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.committees import drawing, service
from sunshine.committees.models import DrawRequest
from sunshine.committees.service import RequestIn
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.trading import lifecycle
from sunshine.trading.models import Project
from tests.committees.builders import CIVIL, COST, procurement


def _drawn(db, clock):
    w = procurement(db)
    with db.unit_of_work() as s:
        row = service.submit(
            s,
            w.agency,
            w.project_id,
            RequestIn(
                w.section_id,
                "evaluation",
                [(CIVIL, 2), (COST, 2)],
                0,
                1,
                w.deadline + timedelta(hours=2),
                "remote",
                "示范省公共资源交易中心",
            ),
        )
        service.approve(s, w.supervisor, row.id)
        rid = row.id
    clock.set(w.deadline + timedelta(minutes=1))
    with db.unit_of_work() as s:
        code = drawing.start_draw(s, w.centre, rid).draw_code
    secret = engine.new_secret()
    with db.unit_of_work() as s:
        for who in (w.supervisor, w.centre, w.agency):
            draws.sign_in(s, who, code)
        draws.commit(s, w.supervisor, code, engine.commitment(code, f"supervisor:{w.supervisor.user_id}", secret))
        draws.start_reveal(s, w.centre, code)
        draws.reveal(s, w.supervisor, code, secret)
    return w, rid, code


def _event(project, before, after, actor):
    step = lifecycle.Step("test_step", "测试环节", frozenset({before}), after, frozenset())
    return lifecycle.StepEvent(project, step, actor, before, after, transition=None)


@pytest.mark.parametrize(
    "state", ["result_published", "awarded", "contracted", "performing", "closed", "terminated", "failed"]
)
def test_results_state_discloses(db, clock, state):
    w, rid, code = _drawn(db, clock)
    with db.unit_of_work() as s:
        assert not drawing.named_seats(s, s.get(DrawRequest, rid))
        drawing.disclose_at_results(s, _event(s.get(Project, w.project_id), "evaluation", state, w.centre))
    with db.unit_of_work() as s:
        row = s.get(DrawRequest, rid)
        assert row.disclosed_at is not None and draws.get(s, code).state == "disclosed"
        assert len(drawing.named_seats(s, row)) == 4


def test_other_steps_keep_the_names_confidential(db, clock):
    w, rid, code = _drawn(db, clock)
    with db.unit_of_work() as s:
        for before, after in (
            ("bid_closed", "opening"),
            ("opening", "evaluation"),
            ("evaluation", "candidates_publicised"),
        ):
            drawing.disclose_at_results(s, _event(s.get(Project, w.project_id), before, after, w.centre))
    with db.unit_of_work() as s:
        assert s.get(DrawRequest, rid).disclosed_at is None and draws.get(s, code).state == "drawn"


def test_termination_withdraws_pending_requests_and_cancels_a_draw_in_the_room(db, clock):
    from sunshine.trading import service as trading

    w = procurement(db)
    meeting = w.deadline + timedelta(hours=2)
    with db.unit_of_work() as s:
        waiting = service.submit(
            s,
            w.agency,
            w.project_id,
            RequestIn(w.section_id, "doc_review", [(CIVIL, 2)], 0, 0, meeting, "room", "一室"),
        ).id
        room = service.submit(
            s,
            w.agency,
            w.project_id,
            RequestIn(w.section_id, "evaluation", [(CIVIL, 2), (COST, 2)], 0, 1, meeting, "room", "二室"),
        )
        service.approve(s, w.supervisor, room.id)
        room_id = room.id
    clock.set(w.deadline + timedelta(minutes=1))
    with db.unit_of_work() as s:
        code = drawing.start_draw(s, w.centre, room_id).draw_code
    secret = engine.new_secret()
    with db.unit_of_work() as s:
        for who in (w.supervisor, w.centre, w.agency):
            draws.sign_in(s, who, code)
        draws.commit(s, w.supervisor, code, engine.commitment(code, f"supervisor:{w.supervisor.user_id}", secret))
    with db.unit_of_work() as s:
        trading.terminate(s, w.agency, w.project_id, reason="采购需求发生重大变化，终止采购")
    with db.unit_of_work() as s:
        assert s.get(DrawRequest, waiting).state == "cancelled"
        assert s.get(DrawRequest, room_id).state == "cancelled"
        assert draws.get(s, code).state == "cancelled"  # no order was fixed: nobody is called for an ended project
    with pytest.raises(draws.DrawStateConflict), db.unit_of_work() as s:
        draws.start_reveal(s, w.centre, code)
