"""The steps online auctions add to the lifecycle of listing (挂牌) and auction (拍卖) projects, with their guards.

They are taken by the system principal when the server clock reaches the listing deadline or the auction start,
and when every auction of the project has ended (the tick and the lazy settling before a read or a bid, in
``sunshine.auctions.service``). Loaded by ``sunshine.domains``.
"""

from __future__ import annotations

from sunshine.auctions import results, rounds
from sunshine.auctions.service import LIFECYCLES
from sunshine.trading.lifecycle import CENTRE, Step, declare, label_states

# Steps of listing (挂牌) and auction (拍卖) projects, taken by the system principal when the server clock
# reaches the listing deadline or the auction start, and when every auction of the project has ended
# (sunshine.auctions.service: its tick part and the lazy settling before a read or a bid).
for _auctioned in LIFECYCLES:
    label_states(_auctioned, {"result_published": "成交结果已公告", "failed": "流拍"})
declare(
    Step(
        "start_auction",
        "开始网上限时竞价",
        frozenset({"notice_published", "bid_closed"}),
        "opening",
        CENTRE,
        lifecycles=frozenset(LIFECYCLES),
        guard=rounds.guard_auction_started,
        rule="挂牌截止时有两个以上竞买人报价的进入限时竞价；拍卖于公告的拍卖开始时间开始（以服务器时钟为准）",
    )
)
declare(
    Step(
        "conclude_auction",
        "网上竞价结束，公布成交结果",
        frozenset({"bid_closed", "opening"}),
        "result_published",
        CENTRE,
        lifecycles=frozenset(LIFECYCLES),
        guard=results.guard_auction_sold,
        discloses="trading.result",
        rule="全部标段竞价结束且有标段成交的，公布竞价结果",
    )
)
declare(
    Step(
        "auction_failed",
        "流拍",
        frozenset({"bid_closed", "opening"}),
        "failed",
        CENTRE,
        lifecycles=frozenset(LIFECYCLES),
        guard=results.guard_auction_unsold,
        discloses="trading.result",
        rule="无人报价或最高报价未达到保留价的，流拍，并公布结果",
    )
)
