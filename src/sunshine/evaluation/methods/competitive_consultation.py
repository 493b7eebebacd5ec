"""竞争性磋商 (government procurement by competitive consultation), scored by 综合评分法: the highest score wins.

Basis: 《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号） — the price weight ranges, goods 30–60 %,
services 10–30 % (document confirmed, article number not verified: C2, no article cited; the ranges are the pack's
``price_weight_min_*``/``price_weight_max_*``); the price score formula ``基准价 / 最后报价 × 价格权值 × 100``
(read in 财库〔2007〕2号 and applied to 磋商: C2/U, the same formula as 87号令 第五十五条); 财库〔2020〕46号
第九条 as raised by 财库〔2022〕19号 (deduction goods/services 10–20 %, works 3–5 %).

Formula:
- evaluation price ``E_i = 最后报价_i × (1 − d)`` for an entitled small or micro enterprise; the final offer stays
  the contract price;
- price score ``P_i = min(E) / E_i × 100``; price part ``= P_i × A_price`` with ``A_price`` within the range of
  the category; every other criterion's part is the members' average; weights add to 100 %;
- total ``= Σ parts`` (each rounded once, 2 decimals, half up); ranking by total high→low. The tie order of
  214号 is not verified here, so equal totals are ordered by the documents' declared tie-break (for example
  ``price``: the lower final offer first), else tied for the purchaser to decide.
"""

from __future__ import annotations

from sunshine.evaluation.methods._scoring import ScoredMethod

METHOD = ScoredMethod(
    code="competitive_consultation",
    title="竞争性磋商",
    basis="《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号，条号未核实）；财库〔2020〕46号第九条",
    procurement=True,
    aliases=("竞争性磋商综合评分法",),
    categories=("goods", "services", "works"),
)
