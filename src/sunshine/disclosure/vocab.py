"""The closed vocabularies of the disclosure catalog and their Chinese labels (pages, exports, the API)."""

from __future__ import annotations

CHANNELS: dict[str, str] = {
    "portal": "门户网站",
    "platform": "公共资源交易平台",
    "feed": "订阅源与开放数据",
    "terminal": "现场查询终端",
    "board": "公示栏",
    "push": "定向推送",
}
CHANNEL_NEEDS: dict[str, str] = {"required": "必选", "optional": "可选"}
AUDIENCES: dict[str, str] = {"public": "全社会", "specific": "特定群体"}
MODES: dict[str, str] = {"proactive": "主动公开", "on_request": "依申请公开"}
FIVE_CATEGORIES: dict[str, str] = {
    "decision": "决策公开",
    "execution": "执行公开",
    "management": "管理公开",
    "service": "服务公开",
    "result": "结果公开",
}
LEVELS: dict[str, str] = {"province": "省级", "city": "市级", "county": "县级"}
CONDITIONS: dict[str, str] = {"public_project": "仅对已发布公告的项目"}

# Events that create obligations. The trading lifecycle declares the first four on its steps
# (``Step.discloses``); later issues (opening, evaluation, awards, complaints, supervision) call
# ``disclosure.owe`` with the others. Centre and policy events are declared by staff.
TRIGGERS: dict[str, str] = {
    "trading.notice": "发布交易公告",
    "trading.amendment": "发布澄清、更正或变更公告",
    "trading.termination": "终止交易",
    "trading.suspension": "暂停交易",
    "trading.pre_disclosure": "产权转让信息预披露",
    "trading.opening": "开标",
    "trading.qualification": "资格审查",
    "trading.candidates": "收到评标报告，公示中标候选人",
    "trading.result": "确定中标（成交、竞得）人",
    "trading.draw_result": "小额工程固定价抽取产生承包人（含递补）",
    "trading.draw_failed": "小额工程固定价抽取流标",
    "trading.contract": "签订合同",
    "trading.performance": "合同履行、变更及验收",
    "trading.deposit_refund": "退还保证金",
    "trading.complaint_decision": "作出投诉处理决定",
    "centre.incident": "平台发生故障（应急事件）或故障结束",
    "experts.admission": "批准评标专家入库",
    "experts.evaluation": "公布评标专家考核评价结果",
    "experts.removal": "清退评标专家",
}
TRIGGER_PREFIX_LABELS: dict[str, str] = {
    "supervision.penalty": "作出行政处罚决定",
    "policy": "制定或修改政策法规",
    "centre": "交易中心自身事务信息形成或变更",
    "procurement": "政府采购管理事项",
    "land": "土地供应管理事项",
    "state_property": "国有产权交易事项",
    "engineering": "工程建设项目审批事项",
    "request": "答复信息公开申请",
}

OBLIGATION_STATUS: dict[str, str] = {"open": "待公开", "overdue": "已逾期", "met": "已公开"}
PUBLICATION_STATUS: dict[str, str] = {
    "draft": "草稿",
    "review": "保密审查中",
    "published": "已发布",
    "withdrawn": "已撤回",
}
FINDING_STATUS: dict[str, str] = {"open": "待处理", "redacted": "已遮蔽", "dismissed": "已确认无需遮蔽"}
REVIEW_MODES: dict[str, str] = {"manual": "人工审查", "automatic": "自动审查"}


def trigger_label(trigger: str | None) -> str:
    if not trigger:
        return ""
    if trigger in TRIGGERS:
        return TRIGGERS[trigger]
    for prefix, label in TRIGGER_PREFIX_LABELS.items():
        if trigger.startswith(prefix + "."):
            return label
    return trigger
