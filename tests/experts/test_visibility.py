"""Personal data of experts (date of birth, mobile, ID number) never reaches a public page, the public API, a
published text or the ledger; among the staff only those who handle the pool see it; anyone else gets 404."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from sunshine.disclosure.models import Publication
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from tests.builders import api_token, make_org, make_user, valid_credit_code
from tests.disclosure.builders import load_catalog
from tests.experts.builders import application_body, officials
from tests.pages import browser
from tests.trading.builders import cheap_password_hashing

MOBILE = "13905910077"


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def admitted(db, client):
    load_catalog(db)
    code = valid_credit_code()
    make_org(db, name="示范市政设计研究院有限公司", code=code)
    people = officials(db)
    body = application_body(code)
    app = client.post("/api/v1/experts/applications", json=body).json()
    client.post(
        f"/api/v1/experts/applications/{app['id']}/review",
        json={"decision": "pass"},
        headers=api_token(client, people["supervisor"]),
    )
    office = api_token(client, people["office"])
    client.post(f"/api/v1/experts/applications/{app['id']}/decision", json={"decision": "approve"}, headers=office)
    expert = client.get("/api/v1/experts/me", headers=api_token(client, "linhaitao", "Expert-pass-2026")).json()
    client.post(
        f"/api/v1/experts/{expert['id']}/evaluations",
        json={"period": "2026", "score": 88, "grade": "good"},
        headers=office,
    )
    client.post("/api/v1/experts/evaluations/publish", json={"period": "2026"}, headers=office)
    client.post(f"/api/v1/experts/{expert['id']}/removal", json={"reason": "本人申请退出专家库"}, headers=office)
    return {"id": expert["id"], "body": body, "people": people, "application": app["id"]}


def _secrets(body: dict) -> list[str]:
    return [body["mobile"], body["id_number"], body["date_of_birth"], body["id_number"][-6:]]


def test_nothing_personal_in_public_pages_api_publications_or_ledger(db, app, client, admitted):
    secrets = _secrets(admitted["body"])
    public = [
        client.get("/api/v1/experts/statistics").text,
        client.get("/api/v1/experts/published").text,
        client.get("/api/v1/experts/specialties").text,
    ]
    with browser(app) as visitor:
        public += [visitor.get("/experts").text, visitor.get("/experts/published").text]
        with db.unit_of_work() as s:
            pubs = s.scalars(select(Publication)).all()
            assert {p.title for p in pubs} >= {
                "评标专家入库公告（林海涛）",
                "2026年度评标专家考核评价结果公告",
                "评标专家清退公告（林海涛）",
            }
            ids = [p.id for p in pubs]
            entries = s.scalars(select(LedgerEntry).where(LedgerEntry.kind.like("experts:%"))).all()
            ledger_text = json.dumps(
                [json.loads(e.payload) if isinstance(e.payload, str) else e.payload for e in entries],
                ensure_ascii=False,
            )
        for pid in ids:
            page = visitor.get(f"/disclosure/publications/{pid}").text
            assert "林海涛" in page
            public.append(page)
    public.append(client.get("/api/v1/ledger/entries?limit=100").text)
    for text in public:
        for secret in secrets:
            assert secret not in text
    assert len(entries) >= 6
    for secret in [*secrets, "林海涛"]:
        assert secret not in ledger_text


def test_only_pool_staff_and_the_expert_see_contact(db, client, admitted):
    expert_id = admitted["id"]

    def mobile_as(role: Role) -> object:
        headers = api_token(client, make_user(db, role))
        r = client.get(f"/api/v1/experts/{expert_id}", headers=headers)
        return r.json().get("mobile") if r.status_code == 200 else r.status_code

    assert mobile_as(Role.CENTRE_STAFF) == MOBILE
    assert mobile_as(Role.COMMITTEE_OFFICE) == MOBILE
    assert mobile_as(Role.SUPERVISOR) is None  # reads the pool, does not handle personal data
    for outsider in (Role.BIDDER, Role.AGENCY, Role.TENDERER, Role.SOCIAL_SUPERVISOR, Role.ADMIN, Role.EXPERT):
        assert mobile_as(outsider) == 404
    own = client.get(f"/api/v1/experts/{expert_id}", headers=api_token(client, "linhaitao", "Expert-pass-2026"))
    assert own.json()["mobile"] == MOBILE
    other = api_token(client, make_user(db, Role.BIDDER))
    assert client.get(f"/api/v1/experts/applications/{admitted['application']}", headers=other).status_code == 404
    assert client.get("/api/v1/experts", headers=other).status_code == 403
    assert client.get("/api/v1/experts").status_code == 401
