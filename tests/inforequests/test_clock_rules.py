"""Every clock rule of an information request, taken through the services on the days a user would act,
with dates across the 2025 and 2026 Spring Festival and National Day holidays and their make-up workdays
(2026: 春节 2/15–2/23 with make-up Saturdays 2/14 and 2/28; 中秋 9/25–9/27; 国庆 10/1–10/7 with make-up
Saturday 10/10. 2025: 国庆、中秋 10/1–10/8 with make-up Sunday 9/28 and Saturday 10/11).

Counting (《民法典》第二百零一条): the receipt day is not counted; the due date is the N-th working day after it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from sunshine.core import calendar
from sunshine.core.errors import Conflict, InvalidInput, RuleViolation
from sunshine.core.models import TrackedDeadline
from sunshine.inforequests import alerts, service
from sunshine.inforequests.models import InfoRequest, RequestEvent
from sunshine.ledger.models import LedgerEntry
from tests.inforequests.builders import at, department, due, office, receive, step, submit_online, tracked

D = date


@pytest.fixture
def staff(db):
    return office(db)


def tick(db, clock, day: date):
    clock.set(at(day, 8))
    with db.unit_of_work() as s:
        return alerts.tick(s)


def state(db, request_id: int) -> str:
    with db.unit_of_work(read_only=True) as s:
        return s.get(InfoRequest, request_id).state


# ------------------------------------------------------------ 第三十三条: 20 working days


def test_answer_is_due_20_working_days_after_receipt_across_the_2026_spring_festival(db, clock, staff):
    rid, _ = receive(db, clock, staff, D(2026, 2, 9))
    # 2/10–2/13 (4), Sat 2/14 make-up (5), 2/15–2/23 off, 2/24–2/27 (9), Sat 2/28 make-up (10),
    # 3/2–3/6 (15), 3/9–3/13 (20)
    answer = due(db, rid)
    assert (answer.status, answer.due, answer.provisional) == ("running", D(2026, 3, 13), False)
    assert tracked(db, rid)["answer_within"] == (D(2026, 3, 13), False)
    assert tracked(db, rid)["route_within"] == (D(2026, 2, 11), False)  # internal: 2 working days to route


def test_answer_due_across_the_2025_national_day_and_mid_autumn_holiday(db, clock, staff):
    rid, _ = receive(db, clock, staff, D(2025, 9, 30))
    # 10/1–10/8 off, 10/9 (1), 10/10 (2), Sat 10/11 make-up (3), 10/13–17 (8), 10/20–24 (13), 10/27–31 (18),
    # 11/3 (19), 11/4 (20)
    assert due(db, rid).due == D(2025, 11, 4)


# ------------------------------------------------------------ 第三十一条: the receipt date follows the channel


def test_receipt_date_follows_the_channel(db, clock, staff):
    # 挂号信: the day the office signs for it, not the day it was posted
    posted, _ = receive(
        db,
        clock,
        staff,
        D(2026, 9, 30),
        channel="post",
        post_signed=True,
        submitted_on=D(2026, 9, 27),
        received_on=D(2026, 9, 30),
    )
    # 平常信函: the day the office confirms receipt with the applicant
    ordinary, _ = receive(
        db,
        clock,
        staff,
        D(2026, 10, 9),
        channel="post",
        post_signed=False,
        submitted_on=D(2026, 9, 28),
        received_on=D(2026, 10, 9),
    )
    # fax: the day both sides confirm
    fax, _ = receive(
        db, clock, staff, D(2026, 10, 12), channel="fax", submitted_on=D(2026, 10, 10), received_on=D(2026, 10, 12)
    )
    # online through the public form: confirmed at once on the receipt page, so the day it was sent
    online, _ = submit_online(db, clock, D(2026, 10, 3))  # during the holiday: received that day, counted from 10/8
    with db.unit_of_work(read_only=True) as s:
        got = {rid: s.get(InfoRequest, rid).received_on for rid in (posted, ordinary, fax, online)}
    assert got == {posted: D(2026, 9, 30), ordinary: D(2026, 10, 9), fax: D(2026, 10, 12), online: D(2026, 10, 3)}
    # 9/30 → 10/8 (1), 10/9 (2), Sat 10/10 (3), 10/12–16 (8), 19–23 (13), 26–30 (18), 11/2 (19), 11/3 (20)
    assert due(db, posted).due == D(2026, 11, 3)
    # 10/3 → 10/8 (1) … the same walk two days later: 10/9 (2), 10/10 (3) … 11/3 (20)
    assert due(db, online).due == D(2026, 11, 3)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"channel": "in_person", "submitted_on": D(2026, 11, 20), "received_on": D(2026, 11, 23)},
            "received_on",
            "当面提交",
        ),
        ({"channel": "fax", "submitted_on": D(2026, 11, 23)}, "received_on", "双方确认之日"),
        ({"channel": "post", "post_signed": True, "submitted_on": D(2026, 11, 20)}, "received_on", "签收之日"),
        ({"channel": "post", "submitted_on": D(2026, 11, 20), "received_on": D(2026, 11, 23)}, "post_signed", "签收"),
        (
            {"channel": "online", "submitted_on": D(2026, 11, 23), "received_on": D(2026, 11, 24)},
            "received_on",
            "晚于今天",
        ),
        ({"channel": "online", "submitted_on": D(2026, 11, 23), "received_on": D(2026, 11, 20)}, "received_on", "早于"),
    ],
)
def test_receipt_dates_that_do_not_fit_the_channel_are_refused(db, clock, staff, fields, field, message):
    with pytest.raises(InvalidInput, match=message) as caught:
        receive(db, clock, staff, D(2026, 11, 23), **fields)
    assert caught.value.extra["field"] == field
    with db.unit_of_work(read_only=True) as s:
        assert s.scalar(select(InfoRequest.id)) is None


# ------------------------------------------------------------ 第三十条: correction


def test_a_correction_restarts_the_clock_from_the_corrected_request(db, clock, staff):
    rid, _ = receive(db, clock, staff, D(2026, 2, 5))
    # the notice must go out within 7 working days: 2/6, 2/9–2/13, Sat 2/14 → 2/14 is the last day
    with pytest.raises(RuleViolation, match="2026年2月14日"):
        step(db, clock, staff, rid, "correction", D(2026, 2, 24), items="请写明项目名称")
    step(db, clock, staff, rid, "correction", D(2026, 2, 13), items="请写明项目名称或交易编号", period_days=10)
    answer = due(db, rid)
    assert (answer.status, answer.due) == ("awaiting_correction", None)
    # the applicant's period: 2/14 (1), 2/24–2/27 (5), 2/28 (6), 3/2–3/5 (10)
    assert tracked(db, rid) == {"correction_period_default": (D(2026, 3, 5), False)}
    step(db, clock, staff, rid, "corrected", D(2026, 3, 2))
    # counted again from 3/2: 3/3–3/6 (4), 3/9–13 (9), 16–20 (14), 23–27 (19), 3/30 (20)
    assert due(db, rid).due == D(2026, 3, 30)
    assert tracked(db, rid)["answer_within"] == (D(2026, 3, 30), False)
    with pytest.raises(Conflict, match="补正"):  # once only
        step(db, clock, staff, rid, "correction", D(2026, 3, 3), items="再补充")


def test_the_correction_period_is_at_least_the_rule_value(db, clock, staff):
    rid, _ = receive(db, clock, staff, D(2026, 11, 23))
    with pytest.raises(RuleViolation, match="不少于10个工作日") as caught:
        step(db, clock, staff, rid, "correction", D(2026, 11, 24), items="请写明", period_days=5)
    assert caught.value.extra["rule"] == "correction_period_default"


def test_a_request_not_corrected_in_time_is_treated_as_withdrawn(db, clock, staff):
    rid, _ = receive(db, clock, staff, D(2026, 9, 29))
    step(db, clock, staff, rid, "correction", D(2026, 9, 30), items="请写明所需信息的时间范围", period_days=10)
    # 10/1–10/7 off: 10/8 (1), 10/9 (2), Sat 10/10 (3), 10/12–16 (8), 10/19 (9), 10/20 (10)
    assert tracked(db, rid)["correction_period_default"] == (D(2026, 10, 20), False)
    assert tick(db, clock, D(2026, 10, 20)).withdrawn == []
    assert state(db, rid) == "correction_requested"
    with pytest.raises(Conflict, match="补正期限已于2026年10月20日届满"):
        step(db, clock, staff, rid, "corrected", D(2026, 10, 21))
    result = tick(db, clock, D(2026, 10, 21))
    assert len(result.withdrawn) == 1
    with db.unit_of_work(read_only=True) as s:
        req = s.get(InfoRequest, rid)
        assert (req.state, req.category, req.concluded_on) == ("withdrawn", "other_uncorrected", D(2026, 10, 21))
    assert tracked(db, rid) == {}
    assert tick(db, clock, D(2026, 10, 22)).withdrawn == []  # idempotent


# ------------------------------------------------------------ 第三十二条、第三十三条第二款: consultation


def test_third_party_consultation_days_do_not_count(db, clock, staff):
    rid, _ = receive(db, clock, staff, D(2026, 2, 9))
    step(db, clock, staff, rid, "consultation", D(2026, 2, 12), party="third_party", party_name="闽江建设工程有限公司")
    answer = due(db, rid)
    assert (answer.status, answer.due, answer.counted) == ("paused", None, 2)  # 2/10, 2/11 used
    # the third party has 15 working days: 2/13, Sat 2/14, 2/24–2/27, Sat 2/28, 3/2–3/6, 3/9–3/11
    assert tracked(db, rid) == {"third_party_opinion_within": (D(2026, 3, 11), False)}
    step(db, clock, staff, rid, "consultation-end", D(2026, 3, 4), outcome="agrees")
    # 2/12–3/4 excluded; 18 days remain from 3/5: 3/5, 3/6 (2), 9–13 (7), 16–20 (12), 23–27 (17), 3/30 (18)
    answer = due(db, rid)
    assert (answer.status, answer.due, answer.pauses) == ("running", D(2026, 3, 30), ((D(2026, 2, 12), D(2026, 3, 4)),))
    assert tracked(db, rid)["answer_within"] == (D(2026, 3, 30), False)


def test_a_consultation_ends_when_the_third_party_lets_its_15_days_pass(db, clock, staff):
    rid, _ = receive(db, clock, staff, D(2026, 2, 9))
    step(db, clock, staff, rid, "consultation", D(2026, 2, 12), party="third_party", party_name="榕城路桥集团有限公司")
    assert tick(db, clock, D(2026, 3, 11)).consultations_ended == []
    assert len(tick(db, clock, D(2026, 3, 12)).consultations_ended) == 1
    assert state(db, rid) == "resumed"
    # 2/12–3/11 excluded; from 3/12: 3/12, 3/13 (2), 16–20 (7), 23–27 (12), 3/30–4/3 (17), 4/4–4/6 清明, 4/7 (18)
    assert due(db, rid).due == D(2026, 4, 7)
    with db.unit_of_work(read_only=True) as s:
        lapse = s.scalar(select(RequestEvent).where(RequestEvent.step == "lapse_consultation"))
        assert lapse.day == D(2026, 3, 11)


def test_consultation_with_another_agency_also_pauses_without_an_opinion_period(db, clock, staff):
    rid, _ = receive(db, clock, staff, D(2026, 11, 23))
    step(db, clock, staff, rid, "consultation", D(2026, 11, 25), party="other_agency", party_name="示范市财政局")
    assert due(db, rid).status == "paused"
    assert tracked(db, rid) == {}
    step(db, clock, staff, rid, "consultation-end", D(2026, 12, 1))
    # 11/24 (1) used; 11/25–12/1 excluded; from 12/2: 12/2–4 (4), 7–11 (9), 14–18 (14), 21–25 (19), 12/28 (20)
    assert due(db, rid).due == D(2026, 12, 28)


# ------------------------------------------------------------ 第三十三条: extension


def test_extension_adds_up_to_20_working_days_with_the_heads_approval(db, clock, staff):
    rid, _ = receive(db, clock, staff, D(2026, 9, 15))
    # 9/16–18 (3), Sun 9/20 make-up (4), 21–24 (8), 中秋 9/25–27, 9/28–30 (11), 10/1–7 off, 10/8, 10/9 (13),
    # Sat 10/10 (14), 12–16 (19), 10/19 (20)
    assert due(db, rid).due == D(2026, 10, 19)
    with pytest.raises(RuleViolation, match="最长不得超过20 个工作日"):
        step(db, clock, staff, rid, "extend", D(2026, 10, 19), days=21, approver="李主任", reason="需调取档案")
    step(db, clock, staff, rid, "extend", D(2026, 10, 19), days=15, approver="李主任", reason="需调取档案")
    with pytest.raises(RuleViolation, match="已延长15个工作日"):
        step(db, clock, staff, rid, "extend", D(2026, 10, 20), days=6, approver="李主任", reason="仍需时间")
    step(db, clock, staff, rid, "extend", D(2026, 10, 20), days=5, approver="李主任", reason="仍需时间")
    # 20 more after 10/19: 10/20–23 (4), 26–30 (9), 11/2–6 (14), 9–13 (19), 11/16 (20)
    answer = due(db, rid)
    assert (answer.due, answer.extension, answer.days) == (D(2026, 11, 16), 20, 40)
    assert tracked(db, rid)["answer_within"] == (D(2026, 11, 16), False)


def test_no_extension_once_the_period_has_run_out(db, clock, staff):
    rid, _ = receive(db, clock, staff, D(2026, 9, 15))
    with pytest.raises(RuleViolation, match="2026年10月19日届满"):
        step(db, clock, staff, rid, "extend", D(2026, 10, 20), days=5, approver="李主任", reason="迟了")


# ------------------------------------------------------------ the seed's older regime (15 + 15)


def test_the_legacy_regime_is_15_plus_15_and_a_request_keeps_its_regime(db, clock, staff):
    from sunshine.identity.roles import Role
    from tests.builders import make_user
    from tests.inforequests.builders import principal

    make_user(db, Role.ADMIN, username="admin")
    admin = principal(db, "admin")
    before, _ = receive(db, clock, staff, D(2026, 2, 9))
    with db.unit_of_work() as s:
        service.set_regime(s, actor=admin, key="disclosure.seed_legacy")
    legacy, _ = receive(db, clock, staff, D(2026, 2, 9))
    with db.unit_of_work() as s:
        service.set_regime(s, actor=admin, key="disclosure.gip_2019")
    # 2/10–13 (4), Sat 2/14 (5), 2/24–27 (9), Sat 2/28 (10), 3/2–3/6 (15)
    assert due(db, legacy).due == D(2026, 3, 6)
    assert due(db, before).due == D(2026, 3, 13)  # received under the 2019 rules: still 20 days
    assert tracked(db, legacy)["route_within"] == (D(2026, 2, 11), False)  # 2 working days to route
    dept = department(db)
    step(db, clock, staff, legacy, "route", D(2026, 2, 11), department_user_id=dept.user_id)
    # the department reviews within 10 working days: 2/12, 2/13, 2/14, 2/24–27, 2/28, 3/2, 3/3
    assert tracked(db, legacy)["review_within"] == (D(2026, 3, 3), False)
    with pytest.raises(RuleViolation, match="最长不得超过15 个工作日"):
        step(db, clock, staff, legacy, "extend", D(2026, 3, 5), days=16, approver="王主任", reason="需审查")
    step(db, clock, staff, legacy, "extend", D(2026, 3, 5), days=15, approver="王主任", reason="需审查")
    # 3/9–13 (5), 16–20 (10), 23–27 (15)
    assert due(db, legacy).due == D(2026, 3, 27)
    with db.unit_of_work(read_only=True) as s:
        assert s.get(InfoRequest, legacy).pack_key == "disclosure.seed_legacy"
        assert s.get(InfoRequest, before).pack_key == "disclosure.gip_2019"


def test_a_department_review_running_late_raises_an_internal_alert(db, clock, staff):
    rid, _ = receive(db, clock, staff, D(2026, 11, 23))
    dept = department(db)
    step(db, clock, staff, rid, "route", D(2026, 11, 24), department_user_id=dept.user_id)
    # 10 working days from 11/24: 11/25–27 (3), 11/30–12/4 (8), 12/7, 12/8 (10)
    assert tracked(db, rid)["review_within"] == (D(2026, 12, 8), False)
    assert tick(db, clock, D(2026, 12, 8)).alerts == []
    result = tick(db, clock, D(2026, 12, 9))
    assert [kind for _, kind in result.alerts] == ["review_overdue"]
    step(db, clock, dept, rid, "opinion", D(2026, 12, 9), opinion="建议予以公开", suggested_form="disclosed")
    assert "review_within" not in tracked(db, rid)


# ------------------------------------------------------------ into a year without an official calendar

HOLIDAYS_2027 = (
    [(D(2027, 1, 1) + timedelta(days=i), "元旦") for i in range(3)]
    + [(D(2027, 2, 5) + timedelta(days=i), "春节") for i in range(9)]
    + [(D(2027, 10, 1) + timedelta(days=i), "国庆节") for i in range(7)]
)
WORKDAYS_2027 = [(D(2027, 1, 31), "调休上班"), (D(2027, 2, 20), "调休上班"), (D(2027, 10, 9), "调休上班")]


def test_an_extended_deadline_into_2027_is_provisional_until_the_schedule_is_entered(db, clock, staff):
    from sunshine.identity.roles import Role
    from tests.builders import make_user
    from tests.inforequests.builders import principal

    first, _ = receive(db, clock, staff, D(2026, 12, 1))
    # 12/2–4 (3), 7–11 (8), 14–18 (13), 21–25 (18), 12/28, 12/29 (20): all in 2026, official
    assert (due(db, first).due, due(db, first).provisional) == (D(2026, 12, 29), False)
    step(db, clock, staff, first, "extend", D(2026, 12, 28), days=20, approver="李主任", reason="涉及多个项目档案")
    # 12/30, 12/31 (2), 1/1/2027 元旦 (estimated), 1/4–8 (7), 11–15 (12), 18–22 (17), 1/25–27 (20)
    answer = due(db, first)
    assert (answer.due, answer.provisional) == (D(2027, 1, 27), True)
    assert tracked(db, first)["answer_within"] == (D(2027, 1, 27), True)

    second, _ = receive(db, clock, staff, D(2026, 12, 21))
    # 12/22–25 (4), 28–31 (8), 1/4–8 (13), 11–15 (18), 1/18, 1/19 (20)
    assert (due(db, second).due, due(db, second).provisional) == (D(2027, 1, 19), True)
    step(db, clock, staff, second, "extend", D(2027, 1, 18), days=20, approver="李主任", reason="需征询多个部门")
    # estimated 2027: 1/20–22 (3), 25–29 (8), 2/1–4 (12), 除夕 2/5 … 初三 2/8 off, 2/9–12 (16), 2/15–18 (20)
    assert (due(db, second).due, due(db, second).provisional) == (D(2027, 2, 18), True)

    make_user(db, Role.ADMIN, username="admin")
    admin = principal(db, "admin")
    schedule = calendar.YearSchedule(
        year=2027, source="国办发明电〔2026〕（测试用）", holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027
    )
    with db.unit_of_work() as s:
        changes = calendar.import_year(s, actor=admin, schedule=schedule)
    assert len(changes) == 2
    # the first: same day, no longer provisional
    assert (due(db, first).due, due(db, first).provisional) == (D(2027, 1, 27), False)
    assert tracked(db, first)["answer_within"] == (D(2027, 1, 27), False)
    # the second: Sun 1/31 is a make-up workday, 春节 runs 2/5–2/13, Sat 2/20 is a make-up workday:
    # 1/20–22 (3), 25–29 (8), 1/31 (9), 2/1–4 (13), 2/15–19 (18), 2/20 (19), 2/22 (20)
    assert (due(db, second).due, due(db, second).provisional) == (D(2027, 2, 22), False)
    assert tracked(db, second)["answer_within"] == (D(2027, 2, 22), False)
    with db.unit_of_work(read_only=True) as s:
        kinds = s.scalars(select(LedgerEntry.kind).where(LedgerEntry.kind == "calendar:deadline:recomputed")).all()
        assert len(kinds) == 2  # the recomputation is in the ledger


def test_the_tick_realigns_a_tracked_deadline_when_a_past_day_of_the_calendar_changes(db, clock, staff):
    from sunshine.identity.roles import Role
    from tests.builders import make_user
    from tests.inforequests.builders import principal

    rid, _ = receive(db, clock, staff, D(2026, 11, 23))
    step(db, clock, staff, rid, "consultation", D(2026, 11, 26), party="other_agency", party_name="示范市财政局")
    step(db, clock, staff, rid, "consultation-end", D(2026, 11, 30))
    before = due(db, rid).due
    make_user(db, Role.ADMIN, username="admin")
    with db.unit_of_work() as s:  # a day before the consultation becomes a holiday after the fact
        calendar.set_day(
            s, actor=principal(db, "admin"), day=D(2026, 11, 25), kind="holiday", name="临时休息", reason="测试"
        )
    tick(db, clock, D(2026, 12, 1))
    after = due(db, rid).due
    assert after > before
    assert tracked(db, rid)["answer_within"][0] == after
    with db.unit_of_work(read_only=True) as s:
        open_rows = s.scalars(
            select(TrackedDeadline).where(
                TrackedDeadline.subject == f"inforequest:{rid}", TrackedDeadline.is_open.is_(True)
            )
        ).all()
        assert len(open_rows) == 1
