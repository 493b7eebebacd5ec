"""Who enters a section's contractor draw: every registrant of the section is a pool entry, eligible or with
the reason it is not (withdrawn, failed the registration review, deposit not paid, under a credit ban), read
from the trading kernel's registrations, qualification results and deposits and the credit domain's bans.
The reason codes are registered with ``sunshine.draws.reasons`` so the public record explains each one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.credit import service as credit
from sunshine.trading.models import Deposit, Project, QualificationResult, Registration, Section

ELIGIBLE = "eligible"
# Checked in this order; the first that applies is the entry's status.
REASONS: dict[str, str] = {
    "smallworks_withdrawn": "已撤回报名",
    "smallworks_review_failed": "报名未通过审查",
    "smallworks_deposit_unpaid": "未按规定缴纳保证金",
    "smallworks_credit_banned": "被列入失信名单，禁止参与交易",
}
GROUP = "contractor"
GROUP_LABEL = "承包人"


@dataclass(frozen=True)
class Entry:
    registration_id: int
    organisation_id: int
    status: str  # ELIGIBLE or a code of REASONS

    @property
    def ref(self) -> str:
        return f"organisation:{self.organisation_id}"

    @property
    def eligible(self) -> bool:
        return self.status == ELIGIBLE


def status_of(
    registration: Registration,
    results: list[QualificationResult],
    deposit: Deposit | None,
    deposit_required: bool,
    banned: bool,
) -> str:
    """The status of one registrant at the draw (pure: the facts are read by ``pool``)."""
    if registration.withdrawn_at is not None:
        return "smallworks_withdrawn"
    if any(not r.passed for r in results):
        return "smallworks_review_failed"
    if deposit_required and (deposit is None or deposit.status != "paid"):
        return "smallworks_deposit_unpaid"
    if banned:
        return "smallworks_credit_banned"
    return ELIGIBLE


def pool(session: Session, project: Project, section: Section, on: date) -> list[Entry]:
    """Every registrant of ``section`` with its status on ``on``, in registration order."""
    regs = list(
        session.scalars(
            select(Registration)
            .where(Registration.section_id == section.id)
            .order_by(Registration.registered_at, Registration.id)
        )
    )
    if not regs:
        return []
    results: dict[int, list[QualificationResult]] = {}
    for q in session.scalars(
        select(QualificationResult).where(QualificationResult.registration_id.in_([r.id for r in regs]))
    ):
        results.setdefault(q.registration_id, []).append(q)
    deposits = {d.organisation_id: d for d in session.scalars(select(Deposit).where(Deposit.section_id == section.id))}
    scope = credit.Scope(project.region_code, project.transaction_type)
    required = section.deposit_amount is not None and section.deposit_amount > 0
    out = []
    for reg in regs:
        banned = bool(credit.bans_against(session, reg.organisation_id, scope=scope, on=on))
        status = status_of(reg, results.get(reg.id, []), deposits.get(reg.organisation_id), required, banned)
        out.append(Entry(reg.id, reg.organisation_id, status))
    return out
