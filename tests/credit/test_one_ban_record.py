"""An expert's exclusion from evaluations is one record, whoever decided it: a supervisory department's ban entered
in credit and the pool office's 暂停评标/禁止评标 entered on the expert's page land in the same table, so the draw
leaves each expert out exactly once with one reason, the pool's page and the department's file list both, the
expert's workbench shows the period and the basis, and the same decision cannot be recorded twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.core import clock as clock_module
from sunshine.experts import pool, poolquery
from sunshine.identity.roles import Role
from tests.builders import PASSWORD, api_token, make_user
from tests.experts.builders import add_expert
from tests.pages import browser, page_text
from tests.trading.builders import cheap_password_hashing, tender_world

DECISION = "示财处〔2026〕21号"
BASIS = (
    "《中华人民共和国政府采购法实施条例》第七十五条：评审专家与供应商存在利害关系未回避的，禁止其参加政府采购评审活动"
)


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


def test_a_ban_recorded_either_way_excludes_the_expert_once(db, client):
    w = tender_world(db)
    today = clock_module.today_local()
    banned, suspended, free = add_expert(db), add_expert(db), add_expert(db)
    supervisor = api_token(client, w["supervisor"].username)
    office = api_token(client, make_user(db, Role.COMMITTEE_OFFICE))
    by_department = client.post(
        "/api/v1/credit/bans",
        json={
            "expert_id": banned["id"],
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=730)).isoformat(),
            "department": "示范市财政局",
            "decision_no": DECISION,
            "basis": BASIS,
        },
        headers=supervisor,
    )
    assert by_department.status_code == 201, by_department.text
    # the pool's office enters the same decision on the expert's page: it is recorded once
    again = client.post(
        f"/api/v1/experts/{banned['id']}/sanctions",
        json={"kind": "ban", "starts_on": today.isoformat(), "reason": BASIS, "decision_no": DECISION},
        headers=office,
    )
    assert again.status_code == 409 and DECISION in again.json()["detail"] and "不再重复登记" in again.json()["detail"]
    paused = client.post(
        f"/api/v1/experts/{suspended['id']}/sanctions",
        json={
            "kind": "suspension",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=90)).isoformat(),
            "reason": "无正当理由不参加已确认的评标活动",
        },
        headers=office,
    )
    assert paused.status_code == 201, paused.text

    # the draw: one reason each, from the one record
    with db.unit_of_work() as s:
        members = poolquery.pool_for_draw(s, specialties=["A0101"], at=clock_module.now())
        ours = [m for m in members if m.expert_id in (banned["id"], suspended["id"], free["id"])]
        assert sorted((m.expert_id, m.status) for m in ours) == sorted(
            [(banned["id"], pool.BANNED), (suspended["id"], pool.SUSPENDED), (free["id"], pool.ELIGIBLE)]
        )

    # the pool's page (API) lists the department's ban, the department's file lists the pool's suspension
    listed = client.get(f"/api/v1/experts/{banned['id']}", headers=office).json()["sanctions"]
    assert [(x["kind"], x["decision_no"], x["reason"]) for x in listed] == [("ban", DECISION, BASIS)]
    assert client.get(f"/api/v1/experts/{banned['id']}", headers=office).json()["status"] == "suspended"
    with browser(client.app, w["supervisor"].username, PASSWORD) as department:
        file = page_text(department.get("/staff/credit").text)
    assert "无正当理由不参加已确认的评标活动" in file  # the pool office's suspension is in the department's file

    # the expert sees it on the workbench, with its period and basis
    with browser(client.app, banned["username"], PASSWORD) as expert:
        page = page_text(expert.get("/expert").text)
    assert "暂停评标与禁止评标" in page and "禁止评标" in page and DECISION in page and "第七十五条" in page
    assert "示范市财政局" in page and str(today.year) in page

    # lifted by the department: the expert can be drawn again
    lifted = client.post(
        f"/api/v1/credit/bans/{by_department.json()['id']}/lift", json={"reason": "复议撤销原决定"}, headers=supervisor
    )
    assert lifted.status_code == 200, lifted.text
    with db.unit_of_work() as s:
        members = {
            m.expert_id: m.status for m in poolquery.pool_for_draw(s, specialties=["A0101"], at=clock_module.now())
        }
    assert members[banned["id"]] == pool.ELIGIBLE
