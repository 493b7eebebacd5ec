"""The Chinese label of every code in the shared vocabularies — transaction types, trading methods, rule
lifecycles — one table each. Pages, the API, rule packs and the disclosure catalog all read these;
a domain that uses only part of a vocabulary takes its part with ``subset``."""

from __future__ import annotations

from collections.abc import Iterable

TRANSACTION_TYPE_LABELS: dict[str, str] = {
    "engineering": "工程建设",
    "gov_procurement": "政府采购",
    "state_property": "国有产权",
    "land": "土地使用权",
    "mining": "矿业权",
    "soe_procurement": "国企采购",
    "rural_property": "农村产权",
    "emission": "排污权",
    "disclosure": "政务公开",
    "centre": "交易中心服务",
}

METHOD_LABELS: dict[str, str] = {
    "open_tender": "公开招标",
    "invited_tender": "邀请招标",
    "small_works_draw": "小额工程固定价抽取",
    "competitive_negotiation": "竞争性谈判",
    "competitive_consultation": "竞争性磋商",
    "enquiry": "询价",
    "single_source": "单一来源",
    "listing": "挂牌",
    "auction": "拍卖",
    "tender": "招标",
    "competitive_bidding": "竞价",
    "information_request": "依申请公开",
    "information_request_legacy": "依申请公开（原规则）",
    "fees": "信息处理费",
    "proactive": "主动公开",
    "licence_penalty": "行政许可和行政处罚公开",
    "service": "内部办理时限",
    "expert_pool": "评标专家库管理",
    "venues": "场地与场室管理",
    "supervision": "社会监督",
}

LIFECYCLE_LABELS: dict[str, str] = {
    "tender": "招标",
    "negotiation": "谈判/磋商/询价",
    "single_source": "单一来源",
    "listing": "挂牌",
    "auction": "拍卖",
    "draw": "随机抽取",
    "information_request": "依申请公开",
    "publication": "主动公开",
}


def subset(table: dict[str, str], codes: Iterable[str]) -> dict[str, str]:
    """The labels of ``codes`` only, in their order (a KeyError names a code the table lacks)."""
    return {code: table[code] for code in codes}


def label(table: dict[str, str], code: str) -> str:
    """The label of ``code``, or the code itself when the table does not know it."""
    return table.get(code, code)


#: The transaction types a trading project may have (the rest of the vocabulary names rule packs of the
#: centre and of disclosure): the trading kernel and credit bans both read this part.
TRADING_TYPE_LABELS: dict[str, str] = subset(
    TRANSACTION_TYPE_LABELS,
    (
        "engineering",
        "gov_procurement",
        "state_property",
        "land",
        "mining",
        "soe_procurement",
        "rural_property",
        "emission",
    ),
)


# ---- The transparency log's words (全程留痕): event kinds and subjects, as people read them. -------------
# A kind is "<domain>:<object>:<action>" (or "<domain>:<action>"); a subject is "<thing>:<id or code>".
# Pages show ``event_label(kind)`` and ``subject_label(subject)`` — the raw code stays in the API and, at
# most, in a tooltip. A kind no table names is composed from its object and action; domains that add kinds
# either name them here or register them (``register_events``; the lifecycle kernel registers each step's
# title under its ledger kind).

