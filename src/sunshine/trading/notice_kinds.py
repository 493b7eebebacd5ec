"""The kinds of notice (公告) and what their dates mean: which first notice each lifecycle publishes,
which later notices amend it, and the label of every date of a schedule in each procedure (form labels,
error messages, the portal's filters).
"""

from __future__ import annotations

from sunshine.trading.models import Project

KIND_LABELS: dict[str, str] = {
    "tender": "招标公告",
    "prequalification": "资格预审公告",
    "procurement": "采购公告",
    "single_source": "单一来源公示",
    "listing": "挂牌公告",
    "auction": "拍卖公告",
    "draw": "抽取公告",
    "clarification": "澄清公告",
    "amendment": "更正公告",
    "opening_change": "开标时间变更公告",
    "termination": "终止公告",
}

# The first notice a project of each lifecycle may publish.
FIRST_KINDS: dict[str, tuple[str, ...]] = {
    "tender": ("tender", "prequalification"),
    "negotiation": ("procurement",),
    "single_source": ("single_source",),
    "listing": ("listing",),
    "auction": ("auction",),
    "draw": ("draw",),
}
AMENDMENT_KINDS: tuple[str, ...] = ("clarification", "amendment", "opening_change")

# What the dates of a first notice mean in each lifecycle (form labels, error messages).
DATE_LABELS: dict[str, dict[str, str]] = {
    "tender": {
        "docs_issued_at": "招标文件发出（发售开始）时间",
        "docs_sale_end": "文件发售截止时间",
        "bid_deadline": "投标截止时间",
        "opening_at": "开标时间",
    },
    "negotiation": {
        "docs_issued_at": "采购文件发出（提供开始）时间",
        "docs_sale_end": "采购文件提供截止时间",
        "bid_deadline": "响应文件提交截止时间",
        "opening_at": "响应文件开启时间",
    },
    "single_source": {
        "docs_issued_at": "公示开始时间",
        "docs_sale_end": "文件提供截止时间",
        "bid_deadline": "公示截止时间",
        "opening_at": "协商时间",
    },
    "listing": {
        "docs_issued_at": "挂牌起始时间",
        "docs_sale_end": "挂牌文件提供截止时间",
        "bid_deadline": "挂牌截止时间",
        "opening_at": "现场竞价时间",
    },
    "auction": {
        "docs_issued_at": "竞买文件发出时间",
        "docs_sale_end": "竞买文件提供截止时间",
        "bid_deadline": "竞买报名截止时间",
        "opening_at": "拍卖开始时间",
    },
    "draw": {
        "docs_issued_at": "报名开始时间",
        "docs_sale_end": "文件提供截止时间",
        "bid_deadline": "报名截止时间",
        "opening_at": "抽取时间",
    },
}

PREQUALIFICATION_LABELS = {
    "docs_issued_at": "资格预审文件发出（发售开始）时间",
    "docs_sale_end": "资格预审文件发售截止时间",
    "bid_deadline": "资格预审申请文件提交截止时间",
    "opening_at": "资格审查时间",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def date_labels(project: Project, kind: str | None = None) -> dict[str, str]:
    if kind == "prequalification":
        return PREQUALIFICATION_LABELS
    return DATE_LABELS.get(project.lifecycle, DATE_LABELS["tender"])


def first_kinds(project: Project) -> tuple[str, ...]:
    return FIRST_KINDS.get(project.lifecycle, ())
