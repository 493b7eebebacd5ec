"""Worked examples computed by hand, each naming the rules it follows; the method must find the same numbers."""

from __future__ import annotations

from decimal import Decimal as D

from sunshine.evaluation import methods
from sunshine.evaluation.methods.base import BidInput, Criterion, Declared
from tests.evaluation.packrules import rules_of

TECH = Criterion("tech", "技术方案", "technical", D(50))
BIZ = Criterion("biz", "商务条件", "commercial", D(20))
PRICE30 = Criterion("price", "价格", "price", D(30))


def scores(table: dict[str, dict[str, list[int]]]) -> dict:
    """{bid: {criterion: [member 1, member 2, member 3]}} → member → bid → criterion → score"""
    out: dict = {}
    for bid, by_criterion in table.items():
        for code, values in by_criterion.items():
            for i, value in enumerate(values, 1):
                out.setdefault(f"评委{i}", {}).setdefault(bid, {})[code] = D(value)
    return out


def test_goods_comprehensive_scoring_with_sme_deduction():
    """87号令 第五十五条: base = lowest evaluation price, price score = base/price × 100, weighted by 30 % (goods
    minimum); 财库〔2022〕19号: small-enterprise deduction 10 % (within 10–20 %) on the evaluation price only.

    A 1,000,000 → 945,000/1,000,000 × 100 = 94.50 → × 0.30 = 28.35; tech 42, biz 15 → 85.35
    B 1,050,000 small → evaluation 945,000 (the base) → 100 → 30.00; tech 38, biz 17 → 85.00
    C   980,000 → 945,000/980,000 × 100 = 96.428… → 96.43; × 0.30 = 28.928… → 28.93; tech 44, biz 13 → 85.93
    Ranking (第五十七条): C, A, B.
    """
    method = methods.get("comprehensive_scoring")
    rules = rules_of("gov_procurement.open_tender")
    declared = Declared(
        "comprehensive_scoring", (PRICE30, TECH, BIZ), price_weight=D("0.30"), sme_deduction=D("0.10"), category="goods"
    )
    assert method.check(declared, rules) == []
    bids = [
        BidInput("A", "甲公司", D(1_000_000)),
        BidInput("B", "乙公司", D(1_050_000), sme=True),
        BidInput("C", "丙公司", D(980_000)),
    ]
    marks = scores(
        {
            "A": {"tech": [40, 42, 44], "biz": [15, 15, 15]},
            "B": {"tech": [38, 40, 36], "biz": [18, 17, 16]},
            "C": {"tech": [45, 44, 43], "biz": [12, 13, 14]},
        }
    )
    out = method.evaluate(declared, bids, marks, rules)
    got = {r.ref: r for r in out.results}
    assert [r.ref for r in out.results] == ["C", "A", "B"]
    assert [r.rank for r in out.results] == [1, 2, 3]
    assert got["B"].evaluation_price == D(945_000) and got["B"].price == D(1_050_000)
    assert (got["A"].price_score, got["B"].price_score, got["C"].price_score) == (D("94.50"), D("100.00"), D("96.43"))
    assert got["C"].parts == {"tech": D(44), "biz": D(13), "price": D("28.93")}
    assert (got["A"].total, got["B"].total, got["C"].total) == (D("85.35"), D("85.00"), D("85.93"))
    assert out.tie_pending == () and out.deviations == ()


def test_engineering_lowest_evaluated_price():
    """招标投标法 第四十一条 and 12号令: evaluation price = price + the committee's quantified adjustments;
    财库〔2020〕46号 第九条: a small enterprise's works price is deducted by the declared 3 % for the evaluation only;
    条例 第五十三条:
    at most 3 candidates.

    A 5,000,000 + 120,000 = 5,120,000          → 4th
    B 5,080,000                                → 2nd, tied with D (same evaluated and quoted price)
    C 4,950,000 small: × 0.97 = 4,801,500 + 200,000 = 5,001,500 → 1st
    D 5,080,000                                → 2nd (tied)
    """
    method = methods.get("lowest_evaluated_price")
    rules = rules_of("engineering.open_tender")
    declared = Declared("lowest_evaluated_price", sme_deduction=D("0.03"), category="works", tie_break="price")
    assert method.check(declared, rules) == []
    bids = [
        BidInput("A", "甲建设", D(5_000_000), adjustments=D(120_000)),
        BidInput("B", "乙建设", D(5_080_000)),
        BidInput("C", "丙建设", D(4_950_000), sme=True, adjustments=D(200_000)),
        BidInput("D", "丁建设", D(5_080_000)),
    ]
    out = method.evaluate(declared, bids, {}, rules)
    assert [(r.ref, r.rank) for r in out.results] == [("C", 1), ("B", 2), ("D", 2), ("A", 4)]
    got = {r.ref: r for r in out.results}
    assert got["C"].evaluation_price == D(5_001_500) and got["C"].price == D(4_950_000)
    assert got["A"].evaluation_price == D(5_120_000)
    assert got["C"].total is None and got["C"].price_score is None
    assert out.tie_pending == (("B", "D"),)
    assert [r.ref for r in out.recommended(3)] == ["C", "B", "D"]