EVENT_LABELS: dict[str, str] = {
    "archives:manifest": "项目档案已归档",
    "auction:bid": "竞价出价",
    "auction:final-round": "进入最后一轮竞价",
    "auction:result": "竞价结果确定",
    "auction:setup": "竞价规则设定",
    "awards:contract:filed": "合同已备案",
    "awards:contracts:signed": "合同已签订",
    "awards:letters:issued": "中标（成交）通知书已发出",
    "bidding:bid:decrypted": "投标文件已解密",
    "bidding:bid:sealed": "投标文件已加密递交",
    "bidding:bid:undecrypted": "投标文件未能解密",
    "bidding:bid:withdrawn": "投标文件已撤回",
    "bidding:opening:answer": "开标异议已答复",
    "bidding:opening:decryption-closed": "开标解密时段结束",
    "bidding:opening:objection": "开标现场异议",
    "bidding:opening:officials": "开标人员已确定",
    "bidding:opening:record": "开标记录已公布",
    "calendar:day:cleared": "工作日历调整已撤销",
    "calendar:day:set": "工作日历已调整",
    "calendar:deadline:postponed": "法定期限顺延",
    "calendar:deadline:recomputed": "法定期限重新计算",
    "calendar:year:declared": "全年放假安排已录入",
    "committees:appointment:approved": "专家抽取已批准",
    "committees:appointment:outcome": "专家抽取结果",
    "committees:call:notified": "已通知抽中专家",
    "committees:call:released": "专家已释放",
    "committees:call:short": "抽取专家人数不足",
    "committees:call:signed_in": "专家已签到",
    "committees:committee:seated": "评标委员会已组建",
    "committees:request:approved": "专家抽取申请已批准",
    "committees:request:cancelled": "专家抽取申请已撤销",
    "committees:request:returned": "专家抽取申请已退回",
    "committees:request:submitted": "专家抽取申请已提交",
    "complaints:project:reevaluate": "投诉处理：责令重新评审",
    "complaints:project:retender": "投诉处理：责令重新招标",
    "complaints:project:void": "投诉处理：确认结果无效",
    "credit:ban:created": "禁止参与交易决定",
    "credit:ban:lifted": "禁止参与交易解除",
    "credit:ratings:computed": "信用评价已计算",
    "credit:ratings:published": "信用评价已公布",
    "credit:record:created": "信用记录已记载",
    "credit:record:revoked": "信用记录已撤销",
    "credit:record:taken-down": "信用记录公示期满撤下",
    "credit:review:created": "信用修复（复核）申请",
    "declarations:interest:drawn_up": "利害关系声明已生成",
    "disclosure:catalog:item-added": "公开事项目录新增事项",
    "disclosure:catalog:loaded": "公开事项目录已载入",
    "disclosure:catalog:revised": "公开事项目录已修订",
    "disclosure:obligation:created": "产生公开义务",
    "disclosure:obligation:met": "按时公开",
    "disclosure:obligation:overdue": "公开逾期",
    "disclosure:publication:published": "信息已公开",
    "disclosure:publication:withdrawn": "公开信息已撤回",
    "draws:draw:committed": "随机抽取承诺已公布",
    "draws:draw:disclosed": "随机抽取结果已公开",
    "draws:draw:drawn": "随机抽取已完成",
    "draws:draw:outcome": "随机抽取结果",
    "draws:draw:prepared": "随机抽取已准备",
    "draws:draw:revealed": "随机抽取种子已揭示",
    "draws:draw:signed_in": "随机抽取现场签到",
    "evaluation:bid:reviewed": "投标文件已评审",
    "evaluation:chair:elected": "评标委员会主任已推选",
    "evaluation:declaration:set": "回避声明已设定",
    "evaluation:member:admitted": "评委已入场",
    "evaluation:member:declared": "评委已作回避声明",
    "evaluation:member:flagged": "评委被标记",
    "evaluation:member:site": "评委评标地点登记",
    "evaluation:member:site_signed_in": "评委现场签到",
    "evaluation:minutes:confirmed": "评标记录已确认",
    "evaluation:minutes:recorded": "评标记录已记载",
    "evaluation:price:adjusted": "评标价格已调整",
    "evaluation:price:answered": "价格澄清已答复",
    "evaluation:price:corrected": "报价算术错误已修正",
    "evaluation:project:evaluated": "评标结束",
    "evaluation:project:failed": "评标未能确定候选人",
    "evaluation:query:answered": "澄清已答复",
    "evaluation:query:asked": "评委提出澄清",
    "evaluation:query:judged": "澄清已认定",
    "evaluation:report:confirmed": "评标报告已确认",
    "evaluation:report:delivered": "评标报告已送达",
    "evaluation:report:final": "评标报告定稿",
    "evaluation:report:refused": "评委拒签评标报告",
    "evaluation:report:signed_by": "评委已签署评标报告",
    "evaluation:result:computed": "评标结果已计算",
    "evaluation:review:finished": "评审完成",
    "evaluation:scores:submitted": "评分已提交",
    "evaluation:session:failed": "评标会议未能进行",
    "evaluation:session:joint": "联合评标会议",
    "evaluation:session:sealed": "评标会议已封存",
    "evaluation:session:started": "评标会议开始",
    "experts:admitted": "专家入库",
    "experts:demo_pool_imported": "专家库初始导入",
    "experts:removed": "专家清退",
    "experts:specialty:added": "评标专业已新增",
    "identity:login:locked": "账号登录已锁定",
    "identity:login:unlocked": "账号登录已解锁",
    "identity:organisation:registered": "单位已登记",
    "identity:user:created": "用户账号已创建",
    "identity:user:roles-changed": "用户角色已变更",
    "incidents:incident:confirmed": "平台故障已核实",
    "incidents:incident:declared": "平台故障已公告",
    "incidents:incident:ended": "平台故障已结束",
    "inforequest:answer": "依申请公开：已答复",
    "inforequest:close": "依申请公开：已办结",
    "inforequest:department-opinion": "依申请公开：部门意见",
    "inforequest:end-consultation": "依申请公开：第三方征求意见结束",
    "inforequest:extend": "依申请公开：延期答复",
    "inforequest:lapse-consultation": "依申请公开：征求意见期满",
    "inforequest:lapse-correction": "依申请公开：补正期满",
    "inforequest:receive": "依申请公开：收到申请",
    "inforequest:record-correction": "依申请公开：已补正",
    "inforequest:request-correction": "依申请公开：要求补正",
    "inforequest:regime:set": "依申请公开适用规则已设定",
    "inforequest:review:decided": "行政复议（诉讼）已决定",
    "inforequest:review:recorded": "行政复议（诉讼）已登记",
    "inforequest:route": "依申请公开：已转办",
    "inforequest:start-consultation": "依申请公开：征求第三方意见",
    "market:entrustment:recorded": "代理委托已登记",
    "market:staff:added": "单位人员已添加",
    "market:staff:removed": "单位人员已移除",
    "monitoring:alert:raised": "电子监察预警",
    "monitoring:alert:dismissed": "电子监察预警已排除",
    "monitoring:recording:registered": "音视频录像已登记",
    "monitoring:recording:requested": "音视频录像调阅申请",
    "monitoring:recording:retrieved": "音视频录像已调取",
    "observers:seat:admitted": "观察席位已准入",
    "observers:seat:revoked": "观察席位已撤销",
    "opendata:dump": "开放数据已发布",
    "performance:accepted": "履约验收合格",
    "performance:started": "开始履约",
    "policy:concern:published": "回应关切已公开",
    "policy:concern:received": "收到社会关切",
    "policy:document:published": "政策文件已发布",
    "policy:interpretation:published": "政策解读已发布",
    "qualifications:manager-conflict:found": "项目负责人在岗冲突",
    "results:section:winner-determined": "中标人已确定",
    "rules:override:cleared": "规则本地调整已撤销",
    "rules:override:set": "规则本地调整",
    "seals:document:sealed": "文书已电子签章",
    "smallworks:draw:failed": "小额工程抽取失败",
    "smallworks:draw:prepared": "小额工程抽取已准备",
    "smallworks:result:determined": "小额工程抽取结果已确定",
    "smallworks:result:published": "小额工程抽取结果已公布",
    "smallworks:result:replaced": "小额工程抽取结果已替补",
    "tenderdocs:change:acknowledged": "澄清修改已确认收到",
    "tenderdocs:document:change_ordered": "招标文件责令修改",
    "tenderdocs:document:confirmed": "招标文件已确认",
    "tenderdocs:document:drafted": "招标文件已编制",
    "tenderdocs:document:filed": "招标文件已备案",
    "tenderdocs:document:opinion": "招标文件审查意见",
    "tenderdocs:order:answered": "整改要求已答复",
    "tenderdocs:template:created": "招标文件范本已创建",
    "trading:deposit:refund-due": "保证金应予退还",
    "trading:notice:published": "交易公告已发布",
    "trading:project:retender": "重新招标",
    "trading:registration:documents-obtained": "已获取招标文件",
    "trading:section:deposit-set": "标段保证金已设定",
    "venues:booking:booked": "场地已预约",
    "venues:booking:released": "场地预约已释放",
    "venues:room:created": "场室已登记",
    "venues:room:updated": "场室信息已更新",
}

