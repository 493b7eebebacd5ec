"""Reading the pool: the staff list with filters (specialty, status, region, name or code) in keyset pages, the
review queues, and the public statistics (counts by specialty and status, no names)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from sunshine.core.errors import InvalidInput
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.experts import codes, specialties
from sunshine.experts.models import REMOVED, STATUS_LABELS, Expert, ExpertApplication, ExpertSpecialty
from sunshine.identity.models import Organisation

POOL_ORDER = Keyset.of("experts", Key(Expert.code, descending=False), Key(Expert.id, descending=False))
QUEUE_ORDER = Keyset.of(
    "expert-applications",
    Key(ExpertApplication.submitted_at, descending=False),
    Key(ExpertApplication.id, descending=False),
)


@dataclass(frozen=True)
class PoolFilter:
    specialty: str = ""
    status: str = ""
    region: str = ""
    q: str = ""

    def checked(self, session: Session) -> PoolFilter:
        specialty = self.specialty.strip().upper()
        if specialty and specialty not in specialties.nodes(session):
            raise InvalidInput("评标专业编码不存在", field="specialty")
        if self.status and self.status not in STATUS_LABELS:
            raise InvalidInput("专家状态不正确", field="status")
        region = self.region.strip()
        if region and not (region.isdigit() and len(region) == 6):
            raise InvalidInput("地区应为6位行政区划代码", field="region")
        return PoolFilter(specialty, self.status, region, self.q.strip()[:50])


def pool_page(session: Session, flt: PoolFilter, *, cursor: str | None, limit: int | None) -> Page:
    """Rows (Expert, employer name) in expert-code order."""
    flt = flt.checked(session)
    stmt = select(Expert, Organisation.name).join(Organisation, Organisation.id == Expert.employer_organisation_id)
    if flt.specialty:
        stmt = stmt.where(
            exists().where(
                ExpertSpecialty.expert_id == Expert.id,
                ExpertSpecialty.specialty_code.startswith(flt.specialty, autoescape=True),
            )
        )
    if flt.status:
        stmt = stmt.where(Expert.status == flt.status)
    if flt.region:
        stmt = stmt.where(Expert.regions.contains(f" {flt.region} ", autoescape=True))
    if flt.q:
        stmt = stmt.where(or_(Expert.name.contains(flt.q, autoescape=True), Expert.code == flt.q.upper()))
    return paginate(session, stmt, POOL_ORDER, cursor=cursor, limit=limit, count=True)


def specialties_of(session: Session, expert_ids: list[int]) -> dict[int, list[ExpertSpecialty]]:
    out: dict[int, list[ExpertSpecialty]] = {i: [] for i in expert_ids}
    if not expert_ids:
        return out
    rows = session.scalars(
        select(ExpertSpecialty)
        .where(ExpertSpecialty.expert_id.in_(expert_ids))
        .order_by(ExpertSpecialty.is_main.desc(), ExpertSpecialty.specialty_code)
    )
    for row in rows:
        out[row.expert_id].append(row)
    return out


def queue(session: Session, state: str, *, cursor: str | None = None, limit: int | None = None) -> Page:
    """Applications in ``state`` (submitted: the industry supervisor's queue; reviewed: the committee office's),
    oldest first, with the employer's name."""
    if state not in codes.APPLICATION_STATES:
        raise InvalidInput("申请状态不正确", field="state")
    stmt = (
        select(ExpertApplication, Organisation.name)
        .join(Organisation, Organisation.id == ExpertApplication.employer_organisation_id)
        .where(ExpertApplication.state == state)
    )
    return paginate(session, stmt, QUEUE_ORDER, cursor=cursor, limit=limit, count=True)


APPLICATION_ORDER = Keyset.of("expert-applications-own", ExpertApplication.submitted_at, ExpertApplication.id)


def applications_of_user(
    session: Session, user_id: int, *, cursor: str | None = None, limit: int | None = None
) -> Page[ExpertApplication]:
    """A person's own applications, newest first, one page at a time."""
    stmt = select(ExpertApplication).where(ExpertApplication.user_id == user_id)
    return paginate(session, stmt, APPLICATION_ORDER, cursor=cursor, limit=limit)


def applications_by_employer(
    session: Session, organisation_id: int, *, cursor: str | None = None, limit: int | None = None
) -> Page[ExpertApplication]:
    """The applications an employer recommended, newest first, one page at a time."""
    stmt = select(ExpertApplication).where(
        ExpertApplication.channel == "employer", ExpertApplication.employer_organisation_id == organisation_id
    )
    return paginate(session, stmt, APPLICATION_ORDER, cursor=cursor, limit=limit)


@dataclass(frozen=True)
class SpecialtyCount:
    code: str
    name: str
    depth: int
    active: int  # 在库 (drawable apart from leave)
    total: int  # every expert not removed


def statistics(session: Session) -> tuple[list[SpecialtyCount], dict[str, int]]:
    """Public figures: per code of the tree, experts holding it or a code under it (an expert counts once per
    code); and the pool by status. No names, no employers."""
    held = session.execute(
        select(ExpertSpecialty.expert_id, ExpertSpecialty.specialty_code, Expert.status)
        .join(Expert, Expert.id == ExpertSpecialty.expert_id)
        .where(Expert.status != REMOVED)
    ).all()
    per_code: dict[str, set[int]] = {}
    active_per_code: dict[str, set[int]] = {}
    for expert_id, code, status in held:
        for n in range(1, len(code) + 1, 2):  # A, A01, A0101 … every ancestor of the held code
            prefix = code[:n]
            per_code.setdefault(prefix, set()).add(expert_id)
            if status == "active":
                active_per_code.setdefault(prefix, set()).add(expert_id)
    rows = [
        SpecialtyCount(
            node.code, node.name, node.depth, len(active_per_code.get(node.code, ())), len(per_code.get(node.code, ()))
        )
        for node in specialties.flat(session)
    ]
    by_status = dict.fromkeys(STATUS_LABELS, 0)
    for status, n in session.execute(select(Expert.status, func.count()).group_by(Expert.status)):
        by_status[status] = n
    return rows, by_status