def test_more_than_three_engineering_candidates_is_refused():
    method = methods.get("lowest_evaluated_price")
    problems = method.check(Declared("lowest_evaluated_price", candidates=4), rules_of("engineering.open_tender"))
    assert problems == ["推荐的中标候选人不得超过 3 名（招标投标法实施条例第五十三条）"]


def test_services_comprehensive_scoring_with_a_deviating_member():
    """87号令 第五十五条: services price weight 10 % (the services minimum); 第五十七条 ranking. The pack's
    平台默认值 flags a score more than 20 % of the criterion's full marks (70 × 20 % = 14) from the others' mean.

    A 200,000 → 160,000/200,000 × 100 = 80.00 → × 0.10 = 8.00;  tech (60+62+64)/3 = 62; biz 16        → 86.00
    B 250,000 → 64.00 → 6.40;  tech (70+55+55)/3 = 60; biz 18                                         → 84.40
    C 160,000 → 100.00 → 10.00; tech 56; biz (14+14+15)/3 = 14.333… → 14.33                           → 80.33
    评委1's 70 for B's tech is 15 from the others' mean 55 (> 14): flagged; 评委2's 55 is 7.5 from 62.5: not.
    """
    method = methods.get("comprehensive_scoring")
    rules = rules_of("gov_procurement.open_tender")
    tech = Criterion("tech", "服务方案", "technical", D(70))
    biz = Criterion("biz", "履约能力", "commercial", D(20))
    declared = Declared("comprehensive_scoring", (tech, biz), price_weight=D("0.10"), category="services")
    assert method.check(declared, rules) == []
    bids = [
        BidInput("A", "甲物业", D(200_000)),
        BidInput("B", "乙物业", D(250_000)),
        BidInput("C", "丙物业", D(160_000)),
    ]
    marks = scores(
        {
            "A": {"tech": [60, 62, 64], "biz": [15, 16, 17]},
            "B": {"tech": [70, 55, 55], "biz": [18, 18, 18]},
            "C": {"tech": [55, 56, 57], "biz": [14, 14, 15]},
        }
    )
    out = method.evaluate(declared, bids, marks, rules)
    assert [(r.ref, r.total) for r in out.results] == [("A", D("86.00")), ("B", D("84.40")), ("C", D("80.33"))]
    assert {r.ref: r.parts["price"] for r in out.results} == {"A": D("8.00"), "B": D("6.40"), "C": D("10.00")}
    assert [(d.member, d.ref, d.criterion, d.score, d.others_mean) for d in out.deviations] == [
        ("评委1", "B", "tech", D(70), D("55.00"))
    ]


def test_consultation_with_an_equal_total_broken_by_the_declared_rule():
    """财库〔2014〕214号: goods price weight 40 % (within 30–60 %); 财库〔2022〕19号: small-enterprise deduction 10 %.

    A 500,000 → 400,000/500,000 × 100 = 80.00 → × 0.40 = 32.00; tech 50 → 82.00
    B 400,000 → 100.00 → 40.00; tech 42 → 82.00
    C 450,000 small → 405,000 → 98.765… → 98.77; × 0.40 = 39.506… → 39.51; tech 40 → 79.51
    A and B tie at 82.00: the documents declare "price" (lower final offer first) → B, A, C. Without a declared
    rule they share rank 1 and the purchaser decides (tie_pending).
    """
    method = methods.get("competitive_consultation")
    rules = rules_of("gov_procurement.competitive_consultation")
    tech = Criterion("tech", "技术", "technical", D(60))
    declared = Declared("competitive_consultation", (tech,), D("0.40"), D("0.10"), category="goods", tie_break="price")
    assert method.check(declared, rules) == []
    bids = [
        BidInput("A", "甲", D(500_000)),
        BidInput("B", "乙", D(400_000)),
        BidInput("C", "丙", D(450_000), sme=True),
    ]
    marks = scores({"A": {"tech": [50, 50, 50]}, "B": {"tech": [42, 41, 43]}, "C": {"tech": [40, 40, 40]}})
    out = method.evaluate(declared, bids, marks, rules)
    assert [(r.ref, r.rank, r.total) for r in out.results] == [
        ("B", 1, D("82.00")),
        ("A", 2, D("82.00")),
        ("C", 3, D("79.51")),
    ]
    assert out.tie_pending == ()
    assert {r.ref: r.price_score for r in out.results}["C"] == D("98.77")
    open_rule = Declared(**{**declared.__dict__, "tie_break": None})
    out = method.evaluate(open_rule, bids, marks, rules)
    assert [(r.ref, r.rank) for r in out.results] == [("A", 1), ("B", 1), ("C", 3)]
    assert out.tie_pending == (("A", "B"),)


def test_consultation_price_weight_above_the_range_is_refused():
    method = methods.get("competitive_consultation")
    declared = Declared(
        "competitive_consultation", (Criterion("t", "技术", "technical", D(35)),), D("0.65"), category="goods"
    )
    problems = method.check(declared, rules_of("gov_procurement.competitive_consultation"))
    assert problems == ["货物项目的价格权值不得高于 60%，所定为 65%"]


