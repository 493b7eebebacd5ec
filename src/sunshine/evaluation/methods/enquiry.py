"""询价 (government procurement by enquiry): among the suppliers whose quality and service meet the documents'
substantive requirements, the lowest offer wins (one offer each, not negotiable).

Basis: 《政府采购非招标采购方式管理办法》（财政部令第74号）第四十八条 (the panel proposes at least three candidates
by offer from low to high; confirmed, C); 财库〔2020〕46号 第九条 as raised by 财库〔2022〕19号 (small and micro
enterprises' deduction, goods and services 10–20 %).

Formula:
- evaluation price ``E_i = 报价_i × (1 − d)`` for an entitled small or micro enterprise, ``报价_i`` otherwise; the
  offer stays the contract price;
- ranking by ``E`` low→high; at least the pack's ``candidates_min`` (3) candidates; equal prices are ordered by
  the documents' declared rule, else tied for the purchaser to decide.
"""

from __future__ import annotations

from sunshine.evaluation.methods._lowest import LowestPriceMethod

METHOD = LowestPriceMethod(
    code="enquiry",
    title="询价",
    basis="《政府采购非招标采购方式管理办法》（财政部令第74号）第四十八条；财库〔2020〕46号第九条",
    aliases=("询价采购", "最低报价法"),
)
