"""Builders for qualification tests: an enterprise's records through the service, and a tender whose section
carries structured requirements before its notice is published."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.db import Database
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.qualifications import records, service
from sunshine.qualifications.schemas import CertificateIn, PerformanceIn, PersonIn, RequirementIn
from sunshine.trading.models import Project, Section
from tests.trading.builders import accepted_project, actor, publish_notice, tender_world


def admin_of(db: Database, organisation_id: int) -> Principal:
    return actor(db, Role.ENTERPRISE_ADMIN, organisation_id=organisation_id)


def add_certificate(
    db: Database,
    admin: Principal,
    *,
    kind: str = "municipal",
    grade: str = "二级",
    valid_from: date = date(2024, 1, 1),
    valid_until: date = date(2029, 12, 31),
    number: str | None = None,
) -> int:
    with db.unit_of_work() as s:
        data = CertificateIn(
            kind=kind,
            grade=grade,
            number=number or f"D2350{admin.organisation_id:05d}",
            issuer="福建省住房和城乡建设厅",
            valid_from=valid_from,
            valid_until=valid_until,
        )
        return records.add(s, admin, "certificate", data).id


def add_manager(
    db: Database,
    admin: Principal,
    *,
    name: str = "王建国",
    number: str | None = None,
    grade: str = "一级",
    specialty: str = "municipal",
    until: date = date(2029, 6, 30),
    safety_until: date | None = date(2029, 6, 30),
) -> int:
    with db.unit_of_work() as s:
        data = PersonIn(
            name=name,
            post="project_manager",
            registration_number=number or f"闽135{admin.organisation_id:08d}",
            specialty=specialty,
            grade=grade,
            registration_valid_until=until,
            safety_number=f"闽建安B（2024）{admin.organisation_id:07d}" if safety_until else None,
            safety_valid_until=safety_until,
        )
        return records.add(s, admin, "person", data).id


def add_work(
    db: Database,
    admin: Principal,
    *,
    manager_id: int | None = None,
    accepted_on: date | None = date(2025, 6, 30),
    amount: str = "8000000.00",
    specialty: str = "municipal",
) -> int:
    with db.unit_of_work() as s:
        data = PerformanceIn(
            project_name="示范市环城路市政改造工程",
            client="示范市市政工程管理处",
            specialty=specialty,
            amount=Decimal(amount),
            started_on=date(2023, 3, 1),
            ended_on=accepted_on,
            accepted_on=accepted_on,
            manager_id=manager_id,
        )
        return records.add(s, admin, "performance", data).id


def requirement(db: Database, who: Principal, section_id: int, **fields) -> int:
    with db.unit_of_work() as s:
        return service.add_requirement(s, who, section_id, RequirementIn(**fields)).id


def tender_with_requirements(db: Database, *requirements: dict, deadline_days: int = 30) -> SimpleNamespace:
    """An accepted engineering tender whose one section asks ``requirements``, its notice then published with
    the bid deadline ``deadline_days`` from the test clock; three firms, each with a bidder and an administrator."""
    w = SimpleNamespace(**tender_world(db))
    w.project_id = accepted_project(db, vars(w))
    with db.unit_of_work() as s:
        section = s.query(Section).filter_by(project_id=w.project_id).one()
        w.section_id = section.id
    for fields in requirements:
        requirement(db, w.agency, w.section_id, **fields)
    w.deadline = clock.now() + timedelta(days=deadline_days)
    publish_notice(db, w.agency, w.project_id, bid_deadline=w.deadline)
    with db.unit_of_work() as s:
        w.code = s.get(Project, w.project_id).code
        w.credit = {f: s.get(Organisation, f).credit_code for f in w.firms}
    w.admins = [admin_of(db, f) for f in w.firms]
    return w


CERT = {"kind": "certificate", "certificate_kind": "municipal", "min_grade": "二级"}
PM = {"kind": "person", "post": "project_manager", "specialty": "municipal", "min_grade": "二级"}
WORKS = {"kind": "performance", "specialty": "municipal", "count": 1, "within_years": 5, "min_amount": "5000000"}
