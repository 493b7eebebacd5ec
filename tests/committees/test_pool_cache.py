"""The expert pool kept in memory between draws is never used stale: every change to an expert, their leave or
sanctions changes the pool's version stamp, and the next draw commits the pool as it now is — also when the
change came through a bulk statement, and not when the change was rolled back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from sunshine.committees import avoidance, drawing, service
from sunshine.committees.models import DrawRequest
from sunshine.committees.service import RequestIn
from sunshine.core import clock
from sunshine.draws import pooldata
from sunshine.draws import service as draws
from sunshine.experts import poolindex
from sunshine.experts.models import Expert, ExpertLeave, ExpertTraining
from sunshine.trading.models import Project
from tests.committees.builders import CIVIL, COST, procurement


def _request(db, w) -> int:
    data = RequestIn(
        section_id=w.section_id,
        purpose="evaluation",
        specialties=[(CIVIL, 2), (COST, 2)],
        reserve=1,
        representatives=1,
        meeting_at=w.deadline + timedelta(hours=2),
        place_kind="room",
        place="第三评标室",
    )
    with db.unit_of_work() as s:
        rid = service.submit(s, w.agency, w.project_id, data).id
    with db.unit_of_work() as s:
        service.approve(s, w.supervisor, rid)
    return rid


def _statuses(db, w, rid) -> dict[int, str]:
    """Expert id → status, as the avoidance rules give them now."""
    with db.unit_of_work(read_only=True) as s:
        row, project = s.get(DrawRequest, rid), s.get(Project, w.project_id)
        return {m.expert_id: status for m, status in avoidance.pool(s, row, project)}


def _committed(db, code) -> dict[int, str]:
    """Expert id → status, as the draw committed its pool."""
    with db.unit_of_work(read_only=True) as s:
        pool = pooldata.of(s, draws.get(s, code))
        return {int(ref.split(":")[1]): status for ref, status in zip(pool.refs, pool.statuses(), strict=True)}


def _stamp(db) -> str | None:
    with db.unit_of_work(read_only=True) as s:
        return poolindex.stamp(s)


@pytest.fixture
def world(db, clock):
    w = procurement(db, experts=12)
    clock.set(w.deadline + timedelta(minutes=5))
    return w


def test_a_change_to_an_expert_is_in_the_next_draw(db, world):
    w = world
    rid = _request(db, w)
    first, second, third = (e["id"] for e in w.experts[:3])
    assert set(_statuses(db, w, rid).values()) == {"eligible"}
    stamp = _stamp(db)
    with db.unit_of_work(read_only=True) as s:
        assert poolindex.current(s) is poolindex.current(s)  # kept between reads while nothing changed

    with db.unit_of_work() as s:  # an ORM change: the expert now works for the tenderer
        s.get(Expert, first).employer_organisation_id = w.school
    assert _stamp(db) != stamp
    stamp = _stamp(db)
    with db.unit_of_work() as s:  # a new row: leave covering the draw's day
        today = clock.today_local()
        s.add(ExpertLeave(expert_id=second, starts_on=today, ends_on=today, reason="出差", created_at=clock.now()))
    assert _stamp(db) != stamp
    stamp = _stamp(db)
    with db.unit_of_work() as s:  # a bulk statement
        s.execute(update(Expert).where(Expert.id == third).values(term_ends_on=clock.today_local() - timedelta(days=1)))
    assert _stamp(db) != stamp

    with db.unit_of_work() as s:
        code = drawing.start_draw(s, w.centre, rid).draw_code
    committed = _committed(db, code)
    assert committed[first] == "tenderer_employee"
    assert committed[second] == "expert_on_leave"
    assert committed[third] == "expert_term_expired"
    assert all(status == "eligible" for eid, status in committed.items() if eid not in (first, second, third))


def test_a_change_rolled_back_leaves_the_pool_as_it_was(db, world):
    w = world
    rid = _request(db, w)
    target = w.experts[0]["id"]
    assert _statuses(db, w, rid)[target] == "eligible"
    stamp = _stamp(db)
    with pytest.raises(RuntimeError), db.unit_of_work() as s:
        s.get(Expert, target).employer_organisation_id = w.school
        s.flush()
        row, project = s.get(DrawRequest, rid), s.get(Project, w.project_id)
        seen = {m.expert_id: status for m, status in avoidance.pool(s, row, project)}
        assert seen[target] == "tenderer_employee"  # the transaction sees its own change
        raise RuntimeError("rolled back")
    assert _stamp(db) == stamp
    assert _statuses(db, w, rid)[target] == "eligible"


def test_records_outside_the_pool_do_not_change_its_stamp(db, world):
    stamp = _stamp(db)
    with db.unit_of_work() as s:
        s.add(
            ExpertTraining(
                expert_id=world.experts[0]["id"],
                title="评标专家继续教育",
                organiser="示范市公共资源交易中心",
                held_on=clock.today_local(),
                hours=8,
                recorded_at=clock.now(),
            )
        )
    assert _stamp(db) == stamp
