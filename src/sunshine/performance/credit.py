"""What contract performance hands to credit's rating (``credit.hooks.source``, registered by ``steps.install``):
per winner of a contract, the acceptances recorded in the period — failed (履约不合格) and passed (履约验收合格) —
as the figures of the bidder's credit evaluation (seed 001 6.5 a): 投标、履约等行为). Credit imports nothing of
performance; it calls this source with the subjects and the period."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.awards.contract_models import AwardContract
from sunshine.performance.models import Acceptance

ITEMS = {"failed": "performance_failed", "passed": "performance_passed"}


def source(session: Session, subject: str, ids: list[int], first: date, last: date) -> dict[int, dict[str, Decimal]]:
    if subject != "bidder" or not ids:
        return {}
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    stmt = (
        select(AwardContract.winner_id, Acceptance.result, func.count())
        .select_from(Acceptance)
        .join(AwardContract, AwardContract.id == Acceptance.contract_id)
        .where(
            AwardContract.winner_id.in_(ids),
            Acceptance.result.in_(sorted(ITEMS)),
            Acceptance.accepted_on >= first,
            Acceptance.accepted_on <= last,
        )
        .group_by(AwardContract.winner_id, Acceptance.result)
    )
    for winner, result, n in session.execute(stmt):
        out[winner][ITEMS[result]] = Decimal(n)
    return dict(out)
