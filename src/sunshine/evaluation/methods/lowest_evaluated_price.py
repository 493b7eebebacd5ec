"""经评审的最低投标价法 (engineering tenders): the bid that meets the substantive requirements with the lowest
evaluated price wins, provided the price is not below cost.

Basis: 《中华人民共和国招标投标法》第四十一条 (the lowest evaluated price, not below cost: confirmed, C);
《评标委员会和评标方法暂行规定》（七部委12号令） for the method and its use for works of general technology or
performance standards (confirmed document, article number not verified: C2, no article cited);
《招标投标法实施条例》第五十三条 (at most three ranked candidates, C); 财库〔2020〕46号 第九条 (works: small and
micro enterprises' deduction 3–5 %, for government-funded works procured by tender, C).

Formula:
- evaluation price ``E_i = 报价_i × (1 − d) + 评审调整_i`` — ``d`` the declared deduction for an entitled small or
  micro enterprise (pack ``sme_deduction_works_min``–``sme_deduction_works_max``), ``评审调整`` the committee's
  quantified deviations in yuan (12号令: price adjustments for deviations the documents quantify);
- no score: ranking by ``E`` low→high; equal ``E`` are then ordered by the tender's declared rule (the law sets
  none), else tied for the tenderer to decide;
- the quoted price is the contract price and never changes.
"""

from __future__ import annotations

from sunshine.evaluation.methods._lowest import LowestPriceMethod

METHOD = LowestPriceMethod(
    code="lowest_evaluated_price",
    title="经评审的最低投标价法",
    basis="《中华人民共和国招标投标法》第四十一条；《评标委员会和评标方法暂行规定》（七部委12号令，条号未核实）；"
    "《中华人民共和国招标投标法实施条例》第五十三条；财库〔2020〕46号第九条",
    adjustments=True,
    default_category="works",
)
