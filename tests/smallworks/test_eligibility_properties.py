"""Properties of the contractor draw over random sets of registrants: whatever mix of withdrawn, rejected by the
review and credit-banned registrants a section has, none of them is ever drawn — not as contractor, not as
reserve, not as a replacement after declines — every registrant is in the committed pool with its status, the
project fails exactly when fewer than the pack's minimum are qualified, and the public record verifies."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.core import clock as core_clock
from sunshine.credit import service as credit
from sunshine.credit.schemas import BanIn
from sunshine.draws import record, replay, v2
from sunshine.draws import service as draws
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.smallworks import candidates, reading, service
from sunshine.trading import registrations
from sunshine.trading import service as trading
from tests.builders import make_org
from tests.smallworks.builders import World, run_draw
from tests.trading.builders import actor, make_project, publish_notice

FLAGS = ("ok", "withdrawn", "rejected", "banned")
mixes = st.lists(st.sampled_from(FLAGS), min_size=1, max_size=7)


def _world(db) -> World:
    agency_org = make_org(db, kind=OrganisationKind.AGENCY)
    return World(
        school=make_org(db, kind=OrganisationKind.PURCHASER),
        agency_org=agency_org,
        agency=actor(db, Role.AGENCY, organisation_id=agency_org),
        centre=actor(db, Role.CENTRE_STAFF),
        supervisor=actor(db, Role.SUPERVISOR),
        firms=[],
        bidders=[],
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mix=mixes, declines=st.integers(min_value=0, max_value=3))
def test_no_excluded_registrant_is_ever_drawn(db, clock, mix, declines):
    w = _world(db)
    pid = make_project(
        db,
        w.agency,
        tenderer_id=w.school,
        agency_id=w.agency_org,
        method="small_works_draw",
        sections=[("雨污分流改造施工", "380000.00")],
        accept_as=w.centre,
    )
    publish_notice(db, w.agency, pid, kind="draw")
    firms, regs = [], []
    for flag in mix:
        firm = make_org(db)
        bidder = actor(db, Role.BIDDER, organisation_id=firm)
        with db.unit_of_work() as s:
            section_id = trading.visibility.get_visible(s, w.agency, pid).sections[0].id
            reg = registrations.register_bidder(s, bidder, pid, section_id, "张经理", "13800000001")
            if flag == "withdrawn":
                registrations.withdraw(s, bidder, reg.id)
        if flag == "banned":
            with db.unit_of_work() as s:
                today = core_clock.today_local()
                credit.create_ban(
                    s,
                    w.supervisor,
                    BanIn(
                        organisation_id=firm,
                        starts_on=today,
                        basis="失信被执行人，限制参与招标投标",
                        decision_no="示例〔2026〕1号",
                    ),
                )
        firms.append(firm)
        regs.append(reg.id)
    clock.advance(timedelta(days=31))
    with db.unit_of_work() as s:
        trading.close_due(s)
    for flag, reg_id in zip(mix, regs, strict=True):
        if flag == "rejected":
            with db.unit_of_work() as s:
                registrations.record_qualification(s, w.agency, reg_id, "post", False, "项目经理注册证书不在有效期内")

    with db.unit_of_work() as s:
        rows = service.prepare(s, w.centre, pid, supervisor_user_id=w.supervisor.user_id)
        code = rows[0].draw_code
    qualified = {f"organisation:{f}" for f, flag in zip(firms, mix, strict=True) if flag == "ok"}
    if len(qualified) < 3:
        assert code is None
        with db.unit_of_work() as s:
            assert reading.view(s, w.centre, pid).project.state == "failed"
        return
    run_draw(db, w, code)
    drawn: set[str] = set()
    for _ in range(declines + 1):
        with db.unit_of_work() as s:
            v = reading.view(s, w.centre, pid)
            data = record.build(s, draws.get(s, code))
        assert replay.verify(data).ok
        statuses = {c["ref"]: c["status"] for c in data["candidates"]}
        assert len(statuses) == len(mix), "every registrant is in the committed pool"
        assert {r for r, st_ in statuses.items() if st_ == candidates.ELIGIBLE} == qualified
        # a v2 record names a called candidate in the order by its salted ticket
        by_leaf = {v2.ticket(data["code"], data["salt"], c["ref"]): c["ref"] for c in data["candidates"]}
        drawn |= {by_leaf[a["leaf"]] for a in data["assignment"]}
        assert drawn <= qualified, "an excluded registrant was drawn"
        if v.project.state != "candidates_publicised":
            break
        with db.unit_of_work() as s:
            service.record_decline(s, w.centre, pid, v.sections[0].section_id, outcome="declined", reason="书面放弃")


@given(
    withdrawn=st.booleans(),
    results=st.lists(st.booleans(), max_size=2),
    deposit=st.sampled_from([None, "awaiting", "paid", "refund_due"]),
    required=st.booleans(),
    banned=st.booleans(),
)
def test_a_registrant_is_eligible_only_when_nothing_excludes_it(withdrawn, results, deposit, required, banned):
    from types import SimpleNamespace

    status = candidates.status_of(
        SimpleNamespace(withdrawn_at=core_clock.now() if withdrawn else None),
        [SimpleNamespace(passed=p) for p in results],
        SimpleNamespace(status=deposit) if deposit else None,
        required,
        banned,
    )
    excluded = withdrawn or not all(results) or (required and deposit != "paid") or banned
    assert (status == candidates.ELIGIBLE) == (not excluded)
    assert status == candidates.ELIGIBLE or status in candidates.REASONS
    if withdrawn:
        assert status == "smallworks_withdrawn", "the first reason that applies is the one recorded"
