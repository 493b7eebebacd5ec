"""The engine of the scored methods (综合评分法, 竞争性磋商's 综合评分法, 综合评估法): members score the criteria,
the platform computes the price score, weighs it, adds the members' averages and ranks. Each method module
configures one ``ScoredMethod`` and states its own formula and basis in its docstring.

Formula (87号令 第五十五条): price score ``P_i = 基准价 / 评标价_i × 100`` with the base the lowest evaluation
price of the valid bids (it scores 100); price part ``= P_i × 价格权值``; every other criterion's part is the
members' average; total ``= Σ parts`` (each part rounded once to 2 decimals, half up).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from sunshine.core.errors import InvalidInput
from sunshine.evaluation import ranking
from sunshine.evaluation.methods import _common as c
from sunshine.evaluation.methods.base import BidInput, BidResult, Declared, Outcome, Scores

PRICE = "price"  # the part's code when the tender names no price criterion


@dataclass(frozen=True)
class ScoredMethod:
    code: str
    title: str
    basis: str
    # procurement: category goods/services required, price weight minimum (and range) from the pack, the total
    # of full marks is 100 (ΣAi = 1), ties by the statutory rule of 87号令 第五十七条
    procurement: bool
    # "deduct": SMEs' evaluation price is deducted; "price_score_bonus": works 综合评估 adds to the price score
    sme_mode: Literal["deduct", "price_score_bonus"] = "deduct"
    aliases: tuple[str, ...] = ()
    categories: tuple[str, ...] = ("goods", "services")  # what a procurement method may buy
    default_category: str | None = None  # what is bought when the declaration does not say (engineering: works)
    statutory: tuple[tuple[str, ranking.Direction], ...] = field(default=(("total", "desc"),))
    scored: bool = True
    price_only: bool = False

    # ------------------------------------------------------------------ declaration

    def weight(self, declared: Declared) -> Decimal:
        """The price weight as a fraction: the declared one, else the price criterion's full marks / 100."""
        if declared.price_fixed:
            return Decimal(0)
        if declared.price_weight is not None:
            return declared.price_weight
        price = next((k for k in declared.criteria if k.kind == "price"), None)
        return price.max_score / c.HUNDRED if price is not None else Decimal(0)

    def check(self, declared: Declared, rules: Mapping[str, Decimal]) -> list[str]:
        problems = []
        if declared.method != self.code:
            problems.append(f"声明的评审方法不是{self.title}")
        problems += c.check_criteria(declared, price_criterion=True)
        if not ranking.member_criteria(declared):
            problems.append(f"{self.title}须有评委评分的因素")
        problems += self._check_weight(declared, rules)
        problems += c.check_sme(declared, rules, self.default_category)
        problems += c.check_candidates(declared, rules)
        problems += c.check_tie_break(declared, ranking.TIE_BREAKS)
        return problems

    def _check_weight(self, declared: Declared, rules: Mapping[str, Decimal]) -> list[str]:
        problems = []
        price = next((k for k in declared.criteria if k.kind == "price"), None)
        w = declared.price_weight
        if declared.price_fixed:
            if w:
                problems.append(
                    "执行统一价格标准的项目，价格不列为评分因素（政府采购货物和服务招标投标管理办法第五十五条）"
                )
            return problems
        if w is None and price is None:
            return [f"{self.title}须声明价格权值"]
        if w is not None and (w <= 0 or w >= 1):
            problems.append("价格权值应在 0 与 100% 之间")
        if w is not None and price is not None and price.max_score != w * c.HUNDRED:
            problems.append(f"价格评分因素的满分应为价格权值 × 100 = {ranking.rnd(w * c.HUNDRED)} 分")
        weight = self.weight(declared)
        if self.procurement:
            if declared.category not in self.categories:
                names = "、".join(c.CATEGORY_LABELS[k] for k in self.categories)
                problems.append(f"请声明采购标的类别（{names}）")
            else:
                low = c.fraction(rules, f"price_weight_min_{declared.category}")
                high = c.fraction(rules, f"price_weight_max_{declared.category}")
                label = c.CATEGORY_LABELS[declared.category]
                if low is not None and weight < low:
                    problems.append(f"{label}项目的价格权值不得低于 {c.pct(low)}，所定为 {c.pct(weight)}")
                if high is not None and weight > high:
                    problems.append(f"{label}项目的价格权值不得高于 {c.pct(high)}，所定为 {c.pct(weight)}")
            full = weight * c.HUNDRED + sum((k.max_score for k in ranking.member_criteria(declared)), Decimal(0))
            if full != c.HUNDRED:
                problems.append(f"各评分因素的权重合计应为 100%（价格分与其他因素满分合计为 {ranking.rnd(full)} 分）")
        return problems

    # ------------------------------------------------------------------ evaluation

    def evaluate(
        self, declared: Declared, bids: list[BidInput], scores: Scores, rules: Mapping[str, Decimal]
    ) -> Outcome:
        if not bids:
            return Outcome(())
        c.check_inputs(declared, bids)
        if len({b.ref for b in bids}) != len(bids):
            raise InvalidInput("投标编号重复", field="bids")
        weight = self.weight(declared)
        bonus = self.sme_mode == "price_score_bonus"
        evaluation = {b.ref: b.price if bonus else c.deducted(b, declared) for b in bids}
        raw = c.price_scores(evaluation) if weight > 0 else {}
        if bonus and raw and declared.sme_deduction > 0:
            # 财库〔2020〕46号 第九条: works under 综合评估 add the declared share to a small enterprise's price score
            raw = {b.ref: raw[b.ref] * (1 + declared.sme_deduction) if b.sme else raw[b.ref] for b in bids}
        avg = ranking.averages(declared, bids, scores)
        price_code = next((k.code for k in declared.criteria if k.kind == "price"), PRICE)
        kinds = {k.code: k.kind for k in declared.criteria}
        rows, parts_of = [], {}
        for bid in bids:
            parts = {code: ranking.rnd(value) for code, value in avg[bid.ref].items()}
            if raw:
                parts[price_code] = ranking.rnd(raw[bid.ref] * weight)
            parts_of[bid.ref] = parts
            rows.append(
                {
                    "ref": bid.ref,
                    "total": sum(parts.values(), Decimal(0)),
                    "price": bid.price,
                    "evaluation_price": evaluation[bid.ref],
                    "technical": sum((v for k, v in parts.items() if kinds.get(k) == "technical"), Decimal(0)),
                    "commercial": sum((v for k, v in parts.items() if kinds.get(k) == "commercial"), Decimal(0)),
                }
            )
        return _outcome(self.statutory, declared, bids, rows, raw, parts_of, scores, rules)


def _outcome(
    statutory: Sequence[tuple[str, ranking.Direction]],
    declared: Declared,
    bids: Sequence[BidInput],
    rows: list[dict[str, object]],
    raw: Mapping[str, Decimal],
    parts_of: Mapping[str, Mapping[str, Decimal]],
    scores: Scores,
    rules: Mapping[str, Decimal],
) -> Outcome:
    order, pending = ranking.rank(rows, statutory, declared.tie_break)
    by_ref = {str(r["ref"]): r for r in rows}
    results = []
    for ref, place in order:
        row = by_ref[ref]
        results.append(
            BidResult(
                ref=ref,
                evaluation_price=row["evaluation_price"],  # type: ignore[arg-type]
                price=row["price"],  # type: ignore[arg-type]
                price_score=ranking.rnd(raw[ref]) if raw else None,
                total=row["total"],  # type: ignore[arg-type]
                rank=place,
                parts=dict(parts_of[ref]),
            )
        )
    flags = ranking.deviations(declared, bids, scores, rules.get("score_deviation_max"))
    return Outcome(tuple(results), pending, flags)
