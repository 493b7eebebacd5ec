"""How members' scores become a ranking: the members' average per criterion, the deviation flags, the one
rounding, and the order of the bids with the statutory tie rule first, then the tender's own, else a tie the
purchaser decides.

- Average: for each bid and criterion, the arithmetic mean of every member's score (87号令 第五十五条 forbids
  dropping the highest or lowest, so nothing is dropped).
- Deviation: a member's score differing from the other members' mean for the same bid and criterion by more
  than ``score_deviation_max`` percent of the criterion's full marks is flagged (a known warning sign, 87号令
  第六十四条 lets the committee correct 评分畸高、畸低). The threshold is a 平台默认值 held in the pack.
- Rounding: 2 decimals, half up (四舍五入), applied once to each shown value; a total is the exact sum of its
  rounded parts.
- Order: the method's statutory keys first (87号令 第五十七条: score high→low, then 投标报价 low→high;
  第五十六条: price low→high), bids equal on all of them are 并列; the tender's declared tie-break then orders
  them where the law leaves it to the documents (第六十八条: the purchaser decides among tied candidates per the
  documents); bids still equal share a rank and are reported as ``tie_pending`` (the purchaser decides, else a
  draw — 第六十八条).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from sunshine.core.errors import InvalidInput
from sunshine.evaluation.methods.base import BidInput, Criterion, Declared, Deviation, Scores

PLACES = Decimal("0.01")
Direction = Literal["asc", "desc"]


def rnd(value: Decimal) -> Decimal:
    """The platform's one rounding: 2 decimals, half up (四舍五入)."""
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TieBreak:
    key: str  # the value compared, a key of the ranked rows
    direction: Direction
    label: str  # Chinese, as the tender documents word it


#: the tie-breaks a tender may declare (the law leaves the order of tied bids to the documents)
TIE_BREAKS: dict[str, TieBreak] = {
    "technical": TieBreak("technical", "desc", "技术得分高者优先"),
    "commercial": TieBreak("commercial", "desc", "商务得分高者优先"),
    "price": TieBreak("price", "asc", "投标报价低者优先"),
}


# --------------------------------------------------------------------------- members' scores


def member_criteria(declared: Declared) -> tuple[Criterion, ...]:
    """The criteria members score: all but the price, which the platform computes."""
    return tuple(c for c in declared.criteria if c.kind != "price")


def averages(declared: Declared, bids: Sequence[BidInput], scores: Scores) -> dict[str, dict[str, Decimal]]:
    """bid ref → criterion code → the members' mean, unrounded. Every member must have scored every member
    criterion of every bid within its range; otherwise a 422 naming the member, the bid and the criterion."""
    criteria = member_criteria(declared)
    if criteria and not scores:
        raise InvalidInput("尚无评委提交评分", field="scores")
    result: dict[str, dict[str, Decimal]] = {b.ref: {} for b in bids}
    for bid in bids:
        for c in criteria:
            values = []
            for member, by_bid in scores.items():
                value = by_bid.get(bid.ref, {}).get(c.code)
                if value is None:
                    raise InvalidInput(
                        f"评委 {member} 尚未对{bid.bidder}的「{c.title}」评分", field="scores", member=member
                    )
                if not value.is_finite() or value < c.min_score or value > c.max_score:
                    raise InvalidInput(
                        f"评委 {member} 对{bid.bidder}的「{c.title}」评分 {value} 超出 {c.min_score}—{c.max_score} 分",
                        field="scores",
                        member=member,
                    )
                values.append(value)
            result[bid.ref][c.code] = sum(values, Decimal(0)) / len(values)
    return result


def deviations(
    declared: Declared, bids: Sequence[BidInput], scores: Scores, threshold_percent: Decimal | None
) -> tuple[Deviation, ...]:
    """Scores more than ``threshold_percent`` % of the criterion's full marks away from the other members'
    mean. Needs at least two members; no threshold in the pack → no flags."""
    if threshold_percent is None or len(scores) < 2:
        return ()
    found = []
    for bid in bids:
        for c in member_criteria(declared):
            allowed = c.max_score * threshold_percent / 100
            for member, by_bid in sorted(scores.items()):
                score = by_bid[bid.ref][c.code]
                others = [s[bid.ref][c.code] for m, s in scores.items() if m != member]
                mean = sum(others, Decimal(0)) / len(others)
                if abs(score - mean) > allowed:
                    found.append(Deviation(member, bid.ref, c.code, score, rnd(mean)))
    return tuple(found)


# --------------------------------------------------------------------------- order


def _sort_key(row: Mapping[str, object], keys: Sequence[tuple[str, Direction]]) -> tuple[Decimal, ...]:
    out = []
    for key, direction in keys:
        value = row[key]
        assert isinstance(value, Decimal)
        out.append(-value if direction == "desc" else value)
    return tuple(out)


def rank(
    rows: Sequence[Mapping[str, object]],
    statutory: Sequence[tuple[str, Direction]],
    tie_break: str | None,
) -> tuple[list[tuple[str, int]], tuple[tuple[str, ...], ...]]:
    """Order ``rows`` (each with a ``ref`` and the keys named) by the statutory keys, then by the declared
    tie-break within groups the statutory keys leave equal. Returns ``[(ref, rank)]`` in order (competition
    ranking: tied bids share a rank, the next rank skips) and the groups still tied (``tie_pending``).
    Tied bids are listed by their reference, so the result does not depend on the order of the input."""
    extra = TIE_BREAKS.get(tie_break) if tie_break else None
    if tie_break and (extra is None or any(extra.key not in row for row in rows)):
        raise InvalidInput("招标文件规定的并列排序规则不适用于本评审方法", field="tie_break")
    keys = list(statutory) + ([(extra.key, extra.direction)] if extra else [])
    ordered = sorted(rows, key=lambda r: (_sort_key(r, keys), str(r["ref"])))
    placed: list[tuple[str, int]] = []
    pending: list[tuple[str, ...]] = []
    i = 0
    while i < len(ordered):
        j = i
        head = _sort_key(ordered[i], keys)
        while j + 1 < len(ordered) and _sort_key(ordered[j + 1], keys) == head:
            j += 1
        group = tuple(str(r["ref"]) for r in ordered[i : j + 1])
        placed.extend((ref, i + 1) for ref in group)
        if len(group) > 1:
            pending.append(group)
        i = j + 1
    return placed, tuple(pending)
