"""What complaints hand to credit: the figures of the credit evaluation (``credit.hooks.source``, registered by
``steps.install``) — a bidder's complaints dismissed in the period (投诉不成立), an agency's projects whose complaint
was upheld (被投诉且投诉成立) — and the bad-conduct record a complainant earns by repeated unfounded complaints
(94号令 第三十七条: three or more dismissed within 12 months; the rule's numbers in ``credit.yaml``), written through
credit's own service when the department dismisses the complaint that reaches the count. Never commits."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.complaints.models import ComplaintCase
from sunshine.core.auth import Principal
from sunshine.credit import service as credit
from sunshine.credit.common import add_months
from sunshine.credit.models import CreditRecord
from sunshine.trading.models import Project

COMPLAINTS = ("eng_complaint", "gp_complaint")
DECIDED = ("decided", "published")


@cache
def rules() -> dict:
    return yaml.safe_load((Path(__file__).with_name("credit.yaml")).read_text(encoding="utf-8"))


def source(session: Session, subject: str, ids: list[int], first: date, last: date) -> dict[int, dict[str, Decimal]]:
    if subject not in ("bidder", "agency") or not ids:
        return {}
    in_period = (
        ComplaintCase.kind.in_(COMPLAINTS),
        ComplaintCase.state.in_(DECIDED),
        ComplaintCase.decided_on >= first,
        ComplaintCase.decided_on <= last,
    )
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if subject == "bidder":
        stmt = (
            select(ComplaintCase.organisation_id, func.count())
            .where(*in_period, ComplaintCase.outcome == "dismissed", ComplaintCase.organisation_id.in_(ids))
            .group_by(ComplaintCase.organisation_id)
        )
    else:
        stmt = (
            select(Project.agency_id, func.count())
            .select_from(ComplaintCase)
            .join(Project, Project.id == ComplaintCase.project_id)
            .where(*in_period, ComplaintCase.outcome == "upheld", Project.agency_id.in_(ids))
            .group_by(Project.agency_id)
        )
    for sid, n in session.execute(stmt):
        out[sid]["complaint_lost"] = Decimal(n)
    return dict(out)


def unfounded_within(session: Session, row: ComplaintCase, on: date) -> list[ComplaintCase]:
    """The complainant's complaints of the rule's kinds dismissed in the window ending ``on``."""
    rule = rules()["unfounded_complaints"]
    since = add_months(on, -int(rule["window_months"]))
    stmt = select(ComplaintCase).where(
        ComplaintCase.organisation_id == row.organisation_id,
        ComplaintCase.kind.in_(rule["kinds"]),
        ComplaintCase.outcome == "dismissed",
        ComplaintCase.decided_on > since,
        ComplaintCase.decided_on <= on,
    )
    return list(session.scalars(stmt.order_by(ComplaintCase.decided_on, ComplaintCase.id)))


def after_dismissal(session: Session, actor: Principal, row: ComplaintCase, project: Project) -> CreditRecord | None:
    """94号令 第三十七条: at the dismissal that reaches the count, the complainant enters the bad-conduct list — once
    per window (no second record while one of this rule stands for a dismissal inside the window)."""
    rule = rules()["unfounded_complaints"]
    if row.kind not in rule["kinds"] or row.outcome != "dismissed" or row.decided_on is None:
        return None
    dismissed = unfounded_within(session, row, row.decided_on)
    if len(dismissed) < int(rule["threshold"]):
        return None
    since = add_months(row.decided_on, -int(rule["window_months"]))
    already = session.scalar(
        select(CreditRecord.id).where(
            CreditRecord.organisation_id == row.organisation_id,
            CreditRecord.basis == rule["basis"],
            CreditRecord.revoked_at.is_(None),
            CreditRecord.decided_on > since,
        )
    )
    if already is not None:
        return None
    codes = "、".join(c.code for c in dismissed)
    return credit.create_record(
        session,
        actor,
        credit.RecordIn(
            polarity="bad",
            kind="conduct",
            subject_type="organisation",
            organisation_id=row.organisation_id,
            transaction_type=project.transaction_type,
            department=None,
            behaviour=f"{rule['window_months']}个月内{len(dismissed)}次投诉查无实据，被驳回（{codes}）",
            basis=rule["basis"],
            source=f"投诉处理决定（{row.code}）"[:200],
            decided_on=row.decided_on,
            effective_from=row.decided_on,
        ),
    )
