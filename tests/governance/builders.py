"""Builders for governance tests: the people of each role (with their departments), API headers for them,
and the standard catalog loaded. Keyword defaults; each builder runs in its own unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from sunshine.db import Database
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from tests.builders import make_org, make_user
from tests.disclosure.builders import load_catalog


@dataclass
class Cast:
    centre_org: int
    dept_a: int
    dept_b: int
    office: str  # 政务公开办
    office2: str  # a second office member (reviews what the first drafted)
    higher: str  # 政务办
    committee: str  # 管委会办公室
    evaluator: str  # 第三方评估机构
    staff_a: str  # centre staff of department A (drafts documents, claims, corrects)
    staff_b: str  # supervisor of department B


def cast(db: Database) -> Cast:
    load_catalog(db)
    centre = make_org(db, name="示范市公共资源交易中心", kind=OrganisationKind.CENTRE)
    dept_a = make_org(db, name="示范市公共资源交易中心交易服务科", kind=OrganisationKind.DEPARTMENT)
    dept_b = make_org(db, name="示范市财政局政府采购监管处", kind=OrganisationKind.DEPARTMENT)
    return Cast(
        centre_org=centre,
        dept_a=dept_a,
        dept_b=dept_b,
        office=make_user(db, Role.DISCLOSURE_OFFICE, username="gov-office", organisation_id=centre),
        office2=make_user(db, Role.DISCLOSURE_OFFICE, username="gov-office2", organisation_id=centre),
        higher=make_user(db, Role.GOVERNMENT_AFFAIRS, username="gov-higher"),
        committee=make_user(db, Role.COMMITTEE_OFFICE, username="gov-committee"),
        evaluator=make_user(db, Role.EVALUATOR, username="gov-evaluator"),
        staff_a=make_user(db, Role.CENTRE_STAFF, username="gov-staff-a", organisation_id=dept_a),
        staff_b=make_user(db, Role.SUPERVISOR, username="gov-staff-b", organisation_id=dept_b),
    )