# fmt: off
#: The second part of a kind: what the event is about.
EVENT_OBJECTS: dict[str, str] = {
    "acceptance": "验收", "alert": "预警", "application": "申请", "appointment": "专家抽取", "ban": "禁止参与",
    "bid": "投标文件", "booking": "场地预约", "call": "专家通知", "case": "投诉案件", "catalog": "公开目录",
    "certificate": "资质证书", "change": "变更", "committee": "评标委员会", "concern": "社会关切",
    "contract": "合同", "day": "工作日", "deadline": "法定期限", "deposit": "保证金", "direct-award": "直接采购",
    "document": "文件", "draw": "随机抽取", "entrustment": "代理委托", "incident": "平台故障",
    "interpretation": "政策解读", "invitation": "邀请", "key": "签名密钥", "letters": "通知书",
    "login": "登录", "member": "评委", "method-change": "采购方式变更", "milestone": "履约节点",
    "minutes": "评标记录", "notice": "公告", "objection": "异议", "obligation": "公开义务",
    "opening": "开标", "order": "整改要求", "organisation": "单位", "override": "本地调整", "payment": "付款",
    "performance": "业绩", "person": "人员", "price": "价格", "project": "交易项目", "publication": "公开信息",
    "qualification": "资格", "query": "澄清", "ratings": "信用评价", "record": "记录", "recording": "录像",
    "regime": "适用规则", "registration": "报名", "report": "报告", "request": "申请", "requirement": "资格要求",
    "result": "结果", "review": "复核", "room": "场室", "schedule": "履约计划", "scores": "评分",
    "seat": "观察席位", "section": "标段", "security": "履约担保", "session": "评标会议", "specialty": "专业",
    "staff": "人员", "template": "范本", "user": "用户", "year": "年度安排",
}

