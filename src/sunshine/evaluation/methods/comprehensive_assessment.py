"""综合评估法 (engineering tenders): the bid that best meets the comprehensive criteria of the tender documents
wins.

Basis: 《中华人民共和国招标投标法》第四十一条 (award to the bid that best meets the comprehensive evaluation
criteria: confirmed, C); 《评标委员会和评标方法暂行规定》（七部委12号令） for the method (document confirmed,
article number not verified: C2, no article cited); 《招标投标法实施条例》第五十三条 (at most three ranked
candidates, C); 财库〔2020〕46号 第九条 (government-funded works under 综合评估 without low-price-first: a small or
micro enterprise's price score is raised by 3–5 %, C).

Formula:
- price score ``P_i = min(报价) / 报价_i × 100`` — the law leaves the engineering price formula to the tender
  documents; this lowest-price base is the platform's formula (平台默认值); a tender declaring a different
  price formula (an average-based base, say) is not supported by this method;
- a small or micro enterprise's ``P_i`` is multiplied by ``1 + d`` (``d`` within ``sme_deduction_works_min`` –
  ``sme_deduction_works_max``); the quoted price is not changed;
- price part ``= P_i × 价格权值`` (the declared weight, or the price criterion's full marks / 100);
  every other criterion's part is the members' average;
- total ``= Σ parts`` (each rounded once, 2 decimals, half up); ranking by total high→low; the law sets no tie
  rule, so equal totals are ordered by the documents' declared tie-break, else tied for the tenderer to decide.
"""

from __future__ import annotations

from sunshine.evaluation.methods._scoring import ScoredMethod

METHOD = ScoredMethod(
    code="comprehensive_assessment",
    title="综合评估法",
    basis="《中华人民共和国招标投标法》第四十一条；《评标委员会和评标方法暂行规定》（七部委12号令，条号未核实）；"
    "《中华人民共和国招标投标法实施条例》第五十三条；财库〔2020〕46号第九条",
    procurement=False,
    sme_mode="price_score_bonus",
    default_category="works",
)
