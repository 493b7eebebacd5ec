"""Deposits refunded after the result, through the API, with their dates from the pack across a holiday: in
procurement the unsuccessful bidders' deposits are due within 5 working days of the award letters (issued on
Thursday 31 December 2026, New Year's Day in between: due Friday 8 January 2027), the winner's within 5 working
days of the contract; a refund paid late carries the pack's interest (87号令 第三十八条) and the tick raises an
alert while it is overdue. Under the Fujian local pack the others are due within 5 calendar days.

Here a winner source registered in the kernel's registry (``trading.outcomes``) stands in for the evaluation's
results (walked in full in test_procurement_walk.py), and the project is set to 结果已公告 as results leave it. The
stand-in's winners are forgotten after each test: the databases are rebuilt with the same ids, and a winner left over
would make the registry see a later test's section decided by two sources."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sunshine.core import clock as core_clock
from sunshine.identity.roles import Role
from sunshine.rules import service as rules
from sunshine.tasks import tick
from sunshine.trading import deposits, outcomes, registrations
from sunshine.trading.models import Project, Section
from tests.builders import api_token
from tests.disclosure.builders import load_catalog
from tests.seals.builders import seal_body
from tests.signing.builders import make_key
from tests.trading.builders import actor, beijing, make_project, publish_notice, tender_world

_DECIDED: dict[int, outcomes.SectionWinner] = {}


def _decided(session, project) -> list[outcomes.SectionWinner]:
    return [w for pid, w in _DECIDED.items() if pid == project.id]


outcomes.winner_source(_decided)


@pytest.fixture(autouse=True)
def _forget_winners():
    yield
    _DECIDED.clear()


def _procurement(db, w, *, method="open_tender") -> SimpleNamespace:
    pid = make_project(
        db,
        w.agency,
        tenderer_id=w.school,
        agency_id=w.agency_org,
        accept_as=w.centre,
        transaction_type="gov_procurement",
        method=method,
        name="示范市第一中学教学设备采购",
        sections=[("教学设备", "5000000.00")],
    )
    with db.unit_of_work() as s:
        section = s.scalar(select(Section.id).where(Section.project_id == pid))
        deposits.set_section_deposit(s, w.agency, pid, section, Decimal("100000.00"))
    publish_notice(db, w.agency, pid)
    ids = []
    for bidder in w.bidders:
        with db.unit_of_work() as s:
            reg = registrations.register_bidder(s, bidder, pid, section, "张经理", "13800000001")
            deposit = deposits.open_deposit(s, bidder, reg.id, "transfer")
            ids.append(deposit.id)
        with db.unit_of_work() as s:
            deposits.confirm_transfer(s, w.centre, ids[-1], Decimal("100000.00"))
    return SimpleNamespace(id=pid, section=section, deposits=ids)


def _decide(db, p, w) -> None:
    """The winner (the first bidder, 4,800,000.00 元) as the evaluation would leave it: 结果已公告."""
    with db.unit_of_work() as s:
        s.get(Project, p.id).state = "result_published"
        _DECIDED[p.id] = outcomes.SectionWinner(
            p.section, w.bidders[0].organisation_id, Decimal("4800000.00"), core_clock.now(), "评标委员会推荐"
        )


def _issue(db, client, w, p) -> None:
    agency = api_token(client, w.agency.username)
    letters = client.post(f"/api/v1/projects/{p.id}/award-letters/draft", headers=agency).json()["letters"]
    signer = actor(db, Role.SIGNER, organisation_id=w.agency_org)
    key = make_key(db, signer)
    signer_headers = api_token(client, signer.username)
    for letter in letters:
        body = seal_body(db, "award_letter", letter["id"], key)
        assert client.post(f"/api/v1/seals/award_letter/{letter['id']}", headers=signer_headers, json=body).is_success
    issued = client.post(f"/api/v1/projects/{p.id}/award-letters/issue", headers=agency)
    assert issued.status_code == 200, issued.text


def _deposit(db, deposit_id: int):
    with db.unit_of_work() as s:
        view = deposits.view_of(s, s.get(deposits.Deposit, deposit_id))
        return SimpleNamespace(status=view.deposit.status, due=view.due, reason=view.deposit.refund_reason)


def test_procurement_refunds_run_from_the_letters_and_the_contract_and_late_ones_pay_interest(db, client, clock):
    load_catalog(db)
    w = SimpleNamespace(**tender_world(db))
    p = _procurement(db, w)
    _decide(db, p, w)
    clock.set(beijing(2026, 12, 31, 10))  # Thursday; New Year's Day follows
    _issue(db, client, w, p)
    winner, *others = p.deposits
    assert _deposit(db, winner).status == "paid", "the winner's deposit waits for the contract"
    for deposit_id in others:
        d = _deposit(db, deposit_id)
        assert (d.status, d.due.isoformat()) == ("refund_due", "2027-01-08")  # 5 working days, 1 January a holiday
    centre = api_token(client, w.centre.username)
    on_time = client.post(f"/api/v1/deposits/{others[0]}/refund", headers=centre)
    assert on_time.status_code == 200, on_time.text
    assert on_time.json()["status_label"] == "已退还" and "interest" not in on_time.json()["evidence"]["refunded"]

    # The other one is forgotten: after the due date the tick raises one alert; paid 3 days late, with interest.
    clock.set(beijing(2027, 1, 9, 10))
    centre = api_token(client, w.centre.username)
    assert tick(db).refunds_overdue == [others[1]]
    assert tick(db).refunds_overdue == []
    overdue = client.get("/api/v1/deposits/overdue", headers=centre).json()
    assert [d["id"] for d in overdue] == [others[1]]
    alerts = client.get("/api/v1/alerts", headers=centre).json()
    assert any("退还投标保证金应于2027-01-08前办理，已逾期" in a["message"] for a in alerts)
    clock.set(beijing(2027, 1, 11, 10))
    centre = api_token(client, w.centre.username)
    late = client.post(f"/api/v1/deposits/{others[1]}/refund", headers=centre).json()
    refunded = late["evidence"]["refunded"]
    # 100,000.00 × 5.22 % × 3 / 365 = 42.90 (to the fen, rounded down)
    assert (refunded["interest"], refunded["days_late"]) == ("42.90", 3)
    assert refunded["amount"] == "100042.90"

    # The contract: the winner's deposit is due within 5 working days of it.
    terms = {"section_id": p.section, "term": "合同签订后30日内交货", "payment": "验收合格后一次付清"}
    agency = api_token(client, w.agency.username)
    contract = client.post(f"/api/v1/projects/{p.id}/contracts", headers=agency, json=terms).json()
    assert contract["title"] == "政府采购合同" and contract["amount"] == "4800000.00"
    sha = {"sha256": contract["sha256"]}
    url = f"/api/v1/contracts/{contract['id']}/sign"
    assert client.post(url, headers=api_token(client, w.bidders[0].username), json=sha).status_code == 200
    signed = client.post(url, headers=api_token(client, w.tenderer.username), json=sha).json()
    assert signed["project_state_label"] == "合同已签订"
    d = _deposit(db, winner)
    assert (d.status, d.due.isoformat()) == ("refund_due", "2027-01-18")  # Monday 11 January + 5 working days

    # The contract is published through the disclosure pipeline at once: due in 2 working days, met on time.
    owed = client.get(
        "/api/v1/disclosure/obligations", params={"item_code": "ZC.JG.02", "project_id": p.id}, headers=centre
    ).json()
    # due in 2 working days, met on the day of signing
    assert [(o["due"], o["met_on"], o["status_label"]) for o in owed] == [("2027-01-13", "2027-01-11", "已公开")]
    pubs = client.get("/api/v1/disclosure/publications", params={"item_code": "ZC.JG.02"}).json()["items"]
    assert len(pubs) == 1 and "4,800,000.00" in pubs[0]["body"] and pubs[0]["title"].endswith("政府采购合同公告")

    # Filed with the finance department within 7 working days (采购法 第四十七条): late here, so the tick alerts.
    assert signed["filing_due"] == "2027-01-20" and signed["filed_at"] is None
    clock.set(beijing(2027, 1, 21, 10))
    assert tick(db).contracts_overdue == [contract["number"]]
    agency = api_token(client, w.agency.username)
    filed = client.post(
        f"/api/v1/contracts/{contract['id']}/filing", headers=agency, json={"reference": "闽财采备〔2027〕18号"}
    )
    assert filed.status_code == 200, filed.text
    assert filed.json()["filing_ref"] == "闽财采备〔2027〕18号" and filed.json()["filed_at"]
    again = client.post(f"/api/v1/contracts/{contract['id']}/filing", headers=agency, json={"reference": "x"})
    assert again.status_code == 409


def test_the_fujian_pack_refunds_the_others_within_five_calendar_days(db, client, clock):
    load_catalog(db)
    w = SimpleNamespace(**tender_world(db))
    p = _procurement(db, w, method="open_tender")
    with db.unit_of_work() as s:  # the project governed by the Fujian local pack (registration picks national)
        project = s.get(Project, p.id)
        pack = rules.resolve(s, "gov_procurement.open_tender_fujian", core_clock.today_local())
        project.pack_key, project.pack_version = pack.key, str(pack.version)
        project.rules_snapshot = json.dumps(pack.snapshot(), ensure_ascii=False)
    _decide(db, p, w)
    clock.set(beijing(2026, 12, 31, 10))
    _issue(db, client, w, p)
    for deposit_id in p.deposits[1:]:
        d = _deposit(db, deposit_id)
        assert (d.status, d.due.isoformat()) == ("refund_due", "2027-01-05")  # 5 calendar days
    assert core_clock.today_local() + timedelta(days=5) == d.due
