"""The admission walk through the API: apply (self-service, by the employer) → industry supervisor's review
against the rule pack → committee office's approval → in the pool, drawable; refusals with Chinese codes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from sunshine.experts import service
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from tests.builders import api_token, make_org, make_user, valid_credit_code
from tests.disclosure.builders import load_catalog
from tests.experts.builders import application_body, officials
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def world(db, client):
    code = valid_credit_code()
    employer = make_org(db, name="示范市政设计研究院有限公司", code=code)
    people = officials(db)
    return {
        "code": code,
        "employer": employer,
        "supervisor": api_token(client, people["supervisor"]),
        "office": api_token(client, people["office"]),
        "centre": api_token(client, people["centre"]),
    }


def test_self_service_application_walks_into_the_pool(db, client, world):
    load_catalog(db)
    r = client.post("/api/v1/experts/applications", json=application_body(world["code"]))
    assert r.status_code == 201, r.text
    app = r.json()
    assert app["state_label"] == "待行业监督部门审核"
    assert app["specialty_labels"] == ["城市道路与桥梁", "工程造价"]
    applicant = api_token(client, "linhaitao", "Expert-pass-2026")
    mine = client.get("/api/v1/experts/applications/mine", headers=applicant).json()
    assert [a["code"] for a in mine] == [app["code"]]

    queue = client.get("/api/v1/experts/applications?state=submitted", headers=world["supervisor"]).json()
    assert [a["code"] for a in queue] == [app["code"]]
    assert {c["rule"]: c["passed"] for c in queue[0]["checks"]} == {
        "min_practice_years": True,
        "min_title_rank": True,
        "max_age": True,
    }
    assert "第三十七条" in queue[0]["checks"][0]["basis"]

    r = client.post(
        f"/api/v1/experts/applications/{app['id']}/review",
        json={"decision": "pass", "note": "材料齐全"},
        headers=world["supervisor"],
    )
    assert r.status_code == 200, r.text
    assert r.json()["state_label"] == "待交易管理委员会办公室审批"
    r = client.post(
        f"/api/v1/experts/applications/{app['id']}/decision", json={"decision": "approve"}, headers=world["office"]
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "approved"

    applicant = api_token(client, "linhaitao", "Expert-pass-2026")  # the role 评标专家 comes with admission
    me = client.get("/api/v1/experts/me", headers=applicant).json()
    assert me["status_label"] == "在库"
    assert me["mobile"] == "13905910077"
    assert me["term_ends_on"] == "2029-11-22"  # three years (平台默认值) from 2026-11-23
    with db.unit_of_work() as s:
        pool = service.pool_for_draw(s, specialties=["A02"], at=datetime(2026, 12, 1, 2, tzinfo=UTC))
        assert [(m.expert_id, m.status) for m in pool] == [(me["id"], "eligible")]
        kinds = set(s.scalars(select(LedgerEntry.kind).where(LedgerEntry.kind.like("experts:%"))))
    assert {"experts:application:submitted", "experts:application:reviewed", "experts:admitted"} <= kinds
    published = client.get("/api/v1/experts/published").json()
    assert [p["kind"] for p in published] == ["入库"]
    assert "林海涛" in published[0]["title"]


def test_employer_recommends_an_employee(db, client, world):
    admin = make_user(db, Role.ENTERPRISE_ADMIN, organisation_id=world["employer"])
    headers = api_token(client, admin)
    body = application_body(world["code"], username="chenjing", name="陈静")
    del body["employer_credit_code"]
    r = client.post("/api/v1/experts/employer-applications", json=body, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["channel_label"] == "所在单位推荐"
    assert r.json()["employer"] == "示范市政设计研究院有限公司"
    listed = client.get("/api/v1/experts/employer-applications", headers=headers).json()
    assert [a["name"] for a in listed] == ["陈静"]
    # the expert signs in with the initial password and sees the application
    own = client.get("/api/v1/experts/applications/mine", headers=api_token(client, "chenjing", "Expert-pass-2026"))
    assert [a["name"] for a in own.json()] == ["陈静"]


def test_review_refuses_what_the_rules_refuse(client, world):
    young = application_body(world["code"], practice_since=2022, username="young1")
    app = client.post("/api/v1/experts/applications", json=young).json()
    r = client.post(
        f"/api/v1/experts/applications/{app['id']}/review", json={"decision": "pass"}, headers=world["supervisor"]
    )
    assert r.status_code == 422
    assert r.json()["code"] == "admission_rule_not_met"
    assert "从事相关领域工作年限应满 8 年" in r.json()["detail"]

    middle = application_body(world["code"], title_level="middle", title="工程师", username="middle1")
    app2 = client.post("/api/v1/experts/applications", json=middle).json()
    r = client.post(
        f"/api/v1/experts/applications/{app2['id']}/review", json={"decision": "pass"}, headers=world["supervisor"]
    )
    assert r.json()["code"] == "admission_rule_not_met"
    r = client.post(
        f"/api/v1/experts/applications/{app2['id']}/review",
        json={"decision": "pass", "equivalence": "主持完成省级重点市政工程设计三项，经评审认定具有同等专业水平"},
        headers=world["supervisor"],
    )
    assert r.status_code == 200, r.text

    old = application_body(world["code"], born=date(1950, 6, 1), username="old1")
    app3 = client.post("/api/v1/experts/applications", json=old).json()
    r = client.post(
        f"/api/v1/experts/applications/{app3['id']}/review", json={"decision": "pass"}, headers=world["supervisor"]
    )
    assert "年龄应不超过 70 周岁" in r.json()["detail"]
    r = client.post(
        f"/api/v1/experts/applications/{app3['id']}/review", json={"decision": "refuse"}, headers=world["supervisor"]
    )
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"  # a refusal states its reasons
    r = client.post(
        f"/api/v1/experts/applications/{app3['id']}/review",
        json={"decision": "refuse", "note": "超过本地专家年龄上限"},
        headers=world["supervisor"],
    )
    assert r.json()["state_label"] == "不予通过"
    r = client.post(
        f"/api/v1/experts/applications/{app3['id']}/decision", json={"decision": "approve"}, headers=world["office"]
    )
    assert r.status_code == 409 and r.json()["code"] == "expert_application_closed"


def test_office_refuses_with_reasons_and_only_the_office_approves(client, world):
    app = client.post("/api/v1/experts/applications", json=application_body(world["code"])).json()
    # the office cannot approve before the review, the supervisor cannot approve at all
    r = client.post(
        f"/api/v1/experts/applications/{app['id']}/decision", json={"decision": "approve"}, headers=world["office"]
    )
    assert r.status_code == 409
    client.post(
        f"/api/v1/experts/applications/{app['id']}/review", json={"decision": "pass"}, headers=world["supervisor"]
    )
    r = client.post(
        f"/api/v1/experts/applications/{app['id']}/decision", json={"decision": "approve"}, headers=world["supervisor"]
    )
    assert r.status_code == 403
    r = client.post(
        f"/api/v1/experts/applications/{app['id']}/decision",
        json={"decision": "refuse", "note": "本专业在库专家已足额"},
        headers=world["office"],
    )
    assert r.json()["state_label"] == "不予通过"
    assert r.json()["decision_note"] == "本专业在库专家已足额"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"mobile": "1390591"}, "mobile", "手机号码"),
        ({"id_number": "350102197603151230"}, "id_number", "身份证"),
        ({"specialties": ["Z99"]}, "specialties", "不存在"),
        ({"employer_credit_code": "91350100MA0000000X"}, "employer_credit_code", "统一社会信用代码"),
        ({"regions": ["35"]}, "regions", "行政区划"),
    ],
)
def test_bad_applications_are_refused_in_chinese(client, world, change, field, message):
    r = client.post("/api/v1/experts/applications", json=application_body(world["code"], **change))
    assert r.status_code == 422, r.text
    assert message in r.json()["detail"]


def test_an_applicant_with_an_open_application_cannot_apply_again(client, world):
    client.post("/api/v1/experts/applications", json=application_body(world["code"]))
    headers = api_token(client, "linhaitao", "Expert-pass-2026")
    r = client.post(
        "/api/v1/experts/applications", json=application_body(world["code"], username="", password=""), headers=headers
    )
    assert r.status_code == 409 and r.json()["code"] == "expert_application_open"
