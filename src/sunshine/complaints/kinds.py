"""The kinds of case the two regimes know, with who answers them, what they must contain, which clocks run and on
what legal basis; the vocabulary of states, steps, outcomes and remedies with their Chinese labels. Data only."""

from __future__ import annotations

from dataclasses import dataclass

ENGINEERING, PROCUREMENT = "engineering", "gov_procurement"


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    regime: str  # engineering | gov_procurement
    to_department: bool  # a complaint (投诉) to the supervisory department, not an objection to the tenderer
    matters: tuple[str, ...]
    basis: str


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(
            "objection",
            "异议",
            ENGINEERING,
            False,
            ("prequal_docs", "tender_docs"),
            "《中华人民共和国招标投标法实施条例》第二十二条",
        ),
        Kind(
            "opening_objection",
            "开标现场异议",
            ENGINEERING,
            False,
            ("opening",),
            "《中华人民共和国招标投标法实施条例》第四十四条",
        ),
        Kind(
            "result_objection",
            "对评标结果的异议",
            ENGINEERING,
            False,
            ("result",),
            "《中华人民共和国招标投标法实施条例》第五十四条",
        ),
        Kind(
            "eng_complaint",
            "投诉（招标投标）",
            ENGINEERING,
            True,
            ("prequal_docs", "tender_docs", "opening", "result", "process"),
            "《中华人民共和国招标投标法实施条例》第六十条、第六十一条；《工程建设项目招标投标活动投诉处理办法》",
        ),
        Kind(
            "challenge",
            "质疑",
            PROCUREMENT,
            False,
            ("tender_docs", "process", "result"),
            "《中华人民共和国政府采购法》第五十二条、第五十三条；《政府采购质疑和投诉办法》（财政部令第94号）第十条至第十六条",
        ),
        Kind(
            "gp_complaint",
            "投诉（政府采购）",
            PROCUREMENT,
            True,
            ("tender_docs", "process", "result"),
            "《中华人民共和国政府采购法》第五十五条至第五十八条；《政府采购质疑和投诉办法》（财政部令第94号）",
        ),
    )
}

#: What a case is about; an engineering complaint on the first three needs an objection first (条例 第六十条)
MATTERS = {
    "prequal_docs": "资格预审文件",
    "tender_docs": "招标（采购）文件",
    "opening": "开标",
    "process": "采购（招标）过程",
    "result": "评标（成交）结果",
}
OBJECTION_FIRST = frozenset({"prequal_docs", "tender_docs", "opening", "result"})

#: The statutory contents of a letter (94号令 第十二条、第十八条; 七部委11号令 第七条), checked at filing
CONTENTS = {
    "respondent": "被质疑（投诉）人名称",
    "contact": "联系人及联系方式",
    "facts": "具体事项、事实依据及必要的证明材料",
    "request": "明确的请求",
    "legal_basis": "必要的法律依据",
    "signed": "签字（盖章）及日期",
}
REQUIRED_CONTENTS = {
    "objection": ("facts", "request", "contact", "signed"),
    "opening_objection": ("facts",),
    "result_objection": ("facts",),
    "eng_complaint": ("respondent", "contact", "facts", "request", "signed"),
    "challenge": ("respondent", "contact", "facts", "request", "legal_basis", "signed"),
    "gp_complaint": ("respondent", "contact", "facts", "request", "legal_basis", "signed"),
}

#: the objections raised at the opening and to the evaluation result during the candidates' publicity: filed and
#: answered in their own places (the opening room, the results page), kept and listed here as cases
FOLDED = frozenset({"opening_objection", "result_objection"})
#: the objections an engineering complaint on a matter of 条例 第六十条第二款 may follow
OBJECTION_KINDS = frozenset({"objection", "opening_objection", "result_objection"})
#: the serial prefix of each kind's case code
PREFIXES = {
    "objection": "YY",
    "opening_objection": "KB",
    "result_objection": "JG",
    "challenge": "ZY",
    "eng_complaint": "TS",
    "gp_complaint": "CT",
}

STATES = {
    "filed": "已提出，待答复（受理）",
    "correction": "待补正",
    "accepted": "已受理，处理中",
    "answered": "已答复",
    "rejected": "不予受理",
    "decided": "已作出处理决定",
    "published": "处理决定已公告",
    "withdrawn": "已撤回",
}
OPEN_STATES = frozenset({"filed", "correction", "accepted"})
CLOSED_STATES = frozenset({"answered", "rejected", "decided", "published", "withdrawn"})

STEP_LABELS = {
    "filed": "提出",
    "correction_requested": "书面通知补正",
    "corrected": "补正",
    "accepted": "受理",
    "rejected": "不予受理",
    "copy_sent": "向被投诉人发送投诉书副本",
    "respondent_answered": "被投诉人作出说明",
    "pause": "检验、检测、鉴定、专家评审（不计入期限）",
    "resume": "检验、检测、鉴定、专家评审结束",
    "suspended": "暂停招标投标（采购）活动",
    "resumed": "恢复招标投标（采购）活动",
    "answered": "答复",
    "decided": "作出处理决定",
    "published": "公告处理决定",
    "withdrawn": "撤回",
    "evidence": "提交证明材料",
    "remedy": "执行处理结果",
    "credit_listed": "列入不良行为记录名单（12个月内三次以上投诉查无实据）",
}

OUTCOMES = {"upheld": "投诉成立", "dismissed": "驳回投诉"}
REMEDIES = {
    "none": "无须改变采购（招标）结果",
    "amend_docs": "修改招标（采购）文件后继续",
    "reevaluate": "重新评审",
    "next_candidate": "依法另行确定中标（成交）供应商",
    "retender": "重新招标（重新开展采购活动）",
    "void_contract": "认定中标（成交）结果无效、合同无效或撤销合同",
}
#: the remedies that are lifecycle steps of the project (complaints/steps.py)
REMEDY_STEPS = {
    "reevaluate": "complaint_reevaluate",
    "next_candidate": "complaint_next_candidate",
    "retender": "complaint_retender",
    "void_contract": "complaint_void_contract",
}

#: 七部委11号令 第十二条 / 94号令 第十九条、第二十一条: why a complaint is not accepted
INADMISSIBLE = {
    "no_interest": "投诉人不是所投诉招标投标（采购）活动的参与者，或者与其无利害关系",
    "vague": "投诉事项不具体，且未提供有效线索，难以查证",
    "unsigned": "投诉书未署具投诉人真实姓名、签字和有效联系方式",
    "late": "超过投诉时效",
    "decided": "已经作出处理决定，且投诉人没有提出新的证据",
    "in_review": "投诉事项已进入行政复议或者行政诉讼程序",
    "no_objection": "应当先提出异议（质疑）而没有提出",
    "wrong_department": "不属于本部门管辖",
}
LEGAL_INADMISSIBLE_BASIS = {
    ENGINEERING: (
        "《中华人民共和国招标投标法实施条例》第六十条、第六十一条；《工程建设项目招标投标活动投诉处理办法》第十二条"
    ),
    PROCUREMENT: "《政府采购质疑和投诉办法》（财政部令第94号）第十九条、第二十一条",
}
