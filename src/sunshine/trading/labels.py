"""Chinese names of transaction types and methods, for pages, codes and the API."""

TRANSACTION_TYPES: dict[str, str] = {
    "engineering": "工程建设",
    "gov_procurement": "政府采购",
    "state_property": "国有产权",
    "land": "土地使用权",
    "mining": "矿业权",
    "soe_procurement": "国企采购",
    "rural_property": "农村产权",
    "emission": "排污权",
}

METHODS: dict[str, str] = {
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
}


def type_label(value: str) -> str:
    return TRANSACTION_TYPES.get(value, value)


def method_label(value: str) -> str:
    return METHODS.get(value, value)
