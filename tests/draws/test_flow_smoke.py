"""Smoke: the whole flow through the service and a passing verification of the public record."""

from __future__ import annotations

from sunshine.draws import engine, replay
from sunshine.draws import service as draws
from tests.draws.conftest import prepare


def test_flow(db, room):
    with db.unit_of_work() as s:
        code = prepare(s, room).code
    secret = engine.new_secret()
    party = f"supervisor:{room['supervisor'].user_id}"
    with db.unit_of_work() as s:
        for who in ("supervisor", "tenderer", "social"):
            draws.sign_in(s, room[who], code)
        draws.commit(s, room["supervisor"], code, engine.commitment(code, party, secret))
        draws.start_reveal(s, room["centre"], code)
        draws.reveal(s, room["supervisor"], code, secret)
        draw = draws.get(s, code)
        assert draw.state == "drawn"
        seats = draws.seats(s, draw)
        assert len(seats) == 7
        new = draws.record_outcome(s, room["centre"], code, seats[0].leaf, "declined", "出差")
        assert len(new) >= 1
        draws.disclose(s, code)


def test_record_verifies(db, room):
    from sunshine.draws import record

    with db.unit_of_work() as s:
        code = prepare(s, room).code
    secret = engine.new_secret()
    party = f"supervisor:{room['supervisor'].user_id}"
    with db.unit_of_work() as s:
        for who in ("supervisor", "tenderer"):
            draws.sign_in(s, room[who], code)
        draws.commit(s, room["supervisor"], code, engine.commitment(code, party, secret))
        draws.start_reveal(s, room["centre"], code)
        draws.reveal(s, room["supervisor"], code, secret)
        seats = draws.seats(s, draws.get(s, code))
        draws.record_outcome(s, room["centre"], code, seats[0].leaf, "declined", "出差")
        draws.disclose(s, code)
        data = record.build(s, draws.get(s, code))
    report = replay.verify(data)
    assert report.ok, report.as_dict()
    data["order"][0], data["order"][1] = data["order"][1], data["order"][0]
    assert not replay.verify(data).ok


def test_a_draw_whose_pool_is_in_candidate_rows_still_runs_and_verifies(db, room):
    """Draws prepared before the pool was stored in one row keep it in ``draw_candidate``: read back the same."""
    import json

    from sqlalchemy import delete, insert

    from sunshine.draws import pooldata, record
    from sunshine.draws.models import DrawCandidate, DrawPool

    with db.unit_of_work() as s:
        draw = prepare(s, room, construction="sunshine-draw-v1")  # draws of that time were v1
        code, pool = draw.code, pooldata.of(s, draw)
        rows = [
            {
                "draw_id": draw.id,
                "leaf": lf,
                "ref": ref,
                "salt": salt,
                "groups": json.dumps(pool.groups(i)),
                "status": st,
            }
            for i, (lf, ref, salt, st) in enumerate(
                zip(pool.leaves, pool.refs, pool.salts, pool.statuses(), strict=True)
            )
        ]
        s.execute(insert(DrawCandidate), rows)
        s.execute(delete(DrawPool).where(DrawPool.draw_id == draw.id))
    pooldata.forget()
    secret = engine.new_secret()
    party = f"supervisor:{room['supervisor'].user_id}"
    with db.unit_of_work() as s:
        for who in ("supervisor", "tenderer"):
            draws.sign_in(s, room[who], code)
        draws.commit(s, room["supervisor"], code, engine.commitment(code, party, secret))
        draws.start_reveal(s, room["centre"], code)
        draws.reveal(s, room["supervisor"], code, secret)
    pooldata.forget()
    with db.unit_of_work() as s:
        seats = draws.seats(s, draws.get(s, code))
        assert {x.ref for x in seats} <= set(pool.refs)
        draws.record_outcome(s, room["centre"], code, seats[0].leaf, "declined", "出差")
        draws.disclose(s, code)
    pooldata.forget()
    with db.unit_of_work() as s:
        data = record.build(s, draws.get(s, code))
    assert data["pool"] == pool.leaves
    assert [c["salt"] for c in data["candidates"]] == pool.salts
    report = replay.verify(data)
    assert report.ok, report.as_dict()
