"""The coded lists of the evaluation, each entry with its legal basis: why a bid is rejected (否决投标 / 无效投标),
why a member has a conflict (回避), the session's states and the kinds of questions put to bidders.

A rejection always names one of these codes and the facts in the committee's words; the report and the ledger
show the code's label and basis, never a free-text reason alone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    basis: str


def _reasons(*rows: tuple[str, str, str]) -> dict[str, Reason]:
    return {code: Reason(code, label, basis) for code, label, basis in rows}


_ART51 = "《招标投标法实施条例》第五十一条"
_ART63 = "《政府采购货物和服务招标投标管理办法》第六十三条"

#: 否决投标 — engineering and other tenders under the 招标投标法 (条例 第五十一条)
ENGINEERING_REJECTIONS = _reasons(
    ("no_seal_signature", "投标文件未经投标单位盖章和单位负责人签字", f"{_ART51}第（一）项"),
    ("no_consortium_agreement", "投标联合体没有提交共同投标协议", f"{_ART51}第（二）项"),
    ("not_qualified", "投标人不符合国家或者招标文件规定的资格条件", f"{_ART51}第（三）项"),
    ("multiple_bids", "同一投标人提交两个以上不同的投标文件或者投标报价", f"{_ART51}第（四）项"),
    ("below_cost", "投标报价低于成本", f"{_ART51}第（五）项"),
    ("above_ceiling", "投标报价高于招标文件设定的最高投标限价", f"{_ART51}第（五）项"),
    ("non_responsive", "投标文件没有对招标文件的实质性要求和条件作出响应", f"{_ART51}第（六）项"),
    ("collusion_fraud", "投标人有串通投标、弄虚作假、行贿等违法行为", f"{_ART51}第（七）项"),
)

#: 无效投标 — government procurement tenders (87号令 第六十三条, 第六十条)
PROCUREMENT_REJECTIONS = _reasons(
    ("no_deposit", "未按照招标文件的规定提交投标保证金", f"{_ART63}第（一）项"),
    ("not_signed_sealed", "投标文件未按招标文件要求签署、盖章", f"{_ART63}第（二）项"),
    ("not_qualified", "不具备招标文件中规定的资格要求", f"{_ART63}第（三）项"),
    ("over_budget", "报价超过招标文件中规定的预算金额或者最高限价", f"{_ART63}第（四）项"),
    ("unacceptable_conditions", "投标文件含有采购人不能接受的附加条件", f"{_ART63}第（五）项"),
    ("other_invalid", "法律、法规和招标文件规定的其他无效情形", f"{_ART63}第（六）项"),
    (
        "low_price_unproven",
        "报价明显低于其他通过符合性审查投标人的报价，不能证明其报价合理性",
        "《政府采购货物和服务招标投标管理办法》第六十条",
    ),
    (
        "correction_unconfirmed",
        "投标人不确认评标委员会修正后的报价",
        "《政府采购货物和服务招标投标管理办法》第五十九条",
    ),
)

#: the reasons that follow an abnormally low price left unexplained or unconvincing
LOW_PRICE_REASONS = frozenset({"below_cost", "low_price_unproven"})

#: 回避 — what a member declares per bidder (条例 第四十六条; 《评标委员会和评标方法暂行规定》; 采购条例 第九条)
CONFLICTS = _reasons(
    ("relative", "投标人（供应商）或其主要负责人、法定代表人的近亲属", "《评标委员会和评标方法暂行规定》"),
    ("employment", "与投标人（供应商）存在劳动关系，或担任其董事、监事", "《政府采购法实施条例》第九条"),
    ("shareholder", "是投标人（供应商）的控股股东或者实际控制人", "《政府采购法实施条例》第九条"),
    ("economic_interest", "与投标人（供应商）有经济利益关系，可能影响公正评审", "《评标委员会和评标方法暂行规定》"),
    ("other", "与投标人（供应商）有其他利害关系", "《招标投标法实施条例》第四十六条"),
)

STATES = {
    "forming": "组建中：签到、回避声明、推选组长",
    "review": "资格审查与符合性审查",
    "scoring": "独立评分",
    "signing": "评标报告签署中",
    "finished": "评审结束",
    "failed": "评审失败（废标）",
}

#: the observer-seat kind of an evaluation session (``observers``)
OBSERVER_KIND = "evaluation_session"

QUERY_KINDS = {"clarification": "澄清", "low_price": "异常低价说明"}
VERDICTS = {"accepted": "说明合理，采纳", "rejected": "不能证明其报价合理性"}
SIGNATURES = {"agree": "同意", "dissent": "有保留意见（已书面说明）", "deemed": "拒绝签字且未说明理由，视为同意"}
REVIEWS = {"passed": "通过", "rejected": "不通过"}


def rejections_for(transaction_type: str) -> dict[str, Reason]:
    """The list a committee chooses from: 87号令's for government procurement, 条例 第五十一条 otherwise."""
    return PROCUREMENT_REJECTIONS if transaction_type == "gov_procurement" else ENGINEERING_REJECTIONS


def is_procurement(transaction_type: str) -> bool:
    return transaction_type == "gov_procurement"
