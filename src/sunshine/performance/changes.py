"""Changes of a contract (合同变更): proposed with reasons by one party, agreed or declined by the other.

- A change of substance — the amount, the object, the quality, the term, the price — is refused (422
  ``contract_changes_substance``): 《中华人民共和国招标投标法》第四十六条 (no other agreement contrary to the
  substance of the contract); the only lawful increase is the additional purchase below.
- Procurement only: an additional purchase of the same object (追加采购，补充合同), other terms unchanged, whose
  total with every earlier additional purchase may not exceed the pack's ``additional_purchase_max_percent`` of
  the original contract amount (10 %, 《中华人民共和国政府采购法》第四十九条) — refused with 422
  ``additional_purchase_over_limit`` otherwise; once agreed it adds a milestone to the payment schedule.
- A non-substantive change (contact persons, invoicing or delivery details) with its reasons.

Publication: neither LAW-NEXT nor the catalog names a time limit for publishing a change; an agreed change is
recorded in the public ledger (its kind, amount and hash of its text) and shown on the contract's performance page
to both parties, the centre and the supervisors, and the acceptance result's publication lists every agreed change
(GC.JG.03 合同履行及变更信息). Never commits."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.awards.contract_models import AwardContract
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.formatting import amount_text, yuan
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging
from sunshine.performance import visibility as parties
from sunshine.performance.models import ContractChange, Milestone
from sunshine.rules import service as rules
from sunshine.trading.models import Project

KINDS = {
    "additional_purchase": "追加采购（补充合同）",
    "non_substantive": "非实质性变更（联系人、开票、交付细节等）",
}
# what a change may not touch: 招标投标法 第四十六条
SUBSTANTIVE = {
    "amount": "合同金额",
    "subject": "合同标的",
    "quality": "质量要求",
    "term": "履行期限",
    "price": "价款或单价",
}
STATUSES = {"proposed": "待对方确认", "agreed": "双方已同意", "declined": "对方不同意"}
CAP_RULE = "additional_purchase_max_percent"
SUBSTANCE_BASIS = "《中华人民共和国招标投标法》第四十六条"
CAP_BASIS = "《中华人民共和国政府采购法》第四十九条"
MESSAGE_KIND = "performance"


class ChangesSubstance(InvalidInput):
    code = "contract_changes_substance"
    title = "变更将改变合同的实质性内容"


class AdditionalPurchaseOverLimit(InvalidInput):
    code = "additional_purchase_over_limit"
    title = "追加采购金额超过原合同金额的百分之十"


def of_contract(session: Session, contract_id: int) -> list[ContractChange]:
    return list(
        session.scalars(
            select(ContractChange).where(ContractChange.contract_id == contract_id).order_by(ContractChange.id)
        )
    )


def _text(value: str | None, field: str, label: str, low: int = 4) -> str:
    value = (value or "").strip()
    if len(value) < low or len(value) > 2000:
        raise InvalidInput(f"请填写{label}（{low}至2000字）", field=field)
    return value


def cap_percent(project: Project) -> Decimal:
    snapshot = rules.rules_of(project)
    return snapshot.rule(CAP_RULE).value if snapshot.has(CAP_RULE) else Decimal(10)


def _check_additional(session: Session, contract: AwardContract, project: Project, amount: Decimal) -> None:
    earlier = session.scalar(
        select(func.coalesce(func.sum(ContractChange.amount), 0)).where(
            ContractChange.contract_id == contract.id,
            ContractChange.kind == "additional_purchase",
            ContractChange.status.in_(("proposed", "agreed")),
        )
    )
    percent = cap_percent(project)
    cap = (contract.amount * percent / Decimal(100)).quantize(Decimal("0.01"))
    total = Decimal(earlier) + amount
    if total > cap:
        share = (total / contract.amount * 100).quantize(Decimal("0.01"))
        raise AdditionalPurchaseOverLimit(
            f"所有补充合同的采购金额不得超过原合同金额的{rules.plain(percent)}%（人民币{yuan(cap)}元）；"
            f"本次追加后合计人民币{yuan(total)}元，占{share}%（依据{CAP_BASIS}）",
            field="amount",
        )


def propose(
    session: Session,
    actor: Principal,
    contract_id: int,
    *,
    kind: str,
    description: str,
    reasons: str,
    amount: str | Decimal | None = None,
    planned_on: date | None = None,
) -> ContractChange:
    """One party proposes a change with its reasons; the other is told."""
    contract, project = parties.contract(session, actor, contract_id)
    side = parties.side_of(actor, contract, project)
    if side is None:
        raise Forbidden("合同变更由合同双方提出")
    parties.performing(contract, project, "提出合同变更")
    if kind in SUBSTANTIVE:
        raise ChangesSubstance(
            f"不得变更{SUBSTANTIVE[kind]}：招标人和中标人不得再行订立背离合同实质性内容的其他协议（依据{SUBSTANCE_BASIS}）",
            field="kind",
        )
    if kind not in KINDS:
        raise InvalidInput("变更类型应为追加采购或非实质性变更", field="kind")
    value = None
    if kind == "additional_purchase" and project.transaction_type != "gov_procurement":
        raise ChangesSubstance(
            f"追加采购（补充合同）仅适用于政府采购合同；本合同不得变更合同金额（依据{SUBSTANCE_BASIS}）", field="kind"
        )
    if kind == "additional_purchase":
        try:
            value = Decimal(str(amount))
        except (InvalidOperation, ValueError):
            raise InvalidInput("请填写追加采购金额（元）", field="amount") from None
        if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
            raise InvalidInput("追加采购金额应大于零、最多两位小数（元）", field="amount")
        if planned_on is None:
            raise InvalidInput("请填写追加部分的计划完成日期", field="planned_on")
        _check_additional(session, contract, project, value)
    elif amount not in (None, "", "0", "0.00"):
        raise ChangesSubstance(f"非实质性变更不得改变合同金额（依据{SUBSTANCE_BASIS}）", field="amount")
    change = ContractChange(
        contract_id=contract.id,
        kind=kind,
        description=_text(description, "description", "变更内容"),
        reasons=_text(reasons, "reasons", "变更理由"),
        amount=value,
        status="proposed",
        proposed_side=side,
        proposed_by=actor.user_id,
        proposed_at=clock.now(),
    )
    change.planned_on = planned_on
    session.add(change)
    session.flush()
    other = contract.winner_id if side == "tenderer" else project.tenderer_id
    for user_id in parties.users_of(session, other):
        messaging.send(
            session,
            user_id=user_id,
            subject=f"对方提出合同变更：{contract.number}",
            body=f"{KINDS[kind]}：{change.description}（理由：{change.reasons}），请确认是否同意。",
            link=f"/contracts/{contract.id}/performance",
            kind=MESSAGE_KIND,
        )
    return change


def answer(session: Session, actor: Principal, change_id: int, *, agree: bool, note: str = "") -> ContractChange:
    """The other party agrees or declines; an agreed change goes into the ledger (an additional purchase also
    into the payment schedule)."""
    change = session.get(ContractChange, change_id)
    if change is None:
        raise NotFound("合同变更不存在")
    contract, project = parties.contract(session, actor, change.contract_id)
    side = parties.side_of(actor, contract, project)
    if side is None or side == change.proposed_side:
        raise Forbidden("合同变更由提出方以外的另一方确认")
    if change.status != "proposed":
        raise Conflict(f"该变更已{STATUSES[change.status]}")
    parties.performing(contract, project, "确认合同变更")
    change.status = "agreed" if agree else "declined"
    change.answered_by, change.answered_at = actor.user_id, clock.now()
    change.answer = (note or "").strip()[:2000] or None
    if agree and change.kind == "additional_purchase":
        last = session.scalar(select(func.max(Milestone.seq)).where(Milestone.contract_id == contract.id)) or 0
        session.add(
            Milestone(
                contract_id=contract.id,
                seq=last + 1,
                title=f"补充合同：{change.description[:180]}",
                planned_on=change.planned_on or clock.today_local(),
                amount=change.amount,
            )
        )
    session.flush()
    if agree:
        text = f"{change.kind}|{change.description}|{change.reasons}|{change.amount}"
        entry = ledger.append(
            session,
            "performance:change:agreed",
            f"contract:{contract.number}",
            {
                "change": change.id,
                "kind": change.kind,
                "amount": amount_text(change.amount) if change.amount else None,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
        )
        change.ledger_seq = entry.seq
    return change
