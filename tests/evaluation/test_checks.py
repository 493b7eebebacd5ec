"""``check`` refuses what the law forbids in a tender's declaration, in Chinese, citing the rule."""

from __future__ import annotations

from decimal import Decimal as D

from sunshine.evaluation import methods
from sunshine.evaluation.methods.base import Criterion, Declared
from tests.evaluation.packrules import rules_of

TECH = Criterion("tech", "技术", "technical", D(75))


def test_goods_price_weight_below_thirty_percent_is_refused():
    """87号令 第五十五条: goods price weight at least 30 %."""
    method = methods.get("comprehensive_scoring")
    declared = Declared("comprehensive_scoring", (TECH,), price_weight=D("0.25"), category="goods")
    problems = method.check(declared, rules_of("gov_procurement.open_tender"))
    assert "货物项目的价格权值不得低于 30%，所定为 25%" in problems


def test_services_accept_ten_percent_but_not_less():
    method = methods.get("comprehensive_scoring")
    rules = rules_of("gov_procurement.open_tender")
    t90, t92 = Criterion("t", "技术", "technical", D(90)), Criterion("t", "技术", "technical", D(92))
    ok = Declared("comprehensive_scoring", (t90,), D("0.10"), category="services")
    assert method.check(ok, rules) == []
    low = Declared("comprehensive_scoring", (t92,), D("0.08"), category="services")
    assert "服务项目的价格权值不得低于 10%，所定为 8%" in method.check(low, rules)


def test_weights_must_add_to_one_hundred():
    method = methods.get("comprehensive_scoring")
    declared = Declared("comprehensive_scoring", (TECH,), price_weight=D("0.30"), category="goods")
    problems = method.check(declared, rules_of("gov_procurement.open_tender"))
    assert any("合计应为 100%" in p for p in problems)


def test_sme_deduction_outside_the_pack_range_is_refused():
    """财库〔2022〕19号: goods and services 10–20 %."""
    method = methods.get("comprehensive_scoring")
    declared = Declared(
        "comprehensive_scoring", (Criterion("t", "技术", "technical", D(70)),), D("0.30"), D("0.06"), category="goods"
    )
    problems = method.check(declared, rules_of("gov_procurement.open_tender"))
    assert any("10%—20%" in p and "所定为 6%" in p for p in problems)


def test_fixed_price_items_are_not_price_scored():
    method = methods.get("comprehensive_scoring")
    rules = rules_of("gov_procurement.open_tender")
    declared = Declared("comprehensive_scoring", (Criterion("t", "技术", "technical", D(100)),), price_fixed=True)
    assert method.check(Declared(**{**declared.__dict__, "category": "goods"}), rules) == []
    priced = Declared(**{**declared.__dict__, "category": "goods", "price_weight": D("0.30")})
    assert any("价格不列为评分因素" in p for p in method.check(priced, rules))


def test_evaluate_refuses_what_it_cannot_compute_with_a_422():
    """Even without ``check`` first: an impossible deduction, a tie-break the method has no value for."""
    import pytest

    from sunshine.core.errors import InvalidInput
    from sunshine.evaluation.methods.base import BidInput

    bids = [BidInput("A", "甲", D(100), sme=True), BidInput("B", "乙", D(120))]
    with pytest.raises(InvalidInput) as err:
        methods.get("enquiry").evaluate(Declared("enquiry", sme_deduction=D(1)), bids, {}, {})
    assert err.value.status == 422 and "扣除比例" in err.value.detail
    with pytest.raises(InvalidInput) as err:
        methods.get("enquiry").evaluate(Declared("enquiry", tie_break="technical"), bids, {}, {})
    assert "并列排序规则" in err.value.detail
    assert methods.get("enquiry").check(Declared("enquiry", tie_break="technical"), {}) == [
        "招标文件规定的并列排序规则不适用于本评审方法，可选：投标报价低者优先"
    ]
