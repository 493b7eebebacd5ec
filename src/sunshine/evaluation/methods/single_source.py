"""单一来源 (government procurement from a single source): no competition, so no ranking — the price the
purchaser's negotiating team agreed with the one supplier, with the negotiation record (协商情况记录) it was
agreed in, is the result.

Basis: 《中华人民共和国政府采购法》第三十九条 (single source: the purchaser and the supplier agree a reasonable
price under guaranteed quality; confirmed, C); 《政府采购非招标采购方式管理办法》（财政部令第74号）第三十八条至
第四十条 for the publicity and objections, which the single-source pack holds (C).

Formula: one valid offer; evaluation price = negotiated price = contract price; rank 1. No deduction (there is
no competitor to compare with), no score, no candidates beyond the one supplier. The record is required: a
negotiated price without its record is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sunshine.core.errors import InvalidInput
from sunshine.evaluation.methods import _common as c
from sunshine.evaluation.methods.base import BidInput, BidResult, Declared, Outcome, Scores


@dataclass(frozen=True)
class SingleSource:
    code: str = "single_source"
    title: str = "单一来源"
    basis: str = "《中华人民共和国政府采购法》第三十九条；《政府采购非招标采购方式管理办法》（财政部令第74号）"
    scored: bool = False
    price_only: bool = False
    aliases: tuple[str, ...] = ("单一来源采购",)

    def check(self, declared: Declared, rules: Mapping[str, Decimal]) -> list[str]:
        problems = []
        if declared.method != self.code:
            problems.append(f"声明的评审方法不是{self.title}")
        if declared.criteria or declared.price_weight is not None:
            problems.append("单一来源采购不设评分因素和价格权值")
        if declared.sme_deduction:
            problems.append("单一来源采购没有可比较的报价，不适用小微企业价格扣除")
        if declared.candidates != 1:
            problems.append("单一来源采购只有一个供应商，成交候选人为 1 名")
        return problems

    def evaluate(
        self, declared: Declared, bids: list[BidInput], scores: Scores, rules: Mapping[str, Decimal]
    ) -> Outcome:
        if len(bids) != 1:
            raise InvalidInput("单一来源采购应当只有一个供应商的报价", field="bids")
        bid = bids[0]
        c.check_prices(bids)
        if not bid.record.strip():
            raise InvalidInput("请填写协商情况记录（成交价格在其中商定）", field="record", ref=bid.ref)
        return Outcome((BidResult(bid.ref, bid.price, bid.price, None, None, 1),))


METHOD = SingleSource()
