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
