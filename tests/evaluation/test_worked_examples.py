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
