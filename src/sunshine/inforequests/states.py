"""The state machine of an information request (依申请公开) and its vocabulary, declared as data:
channels and how each fixes the receipt date (条例第三十一条), applicant kinds (the columns of the annual
report), the states and the steps between them, the statutory answer forms (第三十六条、第三十七条) with
the annual-report row each one counts in, and the statutory reasons for withholding.

Article numbers refer to the 2019 revision of 《中华人民共和国政府信息公开条例》 (国务院令第711号).
"""

from __future__ import annotations

from dataclasses import dataclass

from sunshine.identity.roles import Role

LAW = "《中华人民共和国政府信息公开条例》"

# ------------------------------------------------------------ channels (第三十一条)

CHANNELS: dict[str, str] = {
    "in_person": "当面提交",
    "post": "邮寄",
    "online": "互联网（在线申请）",
    "fax": "传真",
}

#: How the receipt date follows from the channel, quoted on the receipt and the staff form.
RECEIPT_RULES: dict[str, str] = {
    "in_person": "当面提交的，以提交之日为收到申请之日（条例第三十一条第（一）项）",
    "post": "以邮寄方式提交的，以本机关签收之日为收到申请之日（条例第三十一条第（二）项）",
    "post_ordinary": (
        "以平常信函等无需签收的方式邮寄的，以政府信息公开工作机构与申请人确认之日为收到申请之日"
        "（条例第三十一条第（二）项）"
    ),
    "online": "通过互联网提交的，以双方确认之日为收到申请之日（条例第三十一条第（三）项）",
    "fax": "通过传真提交的，以双方确认之日为收到申请之日（条例第三十一条第（三）项）",
}

# ------------------------------------------------------------ applicants (annual-report columns)

APPLICANT_TYPES: dict[str, str] = {
    "natural": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他",
}
ORGANISATION_TYPES = ("commercial", "research", "public_interest", "legal_services", "other_org")

FORMS_WANTED: dict[str, str] = {"paper": "纸质", "electronic": "电子文档"}
DELIVERY: dict[str, str] = {"post": "邮寄", "pickup": "当面领取", "email": "电子邮件", "online": "网上查阅"}

# ------------------------------------------------------------ states and steps

STATES: dict[str, str] = {
    "received": "已收到，待办理",
    "correction_requested": "已告知补正，等待申请人补正",
    "corrected": "已补正，待办理",
    "withdrawn": "逾期未补正，视为放弃申请",
    "routed": "已转有关部门办理",
    "third_party_consultation": "征求意见中（暂停计时）",
    "resumed": "征求意见结束，继续办理",
    "extended": "已延长答复期限",
    "answered": "已答复",
    "closed": "已办结",
}
FINAL_STATES = frozenset({"withdrawn", "closed"})
CONCLUDED_STATES = frozenset({"withdrawn", "answered", "closed"})
WORKING_STATES = frozenset({"received", "corrected", "routed", "resumed", "extended"})
OPEN_STATES = frozenset(STATES) - CONCLUDED_STATES

SAME = "*same*"
OFFICE = frozenset({Role.DISCLOSURE_OFFICE})
DEPARTMENT = frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF})
SYSTEM_ONLY: frozenset[Role] = frozenset()


