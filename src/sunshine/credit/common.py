"""What the credit modules share: who writes, the vocabularies with their Chinese labels, calendar months."""

from __future__ import annotations

import calendar
from datetime import date

from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden, InvalidInput
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role

#: Who enters records and bans: the supervisory department (行政监督部门).
WRITERS = frozenset({Role.SUPERVISOR})
POLARITY = {"good": "良好行为记录", "bad": "不良行为记录"}
#: kind → (label, the polarity it always has, or None when either)
KINDS: dict[str, tuple[str, str | None]] = {
    "penalty": ("行政处罚", "bad"),
    "handling": ("行政处理决定", "bad"),
    "conduct": ("行为记录", None),
    "commendation": ("表彰奖励", "good"),
}
REVOCATIONS = {"revoked": "撤销", "corrected": "更正", "repaired": "信用修复"}
SUBJECTS = {"organisation": "单位", "expert": "评标专家", "person": "个人"}


def kind_label(kind: str, polarity: str) -> str:
    if kind == "conduct":
        return POLARITY[polarity]
    return KINDS[kind][0]


def writer(actor: Principal) -> None:
    if not actor.has(*WRITERS):
        raise Forbidden("信用记录和禁止参与由行政监督部门录入")


def organisation(session: Session, organisation_id: int | None) -> Organisation:
    org = session.get(Organisation, organisation_id) if organisation_id is not None else None
    if org is None:
        raise InvalidInput("机构不存在", field="organisation_id")
    return org


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
