"""Credit as the supervisory department and bidders meet it: a ban entered through the API refuses the banned
bidder's registration with the reason and basis in Chinese, only inside its scope and period; after it ends the
registration is accepted; only the supervisory department enters records and bans; the public list shows bans in
force and never a person's data; every record and ban is in the ledger."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sunshine.core import clock as clock_module
from sunshine.credit import service as credit
from sunshine.ledger.models import LedgerEntry
from sunshine.trading.models import Project, Section
from tests.builders import api_token
from tests.pages import page_text
from tests.trading.builders import cheap_password_hashing, make_project, publish_notice, tender_world


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db):
    return SimpleNamespace(**tender_world(db))


def _open_project(db, w, **kw) -> SimpleNamespace:
    now = clock_module.now()
    pid = make_project(db, w.agency, tenderer_id=w.school, agency_id=w.agency_org, accept_as=w.centre, **kw)
    publish_notice(db, w.agency, pid, bid_deadline=now + timedelta(days=40), docs_sale_end=now + timedelta(days=40))
    with db.unit_of_work() as s:
        section = s.scalar(select(Section.id).where(Section.project_id == pid))
        return SimpleNamespace(id=pid, section=section, region=s.get(Project, pid).region_code)


def _register(client, headers, p):
    return client.post(
        f"/api/v1/projects/{p.id}/sections/{p.section}/registrations",
        json={"contact_name": "张经理", "contact_phone": "13800000001"},
        headers=headers,
    )


def _ban(today, firm, **kw) -> dict:
    return {
        "organisation_id": firm,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=10)).isoformat(),
        "basis": "《招标投标法》第五十四条：以他人名义投标，取消一年至三年内参加依法必须进行招标的项目的投标资格",
        "decision_no": "闽建罚〔2026〕12号",
        **kw,
    }


def test_a_ban_refuses_registration_in_its_scope_until_it_ends(db, client, clock, w):
    today = clock_module.today_local()
    p = _open_project(db, w)
    supervisor = api_token(client, w.supervisor.username)
    banned, other = w.bidders[0], w.bidders[1]
    created = client.post(
        "/api/v1/credit/bans", json=_ban(today, banned.organisation_id, region_code="350000"), headers=supervisor
    )
    assert created.status_code == 201, created.text
    assert created.json()["scope"] == "行政区划350000范围内的各类交易"

    refused = _register(client, api_token(client, banned.username), p)
    assert refused.status_code == 403
    problem = refused.json()
    assert problem["code"] == "credit_banned"
    assert "示范建设集团有限公司被禁止参与" in problem["detail"] and "闽建罚〔2026〕12号" in problem["detail"]
    assert problem["basis"].startswith("《招标投标法》第五十四条")
    assert _register(client, api_token(client, other.username), p).status_code == 201  # others are not touched

    public = client.get("/api/v1/credit/bans").json()
    assert [b["organisation_name"] for b in public] == ["示范建设集团有限公司"]

    clock.set(clock_module.now() + timedelta(days=11))  # the ban's last day has passed
    assert client.get("/api/v1/credit/bans").json() == []
    assert _register(client, api_token(client, banned.username), p).status_code == 201


def test_a_ban_covers_only_its_region_and_type(db, w):
    today = clock_module.today_local()
    firm = w.bidders[0].organisation_id
    with db.unit_of_work() as s:
        for body in (
            _ban(today, firm, region_code="360000"),  # another province
            _ban(today, firm, transaction_type="gov_procurement"),  # another type
            _ban(today + timedelta(days=1), firm),  # not yet in force
        ):
            credit.create_ban(s, w.supervisor, credit.BanIn(**body))
    with db.unit_of_work() as s:
        here = credit.Scope("350100", "engineering")
        credit.check_not_banned(s, firm, scope=here, on=today)
        with pytest.raises(credit.Banned):
            credit.check_not_banned(s, firm, scope=here, on=today + timedelta(days=1))
        with pytest.raises(credit.Banned):
            credit.check_not_banned(s, firm, scope=credit.Scope("360102", "land"), on=today)
    assert credit.region_prefix("350000") == "35" and credit.region_prefix("350100") == "3501"


def test_only_the_supervisory_department_enters_records_and_bans(db, client, w):
    today = clock_module.today_local()
    for who in (w.centre, w.agency, w.bidders[0]):
        headers = api_token(client, who.username)
        assert client.post("/api/v1/credit/bans", json=_ban(today, 1), headers=headers).status_code == 403
        assert client.get("/api/v1/credit/records", headers=headers).status_code == 403
    bad = client.post(
        "/api/v1/credit/bans",
        json=_ban(today, w.bidders[0].organisation_id, ends_on=(today - timedelta(days=1)).isoformat()),
        headers=api_token(client, w.supervisor.username),
    )
    assert bad.status_code == 422 and bad.json()["field"] == "ends_on"


def test_records_keep_personal_data_out_of_the_public_and_the_ledger(db, client, w):
    today = clock_module.today_local().isoformat()
    supervisor = api_token(client, w.supervisor.username)
    person = {
        "polarity": "bad",
        "subject_type": "person",
        "person_name": "李四",
        "person_id_number": "350102199001011234",
        "behaviour": "项目经理同时在两个在建项目任职",
        "basis": "《注册建造师管理规定》第二十一条",
        "source": "示建监〔2026〕3号",
        "decided_on": today,
        "effective_from": today,
    }
    made = client.post("/api/v1/credit/records", json=person, headers=supervisor)
    assert made.status_code == 201, made.text
    assert made.json()["person_id_number"] == "350102199001011234"
    assert (
        client.post("/api/v1/credit/records", json={**person, "published": True}, headers=supervisor).status_code == 422
    )
    good = {**person, "polarity": "good", "subject_type": "organisation", "person_name": None, "person_id_number": None}
    good |= {"organisation_id": w.bidders[1].organisation_id, "behaviour": "获评年度守信企业", "published": True}
    assert client.post("/api/v1/credit/records", json=good, headers=supervisor).status_code == 201
    assert [r["polarity_label"] for r in client.get("/api/v1/credit/records", headers=supervisor).json()] == [
        "良好行为记录",
        "不良行为记录",
    ]
    text = page_text(client.get("/credit", headers={"accept": "text/html"}).text)
    assert "获评年度守信企业" in text and "闽江路桥工程有限公司" in text
    assert "李四" not in text and "350102199001011234" not in text
    with db.unit_of_work() as s:
        entries = list(s.scalars(select(LedgerEntry).where(LedgerEntry.kind == "credit:record:created")))
        assert len(entries) == 2
        assert all("李四" not in e.payload and "350102" not in e.payload for e in entries)


def test_the_supervisor_bans_through_the_page_and_the_public_page_shows_it(db, app, w):
    from tests.pages import browser, csrf_token

    today = clock_module.today_local()
    with browser(app, w.supervisor.username) as page:
        form = page.get("/staff/credit")
        assert form.status_code == 200 and "决定禁止参与" in page_text(form.text)
        body = _ban(today, w.bidders[2].organisation_id, transaction_type="engineering")
        done = page.post(
            "/staff/credit/bans", data={**body, "csrf_token": csrf_token(form.text)}, follow_redirects=False
        )
        assert done.status_code == 303 and done.headers["location"] == "/staff/credit"
        again = page.get("/staff/credit")
        assert "已决定禁止参与并公示" in page_text(again.text)
        wrong = page.post(
            "/staff/credit/bans",
            data={**body, "starts_on": "不是日期", "csrf_token": csrf_token(again.text)},
            follow_redirects=True,
        )
        assert "请正确填写“禁止参与起始日”" in page_text(wrong.text)
    with browser(app) as visitor:
        text = page_text(visitor.get("/credit").text)
        assert "海峡市政建设有限公司" in text and "工程建设交易" in text and "闽建罚〔2026〕12号" in text
    with browser(app, w.bidders[0].username) as bidder:
        me = page_text(bidder.get("/me").text)
        assert "投标人/供应商" in me
