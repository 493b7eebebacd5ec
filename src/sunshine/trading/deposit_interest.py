"""Interest on refunded bid deposits, in one place: the engineering refund's bank interest for the days the money was
held (《中华人民共和国招标投标法实施条例》第五十七条: 退还投标保证金及银行同期存款利息) at the pack's
``deposit_bank_interest_percent``, and the procurement late refund's 超期资金占用费 (《政府采购货物和服务招标投标
管理办法》第三十八条) at the pack's ``deposit_late_interest_percent``. Both: amount × annual rate × days / 365,
rounded down to the fen; a guarantee (保函) is not money and earns nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.rules import service as rules
from sunshine.trading.models import Deposit, Project

CENT = Decimal("0.01")
# 银行同期存款利息的年利率（%）: the pack's value, with its basis (a platform default where no law sets it)
BANK_INTEREST_RULE = "deposit_bank_interest_percent"
# 逾期退还的利息（年利率，%）: 87号令 第三十八条 — 中国人民银行同期贷款基准利率上浮20%; the rate is the pack's
LATE_INTEREST_RULE = "deposit_late_interest_percent"


def interest(amount: Decimal, rate_percent: Decimal, days: int) -> Decimal:
    """amount × rate % × days / 365, rounded down to the fen (never negative)."""
    if days <= 0 or amount <= 0 or rate_percent <= 0:
        return Decimal("0.00")
    return (Decimal(amount) * Decimal(rate_percent) / Decimal(100) * days / Decimal(365)).quantize(
        CENT, rounding=ROUND_DOWN
    )


@dataclass(frozen=True)
class BankInterest:
    amount: Decimal
    rate: Decimal  # annual, %
    days: int  # days held: from the day the money arrived to the day it is refunded
    basis: str

    def evidence(self) -> dict[str, str | int]:
        return {
            "bank_interest": str(self.amount),
            "bank_interest_rate": f"{self.rate}%",
            "days_held": self.days,
            "bank_interest_basis": self.basis,
        }


def bank_interest(session: Session, deposit: Deposit, on: date) -> BankInterest | None:
    """The bank interest a transfer earns from its arrival to ``on`` where the project's pack names a rate
    (engineering, 条例 第五十七条); None for guarantees and where the pack names none (procurement)."""
    if deposit.method != "transfer" or deposit.paid_at is None:
        return None
    pack = rules.rules_of(session.get(Project, deposit.project_id))
    if not pack.has(BANK_INTEREST_RULE):
        return None
    rule = pack.rule(BANK_INTEREST_RULE)
    paid_on = deposit.paid_at.astimezone(get_settings().tz).date()
    days = max((on - paid_on).days, 0)
    return BankInterest(interest(deposit.amount, rule.value, days), rule.value, days, rule.basis_text)


def late_interest(session: Session, deposit: Deposit, due: date | None, on: date) -> tuple[Decimal, int]:
    """The interest owed on a transfer refunded after its due date: amount × the pack's annual rate × days
    late / 365, to the cent (rounded down); nothing for a guarantee, or where the pack sets no rate."""
    if due is None or on <= due or deposit.method != "transfer":
        return Decimal("0.00"), 0
    pack = rules.rules_of(session.get(Project, deposit.project_id))
    if not pack.has(LATE_INTEREST_RULE):
        return Decimal("0.00"), 0
    days = (on - due).days
    return interest(deposit.amount, pack.rule(LATE_INTEREST_RULE).value, days), days
