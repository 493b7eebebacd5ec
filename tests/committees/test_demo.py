"""The demo shows draw requests at every stage, drawn from the demo pool: one waiting for the supervisor, one
approved with its draw open in the room, one drawn (names confidential), and a doc-review draw disclosed with
its replay data after its project was terminated — the public record verifies."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.committees.models import DrawRequest
from sunshine.demo.committees import load_demo_committees
from sunshine.draws import record, replay
from sunshine.draws import service as draws


def test_demo_committees(demo, db):
    with db.unit_of_work() as s:
        rows = list(s.scalars(select(DrawRequest).order_by(DrawRequest.id)))
        states = [(r.purpose, r.state, r.disclosed_at is not None) for r in rows]
        assert states == [
            ("evaluation", "submitted", False),
            ("evaluation", "drawing", False),
            ("evaluation", "drawn", False),
            ("doc_review", "drawn", True),
            # the evaluation demo's committees (demo/evaluation.py): the failed procurement's draw is disclosed
            ("evaluation", "drawn", True),
            ("evaluation", "drawn", False),
            ("evaluation", "drawn", False),
            ("evaluation", "drawn", True),  # the results demo's procurement (demo/results.py): names public
            ("method_opinion", "drawn", True),  # the procedure demo's method change (demo/procedure.py)
            ("evaluation", "drawn", True),  # the re-evaluated procurement (demo/reevaluation.py): result published
        ]
        assert draws.get(s, rows[1].draw_code).state == "prepared"
        disclosed = draws.get(s, rows[3].draw_code)
        assert disclosed.state == "disclosed"
        assert replay.verify(record.build(s, disclosed)).ok
    assert load_demo_committees(db.unit_of_work) == 0  # idempotent
