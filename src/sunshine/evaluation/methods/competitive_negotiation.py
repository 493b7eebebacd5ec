"""竞争性谈判 (government procurement by negotiation): among the suppliers whose quality and service meet the
documents' substantive requirements, the lowest final offer wins.

Basis: 《政府采购非招标采购方式管理办法》（财政部令第74号）第三十五条 (the panel proposes at least three candidates
by final offer from low to high; confirmed, C); 财库〔2020〕46号 第九条 as raised by 财库〔2022〕19号 (small and
micro enterprises' deduction, goods and services 10–20 %).

Formula:
- evaluation price ``E_i = 最后报价_i × (1 − d)`` for an entitled small or micro enterprise, ``最后报价_i``
  otherwise; the final offer stays the contract price;
- ranking by ``E`` low→high; at least the pack's ``candidates_min`` (3) candidates; equal prices are ordered by
  the documents' declared rule, else tied for the purchaser to decide.
"""

from __future__ import annotations

from sunshine.evaluation.methods._lowest import LowestPriceMethod

METHOD = LowestPriceMethod(
    code="competitive_negotiation",
    title="竞争性谈判",
    basis="《政府采购非招标采购方式管理办法》（财政部令第74号）第三十五条；财库〔2020〕46号第九条",
    aliases=("竞争性谈判法",),
)
