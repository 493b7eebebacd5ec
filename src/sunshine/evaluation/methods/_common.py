"""Arithmetic and checks the evaluation methods share: the one rounding, reading rule values, the SME price
deduction (财库〔2020〕46号 第九条 as raised by 财库〔2022〕19号), the price score (87号令 第五十五条) and the checks
of a declaration every method runs. Pure: ``Decimal`` in, ``Decimal`` out, no database, no clock.

Rounding (``ranking.rnd``): every value the platform shows (a price score, a criterion's average, a weighted
part) is computed at full precision and rounded **once**, to 2 decimals, half up (``ROUND_HALF_UP``, 四舍五入); a
total is the exact sum of its rounded parts, so a reader can add the report's columns and find the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from sunshine.core.errors import InvalidInput
from sunshine.evaluation.methods.base import BidInput, Declared
from sunshine.evaluation.ranking import TIE_BREAKS

HUNDRED = Decimal(100)
CATEGORY_LABELS = {"goods": "货物", "services": "服务", "works": "工程"}


def fraction(rules: Mapping[str, Decimal], rule_id: str) -> Decimal | None:
    """A percent rule as a fraction (30 → 0.30), ``None`` when the pack does not hold it."""
    value = rules.get(rule_id)
    return None if value is None else Decimal(value) / HUNDRED


def whole(rules: Mapping[str, Decimal], rule_id: str) -> int | None:
    value = rules.get(rule_id)
    return None if value is None else int(value)


def pct(value: Decimal) -> str:
    """0.3 → "30%"; 0.125 → "12.5%"."""
    return f"{format((value * HUNDRED).normalize(), 'f')}%"


# --------------------------------------------------------------------------- prices


def sme_ranges(category: str | None) -> tuple[str, str]:
    """The rule ids of the deduction range for ``category``: works have their own (3–5 %)."""
    if category == "works":
        return "sme_deduction_works_min", "sme_deduction_works_max"
    return "sme_deduction_min", "sme_deduction_max"


def deducted(bid: BidInput, declared: Declared) -> Decimal:
    """The price after the SME deduction, for the evaluation only (财库〔2020〕46号 第九条：用扣除后的价格参加评审);
    the contract price stays ``bid.price``."""
    if bid.sme and declared.sme_deduction > 0:
        return bid.price * (1 - declared.sme_deduction)
    return bid.price


def check_inputs(declared: Declared, bids: Iterable[BidInput]) -> None:
    """What ``evaluate`` cannot compute with, refused as a 422 even when ``check`` was not called first."""
    d = declared.sme_deduction
    if not d.is_finite() or d < 0 or d >= 1:
        raise InvalidInput("小微企业价格扣除比例应在 0 与 100% 之间", field="sme_deduction")
    w = declared.price_weight
    if w is not None and (not w.is_finite() or w < 0 or w > 1):
        raise InvalidInput("价格权值应在 0 与 100% 之间", field="price_weight")
    check_prices(bids)


def check_prices(bids: Iterable[BidInput]) -> None:
    for bid in bids:
        if not bid.price.is_finite() or bid.price <= 0:
            raise InvalidInput(f"{bid.bidder}的投标报价应为正数", field="price", ref=bid.ref)


def price_scores(prices: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """87号令 第五十五条: the lowest evaluation price is the base and scores full marks (100); every other bid
    scores ``base / price × 100``. Unrounded: the caller rounds once."""
    if not prices:
        return {}
    base = min(prices.values())
    return {ref: base / price * HUNDRED for ref, price in prices.items()}


# --------------------------------------------------------------------------- checks of a declaration


def check_sme(declared: Declared, rules: Mapping[str, Decimal], category: str | None = None) -> list[str]:
    """The declared SME deduction lies within the pack's range for the category (0 = none declared); ``category``
    is the method's own when the declaration names none (engineering: works)."""
    category = declared.category or category
    d = declared.sme_deduction
    if d == 0:
        return []
    if d < 0 or d >= 1:
        return ["小微企业价格扣除比例应在 0 与 100% 之间"]
    low_id, high_id = sme_ranges(category)
    low, high = fraction(rules, low_id), fraction(rules, high_id)
    label = CATEGORY_LABELS.get(category or "", "")
    if low is not None and d < low or high is not None and d > high:
        span = f"{pct(low) if low is not None else '0%'}—{pct(high) if high is not None else '100%'}"
        basis = "财库〔2020〕46号第九条、财库〔2022〕19号"
        return [f"{label}项目小微企业价格扣除比例应为 {span}（{basis}），所定为 {pct(d)}"]
    return []


def check_candidates(declared: Declared, rules: Mapping[str, Decimal]) -> list[str]:
    problems = []
    most, least = whole(rules, "candidates_max"), whole(rules, "candidates_min")
    if declared.candidates < 1:
        problems.append("推荐的候选人数量至少为 1")
    if most is not None and declared.candidates > most:
        problems.append(f"推荐的中标候选人不得超过 {most} 名（招标投标法实施条例第五十三条）")
    if least is not None and declared.candidates < least:
        problems.append(f"推荐的成交候选人不得少于 {least} 名（政府采购非招标采购方式管理办法第三十五条、第四十八条）")
    return problems


def check_tie_break(declared: Declared, allowed: Iterable[str]) -> list[str]:
    if declared.tie_break is None or declared.tie_break in allowed:
        return []
    known = "、".join(TIE_BREAKS[k].label for k in allowed)
    return [f"招标文件规定的并列排序规则不适用于本评审方法，可选：{known}"]


def check_criteria(declared: Declared, *, price_criterion: bool) -> list[str]:
    """Codes unique, ranges sane, at most one price criterion; members score every criterion but price."""
    problems = []
    codes = [c.code for c in declared.criteria]
    if len(set(codes)) != len(codes):
        problems.append("评分因素编号重复")
    for c in declared.criteria:
        if c.min_score < 0 or c.max_score <= c.min_score:
            problems.append(f"评分因素「{c.title}」的分值范围无效")
    prices = [c for c in declared.criteria if c.kind == "price"]
    if len(prices) > 1:
        problems.append("价格评分因素只能有一项")
    if not price_criterion and prices:
        problems.append("本评审方法不设价格评分因素")
    return problems
