"""The steps sealed bidding adds to the tender and negotiation lifecycles: the opening at the deadline, the
confirmed opening record that sends a project to evaluation, and 流标 when too few bids arrived.
Loaded by ``sunshine.domains``."""

from __future__ import annotations

from sunshine.identity.roles import Role
from sunshine.trading import service as trading
from sunshine.trading.lifecycle import CENTRE, SEALED_LIFECYCLES, Step, declare

declare(
    Step(
        "open_bids",
        "开标",
        frozenset({"bid_closed"}),
        "opening",
        CENTRE,
        lifecycles=SEALED_LIFECYCLES,
        guard=trading.guard_deadline_passed,
        rule="《招标投标法》第三十四条：开标应当在投标截止时间的同一时间公开进行",
    )
)
declare(
    Step(
        "finish_opening",
        "开标记录确认公布",
        frozenset({"opening"}),
        "evaluation",
        frozenset({Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF}),
        lifecycles=SEALED_LIFECYCLES,
        discloses="trading.opening",
        ledger_kind="bidding:opening:record",
        rule="开标记录经招标人（代理机构）和交易中心确认并公布后，进入评标（评审）",
    )
)
declare(
    Step(
        "fail",
        "流标",
        frozenset({"bid_closed", "opening"}),
        "failed",
        frozenset({Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF}),
        lifecycles=SEALED_LIFECYCLES,
        reason_required=True,
        discloses="trading.opening",
        ledger_kind="bidding:opening:record",
        rule="《招标投标法实施条例》第四十四条：投标人少于3个的，不得开标；招标人应当重新招标",
    )
)
