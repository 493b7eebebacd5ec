"""Builders for trading tests: people with their roles, projects registered and accepted through the
services, and first notices published through ``notices.publish_first_notice``. Keyword defaults
everywhere; each builder runs in its own unit of work, as a request would."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.db import Database
from sunshine.identity.models import OrganisationKind, User
from sunshine.identity.roles import Role
from sunshine.trading import service, visibility
from sunshine.trading.schemas import ProjectIn, SectionIn
from tests.builders import make_org, make_user


def cheap_password_hashing(monkeypatch) -> None:
    """Argon2 with its smallest cost: these tests create many users and are not about passwords. (The
    whole suite runs so, see tests/conftest.py; this says it again where a test relies on it.)"""
    monkeypatch.setenv("SUNSHINE_PASSWORD_HASHING", "insecure-fast-for-tests")
    get_settings.cache_clear()


def actor(db: Database, *roles: Role, organisation_id: int | None = None, username: str | None = None) -> Principal:
    """A real user with ``roles`` and the Principal a request of theirs would carry."""
    name = make_user(db, *roles, username=username, organisation_id=organisation_id)
    with db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.username == name))
        return Principal(
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            roles=frozenset(roles),
            organisation_id=organisation_id,
        )


def make_project(
    db: Database,
    registrant: Principal,
    *,
    tenderer_id: int,
    agency_id: int | None = None,
    transaction_type: str = "engineering",
    method: str = "open_tender",
    name: str = "示范市滨江路道路改造工程",
    sections: list[tuple[str, str]] | None = None,
    accept_as: Principal | None = None,
) -> int:
    """A project registered through the service (and accepted by the centre when ``accept_as`` is given)."""
    sections = sections or [("第一标段：道路工程", "5000000.00")]
    budget = sum((Decimal(e) for _, e in sections), Decimal(0))
    data = ProjectIn(
        name=name,
        transaction_type=transaction_type,
        method=method,
        tenderer_id=tenderer_id,
        agency_id=agency_id,
        budget=budget,
        region_code="350100",
        funding_source="财政资金",
        evaluation_method="综合评估法",
        sections=[SectionIn(name=n, estimate=Decimal(e), qualification="具有相应资质") for n, e in sections],
    )
    with db.unit_of_work() as s:
        project_id = service.register(s, registrant, data).id
    if accept_as is not None:
        with db.unit_of_work() as s:
            service.accept(s, accept_as, project_id)
    return project_id


def publish_notice(
    db: Database,
    publisher: Principal,
    project_id: int,
    *,
    kind: str | None = None,
    bid_deadline: datetime | None = None,
    docs_sale_end: datetime | None = None,
    docs_issued_at: datetime | None = None,
    attachments: list | None = None,
) -> int:
    """The project's first notice, with dates that satisfy every engineering and procurement pack:
    documents on sale for 8 days, bid deadline 30 days from now (by the test clock)."""
    from sunshine.trading import notice_kinds, notices

    now = clock.now()
    with db.unit_of_work() as s:
        project = visibility.get_visible(s, publisher, project_id)
        kind = kind or notice_kinds.first_kinds(project)[0]
        notice = notices.publish_first_notice(
            s,
            publisher,
            project_id,
            kind=kind,
            title=f"{project.name}招标公告",
            body_html="<p>招标公告正文：资格条件、获取招标文件的时间和方式。</p>",
            bid_deadline=bid_deadline or now + timedelta(days=30),
            docs_issued_at=docs_issued_at or now,
            docs_sale_end=docs_sale_end or now + timedelta(days=8),
            attachments=attachments,
        )
        return notice.id


def tender_world(db: Database) -> dict:
    """A school (tenderer), its agency, the centre, a supervisor and three bidders."""
    school = make_org(db, name="示范市第一中学", kind=OrganisationKind.PURCHASER)
    agency_org = make_org(db, name="福建中正招标代理有限公司", kind=OrganisationKind.AGENCY)
    other_agency_org = make_org(db, name="另一家招标代理有限公司", kind=OrganisationKind.AGENCY)
    firms = [make_org(db, name=n) for n in ("示范建设集团有限公司", "闽江路桥工程有限公司", "海峡市政建设有限公司")]
    return {
        "school": school,
        "agency_org": agency_org,
        "firms": firms,
        "agency": actor(db, Role.AGENCY, organisation_id=agency_org),
        "tenderer": actor(db, Role.TENDERER, organisation_id=school),
        "other_agency": actor(db, Role.AGENCY, organisation_id=other_agency_org),
        "centre": actor(db, Role.CENTRE_STAFF),
        "supervisor": actor(db, Role.SUPERVISOR),
        "bidders": [actor(db, Role.BIDDER, organisation_id=f) for f in firms],
    }


# --------------------------------------------------------------------------- notices

SHANGHAI = ZoneInfo("Asia/Shanghai")


def beijing(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A wall-clock time in Beijing, as a person writes it in a notice."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def accepted_project(db: Database, world: dict, **kwargs) -> int:
    """A project registered by ``world``'s agency for its school and accepted by the centre."""
    return make_project(
        db,
        world["agency"],
        tenderer_id=world["school"],
        agency_id=world["agency_org"],
        accept_as=world["centre"],
        **kwargs,
    )