def test_enquiry_lowest_price_with_three_candidates():
    """74号令 第四十八条: candidates by price low→high, at least 3; 财库〔2022〕19号: deduction 20 % (top of 10–20 %).

    A 100,000; B 95,000; C 118,000 small → 118,000 × 0.80 = 94,400; D 99,000 → C, B, D, A; C's price stays 118,000.
    """
    method = methods.get("enquiry")
    rules = rules_of("gov_procurement.enquiry")
    declared = Declared("enquiry", sme_deduction=D("0.20"), category="goods")
    assert method.check(declared, rules) == []
    bids = [
        BidInput("A", "甲", D(100_000)),
        BidInput("B", "乙", D(95_000)),
        BidInput("C", "丙", D(118_000), sme=True),
        BidInput("D", "丁", D(99_000)),
    ]
    out = method.evaluate(declared, bids, {}, rules)
    assert [(r.ref, r.evaluation_price) for r in out.results] == [
        ("C", D(94_400)),
        ("B", D(95_000)),
        ("D", D(99_000)),
        ("A", D(100_000)),
    ]
    assert out.results[0].price == D(118_000)
    assert [r.ref for r in out.recommended(declared.candidates)] == ["C", "B", "D"]
    two = Declared("enquiry", candidates=2)
    assert method.check(two, rules) == [
        "推荐的成交候选人不得少于 3 名（政府采购非招标采购方式管理办法第三十五条、第四十八条）"
    ]


def test_lowest_price_equal_prices_are_tied():
    """87号令 第五十六条: equal prices 并列; with no declared rule the purchaser decides (第六十八条)."""
    method = methods.get("lowest_price")
    bids = [BidInput("A", "甲", D(300)), BidInput("B", "乙", D(300)), BidInput("C", "丙", D(310))]
    out = method.evaluate(Declared("lowest_price"), bids, {}, rules_of("gov_procurement.open_tender"))
    assert [(r.ref, r.rank) for r in out.results] == [("A", 1), ("B", 1), ("C", 3)]
    assert out.tie_pending == (("A", "B"),)


def test_single_source_needs_its_record():
    method = methods.get("single_source")
    declared = Declared("single_source", candidates=1)
    assert method.check(declared, {}) == []
    bid = BidInput("A", "甲", D(88_000), record="2026年12月1日协商：由9万元降至8.8万元")
    out = method.evaluate(declared, [bid], {}, {})
    assert [(r.ref, r.rank, r.price) for r in out.results] == [("A", 1, D(88_000))]
    import pytest

    from sunshine.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        method.evaluate(declared, [BidInput("A", "甲", D(88_000))], {}, {})
    assert "协商情况记录" in err.value.detail


def test_engineering_comprehensive_assessment_with_a_small_enterprise_price_score_bonus():
    """招标投标法 第四十一条; 12号令 综合评估法 with the platform's lowest-price base;
    财库〔2020〕46号 第九条: works under 综合评估 raise a small enterprise's price score by the declared 5 %
    (within 3–5 %), the price is not deducted.

    price criterion 40 points (weight 0.40), tech 60; base = 9,000,000 (lowest quoted price)
    A 10,000,000 → 90.00 → 36.00; tech 50 → 86.00
    B  9,500,000 small → 94.7368… × 1.05 = 99.4736… → 99.47; × 0.40 = 39.789… → 39.79; tech 48 → 87.79
    C  9,000,000 → 100.00 → 40.00; tech 45 → 85.00
    → B, A, C; B's evaluation and contract price stay 9,500,000.
    """
    method = methods.get("comprehensive_assessment")
    rules = rules_of("engineering.open_tender")
    price = Criterion("price", "投标报价", "price", D(40))
    tech = Criterion("tech", "施工组织设计", "technical", D(60))
    declared = Declared("comprehensive_assessment", (price, tech), sme_deduction=D("0.05"))
    assert method.check(declared, rules) == []
    bids = [
        BidInput("A", "甲建设", D(10_000_000)),
        BidInput("B", "乙建设", D(9_500_000), sme=True),
        BidInput("C", "丙建设", D(9_000_000)),
    ]
    marks = scores({"A": {"tech": [50, 50, 50]}, "B": {"tech": [48, 47, 49]}, "C": {"tech": [45, 45, 45]}})
    out = method.evaluate(declared, bids, marks, rules)
    assert [(r.ref, r.total) for r in out.results] == [("B", D("87.79")), ("A", D("86.00")), ("C", D("85.00"))]
    got = {r.ref: r for r in out.results}
    assert got["B"].price_score == D("99.47") and got["B"].parts["price"] == D("39.79")
    assert got["B"].evaluation_price == got["B"].price == D(9_500_000)
    too_much = Declared("comprehensive_assessment", (price, tech), sme_deduction=D("0.06"))
    assert any("3%—5%" in p for p in method.check(too_much, rules))
