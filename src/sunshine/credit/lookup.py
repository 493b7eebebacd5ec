"""The public credit lookup (信用信息查询): an organisation found by its unified social credit code (统一社会信用代码)
or by name shows what the rules allow the public to see — its published records within their publication period
(not revoked), its bans in force, its published ratings. Never a person's data; experts are not looked up."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.errors import InvalidInput, NotFound
from sunshine.credit import ratings, service
from sunshine.credit.models import CreditBan, CreditRating, CreditRecord
from sunshine.identity import credit_code
from sunshine.identity.models import Organisation, OrganisationKind

RATED_KINDS = {OrganisationKind.ENTERPRISE.value: "bidder", OrganisationKind.AGENCY.value: "agency"}
MAX_MATCHES = 20


def find(session: Session, *, code: str | None = None, name: str | None = None) -> list[Organisation]:
    """By the 18-character code (exact), or by a part of the name (at least two characters, at most 20 found)."""
    code, name = (code or "").strip().upper(), (name or "").strip()
    if code:
        problem = credit_code.problem(code)
        if problem:
            raise InvalidInput(f"统一社会信用代码不正确：{problem}", field="code")
        return list(session.scalars(select(Organisation).where(Organisation.credit_code == code)))
    if len(name) < 2:
        raise InvalidInput("请输入统一社会信用代码，或至少两个字的单位名称", field="name")
    stmt = (
        select(Organisation)
        .where(Organisation.name.contains(name, autoescape=True))
        .order_by(Organisation.name)
        .limit(MAX_MATCHES)
    )
    return list(session.scalars(stmt))


def profile(session: Session, org: Organisation) -> tuple[list[CreditRecord], list[CreditBan], list[CreditRating]]:
    records = [r for r, _ in service.published_records(session, org.id)]
    bans = [b for b, _ in service.bans_in_force(session, clock.today_local(), organisation_id=org.id)]
    subject = RATED_KINDS.get(org.kind)
    rated = ratings.ratings_of(session, subject, org.id, published_only=True) if subject else []
    return records, bans, rated


def by_code(session: Session, code: str) -> Organisation:
    found = find(session, code=code)
    if not found:
        raise NotFound("未找到该统一社会信用代码对应的市场主体")
    return found[0]


def kind_label(org: Organisation) -> str:
    try:
        return OrganisationKind(org.kind).label
    except ValueError:
        return org.kind
