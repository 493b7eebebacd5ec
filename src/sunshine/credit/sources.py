"""What the expert pool hands to credit (part of credit's upper half, installed by ``steps.install``): an expert
is known to credit by the pool's code (专家编号), never by name; the experts to rate are those in the pool; the
conduct recorded after evaluations (``experts.records.record_conduct``: late, absent, improper) counts against
the expert's rating. Complaints lost and contract performance are sources their domains register the same way
(``hooks.source``) once they exist; until then those items count nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.experts import records
from sunshine.experts.models import REMOVED, Expert, ExpertConduct


def expert_label(session: Session, expert_id: int) -> str | None:
    return session.scalar(select(Expert.code).where(Expert.id == expert_id))


def expert_by_code(session: Session, code: str) -> int | None:
    return session.scalar(select(Expert.id).where(Expert.code == code.strip()))


def expert_status(session: Session, expert_id: int) -> None:
    expert = session.get(Expert, expert_id)
    if expert is not None:
        records.refresh(session, expert)


def expert_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Expert.id).where(Expert.status != REMOVED).order_by(Expert.id)))


def expert_codes(session: Session, ids: list[int]) -> dict[int, str]:
    return dict(session.execute(select(Expert.id, Expert.code).where(Expert.id.in_(ids))).all()) if ids else {}


def conduct(session: Session, subject: str, ids: list[int], first: date, last: date) -> dict[int, dict[str, Decimal]]:
    """评标行为记录 of the period, per expert."""
    if subject != "expert" or not ids:
        return {}
    tz = get_settings().tz
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for expert_id, n in session.execute(
        select(ExpertConduct.expert_id, func.count())
        .where(
            ExpertConduct.expert_id.in_(ids),
            ExpertConduct.recorded_at >= datetime.combine(first, time(0), tzinfo=tz),
            ExpertConduct.recorded_at < datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz),
        )
        .group_by(ExpertConduct.expert_id)
    ):
        out[expert_id]["conduct"] = Decimal(n)
    return dict(out)
