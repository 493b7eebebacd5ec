"""Bans enforced everywhere, each refusal naming the decision (department, number, period): a bidder banned after
it registered cannot submit its bid; a banned agency cannot be entrusted with a project; an expert banned by the
supervisory department is left out of draws with its reason; lifting a ban lets them take part again; experts
never appear in the public lookup."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sunshine.core import clock as clock_module
from sunshine.credit import service as credit
from sunshine.experts import pool, poolquery
from sunshine.market import people
from sunshine.trading import registrations
from sunshine.trading.models import Project, Section
from tests.builders import api_token
from tests.experts.builders import add_expert
from tests.trading.builders import cheap_password_hashing, make_project, publish_notice, tender_world


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db):
    return SimpleNamespace(**tender_world(db))


def ban(today, *, organisation_id=None, expert_id=None, **kw) -> dict:
    return {
        "organisation_id": organisation_id,
        "expert_id": expert_id,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=365)).isoformat(),
        "department": "示范市财政局",
        "decision_no": "示财处〔2026〕8号",
        "basis": "《中华人民共和国政府采购法》第七十七条：一至三年内禁止参加政府采购活动",
        **kw,
    }


def test_a_bidder_banned_after_registering_cannot_submit_its_bid(db, client, w):
    now = clock_module.now()
    pid = make_project(db, w.agency, tenderer_id=w.school, agency_id=w.agency_org, accept_as=w.centre)
    publish_notice(db, w.agency, pid, bid_deadline=now + timedelta(days=40), docs_sale_end=now + timedelta(days=40))
    with db.unit_of_work() as s:
        section = s.scalar(select(Section.id).where(Section.project_id == pid))
    bidder = w.bidders[0]
    headers = api_token(client, bidder.username)
    registered = client.post(
        f"/api/v1/projects/{pid}/sections/{section}/registrations",
        json={"contact_name": "张经理", "contact_phone": "13800000001"},
        headers=headers,
    )
    assert registered.status_code == 201, registered.text
    with db.unit_of_work() as s:
        registrations.obtain_documents(s, bidder, registered.json()["id"])
    supervisor = api_token(client, w.supervisor.username)
    made = client.post(
        "/api/v1/credit/bans",
        json=ban(clock_module.today_local(), organisation_id=bidder.organisation_id),
        headers=supervisor,
    )
    assert made.status_code == 201, made.text
    refused = client.post(
        f"/api/v1/sections/{section}/bids",
        content=b"sealed-bid-bytes",
        headers={
            **headers,
            "content-type": "application/octet-stream",
            "Idempotency-Key": "bid-0000001",
            "Sunshine-Key-Commitment": "0" * 64,
        },
    )
    assert refused.status_code == 403, refused.text
    problem = refused.json()
    assert problem["code"] == "credit_banned" and problem["decision_no"] == "示财处〔2026〕8号"
    assert "示范市财政局示财处〔2026〕8号" in problem["detail"] and "不能投标" in problem["detail"]

    lifted = client.post(
        f"/api/v1/credit/bans/{made.json()['id']}/lift", json={"reason": "复议撤销原决定"}, headers=supervisor
    )
    assert lifted.status_code == 200 and lifted.json()["lift_reason"] == "复议撤销原决定"
    again = client.post(
        f"/api/v1/sections/{section}/bids",
        content=b"sealed-bid-bytes",
        headers={
            **headers,
            "content-type": "application/octet-stream",
            "Idempotency-Key": "bid-0000002",
            "Sunshine-Key-Commitment": "0" * 64,
        },
    )
    assert again.json().get("code") != "credit_banned"  # the ban no longer refuses (the envelope check does)


def test_a_banned_agency_cannot_be_entrusted(db, client, w):
    earlier = make_project(db, w.agency, tenderer_id=w.school, agency_id=w.agency_org)
    supervisor = api_token(client, w.supervisor.username)
    today = clock_module.today_local()
    made = client.post(
        "/api/v1/credit/bans",
        json=ban(
            today, organisation_id=w.agency_org, basis="《中华人民共和国政府采购法》第七十八条：禁止其代理政府采购业务"
        ),
        headers=supervisor,
    )
    assert made.status_code == 201
    with pytest.raises(credit.Banned) as refused:
        make_project(db, w.agency, tenderer_id=w.school, agency_id=w.agency_org, name="示范市新建学校工程")
    assert "不能受托代理" in refused.value.detail and "示财处〔2026〕8号" in refused.value.detail
    with db.unit_of_work() as s:
        assert s.scalars(select(Project.id)).all() == [earlier]  # nothing half written
    with db.unit_of_work() as s, pytest.raises(credit.Banned) as entrusted:
        people.record_entrustment(s, w.centre, earlier, scope="招标代理全过程", signed_on=today, agreement=None)
    assert "不能受托代理本项目" in entrusted.value.detail


def test_a_banned_expert_is_left_out_of_draws_with_its_reason(db, client, w):
    today = clock_module.today_local()
    banned, other = add_expert(db), add_expert(db)
    supervisor = api_token(client, w.supervisor.username)
    made = client.post("/api/v1/credit/bans", json=ban(today, expert_id=banned["id"]), headers=supervisor)
    assert made.status_code == 201, made.text
    assert made.json()["scope"] == "评标活动" and made.json()["organisation_name"] is None
    both = client.post(
        "/api/v1/credit/bans", json=ban(today, organisation_id=w.agency_org, expert_id=other["id"]), headers=supervisor
    )
    assert both.status_code == 422
    with db.unit_of_work() as s:
        members = {
            m.expert_id: m.status for m in poolquery.pool_for_draw(s, specialties=["A0101"], at=clock_module.now())
        }
        assert members[banned["id"]] == pool.BANNED and members[other["id"]] == pool.ELIGIBLE
        assert pool.REASONS[pool.BANNED] == "被禁止参加评标"
        with pytest.raises(credit.Banned):
            credit.check_expert_not_banned(s, banned["id"], today)
    assert client.get("/api/v1/credit/bans").json() == []  # an expert's ban is not on the public list
    record = client.post(
        "/api/v1/credit/records",
        json={
            "kind": "handling",
            "subject_type": "expert",
            "expert_id": banned["id"],
            "department": "示范市住房和城乡建设局",
            "decision_no": "示建处〔2026〕5号",
            "behaviour": "评标中私下接触投标人",
            "basis": "《中华人民共和国招标投标法实施条例》第七十二条",
            "source": "行政处理决定书",
            "decided_on": today.isoformat(),
            "effective_from": today.isoformat(),
            "published": True,
        },
        headers=supervisor,
    )
    assert record.status_code == 422 and record.json()["field"] == "published"  # experts are not published by name
