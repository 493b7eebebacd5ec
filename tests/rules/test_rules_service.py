"""sunshine.rules.service: resolving a pack with the centre's overrides, the stricter-only rule for
overrides and their ledger entries, the snapshot a project keeps from registration, and the deadline
helpers at their boundaries (19 vs 20 days; working days across the 2026 National Day holiday)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.rules import service
from sunshine.rules.models import RuleOverride
from tests.builders import make_user

TODAY = date(2026, 11, 23)  # the test clock's date
ENG = "engineering.open_tender"
BID_PERIOD = "docs_to_bid_deadline"


@pytest.fixture
def admin(db) -> Principal:
    name = make_user(db, Role.ADMIN, username="rules-admin")
    with db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.username == name))
        return Principal(user_id=user.id, username=name, roles=frozenset({Role.ADMIN}))


def resolved(db, key: str = ENG, on: date = TODAY) -> service.ResolvedPack:
    with db.unit_of_work(read_only=True) as s:
        return service.resolve(s, key, on)


def set_override(
    db, admin, key=ENG, rule_id=BID_PERIOD, value="25", reason="市政府令第5号：本市公开招标等标期不少于25日"
):
    with db.unit_of_work() as s:
        return service.set_override(s, actor=admin, key=key, rule_id=rule_id, value=value, reason=reason)


# --------------------------------------------------------------------------- resolving and overrides


def test_resolved_pack_shows_statutory_values_and_basis(db):
    pack = resolved(db)
    assert (pack.key, pack.version, pack.name, pack.lifecycle) == (ENG, "2019-03-02", "工程建设项目公开招标", "tender")
    rule = pack.rule(BID_PERIOD)
    assert (rule.value, rule.statutory_value, rule.override_reason) == (Decimal(20), Decimal(20), None)
    assert rule.display == "20 日" and rule.bound_label == "不少于"
    assert rule.basis_text == "《中华人民共和国招标投标法》第二十四条"
    assert pack.rule("complaint_accept").display == "3 个工作日"
    assert pack.rule("deposit_max_percent").display == "2 %"
    assert pack.rule("mandatory_tender_threshold").display == "4,000,000 元"
    with pytest.raises(NotFound, match="没有规则 no_such_rule"):
        pack.rule("no_such_rule")


def test_override_applies_next_to_the_statutory_value_and_is_ledgered(db, admin):
    rule = set_override(db, admin)
    assert (rule.value, rule.statutory_value, rule.overridden) == (Decimal(25), Decimal(20), True)
    now = resolved(db).rule(BID_PERIOD)
    assert now.display == "25 日" and now.statutory_display == "20 日"
    assert now.override_reason == "市政府令第5号：本市公开招标等标期不少于25日"
    # other packs and other rules are untouched
    assert resolved(db, "engineering.invited_tender").rule(BID_PERIOD).value == 20
    assert resolved(db).rule("docs_sale_period").override_reason is None
    with db.unit_of_work(read_only=True) as s:
        [entry] = ledger.entries_for(s, f"rule:{ENG}:{BID_PERIOD}", limit=10)
        payload = json.loads(entry.payload)
    assert entry.kind == "rules:override:set"
    assert payload == {
        "key": ENG,
        "rule": BID_PERIOD,
        "title": "招标文件开始发出之日至投标截止之日",
        "version": "2019-03-02",
        "value": "25",
        "statutory": "20",
        "unit": "calendar_days",
        "bound": "min",
        "replaces": None,
        "reason": "市政府令第5号：本市公开招标等标期不少于25日",
        "by": admin.user_id,
    }


def test_clearing_returns_the_statutory_value_and_keeps_the_history(db, admin):
    set_override(db, admin)
    set_override(db, admin, value="30", reason="市政府令第6号")  # replaces the first one
    assert resolved(db).rule(BID_PERIOD).value == 30
    with db.unit_of_work() as s:
        rule = service.clear_override(s, actor=admin, key=ENG, rule_id=BID_PERIOD)
    assert (rule.value, rule.override_reason) == (Decimal(20), None)
    assert resolved(db).rule(BID_PERIOD).display == "20 日"
    with db.unit_of_work(read_only=True) as s:
        history = service.override_history(s, ENG)
        entries = ledger.entries_for(s, f"rule:{ENG}:{BID_PERIOD}", limit=10)  # oldest first
        kinds = [e.kind for e in entries]
        second_payload = json.loads(entries[1].payload)
    assert [(h.value, h.reason, h.cleared_at is not None) for h in history] == [
        (Decimal(30), "市政府令第6号", True),
        (Decimal(25), "市政府令第5号：本市公开招标等标期不少于25日", True),
    ]
    assert kinds == ["rules:override:set", "rules:override:set", "rules:override:cleared"]
    assert second_payload["replaces"] == "25"
    with db.unit_of_work() as s, pytest.raises(NotFound, match="没有本地调整"):
        service.clear_override(s, actor=admin, key=ENG, rule_id=BID_PERIOD)


@pytest.mark.parametrize(
    ("rule_id", "value", "message"),
    [
        (
            BID_PERIOD,
            "20",
            "本地调整只能严于法定值：「招标文件开始发出之日至投标截止之日」法定不少于 20 日，本地值应高于此值",
        ),
        (BID_PERIOD, "19", "本地值应高于此值"),
        ("deposit_max_percent", "3", "法定不超过 2 %，本地值应低于此值"),
        ("contract_within", "31", "法定不超过 30 日，本地值应低于此值"),
        ("opening_at_deadline", "1", "为法定固定值（0 小时），不可本地调整"),
        (BID_PERIOD, "25.5", "期间应为整数日"),
        ("min_bids", "3.5", "数量应为整数"),
        (BID_PERIOD, "-1", "数值不能为负数"),
        (BID_PERIOD, "abc", "请输入数值"),
        (BID_PERIOD, "NaN", "请输入数值"),
        (BID_PERIOD, "99999", "期间不能超过 3650 日"),
    ],
)
def test_override_must_be_stricter_and_sensible(db, admin, rule_id, value, message):
    with db.unit_of_work(read_only=True) as s:
        before = ledger.size(s)
    with pytest.raises(InvalidInput) as caught:
        set_override(db, admin, rule_id=rule_id, value=value)
    assert message in caught.value.detail
    assert caught.value.extra["field"] == "value"
    with db.unit_of_work(read_only=True) as s:
        assert s.scalars(select(RuleOverride)).all() == []
        assert ledger.size(s) == before


def test_stricter_overrides_in_both_directions_are_accepted(db, admin):
    assert set_override(db, admin, rule_id="deposit_max_percent", value="1.5").display == "1.5 %"
    assert set_override(db, admin, rule_id="min_bids", value="5").display == "5"
    assert (
        set_override(db, admin, key="engineering.small_works_draw", rule_id="draw_threshold", value="300000").display
        == "300,000 元"
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_override_needs_a_reason(db, admin, reason):
    with pytest.raises(InvalidInput, match="请填写调整理由") as caught:
        set_override(db, admin, reason=reason)
    assert caught.value.extra["field"] == "reason"


def test_override_of_an_unknown_pack_or_rule_is_not_found(db, admin):
    with pytest.raises(NotFound, match="规则包 engineering.nothing 不存在"):
        set_override(db, admin, key="engineering.nothing")
    with pytest.raises(NotFound, match="没有规则 bid_colour"):
        set_override(db, admin, rule_id="bid_colour")


# --------------------------------------------------------------------------- snapshots and versions


def test_a_project_keeps_the_rules_in_force_when_it_was_registered(db, admin):
    """Registered on 2007-06-01 under the 2002 regulation, the project keeps 10 working days of listing
    after the 2007 regulation (10 days) came into force and after a local override."""
    registered = resolved(db, "land.listing", date(2007, 6, 1))
    stored = json.dumps(registered.snapshot(), ensure_ascii=False)  # what the project row keeps

    set_override(db, admin, key="land.listing", rule_id="listing_period", value="15", reason="本市挂牌不少于15日")
    today = resolved(db, "land.listing", TODAY)
    assert (today.version, today.rule("listing_period").display) == ("2007-11-01", "15 日")
    assert today.rule("listing_period").statutory_display == "10 日"

    kept = service.ResolvedPack.from_snapshot(json.loads(stored))
    assert kept == registered
    assert (kept.version, kept.rule("listing_period").display) == ("2002-07-01", "10 个工作日")
    assert kept.rule("listing_period").override_reason is None
    assert not kept.has("result_publication_within")  # the 2002 regulation had no such rule here
    with db.unit_of_work(read_only=True) as s:
        # 10 working days skip the National Day holiday; 15 days end on 2026-10-15 (a Thursday)
        assert service.earliest_after(s, kept.rule("listing_period"), date(2026, 9, 30)).due == date(2026, 10, 20)
        assert service.earliest_after(s, today.rule("listing_period"), date(2026, 9, 30)).due == date(2026, 10, 15)


def test_snapshot_is_json_safe_with_decimals_as_strings(db, admin):
    set_override(db, admin, rule_id="deposit_max_percent", value="1.5", reason="本市保证金不超过1.5%")
    snap = resolved(db).snapshot()
    assert json.loads(json.dumps(snap)) == snap
    deposit = next(r for r in snap["rules"] if r["id"] == "deposit_max_percent")
    assert deposit["value"] == "1.5" and deposit["statutory_value"] == "2"
    assert deposit["override_reason"] == "本市保证金不超过1.5%"
    assert next(r for r in snap["rules"] if r["id"] == "expert_share_min")["value"] == "66.67"
    with pytest.raises(InvalidInput, match="格式无法识别"):
        service.ResolvedPack.from_snapshot({**snap, "format": 99})


def test_an_override_that_is_no_longer_stricter_gives_way(db, admin):
    """If a later version raised the statutory value above an old override, the statutory value wins."""
    row_rule = resolved(db).rule(BID_PERIOD)
    with db.unit_of_work() as s:
        s.add(
            RuleOverride(
                pack_key=ENG,
                rule_id=BID_PERIOD,
                value=Decimal(15),
                reason="旧规",
                set_by=admin.user_id,
                set_at=service.clock.now(),
            )
        )
    assert resolved(db).rule(BID_PERIOD) == row_rule


# --------------------------------------------------------------------------- deadlines


def test_bid_period_of_20_days_boundary(db):
    rule = resolved(db).rule(BID_PERIOD)
    issued = date(2026, 11, 24)  # Tuesday; the 20th day after is Monday 2026-12-14
    with db.unit_of_work(read_only=True) as s:
        assert service.earliest_after(s, rule, issued).due == date(2026, 12, 14)
        service.check_min_period(s, rule, issued, date(2026, 12, 14))  # 20 days: fine
        service.check_min_period(s, rule, issued, date(2026, 12, 20))
        with pytest.raises(RuleViolation) as caught:
            service.check_min_period(s, rule, issued, date(2026, 12, 13))  # 19 days
    error = caught.value
    assert isinstance(error, Conflict) and (error.status, error.code) == (409, "rule_violation")
    assert error.detail == (
        "「招标文件开始发出之日至投标截止之日」须不少于 20 日（依据：《中华人民共和国招标投标法》第二十四条）："
        "自2026年11月24日起算，最早为2026年12月14日，所定的2026年12月13日早于此日"
    )
    assert error.extra == {
        "rule": BID_PERIOD,
        "basis": "《中华人民共和国招标投标法》第二十四条",
        "required": "20",
        "unit": "calendar_days",
        "earliest": "2026-12-14",
        "start": "2026-11-24",
        "end": "2026-12-13",
    }


def test_a_period_ending_on_a_sunday_runs_to_the_monday(db):
    """民法典第二百零三条: the 20th day after 2026-11-23 is Sunday 2026-12-13, so the period ends on Monday."""
    rule = resolved(db).rule(BID_PERIOD)
    with db.unit_of_work(read_only=True) as s:
        result = service.earliest_after(s, rule, date(2026, 11, 23))
        with pytest.raises(RuleViolation, match="最早为2026年12月14日"):
            service.check_min_period(s, rule, date(2026, 11, 23), date(2026, 12, 13))
    assert result.due == date(2026, 12, 14)
    assert "第二百零三条" in result.basis


def test_the_local_override_moves_the_deadline_and_is_named_in_the_refusal(db, admin):
    set_override(db, admin)
    rule = resolved(db).rule(BID_PERIOD)
    with db.unit_of_work(read_only=True) as s:
        assert service.earliest_after(s, rule, date(2026, 11, 24)).due == date(2026, 12, 21)
        with pytest.raises(RuleViolation) as caught:
            service.check_min_period(s, rule, date(2026, 11, 24), date(2026, 12, 14))
    assert "须不少于 25 日" in caught.value.detail
    assert "本地调整：市政府令第5号" in caught.value.detail
    assert caught.value.extra["earliest"] == "2026-12-21"


def test_working_days_across_national_day_2026_count_the_make_up_saturday(db):
    """2026-10-01..07 are holidays; Saturday 2026-10-10 is a make-up workday (调休上班)."""
    tender = resolved(db, "gov_procurement.open_tender")
    negotiation = resolved(db, "gov_procurement.competitive_negotiation")
    with db.unit_of_work(read_only=True) as s:
        sale = service.earliest_after(s, tender.rule("docs_sale_period"), date(2026, 9, 30))
        response = service.earliest_after(s, negotiation.rule("response_period"), date(2026, 9, 30))
        service.check_min_period(s, tender.rule("docs_sale_period"), date(2026, 9, 30), date(2026, 10, 13))
        with pytest.raises(RuleViolation, match="最早为2026年10月13日"):
            service.check_min_period(s, tender.rule("docs_sale_period"), date(2026, 9, 30), date(2026, 10, 12))
    assert sale.due == date(2026, 10, 13)  # 10-08, 10-09, 10-10 (Sat), 10-12, 10-13
    assert response.due == date(2026, 10, 10)  # the make-up Saturday is the third working day
    assert "调休上班" in response.basis


def test_latest_before_for_at_least_n_days_before(db):
    pack = resolved(db)
    deadline = date(2026, 12, 14)
    with db.unit_of_work(read_only=True) as s:
        assert service.latest_before(s, pack.rule("objection_before_deadline"), deadline).due == date(2026, 12, 4)
        assert service.latest_before(s, pack.rule("clarification_before_deadline"), deadline).due == date(2026, 11, 29)
        negotiation = resolved(db, "gov_procurement.competitive_negotiation")
        latest = service.latest_before(s, negotiation.rule("clarification_before_deadline"), date(2026, 10, 12))
    assert latest.due == date(2026, 10, 8)  # 10-09, 10-10 (make-up Saturday), 10-12


def test_check_within_for_a_maximum_period(db):
    rule = resolved(db).rule("contract_within")
    with db.unit_of_work(read_only=True) as s:
        service.check_within(s, rule, date(2026, 11, 24), date(2026, 12, 24))
        with pytest.raises(RuleViolation, match="最迟为2026年12月24日，所定的2026年12月25日已超过") as caught:
            service.check_within(s, rule, date(2026, 11, 24), date(2026, 12, 25))
        with pytest.raises(InvalidInput, match="是期限上限，不是最短期间"):
            service.check_min_period(s, rule, date(2026, 11, 24), date(2026, 12, 25))
    assert caught.value.extra["latest"] == "2026-12-24"


def test_rules_that_are_not_periods_are_read_through_value(db):
    pack = resolved(db)
    with db.unit_of_work(read_only=True) as s:
        for rule_id in ("deposit_max_percent", "min_bids", "decryption_window", "mandatory_tender_threshold"):
            with pytest.raises(InvalidInput, match="不是按日计算的期间"):
                service.earliest_after(s, pack.rule(rule_id), TODAY)
    assert pack.rule("decryption_window").value == 1 and pack.rule("decryption_window").unit == "hours"
