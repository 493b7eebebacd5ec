"""Self-registration of market participants and the centre's review, as an applicant and the staff meet them
through the API: bad codes, duplicates and missing licences are refused in Chinese; a return is corrected and
resubmitted; an approved participant may register for a project and one not yet approved may not."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from tests.builders import api_token, make_user
from tests.market.builders import PDF, apply, code, decide, facts, registered
from tests.trading.builders import make_project, publish_notice, tender_world


@pytest.fixture
def staff(client, db):
    make_user(db, Role.CENTRE_STAFF, username="reviewer")
    return api_token(client, "reviewer")


def test_a_bad_credit_code_is_refused_in_chinese(client):
    bad = code()[:-1] + ("0" if code()[-1] != "0" else "1")
    response = apply(client, credit_code=bad)
    assert response.status_code == 422
    assert "统一社会信用代码校验位不正确" in response.json()["detail"]


def test_a_duplicate_code_is_refused_whether_admitted_or_pending(client, staff):
    first = apply(client)
    assert first.status_code == 201
    again = apply(client, credit_code=first.json()["credit_code"])
    assert again.status_code == 409 and "已登记" in again.json()["detail"]


@pytest.mark.parametrize(
    ("licence", "said"),
    [
        (None, "请上传营业执照"),
        (("营业执照.pdf", b"", "application/pdf"), "空文件"),
        (("营业执照.docx", b"PK\x03\x04xx", "application/zip"), "请上传 PDF、JPG 或 PNG"),
        (("营业执照.pdf", b"not a pdf", "application/pdf"), "内容与扩展名"),
    ],
)
def test_the_licence_is_required_and_checked(client, licence, said):
    response = apply(client, licence=licence)
    assert response.status_code == 422, response.text
    assert said in response.json()["detail"]


def test_bad_contacts_and_account_are_refused_and_nothing_is_kept(client):
    response = apply(client, contact_phone="12345", username="halfway")
    assert response.status_code == 422 and "联系电话" in response.json()["detail"]
    token = client.post("/api/v1/auth/token", json={"username": "halfway", "password": "correct-horse-battery"})
    assert token.status_code == 401, "the administrator's account was not kept either"
    assert apply(client, bank_account_number="12ab").json()["detail"] == "银行账号应为8至30位数字"
    assert apply(client, org_type="xx").json()["detail"] == "请选择单位类型"


def _project(db):
    w = SimpleNamespace(**tender_world(db))
    pid = make_project(db, w.agency, tenderer_id=w.school, agency_id=w.agency_org, accept_as=w.centre)
    publish_notice(db, w.agency, pid)
    with db.unit_of_work() as s:
        from sunshine.trading.models import Section

        section = s.scalar(select(Section.id).where(Section.project_id == pid))
    return w, pid, section


def test_review_return_resubmit_approve_then_registration_works(client, db, staff):
    w, pid, section = _project(db)
    response = apply(client)
    app = response.json()
    assert app["status_label"] == "待审核" and app["due"], "a handling limit from the rule pack"
    admin = api_token(client, response.username)

    mine = client.get("/api/v1/market/mine", headers=admin).json()
    assert mine["status_label"] == "待审核"
    url = f"/api/v1/projects/{pid}/sections/{section}/registrations"
    body = {"contact_name": "陈晓梅", "contact_phone": "13906001234"}
    refused = client.post(url, json=body, headers=admin)
    assert refused.status_code == 409 and refused.json()["code"] == "participant_not_admitted"
    assert "通过交易中心审核后才能报名" in refused.json()["detail"]

    assert decide(client, staff, app["id"], "return").json()["detail"] == "退回补正须写明理由"
    returned = decide(client, staff, app["id"], "return", "营业执照扫描件不清晰，请重新上传")
    assert returned.status_code == 200 and returned.json()["status_label"] == "退回补正"
    mine = client.get("/api/v1/market/mine", headers=admin).json()
    assert mine["status_label"] == "退回补正"
    assert mine["applications"][0]["reasons"] == "营业执照扫描件不清晰，请重新上传"
    messages = client.get("/api/v1/messages", headers=admin).json()
    assert any("退回补正" in m["subject"] for m in messages)

    again = client.put(
        f"/api/v1/market/applications/{app['id']}",
        data=facts(address="厦门市思明区湖滨南路101号"),
        files={"licence": ("营业执照清晰版.pdf", PDF + b"%v2", "application/pdf")},
        headers=admin,
    )
    assert again.status_code == 200, again.text
    assert again.json()["status_label"] == "待审核" and again.json()["submissions"] == 2
    assert client.post(url, json=body, headers=admin).status_code == 409

    approved = decide(client, staff, app["id"], "approve")
    assert approved.json()["status_label"] == "已通过" and approved.json()["version"] == 1
    assert client.post(url, json=body, headers=admin).status_code == 201, "approved: registration works"


def test_rejected_participant_stays_refused(client, staff):
    response = apply(client)
    rejected = decide(client, staff, response.json()["id"], "reject", "提交的营业执照与名称不符")
    assert rejected.json()["status_label"] == "不通过"
    assert decide(client, staff, response.json()["id"], "approve").status_code == 409


def test_a_change_goes_through_review_and_keeps_the_versions(client, staff):
    app, admin = registered(client, staff)
    change = client.post(
        "/api/v1/market/changes",
        data=facts(name="厦门鹭岛建设集团有限公司", bank_name="中国银行厦门分行"),
        headers=admin,
    )
    assert change.status_code == 201, change.text
    assert set(change.json()["changed"]) == {"名称", "开户银行"}
    assert client.get("/api/v1/market/mine", headers=admin).json()["name"] == "厦门鹭岛建设工程有限公司"
    second = client.post("/api/v1/market/changes", data=facts(name="又一个名称"), headers=admin)
    assert second.status_code == 409 and second.json()["code"] == "market_application_open"
    assert decide(client, staff, change.json()["id"], "approve").json()["version"] == 2
    mine = client.get("/api/v1/market/mine", headers=admin).json()
    assert mine["name"] == "厦门鹭岛建设集团有限公司" and mine["version"] == 2
    assert [a["version"] for a in mine["applications"]] == [2, 1]
    same = client.post(
        "/api/v1/market/changes",
        data=facts(name="厦门鹭岛建设集团有限公司", bank_name="中国银行厦门分行"),
        headers=admin,
    )
    assert same.status_code == 422 and "没有需要变更的内容" in same.json()["detail"]


def test_the_queue_and_licence_are_for_staff_only(client, db, staff):
    response = apply(client)
    app = response.json()
    admin = api_token(client, response.username)
    queue = client.get("/api/v1/market/queue", headers=staff).json()
    assert [a["id"] for a in queue] == [app["id"]]
    licence = client.get(f"/api/v1/market/applications/{app['id']}/licence", headers=staff)
    assert licence.status_code == 200 and licence.content == PDF
    assert client.get(f"/api/v1/market/applications/{app['id']}/licence", headers=admin).status_code == 403
    other, other_admin = registered(client, staff, approve=False)
    assert client.get(f"/api/v1/market/applications/{app['id']}", headers=other_admin).status_code == 404
    assert client.get(f"/api/v1/market/applications/{app['id']}", headers=admin).status_code == 200


def test_directories_list_admitted_participants_without_personal_data(client, db, staff):
    pending = apply(client, name="尚未审核的建设有限公司")
    approved, _ = registered(client, staff, name="已经通过的建设有限公司")
    listing = client.get("/api/v1/market/enterprises").json()
    names = [e["name"] for e in listing["items"]]
    assert "已经通过的建设有限公司" in names and "尚未审核的建设有限公司" not in names
    text = json.dumps(listing, ensure_ascii=False)
    assert "13906001234" not in text and "林建国" not in text and "35150198010000001234" not in text
    legacy = [o["name"] for o in client.get("/api/v1/organisations").json()]
    assert "已经通过的建设有限公司" in legacy and "尚未审核的建设有限公司" not in legacy
    assert client.get(f"/api/v1/organisations/{pending.json()['organisation_id']}").status_code == 404
    page = client.get("/market/enterprises")
    assert "已经通过的建设有限公司" in page.text and "13906001234" not in page.text and "林建国" not in page.text
    assert client.get("/trading?kind=enterprise", follow_redirects=False).headers["location"] == "/market/enterprises"


def test_ledger_entries_carry_no_personal_data(client, db, staff):
    app, admin = registered(client, staff)
    client.post("/api/v1/market/changes", data=facts(contact_phone="13700001111"), headers=admin)
    with db.unit_of_work() as s:
        entries = list(s.scalars(select(LedgerEntry)))
        payloads = " ".join(json.loads(json.dumps(e.payload)) for e in entries)
    assert entries
    for personal in ("林建国", "陈晓梅", "13906001234", "13700001111", "chenxm@", "35150198010000001234"):
        assert personal not in payloads