#: The last part of a kind: what happened.
EVENT_ACTIONS: dict[str, str] = {
    "accept": "受理", "accepted": "已受理", "acknowledged": "已确认收到", "added": "已添加", "admitted": "已准入",
    "agreed": "已协商一致", "answer": "已答复", "answered": "已答复", "approved": "已批准", "asked": "已提出",
    "booked": "已预约", "cancelled": "已撤销", "cleared": "已撤销", "closed": "已关闭", "committed": "已承诺",
    "computed": "已计算", "confirmed": "已确认", "copy-sent": "副本已送达", "corrected": "已更正",
    "created": "已创建", "decided": "已决定", "declared": "已声明", "decrypted": "已解密", "determined": "已确定",
    "dismissed": "已排除", "done": "已完成", "drafted": "已编制", "drawn": "已抽取", "ended": "已结束",
    "failed": "失败", "filed": "已提交", "found": "已发现", "issued": "已发出", "lifted": "已解除",
    "loaded": "已载入", "locked": "已锁定", "met": "已履行", "notified": "已通知", "opened": "已开立",
    "overdue": "已逾期", "paid": "已缴纳", "postponed": "已顺延", "prepared": "已准备", "published": "已公布",
    "raised": "已发出", "received": "已收到", "recomputed": "已重新计算", "recorded": "已记载",
    "refunded": "已退还", "refused": "被拒绝", "registered": "已登记", "rejected": "未通过", "released": "已释放",
    "removed": "已移除", "replaced": "已替补", "requested": "已申请", "retrieved": "已调取", "returned": "已退回",
    "revealed": "已揭示", "reviewed": "已审核", "revised": "已修订", "revoked": "已撤销", "sealed": "已封存",
    "seated": "已组建", "sent": "已发出", "set": "已设定", "signed": "已签署", "signed_in": "已签到",
    "started": "已开始", "submitted": "已提交", "taken-down": "已撤下", "unlocked": "已解锁",
    "updated": "已更新", "withdrawn": "已撤回",
}

#: The first part of a kind: the area of the platform, shown when nothing more precise is known.
EVENT_DOMAINS: dict[str, str] = {
    "archives": "档案", "auction": "竞价", "awards": "定标与合同", "bidding": "电子投标与开标", "calendar": "工作日历",
    "committees": "评标委员会", "complaints": "异议投诉", "credit": "信用", "declarations": "声明",
    "disclosure": "政务公开", "draws": "随机抽取", "evaluation": "评标", "experts": "专家库", "identity": "账号",
    "incidents": "平台故障", "inforequest": "依申请公开", "market": "市场主体", "monitoring": "电子监察",
    "observers": "观察", "opendata": "数据开放", "performance": "履约", "policy": "政策", "procedure": "采购程序",
    "qualifications": "资质", "results": "结果公示", "rules": "规则", "seals": "电子签章", "signing": "电子签名",
    "smallworks": "小额工程", "tenderdocs": "招标文件", "trading": "交易", "venues": "场地",
}

