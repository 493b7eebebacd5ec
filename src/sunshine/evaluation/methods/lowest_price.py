"""最低评标价法 (government procurement of goods and services by tender): the bid that meets every substantive
requirement with the lowest evaluation price wins; mandatory for standardised goods and services with common
technical and service requirements.

Basis: 《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十三条 (the two methods), 第五十四条 (its use;
the price is adjusted only by arithmetic correction and policy deductions), 第五十六条 (ranking); 财库〔2020〕46号
第九条 as raised by 财库〔2022〕19号 (small and micro enterprises' deduction, goods and services 10–20 %).
Certainty: confirmed (C).

Formula:
- evaluation price ``E_i = 报价_i × (1 − d)`` for an entitled small or micro enterprise, ``报价_i`` otherwise;
  nothing else changes the price (no quantified adjustments under 87号令); the quoted price is the contract price;
- no score: ranking by ``E`` low→high; equal prices 并列 (第五十六条), then the tender's declared tie-break, else
  the purchaser decides or a draw (第六十八条).
"""

from __future__ import annotations

from sunshine.evaluation.methods._lowest import LowestPriceMethod

METHOD = LowestPriceMethod(
    code="lowest_price",
    title="最低评标价法",
    basis="《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十三条、第五十四条、第五十六条；财库〔2020〕46号第九条",
)
