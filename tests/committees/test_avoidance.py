"""Avoidance: each reason excludes the expert from the candidate list with its code (and the draw never calls
an excluded expert — a property over random pools), the doc-review experts are excluded from the project's
evaluation, experts drawn for the same tenderer recently are excluded, and ``avoidance_for`` checks again at
sign-in once bids are known."""

from __future__ import annotations

from datetime import date, timedelta

from sunshine.committees import avoidance, drawing, service
from sunshine.committees.models import CommitteeSeat, DrawRequest
from sunshine.committees.service import RequestIn
from sunshine.core import clock as core_clock
from sunshine.credit.models import CreditBan
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.experts.models import ExpertConflict, ExpertLeave
from sunshine.trading.models import Project
from tests.committees.builders import CIVIL, COST, procurement
from tests.experts.builders import add_expert


def _request(db, w, purpose="evaluation", **kw):
    data = dict(
        section_id=w.section_id,
        purpose=purpose,
        specialties=[(CIVIL, 2), (COST, 2)],
        reserve=1,
        representatives=1,
        meeting_at=w.deadline + timedelta(hours=2),
        place_kind="room",
        place="第三评标室",
    )
    data.update(kw)
    with db.unit_of_work() as s:
        row = service.submit(s, w.agency, w.project_id, RequestIn(**data))
        service.approve(s, w.supervisor, row.id)
        return row.id


def _statuses(db, rid) -> dict[int, str]:
    with db.unit_of_work() as s:
        row = s.get(DrawRequest, rid)
        return avoidance.statuses(s, row, s.get(Project, row.project_id))


def test_each_reason_is_recorded_with_its_code(db, clock):
    w = procurement(db, experts=6)
    named = {
        "tenderer_employee": add_expert(db, specialties=(CIVIL,), employer_id=w.school),
        "agency_employee": add_expert(db, specialties=(COST,), employer_id=w.agency_org),
        "bidder_employee": add_expert(db, specialties=(CIVIL,), employer_id=w.firms[1]),
        "declared_conflict": add_expert(db, specialties=(COST,)),
        "expert_banned": add_expert(db, specialties=(CIVIL,)),
        "expert_suspended": add_expert(db, specialties=(CIVIL,)),
        "expert_on_leave": add_expert(db, specialties=(COST,)),
    }
    today = date(2026, 1, 1)
    with db.unit_of_work() as s:
        now = core_clock.now()
        s.add(
            ExpertConflict(
                expert_id=named["declared_conflict"]["id"],
                organisation_id=w.firms[2],
                relation="other",
                declared_at=now,
            )
        )
        for key, kind in (("expert_banned", "ban"), ("expert_suspended", "suspension")):
            s.add(
                CreditBan(
                    expert_id=named[key]["id"],
                    kind=kind,
                    starts_on=today,
                    basis="违规评标",
                    created_at=now,
                    ledger_seq=0,
                )
            )
        s.add(
            ExpertLeave(
                expert_id=named["expert_on_leave"]["id"],
                starts_on=today,
                ends_on=date(2027, 12, 31),
                reason="出国",
                created_at=now,
            )
        )
    rid = _request(db, w)
    before = _statuses(db, rid)
    # Before the bid deadline the bidders are not known: their employees and conflicts are checked again later.
    assert before[named["bidder_employee"]["id"]] == "eligible"
    clock.set(w.deadline + timedelta(minutes=1))
    after = _statuses(db, rid)
    for code, expert in named.items():
        assert after[expert["id"]] == code, code
        assert avoidance.label(code) and avoidance.label(code) != "其他原因"
    assert all(after[e["id"]] == "eligible" for e in w.experts)
    with db.unit_of_work() as s:
        row = s.get(DrawRequest, rid)
        assert avoidance.avoidance_for(s, row, named["bidder_employee"]["id"]) == "bidder_employee"
        assert avoidance.avoidance_for(s, row, w.experts[0]["id"]) is None


def test_doc_review_experts_are_excluded_from_the_evaluation(db, clock):
    w = procurement(db, experts=10)
    review = _request(
        db,
        w,
        "doc_review",
        specialties=[(CIVIL, 2)],
        reserve=0,
        representatives=0,
        meeting_at=core_clock.now() + timedelta(days=1),
    )
    with db.unit_of_work() as s:
        code = drawing.start_draw(s, w.centre, review).draw_code
    _run_room(db, w, code)
    with db.unit_of_work() as s:
        reviewers = {seat.expert_id for seat in service.committee_of(s, review) if not seat.reserve}
    assert len(reviewers) == 2
    clock.set(w.deadline + timedelta(minutes=1))
    evaluation = _request(db, w)
    statuses = _statuses(db, evaluation)
    assert {statuses[e] for e in reviewers} == {"doc_reviewer"}


def test_experts_drawn_for_the_same_tenderer_recently_are_excluded(db, clock):
    w = procurement(db, experts=8)
    rid = _request(db, w)
    with db.unit_of_work() as s:
        # seats for the same tenderer on an earlier committee (a direct appointment), 10 and 40 days ago
        earlier = DrawRequest(
            project_id=w.project_id,
            section_id=w.section_id,
            kind="appointment",
            purpose="evaluation",
            state="appointed",
            reserve=0,
            representatives=0,
            meeting_at=core_clock.now(),
            place_kind="room",
            place="第一评标室",
            requested_by=w.agency.user_id,
            requested_org_id=w.agency_org,
            requested_at=core_clock.now(),
        )
        s.add(earlier)
        s.flush()
        s.add(
            CommitteeSeat(
                request_id=earlier.id,
                specialty=CIVIL,
                position=1,
                leaf=None,
                expert_id=w.experts[0]["id"],
                state="appointed",
                updated_at=core_clock.now() - timedelta(days=10),
            )
        )
        s.add(
            CommitteeSeat(
                request_id=earlier.id,
                specialty=CIVIL,
                position=2,
                leaf=None,
                expert_id=w.experts[2]["id"],
                state="appointed",
                updated_at=core_clock.now() - timedelta(days=40),
            )
        )
    statuses = _statuses(db, rid)
    assert statuses[w.experts[0]["id"]] == "recent_same_tenderer"
    assert statuses[w.experts[2]["id"]] != "recent_same_tenderer"  # beyond the 30-day platform default


def _run_room(db, w, code):
    secret = engine.new_secret()
    with db.unit_of_work() as s:
        for who in (w.supervisor, w.centre, w.agency):
            draws.sign_in(s, who, code)
        draws.commit(s, w.supervisor, code, engine.commitment(code, f"supervisor:{w.supervisor.user_id}", secret))
        draws.start_reveal(s, w.centre, code)
        draws.reveal(s, w.supervisor, code, secret)


# That no excluded expert is ever called, over pools generated by Hypothesis and decided by the database:
# tests/committees/test_pool_sql.py.
