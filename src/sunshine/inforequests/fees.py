"""Information processing fees (信息处理费) computed from the rule pack ``disclosure.fees``
(《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号): by count (按件, the applicant's requests in a
natural month) or by pages (按量, the pages of one request) — one method per request, never both, and
nothing below the free thresholds. Every number comes from the pack; this module only applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from sunshine.core.errors import InvalidInput
from sunshine.rules import service as rules
from sunshine.rules.service import ResolvedPack

PACK_KEY = "disclosure.fees"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Fee:
    method: str  # none | count | pages
    units: int  # the request's rank in the month (count) or its pages (pages)
    amount: Decimal
    explanation: str
    basis: str


def pack_for(session: Session, on: date) -> ResolvedPack | None:
    """The fee pack in force on ``on``; None before the 109号 rules took effect (no fees at all)."""
    try:
        return rules.resolve(session, PACK_KEY, on)
    except InvalidInput:
        return None


def _n(pack: ResolvedPack, rule_id: str) -> Decimal:
    return pack.rule(rule_id).value


def by_count(pack: ResolvedPack, rank: int) -> Fee:
    """The fee of the ``rank``-th request of one applicant in one natural month (按件计收): free up to
    the free count, a flat price per request up to the first tier, then a price rising by a step for
    every further block of requests."""
    if rank < 1:
        raise InvalidInput("当月申请序号应为正整数", field="units")
    free, tier1_max = int(_n(pack, "count_free_max")), int(_n(pack, "count_tier1_max"))
    tier1_price, block, step = (
        _n(pack, "count_tier1_price"),
        int(_n(pack, "count_block_size")),
        _n(pack, "count_block_step"),
    )
    if rank <= free:
        amount, text = ZERO, f"本月第{rank}件申请，{free}件以下（含{free}件）不收费"
    elif rank <= tier1_max:
        amount, text = tier1_price, f"本月第{rank}件申请，{free + 1}—{tier1_max}件的部分每件收费{tier1_price:.0f}元"
    else:
        blocks = (rank - tier1_max - 1) // block + 1
        amount = tier1_price + step * blocks
        text = (
            f"本月第{rank}件申请，{tier1_max + 1}件以上的部分以{block}件为一档，每增加一档每件收费提高{step:.0f}元，"
            f"本件收费{amount:.0f}元"
        )
    return Fee("count", rank, amount.quantize(ZERO), text, pack.rule("count_free_max").basis_text)


def by_pages(pack: ResolvedPack, pages: int) -> Fee:
    """The fee of one request providing ``pages`` pages (按量计收), tier by tier."""
    if pages < 0:
        raise InvalidInput("页数不能为负数", field="pages")
    free = int(_n(pack, "pages_free_max"))
    tiers = [
        (free, int(_n(pack, "pages_tier1_max")), _n(pack, "pages_tier1_price")),
        (int(_n(pack, "pages_tier1_max")), int(_n(pack, "pages_tier2_max")), _n(pack, "pages_tier2_price")),
        (int(_n(pack, "pages_tier2_max")), None, _n(pack, "pages_tier3_price")),
    ]
    amount, parts = ZERO, []
    for low, high, price in tiers:
        top = pages if high is None else min(pages, high)
        if top > low:
            amount += price * (top - low)
            span = f"第{top}页" if top == low + 1 else f"第{low + 1}—{top}页"
            parts.append(f"{span}每页{price:.0f}元")
    if not parts:
        text = f"共{pages}页，{free}页以下（含{free}页）不收费"
    else:
        text = f"共{pages}页：{free}页以下（含{free}页）不收费，" + "，".join(parts) + f"，合计{amount:.0f}元"
    return Fee("pages", pages, amount.quantize(ZERO), text, pack.rule("pages_free_max").basis_text)


def compute(pack: ResolvedPack | None, method: str, *, rank: int | None = None, pages: int | None = None) -> Fee:
    """The fee of one request by the one method chosen. Giving both a rank and pages is refused: 109号
    charges a request by count or by pages, never both."""
    if method not in ("none", "count", "pages"):
        raise InvalidInput("计费方式应为不收费、按件计收或按量计收", field="fee_method")
    if method == "none" or pack is None:
        return Fee("none", 0, ZERO, "不收取信息处理费", "《中华人民共和国政府信息公开条例》第四十二条")
    if rank is not None and pages is not None:
        raise InvalidInput("同一申请只能按件或按量一种方式计收信息处理费，不能同时适用", field="fee_method")
    if method == "count":
        if rank is None:
            raise InvalidInput("按件计收需要申请人本月的申请序号", field="units")
        return by_count(pack, rank)
    if pages is None:
        raise InvalidInput("按量计收请填写提供信息的页数", field="pages")
    return by_pages(pack, pages)