#: The first part of a subject: the kind of thing an entry is about.
SUBJECT_LABELS: dict[str, str] = {
    "alert": "预警", "auction": "竞价", "bid": "投标文件", "complaint": "投诉", "concern": "社会关切",
    "contract": "合同", "credit-ban": "禁止参与决定", "credit-ratings": "信用评价", "credit-record": "信用记录",
    "deposit": "保证金", "direct-award": "直接采购申请", "disclosure-item": "公开事项",
    "disclosure-obligation": "公开义务", "disclosure-publication": "公开信息", "draw": "随机抽取",
    "expert-application": "专家入库申请", "expert": "评标专家", "experts": "评标专家库", "incident": "平台故障",
    "inforequest": "信息公开申请", "notice": "交易公告", "opendata": "开放数据", "organisation": "单位",
    "policy": "政策文件", "project": "交易项目", "registration": "报名", "rule": "规则包", "seal": "电子签章",
    "signing_key": "签名密钥", "tender-template": "招标文件范本", "user": "用户", "venue-room": "场室",
    "calendar": "工作日历", "recording-request": "录像调阅申请", "section": "标段", "committee": "评标委员会",
    "request": "抽取申请", "session": "评标会议", "document": "文书", "publication": "公开信息",
}

# fmt: on


def register_events(labels: dict[str, str]) -> None:
    """Names for kinds a domain records (the first name given for a kind stands)."""
    for kind, text in labels.items():
        EVENT_LABELS.setdefault(kind, text)


def event_label(kind: str) -> str:
    """The Chinese name of a ledger event kind; never the raw code."""
    known = EVENT_LABELS.get(kind)
    if known:
        return known
    parts = (kind or "").split(":")
    domain = EVENT_DOMAINS.get(parts[0], "平台")
    if len(parts) >= 3:
        obj, action = EVENT_OBJECTS.get(parts[1]), EVENT_ACTIONS.get(parts[-1])
        if obj and action:
            return f"{obj}{action}"
        if action:
            return f"{domain}事项{action}"
    elif len(parts) == 2 and parts[1] in EVENT_ACTIONS:
        return f"{domain}事项{EVENT_ACTIONS[parts[1]]}"
    return f"{domain}事项"


def subject_label(subject: str) -> str:
    """``project:12`` → ``交易项目（12）``: a subject as people read it (the code stays in the API)."""
    thing, _, ident = (subject or "").partition(":")
    noun = SUBJECT_LABELS.get(thing) or SUBJECT_LABELS.get(thing.replace("_", "-")) or "记录对象"
    ident = " · ".join(SUBJECT_WORDS.get(part, part) for part in ident.split(":")) if ident else ""
    return f"{noun}（{ident}）" if ident else noun


# ---- Field names, for validation errors shown on pages (the API keeps the field's code). -----------------
# fmt: off
FIELD_LABELS: dict[str, str] = {
    "seq": "记录序号", "size": "树大小", "tree_size": "树大小", "first": "旧树大小", "second": "新树大小",
    "start": "起始序号", "limit": "每页条数", "cursor": "翻页位置", "page": "页码", "year": "年份", "on": "日期",
    "day": "日期", "date": "日期", "q": "查询词", "kind": "类别", "state": "状态", "status": "状态",
    "subject": "对象", "code": "编号", "key": "规则包", "version": "版本", "method": "交易方式",
    "transaction_type": "交易类型", "region": "地区", "name": "名称", "title": "标题", "reason": "理由",
    "value": "取值", "amount": "金额", "username": "用户名", "password": "密码", "email": "电子邮箱",
    "phone": "电话", "token": "凭证", "schedule": "放假安排", "body": "提交的内容", "file": "文件",
}
# fmt: on


def field_label(field: str) -> str:
    """The Chinese name of an input field: ``notice_id`` → 交易公告编号, ``seq`` → 记录序号."""
    last = (field or "").split(".")[-1]
    if last in FIELD_LABELS:
        return FIELD_LABELS[last]
    if last.endswith("_id"):
        thing = last[: -len("_id")]
        noun = SUBJECT_LABELS.get(thing) or SUBJECT_LABELS.get(thing.replace("_", "-"))
        return f"{noun}编号" if noun else "编号"
    return "填写的内容"


#: Tracked deadlines whose purpose is kept as a code by their domain.
DEADLINE_PURPOSES: dict[str, str] = {"awards:contract-filing": "合同备案（签订之日起七日内）"}

#: Words inside a subject's identifier (``opendata:records:full``).
SUBJECT_WORDS: dict[str, str] = {
    "full": "全量",
    "records": "交易记录",
    "releases": "发布记录",
    "contracts": "合同",
    "notices": "公告",
    "projects": "项目",
    "results": "结果",
}


def purpose_label(purpose: str) -> str:
    """A tracked deadline's purpose as people read it (most are written in Chinese already)."""
    return DEADLINE_PURPOSES.get(purpose, purpose) if purpose and purpose.isascii() else purpose
