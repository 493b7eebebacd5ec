"""Chinese labels of social supervision's codes (kinds, sources, states, channels), and the ledger events it
writes, so that no page shows a raw code."""

from __future__ import annotations

KINDS = {"social": "社会监督员", "special": "特约监督员"}
SOURCES = {
    "application": "个人申请",
    "npc": "人大推荐",
    "cppcc": "政协推荐",
    "media": "媒体推荐",
    "government": "政务公开特约监督员（政府聘请）",
}
STATES = {"applied": "待审核", "rejected": "未通过", "appointed": "在聘", "dismissed": "已解聘"}
CARD_STATES = {
    "valid": "有效",
    "expired": "已过期",
    "revoked": "已撤销",
    "replaced": "已换发（旧证无效）",
    "invalid": "无法验证（签名不符）",
}
ATTENDANCE_SOURCES = {"chosen": "自行选择", "drawn": "随机抽取"}
OPINION_CHANNELS = {"room": "场室意见箱（扫码）", "session": "场次意见", "open_day": "开放日", "online": "网上意见箱"}
OPINION_TOPICS = {
    "procedure": "交易程序",
    "venue": "场地与设施",
    "service": "服务质量",
    "discipline": "工作纪律",
    "other": "其他意见建议",
}
AUTHOR_KINDS = {"supervisor": "社会监督员", "special": "特约监督员", "invitee": "受邀观摩人员", "public": "社会公众"}
PUBLISH = {"none": "未公开", "proposed": "待公开审查", "published": "已公开", "withheld": "不予公开"}
OPEN_DAY_KINDS = {
    "designated": "指定项目集中开放日",
    "regular": "常态化开放日",
    "application": "社会申请式开放日",
    "government": "政府开放日",
}
OPEN_DAY_STATES = {
    "announced": "已发布通告",
    "screening": "政务办筛选中",
    "selected": "参加人员已确定",
    "held": "已举办",
    "reported": "已发布活动报告",
}
PARTICIPANT_ROLES = {"invitee": "受邀人员", "applicant": "申请人", "supervisor": "社会监督员"}
CATEGORIES = {
    "party": "党代表",
    "npc": "人大代表",
    "cppcc": "政协委员",
    "media": "媒体记者",
    "citizen": "市民代表（服务对象）",
    "staff": "职工代表",
    "supervisor": "社会监督员",
    "public": "社会公众",
}
PARTICIPANT_STATES = {
    "applied": "待政务办筛选",
    "passed": "筛选通过",
    "screened_out": "筛选未通过",
    "selected": "入选",
    "not_selected": "未入选",
    "invited": "已邀请",
}
CHANNELS = {"online": "网上申请", "offline": "线下申请（工作人员录入）", "invited": "邀请"}
#: the seven items of seed 000 (篇一 二（一）)
AGENDA = [
    "基本情况及前期公告、报名、审查等",
    "开标程序及纪律、展示电子化开标过程",
    "公布开标结果及投标人质疑过程",
    "评标过程及专家评委会产生方式、评标办法，推荐中标候选人办法",
    "深度观看专家评委网上评标整个过程",
    "宣读评标结果，逐一点评中标候选人情况",
    "召开座谈会，听取意见和建议",
]
#: seed 000 篇二 三: the government open day's programme
GOVERNMENT_AGENDA = [
    "参观开评标现场评委抽取室、监控室、展板及办公区域，工作人员介绍有关情况",
    "中心负责人介绍中心职能职责、工作情况和今后工作思路",
    "各位领导、代表对中心工作进行点评发言",
    "征集群众代表意见建议，当场答复；不能答复的集中收集、会后研究解决",
]
EVENTS = {
    "supervision:recruitment:published": "发布社会监督员招募公告",
    "supervision:supervisor:applied": "收到社会监督员申请或推荐",
    "supervision:supervisor:reviewed": "审核社会监督员申请",
    "supervision:supervisor:appointed": "聘任社会监督员并发放工作证",
    "supervision:supervisor:renewed": "续聘社会监督员并换发工作证",
    "supervision:supervisor:dismissed": "解聘社会监督员，工作证作废",
    "supervision:schedule:issued": "发布每周监督安排",
    "supervision:session:chosen": "社会监督员选择参加场次",
    "supervision:session:drawn": "为场次抽取社会监督员",
    "supervision:session:signed_in": "社会监督员到场签到",
    "supervision:opinion:received": "意见箱收到意见",
    "supervision:opinion:answered": "答复意见",
    "supervision:opinion:published": "公开意见及答复",
    "supervision:open_day:announced": "发布开放日通告",
    "supervision:open_day:screened": "政务办筛选开放日申请",
    "supervision:open_day:selected": "确定开放日参加人员",
    "supervision:open_day:held": "举办开放日",
    "supervision:open_day:reported": "发布开放日活动报告",
    "supervision:open_day:reported_to_office": "向政务公开服务中心上报活动情况",
    "supervision:open_day:poll_closed": "社会关注度调查结束，平台按得票确定开放项目",
    "supervision:open_day:poll_overridden": "交易中心说明理由后调整开放项目",
}


def label(table: dict[str, str], code: str | None) -> str:
    return table.get(code or "", "—")
