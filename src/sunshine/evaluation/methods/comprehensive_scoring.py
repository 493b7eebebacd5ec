"""综合评分法 (government procurement of goods and services by tender): the bid that meets every substantive
requirement with the highest score wins.

Basis: 《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十三条 (the two methods), 第五十五条 (scoring
factors and weights, the price score), 第五十七条 (ranking); 财库〔2020〕46号 第九条 as raised by 财库〔2022〕19号
(small and micro enterprises' price deduction). Certainty: confirmed (C).

Formula:
- evaluation price ``E_i = 报价_i × (1 − d)`` for an entitled small or micro enterprise, ``报价_i`` otherwise
  (``d`` the deduction the tender declares, within the pack's ``sme_deduction_min``–``sme_deduction_max``, goods
  and services 10–20 %); the quoted price stays the contract price;
- price score ``P_i = min(E) / E_i × 100`` (the lowest valid evaluation price scores 100; no highest or lowest
  price is dropped);
- price part ``= P_i × A_price`` with ``A_price`` the declared price weight, at least the pack's
  ``price_weight_min_goods`` (30 %) or ``price_weight_min_services`` (10 %); a fixed-price item
  (执行统一价格标准) is not price-scored;
- every other criterion's part is the members' average; the weights add to 100 % (``ΣA_i = 1``);
- total ``= Σ parts`` (each rounded once, 2 decimals, half up);
- ranking: total high→low; equal totals by quoted price low→high; equal again 并列 (第五十七条), then the tender's
  declared tie-break, else the purchaser decides or a draw (第六十八条).
"""

from __future__ import annotations

from sunshine.evaluation.methods._scoring import ScoredMethod

METHOD = ScoredMethod(
    code="comprehensive_scoring",
    title="综合评分法",
    basis="《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十三条、第五十五条、第五十七条；财库〔2020〕46号第九条",
    procurement=True,
    statutory=(("total", "desc"), ("price", "asc")),
)