@dataclass(frozen=True)
class Step:
    name: str
    title: str  # Chinese, shown on the timeline
    sources: frozenset[str]
    target: str  # a state or SAME
    roles: frozenset[Role]  # empty: only the tick (the server clock) takes it
    rule: str  # why it is refused from another state

    def allowed_from(self, state: str) -> bool:
        return state in self.sources


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("receive", "收到申请", frozenset({"new"}), "received", OFFICE, "申请只能登记一次"),
        Step(
            "request_correction",
            "一次性告知补正",
            frozenset({"received"}),
            "correction_requested",
            OFFICE,
            "补正只能在收到申请后、办理之前一次性告知（条例第三十条）",
        ),
        Step(
            "record_correction",
            "收到补正后的申请",
            frozenset({"correction_requested"}),
            "corrected",
            OFFICE,
            "只有已告知补正的申请才能登记补正",
        ),
        Step(
            "lapse_correction",
            "逾期未补正，视为放弃申请",
            frozenset({"correction_requested"}),
            "withdrawn",
            SYSTEM_ONLY,
            "只有等待补正的申请会因逾期视为放弃",
        ),
        Step(
            "route",
            "转有关部门办理",
            WORKING_STATES,
            "routed",
            OFFICE,
            "只有尚未答复、未在征求意见中的申请可以转办",
        ),
        Step(
            "department_opinion",
            "承办部门提出答复意见",
            frozenset({"routed", "resumed", "extended"}),
            SAME,
            DEPARTMENT,
            "只有已转办、尚未答复的申请可以提出答复意见",
        ),
        Step(
            "start_consultation",
            "书面征求第三方（其他机关）意见",
            WORKING_STATES,
            "third_party_consultation",
            OFFICE,
            "只有正在办理的申请可以征求意见",
        ),
        Step(
            "end_consultation",
            "征求意见结束",
            frozenset({"third_party_consultation"}),
            "resumed",
            OFFICE,
            "只有正在征求意见的申请可以结束征求意见",
        ),
        Step(
            "lapse_consultation",
            "第三方逾期未提出意见",
            frozenset({"third_party_consultation"}),
            "resumed",
            SYSTEM_ONLY,
            "只有正在征求意见的申请会因第三方逾期而结束征求意见",
        ),
        Step(
            "extend",
            "经负责人同意延长答复期限",
            WORKING_STATES,
            "extended",
            OFFICE,
            "只有正在办理的申请可以延长答复期限",
        ),
        Step(
            "volume_delay",
            "申请数量明显超过合理范围，确定延迟答复的合理期限",
            WORKING_STATES,
            "extended",
            OFFICE,
            "只有正在办理的申请可以确定延迟答复期限",
        ),
        Step("answer", "作出答复", WORKING_STATES, "answered", OFFICE, "只有正在办理的申请可以答复"),
        Step("close", "办结归档", frozenset({"answered"}), "closed", OFFICE, "只有已答复的申请可以办结"),
    )
}

# ------------------------------------------------------------ withheld reasons (第十四、十五、十六条)


@dataclass(frozen=True)
class Reason:
    key: str
    label: str  # the row of the annual report
    basis: str  # quoted in the reply letter


WITHHELD_REASONS: dict[str, Reason] = {
    r.key: r
    for r in (
        Reason("state_secret", "属于国家秘密", "条例第十四条：依法确定为国家秘密的政府信息，不予公开"),
        Reason("law_prohibits", "其他法律行政法规禁止公开", "条例第十四条：法律、行政法规禁止公开的政府信息，不予公开"),
        Reason(
            "three_safety",
            "危及“三安全一稳定”",
            "条例第十四条：公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息，不予公开",
        ),
        Reason(
            "third_party",
            "保护第三方合法权益",
            "条例第十五条：涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，不得公开",
        ),
        Reason(
            "internal_affairs",
            "属于三类内部事务信息",
            "条例第十六条第一款：行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，可以不予公开",
        ),
        Reason(
            "process_info",
            "属于四类过程性信息",
            "条例第十六条第二款：讨论记录、过程稿、磋商信函、请示报告等过程性信息，可以不予公开",
        ),
        Reason("enforcement_file", "属于行政执法案卷", "条例第十六条第二款：行政执法案卷信息，可以不予公开"),
        Reason(
            "administrative_query",
            "属于行政查询事项",
            "条例第三十六条第（七）项：工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定的，"
            "依照有关法律、行政法规的规定办理",
        ),
    )
}

# ------------------------------------------------------------ annual-report rows (国办公开办函〔2021〕30号)

