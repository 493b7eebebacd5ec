"""The contract every evaluation method (评标/评审办法) keeps: what the platform hands a method and what it returns.

A method is a pure calculation: no database, no clock. The session hands it the bids still valid after the
qualification and compliance reviews, the members' scores (for scored methods), what the tender declared and
the rule values of the project's pack; the method returns each bid's evaluation price, price score, total and
rank, the ties the law leaves to the purchaser or a draw, and the scores that deviate from the other members'.
Money and scores are ``Decimal``; rounding is the method's, stated in its docstring. Each method lives in its own
module of this package with its formula and legal basis in the module docstring; ``sunshine.evaluation.methods``
finds them (``get(code)``, ``all_methods()``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Protocol

# what a criterion scores: the price (computed by the platform, never typed by a member), or what members score
CriterionKind = Literal["price", "technical", "commercial"]
# what is bought: the price weight and the SME deduction ranges the law fixes depend on it (87号令 第五十五条)
Category = Literal["goods", "services", "works"]


@dataclass(frozen=True)
class Criterion:
    """One scoring criterion (评分因素) the tender declares, with its range."""

    code: str
    title: str
    kind: CriterionKind
    max_score: Decimal
    min_score: Decimal = Decimal(0)


@dataclass(frozen=True)
class Declared:
    """What the tender (notice and documents) declared about its evaluation."""

    method: str
    criteria: tuple[Criterion, ...] = ()
    # the price's weight in the total, a fraction (0.30 = 30 %); ``None`` where the method does not weigh price
    price_weight: Decimal | None = None
    # small and micro enterprises' price deduction the tender declares, a fraction (0.10 = 10 %) — 财库〔2020〕46号
    sme_deduction: Decimal = Decimal(0)
    # how many candidates the committee recommends
    candidates: int = 3
    # the tender's own rule for ties the law leaves open, e.g. "technical" (higher technical score first)
    tie_break: str | None = None
    # goods, services or works; ``None`` where the method does not depend on it
    category: Category | None = None
    # the price is fixed by the state or the tender (执行统一价格标准): price is not scored (87号令 第五十五条)
    price_fixed: bool = False


@dataclass(frozen=True)
class BidInput:
    """A bid still valid after the reviews."""

    ref: str  # the bid's opaque reference in the session
    bidder: str  # shown name, for the report
    price: Decimal  # the quoted price after arithmetic correction (87号令 第五十九条): the contract price
    sme: bool = False  # small or micro enterprise entitled to the declared deduction
    # evaluated adjustments in yuan the committee recorded (经评审的最低投标价法: quantified deviations)
    adjustments: Decimal = Decimal(0)
    # single source: the negotiation record (协商情况记录) the price was agreed in
    record: str = ""


# member → bid ref → criterion code → score (members score only criteria that are not ``price``)
Scores = Mapping[str, Mapping[str, Mapping[str, Decimal]]]


@dataclass(frozen=True)
class BidResult:
    ref: str
    evaluation_price: Decimal  # the price the evaluation compares (deductions and adjustments applied)
    price: Decimal  # the quoted (contract) price, never changed by a deduction
    price_score: Decimal | None  # the computed price score before weighting, ``None`` for unscored methods
    total: Decimal | None  # the final score, ``None`` for price-only methods
    rank: int  # 1 = first; tied bids share a rank
    # criterion code → the members' average for that criterion (scored methods)
    parts: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Deviation:
    """A member's score that differs from the other members' mean by more than the allowed amount."""

    member: str
    ref: str
    criterion: str
    score: Decimal
    others_mean: Decimal


@dataclass(frozen=True)
class Outcome:
    results: tuple[BidResult, ...]  # in rank order
    # groups of bid refs tied after the statutory rule and the tender's own: the purchaser decides, or a draw
    tie_pending: tuple[tuple[str, ...], ...] = ()
    deviations: tuple[Deviation, ...] = ()

    def recommended(self, count: int) -> tuple[BidResult, ...]:
        return tuple(r for r in self.results if r.rank <= count)


class Method(Protocol):
    code: str  # stable key, e.g. "comprehensive_scoring"
    title: str  # Chinese name, e.g. "综合评分法"
    basis: str  # legal basis, cited
    scored: bool  # do members score criteria?
    price_only: bool  # lowest (evaluated) price wins

    def check(self, declared: Declared, rules: Mapping[str, Decimal]) -> list[str]:
        """What is wrong with a tender's declaration, in Chinese (e.g. a price weight below the minimum)."""
        ...

    def evaluate(
        self,
        declared: Declared,
        bids: list[BidInput],
        scores: Scores,
        rules: Mapping[str, Decimal],
    ) -> Outcome: ...
