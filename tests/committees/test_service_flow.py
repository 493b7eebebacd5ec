"""The request's way through the services: submit, approve, draw (witnessed commit-reveal), seats, disclosure
at termination, and the draw's public record verifies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.committees import drawing, service
from sunshine.committees.service import RequestIn
from sunshine.draws import engine, record, replay
from sunshine.draws import service as draws
from sunshine.trading import service as trading
from tests.committees.builders import CIVIL, COST, procurement


def _data(w, **kw):
    base = dict(
        section_id=w.section_id,
        purpose="evaluation",
        specialties=[(CIVIL, 2), (COST, 2)],
        reserve=1,
        representatives=1,
        meeting_at=w.deadline + timedelta(hours=2),
        place_kind="room",
        place="第三评标室",
    )
    base.update(kw)
    return RequestIn(**base)


def test_service_flow(db, clock):
    w = procurement(db)
    with db.unit_of_work() as s:
        rid = service.submit(s, w.agency, w.project_id, _data(w)).id
    with db.unit_of_work() as s:
        assert service.approve(s, w.supervisor, rid).state == "approved"
    clock.set(w.deadline + timedelta(minutes=5))
    with db.unit_of_work() as s:
        code = drawing.start_draw(s, w.centre, rid).draw_code
    secret = engine.new_secret()
    party = f"supervisor:{w.supervisor.user_id}"
    with db.unit_of_work() as s:
        for who in (w.supervisor, w.centre, w.agency):
            draws.sign_in(s, who, code)
        draws.commit(s, w.supervisor, code, engine.commitment(code, party, secret))
        draws.start_reveal(s, w.centre, code)
        draws.reveal(s, w.supervisor, code, secret)
    with db.unit_of_work() as s:
        seats = service.committee_of(s, rid)
        assert len([x for x in seats if not x.reserve]) == 4
        assert len([x for x in seats if x.reserve]) == 2
    with db.unit_of_work() as s:
        trading.terminate(s, w.agency, w.project_id, reason="采购需求发生重大变化，终止采购")
    with db.unit_of_work() as s:
        draw = draws.get(s, code)
        assert draw.state == "disclosed"
        assert replay.verify(record.build(s, draw)).ok


def test_without_approval_the_centre_names_the_supervisory_party(db, clock, monkeypatch):
    monkeypatch.setattr(service, "approval_required", lambda session, project: False)  # a method's pack: 0
    w = procurement(db)
    with db.unit_of_work() as s:
        row = service.submit(s, w.agency, w.project_id, _data(w))
        assert row.state == "approved" and row.decided_by is None
        rid = row.id
    clock.set(w.deadline + timedelta(minutes=5))
    with db.unit_of_work() as s, pytest.raises(drawing.SupervisorPartyMissing) as refused:
        drawing.start_draw(s, w.centre, rid)
    assert refused.value.code == "draw_supervisor_party_missing"
    with db.unit_of_work() as s, pytest.raises(drawing.SupervisorPartyMissing):
        drawing.start_draw(s, w.centre, rid, supervisor_user_id=w.centre.user_id)  # not a supervisor
    with db.unit_of_work() as s:
        code = drawing.start_draw(s, w.centre, rid, supervisor_user_id=w.supervisor.user_id).draw_code
        parties = [p.party for p in draws.parties_of(s, draws.get(s, code))]
    assert f"supervisor:{w.supervisor.user_id}" in parties
