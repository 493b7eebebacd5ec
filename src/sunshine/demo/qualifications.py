"""Demo qualifications (资质、人员、业绩): the three demo construction firms' certificates (闽江建设's building
certificate lapses within the reminder window, 榕城路桥's highway certificate has lapsed), their project managers,
their performance — 海西市政's project manager still on an unaccepted project (在建) — and the structured
requirements of the demo tenders (municipal certificate, project manager, similar projects), added before their
notices. The demo bids name each firm's project manager, so the finished demo opening shows the conflict of
海西市政's manager to the officials. Through ``qualifications.records`` and ``service``; idempotent."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core.auth import Principal
from sunshine.demo.base import org_ids
from sunshine.identity.roles import Role
from sunshine.qualifications import records, service
from sunshine.qualifications.models import Certificate
from sunshine.qualifications.schemas import CertificateIn, PerformanceIn, PersonIn, RequirementIn
from sunshine.trading.models import Section

FIRMS = {
    "build1": ("何建平", "闽135201500101", "一级"),
    "build2": ("许志强", "闽135201600202", "一级"),
    "build3": ("陈立新", "闽235201700303", "二级"),
}
DONE = (
    ("示范市江滨东路雨污分流改造工程", "示范市城乡建设局", "12680000.00"),
    ("示范市福飞路快速化改造（二期）工程", "示范市交通建设投资有限公司", "23500000.00"),
    ("示范市城区供水管网改造工程", "示范水务集团有限公司", "6420000.00"),
)
REQUIREMENTS = (
    RequirementIn(kind="certificate", certificate_kind="municipal", min_grade="二级"),
    RequirementIn(kind="person", post="project_manager", specialty="municipal", min_grade="二级"),
    RequirementIn(kind="performance", specialty="municipal", count=1, within_years=5, min_amount=Decimal("3000000")),
)


def _admin(organisation_id: int) -> Principal:
    """The firm's enterprise administrator, as the demo loader acts for it."""
    return Principal(
        user_id=None,
        username="demo-loader",
        display_name="示范数据",
        roles=frozenset({Role.ENTERPRISE_ADMIN}),
        organisation_id=organisation_id,
    )


def load_demo_qualifications(session_factory, real_now: datetime) -> int:
    """The firms' records, if the first firm has none yet. Returns how many records were made."""
    today = real_now.astimezone(get_settings().tz).date()
    made = 0
    with session_factory() as session:
        orgs = org_ids(session)
        if any(k not in orgs for k in FIRMS):
            return 0
        if session.scalar(select(Certificate.id).where(Certificate.organisation_id == orgs["build1"]).limit(1)):
            return 0
        for n, (key, (name, number, grade)) in enumerate(FIRMS.items()):
            admin = _admin(orgs[key])
            made += _firm(session, admin, n, name, number, grade, today)
    return made


def _firm(session: Session, admin: Principal, n: int, name: str, number: str, grade: str, today: date) -> int:
    certs = [
        CertificateIn(
            kind="municipal",
            grade="一级" if n < 2 else "二级",
            number=f"D13501{n}0{n}8{n}",
            issuer="福建省住房和城乡建设厅",
            valid_from=date(2022, 3, 1),
            valid_until=today + timedelta(days=900 + 30 * n),
            scope="可承担市政公用工程施工",
        )
    ]
    if n == 0:  # lapses within the reminder window
        certs.append(
            CertificateIn(
                kind="building",
                grade="二级",
                number="D235012019",
                issuer="示范市住房和城乡建设局",
                valid_from=date(2021, 6, 1),
                valid_until=today + timedelta(days=20),
                scope="可承担单项合同额3000万元以下的建筑工程施工",
            )
        )
    if n == 1:  # lapsed two months ago
        certs.append(
            CertificateIn(
                kind="highway",
                grade="三级",
                number="D335012017",
                issuer="示范市住房和城乡建设局",
                valid_from=date(2020, 1, 1),
                valid_until=today - timedelta(days=60),
                scope="可承担高速公路以外的二级以下公路工程施工",
            )
        )
    for data in certs:
        records.add(session, admin, "certificate", data)
    manager = records.add(
        session,
        admin,
        "person",
        PersonIn(
            name=name,
            post="project_manager",
            registration_number=number,
            specialty="municipal",
            grade=grade,
            registration_valid_until=today + timedelta(days=700),
            safety_number=f"闽建安B（2023）00{n}1{n}2",
            safety_valid_until=today + timedelta(days=500),
        ),
    )
    done = PerformanceIn(
        project_name=[
            "示范市江滨东路雨污分流改造工程",
            "示范市福飞路快速化改造（二期）工程",
            "示范市城区供水管网改造工程",
        ][n],
        client=["示范市城乡建设局", "示范市交通建设投资有限公司", "示范水务集团有限公司"][n],
        specialty="municipal",
        amount=Decimal(["12680000.00", "23500000.00", "6420000.00"][n]),
        started_on=date(2022, 4, 1),
        ended_on=today - timedelta(days=300),
        accepted_on=today - timedelta(days=280),
        manager_id=manager.id,
    )
    records.add(session, admin, "performance", done)
    made = len(certs) + 2
    if n == 2:  # 在建: an unaccepted project naming the firm's project manager
        records.add(
            session,
            admin,
            "performance",
            PerformanceIn(
                project_name="示范市洪山片区老旧小区配套管网改造工程",
                client="示范市鼓楼区住房和城乡建设局",
                specialty="municipal",
                amount=Decimal("4860000.00"),
                started_on=today - timedelta(days=120),
                manager_id=manager.id,
            ),
        )
        made += 1
    return made


def add_requirements(session: Session, actor: Principal, project_id: int) -> None:
    """The structured requirements of a demo tender, added by its agency before the notice."""
    for section in session.scalars(select(Section).where(Section.project_id == project_id)):
        for req in REQUIREMENTS:
            service.add_requirement(session, actor, section.id, req)


def manager_of(session: Session, organisation_id: int) -> dict[str, str] | None:
    """The project manager a demo bid names: the firm's first one."""
    found = records.managers(session, organisation_id)
    return {"registration_number": found[0].registration_number, "name": found[0].name} if found else None