#: (key, label, indent level) in the order of the national template's table 三.
REPORT_ROWS: list[tuple[str, str, int]] = [
    ("new", "一、本年新收政府信息公开申请数量", 0),
    ("carried_over", "二、上年结转政府信息公开申请数量", 0),
    ("results", "三、本年度办理结果", 0),
    ("disclosed", "（一）予以公开", 1),
    ("partly", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    ("withheld", "（三）不予公开", 1),
    *[(f"withheld_{r.key}", f"{i}. {r.label}", 2) for i, r in enumerate(WITHHELD_REASONS.values(), start=1)],
    ("unable", "（四）无法提供", 1),
    ("unable_not_held", "1. 本机关不掌握相关政府信息", 2),
    ("unable_needs_creation", "2. 没有现成信息需要另行制作", 2),
    ("unable_unclear", "3. 补正后申请内容仍不明确", 2),
    ("not_processed", "（五）不予处理", 1),
    ("not_processed_petition", "1. 信访举报投诉类申请", 2),
    ("not_processed_repeat", "2. 重复申请", 2),
    ("not_processed_publication", "3. 要求提供公开出版物", 2),
    ("not_processed_excessive", "4. 无正当理由大量反复申请", 2),
    ("not_processed_confirm", "5. 要求行政机关确认或重新出具已获取信息", 2),
    ("other", "（六）其他处理", 1),
    ("other_uncorrected", "1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2),
    ("other_unpaid", "2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2),
    ("other_other", "3. 其他", 2),
    ("total", "（七）总计", 1),
    ("carried_forward", "四、结转下年度继续办理", 0),
]
#: Group rows whose figure is the sum of their numbered sub-rows.
REPORT_GROUPS: dict[str, tuple[str, ...]] = {
    "withheld": tuple(f"withheld_{k}" for k in WITHHELD_REASONS),
    "unable": ("unable_not_held", "unable_needs_creation", "unable_unclear"),
    "not_processed": (
        "not_processed_petition",
        "not_processed_repeat",
        "not_processed_publication",
        "not_processed_excessive",
        "not_processed_confirm",
    ),
    "other": ("other_uncorrected", "other_unpaid", "other_other"),
}
#: The rows a concluded request is counted in (the leaves of 三、本年度办理结果).
RESULT_LEAVES: tuple[str, ...] = ("disclosed", "partly", *[k for g in REPORT_GROUPS.values() for k in g])
RESULT_LABELS: dict[str, str] = {k: label for k, label, _ in REPORT_ROWS}

# ------------------------------------------------------------ answer forms (第三十六条、第三十七条)


@dataclass(frozen=True)
class AnswerForm:
    key: str
    label: str
    basis: str  # the article the reply letter cites
    category: str | None  # the annual-report leaf; None: from the withheld reason
    needs: tuple[str, ...] = ()  # fields the answer must carry: location, reason, holder, detail
    fee: bool = False  # information is provided, so a processing fee may apply
    summary: str = ""  # the core sentence of the reply letter


ANSWER_FORMS: dict[str, AnswerForm] = {
    f.key: f
    for f in (
        AnswerForm(
            "already_public",
            "已主动公开，告知获取方式和途径",
            "条例第三十六条第（一）项",
            "disclosed",
            ("location",),
            summary="你（单位）申请的信息已经主动公开，可以通过以下方式和途径获取",
        ),
        AnswerForm(
            "disclosed",
            "予以公开",
            "条例第三十六条第（二）项",
            "disclosed",
            fee=True,
            summary="你（单位）申请的信息属于可以公开的政府信息，现予提供（或告知获取的方式、途径和时间）",
        ),
        AnswerForm(
            "partly_disclosed",
            "部分公开",
            "条例第三十七条",
            "partly",
            ("reason", "detail"),
            fee=True,
            summary="你（单位）申请的信息中含有不应当公开的内容，经区分处理，现提供可以公开的部分，不予公开的部分说明理由如下",
        ),
        AnswerForm(
            "withheld",
            "不予公开",
            "条例第三十六条第（三）项",
            None,
            ("reason",),
            summary="经审查，你（单位）申请的信息决定不予公开，理由如下",
        ),
        AnswerForm(
            "not_exist",
            "政府信息不存在",
            "条例第三十六条第（四）项",
            "unable_not_held",
            summary="经检索，本机关没有你（单位）所申请公开的信息，该政府信息不存在",
        ),
        AnswerForm(
            "not_held",
            "不属于本机关负责公开",
            "条例第三十六条第（五）项",
            "unable_not_held",
            ("holder",),
            summary="你（单位）申请的信息不属于本机关负责公开，负责公开该信息的机关及联系方式如下",
        ),
        AnswerForm(
            "needs_creation",
            "没有现成信息，需要另行制作",
            "条例第三十八条",
            "unable_needs_creation",
            summary="你（单位）申请的信息需要本机关对现有政府信息进行加工、分析，本机关不予提供",
        ),
        AnswerForm(
            "unclear_after_correction",
            "补正后申请内容仍不明确",
            "条例第三十条",
            "unable_unclear",
            summary="经补正，你（单位）的申请内容仍不明确，本机关无法确定你（单位）所需的政府信息",
        ),
        AnswerForm(
            "petition",
            "信访、投诉、举报类申请，不作为信息公开申请处理",
            "条例第三十九条第一款",
            "not_processed_petition",
            summary="你（单位）以政府信息公开申请的形式提出信访、投诉、举报等事项，本机关不作为政府信息公开申请处理，"
            "你（单位）可以通过相应渠道提出",
        ),
        AnswerForm(
            "repeat",
            "重复申请，不予重复处理",
            "条例第三十六条第（六）项",
            "not_processed_repeat",
            ("detail",),
            summary="本机关已就你（单位）提出的相同政府信息公开申请作出答复，对你（单位）的重复申请不予重复处理",
        ),
        AnswerForm(
            "publication",
            "要求提供公开出版物，告知获取途径",
            "条例第三十九条第二款",
            "not_processed_publication",
            ("location",),
            summary="你（单位）申请提供的是公开出版物，可以通过以下途径获取",
        ),
        AnswerForm(
            "excessive",
            "无正当理由大量反复申请，不予处理",
            "条例第三十五条",
            "not_processed_excessive",
            ("detail",),
            summary="你（单位）申请公开政府信息的数量、频次明显超过合理范围，经要求说明理由，本机关认为申请理由不合理，不予处理",
        ),
        AnswerForm(
            "confirm_existing",
            "要求确认或重新出具已获取信息，不予处理",
            "《政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）所列情形；条例无对应条款",
            "not_processed_confirm",
            summary="你（单位）申请的事项系要求本机关确认或者重新出具你（单位）已获取的信息，不属于政府信息公开申请的处理范围",
        ),
        AnswerForm(
            "fee_unpaid",
            "逾期未缴纳信息处理费，不再处理",
            "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
            "other_unpaid",
            summary="你（单位）未在收费通知规定的期限内缴纳信息处理费，本机关不再处理该政府信息公开申请",
        ),
        AnswerForm(
            "other",
            "其他处理",
            "条例第三十六条",
            "other_other",
            ("detail",),
            summary="对你（单位）的申请，本机关处理如下",
        ),
    )
}


def category_of(form: str, reason: str | None) -> str:
    """The annual-report leaf of an answer: withheld answers count under their statutory reason."""
    answer_form = ANSWER_FORMS[form]
    if answer_form.category is not None:
        return answer_form.category
    return f"withheld_{reason}"


# ------------------------------------------------------------ reviews and lawsuits (表四)

REVIEW_KINDS: dict[str, str] = {
    "review": "行政复议",
    "lawsuit_direct": "行政诉讼（未经复议直接起诉）",
    "lawsuit_after_review": "行政诉讼（复议后起诉）",
}
REVIEW_RESULTS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}

CONSULTATION_PARTIES: dict[str, str] = {"third_party": "第三方", "other_agency": "其他机关"}
FEE_METHODS: dict[str, str] = {"none": "不收费", "count": "按件计收", "pages": "按量计收"}

ALERT_KINDS: dict[str, str] = {
    "reminder": "答复期限临近",
    "overdue": "已超过答复期限",
    "route_overdue": "超过内部转办时限",
    "review_overdue": "承办部门超过内部审查时限",
    "volume": "申请数量明显超过合理范围（条例第三十五条）",
}
