"""The engine of the price-only methods (经评审的最低投标价法, 最低评标价法, 竞争性谈判, 询价): the bids still
valid after the reviews, each with its evaluation price, ranked from the lowest. Each method module configures
one ``LowestPriceMethod`` and states its own formula and basis in its docstring.

Evaluation price ``= 报价 × (1 − 扣除比例)`` for an entitled small or micro enterprise (财库〔2020〕46号 第九条),
``+ 评审调整`` where the method quantifies deviations (engineering: 经评审的最低投标价法). The quoted price is the
contract price and never changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sunshine.core.errors import InvalidInput
from sunshine.evaluation import ranking
from sunshine.evaluation.methods import _common as c
from sunshine.evaluation.methods._scoring import _outcome
from sunshine.evaluation.methods.base import BidInput, Declared, Outcome, Scores


@dataclass(frozen=True)
class LowestPriceMethod:
    code: str
    title: str
    basis: str
    # engineering: the committee's quantified deviations (评审调整) are added to the evaluation price
    adjustments: bool = False
    aliases: tuple[str, ...] = ()
    default_category: str | None = None  # what is bought when the declaration does not say (engineering: works)
    scored: bool = False
    price_only: bool = True

    def check(self, declared: Declared, rules: Mapping[str, Decimal]) -> list[str]:
        problems = []
        if declared.method != self.code:
            problems.append(f"声明的评审方法不是{self.title}")
        if declared.criteria and any(k.kind != "price" for k in declared.criteria):
            problems.append(f"{self.title}不设评分因素，以评审后的价格排序")
        if declared.price_weight is not None:
            problems.append(f"{self.title}不设价格权值")
        problems += c.check_sme(declared, rules, self.default_category)
        problems += c.check_candidates(declared, rules)
        problems += c.check_tie_break(declared, ("price",))
        return problems

    def evaluation_price(self, bid: BidInput, declared: Declared) -> Decimal:
        price = c.deducted(bid, declared)
        return price + bid.adjustments if self.adjustments else price

    def evaluate(
        self, declared: Declared, bids: list[BidInput], scores: Scores, rules: Mapping[str, Decimal]
    ) -> Outcome:
        if not bids:
            return Outcome(())
        c.check_inputs(declared, bids)
        if len({b.ref for b in bids}) != len(bids):
            raise InvalidInput("投标编号重复", field="bids")
        rows: list[dict[str, object]] = []
        for bid in bids:
            evaluation = self.evaluation_price(bid, declared)
            if evaluation <= 0:
                raise InvalidInput(f"{bid.bidder}经评审的价格应为正数", field="adjustments", ref=bid.ref)
            rows.append({"ref": bid.ref, "evaluation_price": evaluation, "price": bid.price, "total": None})
        statutory: tuple[tuple[str, ranking.Direction], ...] = (("evaluation_price", "asc"),)
        parts = {b.ref: {} for b in bids}
        return _outcome(statutory, declared, bids, rows, {}, parts, {}, rules)
