"""The composition of a committee against its project's rule pack, as pure functions.

An evaluation committee (评标委员会 / 评审小组) is the experts drawn plus the tenderer's representatives: its
size odd and at least ``committee_min_size`` (``committee_large_min_size`` when the budget reaches
``committee_large_threshold``), the experts at least ``expert_share_min`` of it (66.67 % in the packs is the
display value of two thirds and is judged as 2/3). A tender-document review (招标文件审查) and an opinion on a
change of procurement method (变更采购方式专家意见) are experts only, at least the pack's number.
``problems`` lists every breach in Chinese; ``check`` raises the first as ``CompositionInvalid`` (422).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sunshine.core.errors import InvalidInput

EVALUATION = "evaluation"
DOC_REVIEW = "doc_review"
METHOD_OPINION = "method_opinion"
PURPOSES: dict[str, str] = {
    EVALUATION: "组建评标委员会（评审小组）",
    DOC_REVIEW: "招标文件审查",
    METHOD_OPINION: "变更采购方式专家意见",
}
TWO_THIRDS_DISPLAY = Decimal("66.67")


class CompositionInvalid(InvalidInput):
    code = "committee_composition"
    title = "评标委员会的组成不符合规定"


@dataclass(frozen=True)
class Limits:
    """The numbers that govern one request, read from the project's rule pack (see ``service.limits``)."""

    purpose: str
    min_size: int = 5
    expert_share: Fraction = Fraction(2, 3)
    large_min_size: int | None = None
    large_threshold: Decimal | None = None
    budget: Decimal = Decimal(0)
    experts_min: int = 2  # review and opinion purposes
    basis: str = ""

    @property
    def required_size(self) -> int:
        if self.large_min_size is not None and self.large_threshold is not None and self.budget >= self.large_threshold:
            return max(self.min_size, self.large_min_size)
        return self.min_size


def share_of(percent: Decimal) -> Fraction:
    """A pack's percentage as an exact fraction; 66.67 is two thirds."""
    if percent == TWO_THIRDS_DISPLAY:
        return Fraction(2, 3)
    return Fraction(percent) / 100


def share_text(share: Fraction) -> str:
    return "三分之二" if share == Fraction(2, 3) else f"{float(share * 100):g}%"


def problems(limits: Limits, counts: list[int], representatives: int) -> list[str]:
    """Every way the requested numbers break the limits (empty when the composition is lawful)."""
    out: list[str] = []
    if not counts or any(c < 1 for c in counts):
        out.append("每个专业至少抽取1名专家")
    experts = sum(counts)
    if representatives < 0:
        out.append("招标人（采购人）代表人数不能为负数")
    if limits.purpose != EVALUATION:
        if representatives:
            out.append(f"{PURPOSES[limits.purpose]}只由随机抽取的专家进行，不设招标人（采购人）代表")
        if experts < limits.experts_min:
            out.append(f"{PURPOSES[limits.purpose]}须随机抽取不少于{limits.experts_min}名专家（现为{experts}名）")
        return out
    total = experts + max(representatives, 0)
    size = limits.required_size
    if total % 2 == 0:
        out.append(f"评标委员会成员人数应为单数（现为专家{experts}名、招标人代表{representatives}名，共{total}人）")
    if total < size:
        large = size > limits.min_size
        why = f"（预算达到{limits.large_threshold:,.0f}元）" if large else ""
        out.append(f"评标委员会成员应为{size}人以上单数{why}，现为{total}人")
    if total and Fraction(experts, total) < limits.expert_share:
        out.append(
            f"评审专家不得少于成员总数的{share_text(limits.expert_share)}"
            f"（现为{total}人中专家{experts}名，招标人代表过多）"
        )
    return out


def check(limits: Limits, counts: list[int], representatives: int) -> None:
    found = problems(limits, counts, representatives)
    if found:
        detail = "；".join(found)
        if limits.basis:
            detail += f"。依据：{limits.basis}"
        raise CompositionInvalid(detail, field="specialties", problems=found)
