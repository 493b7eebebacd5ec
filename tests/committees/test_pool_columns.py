"""The candidate list a committee draw commits (``avoidance.columns``, decided by the database) gives every
expert the same status as the rules written out one member at a time (``test_pool_sql.reference``): each pool
reason, each avoidance reason, their precedence, and experts no longer in the pool left out — then the draw
commits exactly that."""

from __future__ import annotations

from datetime import date, timedelta

from sunshine.committees import avoidance, drawing
from sunshine.committees.models import DrawRequest
from sunshine.core import clock as core_clock
from sunshine.credit.models import CreditBan
from sunshine.draws import pooldata
from sunshine.draws import service as draws
from sunshine.experts.models import REMOVED, Expert, ExpertConflict, ExpertLeave
from sunshine.trading.models import Project
from tests.committees.builders import procurement
from tests.committees.test_pool_sql import _request, reference


def test_columns_give_every_expert_the_statuses_of_the_reference_rules(db, clock):
    w = procurement(db, experts=24)
    clock.set(w.deadline + timedelta(minutes=5))
    ids = [e["id"] for e in w.experts]
    today, now = core_clock.today_local(), core_clock.now()
    with db.unit_of_work() as s:
        s.get(Expert, ids[0]).employer_organisation_id = w.school
        s.get(Expert, ids[1]).employer_organisation_id = w.agency_org
        s.get(Expert, ids[2]).employer_organisation_id = w.firms[0]
        s.get(Expert, ids[3]).term_ends_on = today - timedelta(days=1)
        s.get(Expert, ids[4]).date_of_birth = date(1940, 1, 1)
        removed = s.get(Expert, ids[5])
        removed.status, removed.removed_on = REMOVED, today - timedelta(days=3)
        s.get(Expert, ids[6]).employer_organisation_id = w.school  # and banned: the pool's reason first
        for k, kind in ((6, "ban"), (7, "suspension"), (8, "ban")):
            s.add(
                CreditBan(
                    expert_id=ids[k], kind=kind, starts_on=today - timedelta(days=2), ends_on=None,
                    basis="考核不合格", decision_no="", created_at=now, ledger_seq=0)
            )  # fmt: skip
        s.add(CreditBan(expert_id=ids[8], kind="suspension", starts_on=today, ends_on=today, basis="x",
                             decision_no="", created_at=now, ledger_seq=0))  # fmt: skip
        for k in (9, 7):
            s.add(ExpertLeave(expert_id=ids[k], starts_on=today, ends_on=today, reason="出差", created_at=now))
        s.add(ExpertConflict(expert_id=ids[10], organisation_id=w.firms[1], relation="former_employer", note="",
                             declared_at=now - timedelta(days=5)))  # fmt: skip
        s.add(ExpertConflict(expert_id=ids[11], organisation_id=w.firms[1], relation="former_employer", note="",
                             declared_at=now + timedelta(days=5)))  # fmt: skip
    rid = _request(db, w)
    with db.unit_of_work(read_only=True) as s:
        row, project = s.get(DrawRequest, rid), s.get(Project, w.project_id)
        expected = {eid: status for eid, (_, status) in reference(s, row, project, core_clock.now()).items()}
        cols, statuses = avoidance.columns(s, row, project)
        columns = {eid: statuses.get(pos, "eligible") for pos, eid in enumerate(cols.ids)}
        assert columns == expected
        assert cols.refs == sorted(cols.refs) and [f"expert:{i}" for i in cols.ids] == cols.refs
    assert ids[5] not in expected
    assert expected[ids[0]] == "tenderer_employee" and expected[ids[1]] == "agency_employee"
    assert expected[ids[2]] == "bidder_employee" and expected[ids[3]] == "expert_term_expired"
    assert expected[ids[4]] == "expert_over_age" and expected[ids[6]] == "expert_banned"
    assert expected[ids[7]] == "expert_suspended" and expected[ids[8]] == "expert_banned"
    assert expected[ids[9]] == "expert_on_leave" and expected[ids[10]] == "declared_conflict"
    assert expected[ids[11]] == "eligible"

    with db.unit_of_work() as s:
        code = drawing.start_draw(s, w.centre, rid).draw_code
    with db.unit_of_work(read_only=True) as s:
        pool = pooldata.of(s, draws.get(s, code))
        committed = {int(r.split(":")[1]): st for r, st in zip(pool.refs, pool.statuses(), strict=True)}
    assert committed == expected
