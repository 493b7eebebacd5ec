"""The service desk's vocabulary with its Chinese labels: work order kinds, channels, states and steps,
department kinds, surveyed services and the rating scale. Pages and the API show these labels, never codes."""

from __future__ import annotations

KINDS: dict[str, str] = {
    "consult": "咨询",
    "complaint": "投诉",
    "suggestion": "建议",
    "help": "求助",
    "praise": "表扬",
    "report": "举报",
}
#: the rule of ``centre.service`` that gives each kind its answer limit
LIMIT_RULES: dict[str, str] = {
    "consult": "desk_consult_within",
    "complaint": "desk_complaint_within",
    "suggestion": "desk_suggestion_within",
    "help": "desk_help_within",
    "praise": "desk_praise_within",
    "report": "desk_report_within",
}
CHANNELS: dict[str, str] = {"web": "网上留言", "kiosk": "现场终端", "phone": "来电登记", "hotline": "12345热线转来"}
STATES: dict[str, str] = {
    "registered": "已登记",
    "routed": "办理中",
    "supervised": "督办中",
    "replied": "已答复待回访",
    "closed": "已办结",
    "referred": "已移交投诉处理",
}
OPEN_STATES = frozenset({"registered", "routed", "supervised"})
CLOCK_STATES = frozenset({"routed", "supervised"})
STEPS: dict[str, str] = {
    "register": "登记",
    "route": "转办",
    "remind": "催办",
    "escalate": "督办",
    "reply": "回复",
    "callback": "回访",
    "reopen": "重新办理",
    "close": "办结",
    "refer": "移交投诉处理",
}
DEPARTMENT_KINDS: dict[str, str] = {
    "centre": "交易中心内设部门",
    "supervisory": "监督部门",
    "government": "其他政府部门",
}
SERVICES: dict[str, str] = {
    "project_accepted": "项目进场受理",
    "opening_held": "开标服务",
    "deposit_refunded": "保证金退还",
    "request_answered": "依申请公开答复",
    "order_closed": "服务台工单办理",
}
RESPONDENTS: dict[str, str] = {"party": "服务对象", "special_supervisor": "特约监督员"}
RATINGS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


def label(table: dict, code, default: str = "—") -> str:
    return table.get(code, default) if code is not None else default
