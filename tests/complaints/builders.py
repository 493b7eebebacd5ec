"""Builders for the complaints' tests: an engineering tender with registered bidders and API tokens for every
party, and the letter of a case with all its statutory contents (keyword overrides)."""

from __future__ import annotations

from sunshine.core.auth import Principal
from sunshine.identity.roles import Role
from sunshine.trading.models import Project
from tests.bidding.builders import tender_with_bidders
from tests.builders import api_token, make_org
from tests.trading.builders import actor

CASES = "/api/v1/complaints/cases"


def ok(response, status: int = 200):
    assert response.status_code == status, response.text
    return response.json()


def tender(db, client, *, bidders: int = 3, deadline_days: int = 30):
    w = tender_with_bidders(db, bidders=bidders, deadline_days=deadline_days)
    w.h = {n: api_token(client, getattr(w, n).username) for n in ("agency", "tenderer", "centre", "supervisor")}
    w.hb = [api_token(client, b.username) for b in w.bidders]
    w.outsider = actor(db, Role.BIDDER, organisation_id=make_org(db, name="未报名建筑有限公司"))
    w.ho = api_token(client, w.outsider.username)
    return w


def letter(project_id: int, kind: str = "objection", matter: str = "tender_docs", **overrides) -> dict:
    body = {
        "kind": kind,
        "project_id": project_id,
        "matter": matter,
        "respondent": "示范市第一中学、福建中正招标代理有限公司",
        "contact": "李经理 0591-87654321",
        "facts": "招标文件第三章资格条件要求投标人具有本市业绩，排斥外地潜在投标人。",
        "request": "删除招标文件第三章中关于本市业绩的要求。",
        "legal_basis": "《中华人民共和国招标投标法实施条例》第三十二条",
        "signed": True,
    }
    return {**body, **overrides}


def state_of(db, project_id: int) -> str:
    with db.unit_of_work() as s:
        return s.get(Project, project_id).state


def project_row(db, project_id: int) -> Project:
    with db.unit_of_work() as s:
        project = s.get(Project, project_id)
        s.expunge(project)
        return project


__all__ = ["Principal"]
