"""Deposits (保证金) as the agency, the bidders and the centre handle them: the 2 % cap of the rule
pack to the fen, payment by transfer into a virtual sub-account or by electronic guarantee with the
channel's evidence, refunds due in 5 days (engineering) or 5 working days (procurement) across the
2026 National Day holiday, the overdue list, and a public ledger that names amounts but no bidder."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sunshine.core import clock as clock_module
from sunshine.core.errors import AlreadyExists, Conflict, InvalidInput, RuleViolation
from sunshine.core.models import TrackedDeadline
from sunshine.identity.models import Organisation
from sunshine.ledger.models import LedgerEntry
from sunshine.trading import deposits, payments, registrations, service
from sunshine.trading.models import Deposit, Project, Registration, Section
from tests.builders import api_token
from tests.conftest import SHANGHAI
from tests.trading.builders import cheap_password_hashing, make_project, publish_notice, tender_world


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db):
    return SimpleNamespace(**tender_world(db))


def _project(
    db,
    w,
    *,
    transaction_type="engineering",
    method="open_tender",
    estimate="5000000.00",
    deposit: str | None = "100000.00",
    published: bool = True,
) -> SimpleNamespace:
    pid = make_project(
        db,
        w.agency,
        tenderer_id=w.school,
        agency_id=w.agency_org,
        accept_as=w.centre,
        transaction_type=transaction_type,
        method=method,
        sections=[("第一标段", estimate)],
    )
    with db.unit_of_work() as s:
        section_id = s.scalar(select(Section.id).where(Section.project_id == pid))
    if deposit is not None:
        with db.unit_of_work() as s:
            deposits.set_section_deposit(s, w.agency, pid, section_id, Decimal(deposit))
    if published:
        publish_notice(db, w.agency, pid)
    with db.unit_of_work() as s:
        project = s.get(Project, pid)
        return SimpleNamespace(id=pid, code=project.code, section=section_id, deadline=project.bid_deadline)


def _registered(db, bidder, p) -> int:
    with db.unit_of_work() as s:
        return registrations.register_bidder(s, bidder, p.id, p.section, "张经理", "13800000001").id


def _paid_transfer(db, w, bidder, p) -> int:
    reg = _registered(db, bidder, p)
    with db.unit_of_work() as s:
        deposit = deposits.open_deposit(s, bidder, reg, "transfer")
        deposit_id, amount = deposit.id, deposit.amount
    with db.unit_of_work() as s:
        deposits.confirm_transfer(s, w.centre, deposit_id, amount)
    return deposit_id


def _deposit(db, deposit_id: int) -> Deposit:
    with db.unit_of_work() as s:
        return s.get(Deposit, deposit_id)


def _entries(db, kind: str) -> list[dict]:
    with db.unit_of_work() as s:
        rows = s.scalars(select(LedgerEntry).where(LedgerEntry.kind == kind).order_by(LedgerEntry.seq))
        return [{"subject": e.subject, **json.loads(e.payload)} for e in rows]


# --------------------------------------------------------------------------- the cap


def test_deposit_may_be_exactly_two_percent_and_not_a_fen_more(db, w, client):
    p = _project(db, w, deposit=None, published=False)
    headers = api_token(client, w.agency.username)
    url = f"/api/v1/projects/{p.id}/sections/{p.section}/deposit"
    ok = client.put(url, json={"amount": "100000.00"}, headers=headers)
    assert ok.status_code == 200 and Decimal(ok.json()["deposit_amount"]) == Decimal("100000.00")
    over = client.put(url, json={"amount": "100000.01"}, headers=headers)
    assert over.status_code == 409, over.text
    problem = over.json()
    assert problem["code"] == "rule_violation" and problem["rule"] == "deposit_max_percent"
    assert (
        "招标投标法实施条例》第二十六条" in problem["detail"] and "招标投标法实施条例》第二十六条" in problem["basis"]
    )
    assert "100000.00 元" in problem["detail"] and problem["maximum"] == "100000.00"
    three_places = client.put(url, json={"amount": "100.001"}, headers=headers)
    assert three_places.status_code == 422
    stranger = client.put(url, json={"amount": "100.00"}, headers=api_token(client, w.other_agency.username))
    assert stranger.status_code == 404  # the project is not public yet: for another agency it does not exist
    assert client.put(url, json={"amount": None}, headers=headers).json()["deposit_amount"] is None


def test_the_cap_rounds_down_to_the_fen_and_names_procurement_law(db, w):
    p = _project(db, w, transaction_type="gov_procurement", estimate="1234567.89", deposit=None, published=False)
    with db.unit_of_work() as s:
        assert deposits.set_section_deposit(
            s, w.tenderer, p.id, p.section, Decimal("24691.35")
        ).deposit_amount == Decimal("24691.35")
    with db.unit_of_work() as s, pytest.raises(RuleViolation) as refused:
        deposits.set_section_deposit(s, w.agency, p.id, p.section, Decimal("24691.36"))
    assert "政府采购法实施条例》第三十三条" in refused.value.detail and refused.value.extra["maximum"] == "24691.35"


def test_deposit_is_fixed_once_the_notice_is_out(db, w):
    p = _project(db, w)
    with db.unit_of_work() as s, pytest.raises(Conflict, match="公告发布后"):
        deposits.set_section_deposit(s, w.agency, p.id, p.section, Decimal("50000.00"))


# --------------------------------------------------------------------------- paying


def test_transfer_into_a_sub_account_confirmed_with_the_bank_evidence(db, w, client):
    p = _project(db, w)
    reg = _registered(db, w.bidders[0], p)
    bidder = api_token(client, w.bidders[0].username)
    opened = client.post(f"/api/v1/registrations/{reg}/deposit", json={"method": "transfer"}, headers=bidder)
    assert opened.status_code == 200, opened.text
    sub_account = opened.json()["account"]
    assert sub_account.isdigit() and len(sub_account) == 18 and opened.json()["status"] == "awaiting"
    deposit_id = opened.json()["id"]

    centre = api_token(client, w.centre.username)
    wrong = client.post(f"/api/v1/deposits/{deposit_id}/confirm", json={"amount": "99999.99"}, headers=centre)
    assert wrong.status_code == 422 and wrong.json()["field"] == "amount"
    assert (
        client.post(f"/api/v1/deposits/{deposit_id}/confirm", json={"amount": "100000.00"}, headers=bidder).status_code
        == 403
    )
    done = client.post(f"/api/v1/deposits/{deposit_id}/confirm", json={"amount": "100000.00"}, headers=centre)
    assert done.status_code == 200, done.text
    evidence = done.json()["evidence"]["paid"]
    assert evidence["payer_account_name"] == "示范建设集团有限公司" and evidence["amount"] == "100000.00"
    assert evidence["account"] == sub_account and evidence["bank_serial"].startswith("SIM")
    assert done.json()["status"] == "paid" and done.json()["paid_at"]
    twice = client.post(f"/api/v1/deposits/{deposit_id}/confirm", json={"amount": "100000.00"}, headers=centre)
    assert twice.status_code == 409

    # the bidder sees its evidence; the agency sees the deposit's status but not the bank record
    mine = client.get("/api/v1/registrations/mine", headers=bidder).json()[0]["deposit"]
    assert mine["status_label"] == "已缴纳" and mine["evidence"]["paid"]["bank_serial"] == evidence["bank_serial"]
    listed = client.get(f"/api/v1/projects/{p.id}/registrations", headers=api_token(client, w.agency.username))
    assert listed.json()[0]["deposit"]["status"] == "paid" and listed.json()[0]["deposit"]["evidence"] is None

    paid = _entries(db, "trading:deposit:paid")
    assert paid == [
        {
            "subject": f"deposit:{deposit_id}",
            "deposit": deposit_id,
            "method": "transfer",
            "amount": "100000.00",
            "channel": "simulated",
            "evidence_sha256": paid[0]["evidence_sha256"],
        }
    ]


def test_a_transfer_must_arrive_before_the_deadline(db, w, clock):
    p = _project(db, w)
    reg = _registered(db, w.bidders[0], p)
    with db.unit_of_work() as s:
        deposit_id = deposits.open_deposit(s, w.bidders[0], reg, "transfer").id
    clock.set(p.deadline)
    with db.unit_of_work() as s, pytest.raises(Conflict, match="投标截止时间前到账"):
        deposits.confirm_transfer(s, w.centre, deposit_id, Decimal("100000.00"))


def test_electronic_guarantee(db, w, client):
    p = _project(db, w)
    first, second = _registered(db, w.bidders[0], p), _registered(db, w.bidders[1], p)
    with db.unit_of_work() as s:
        deposit_id = deposits.open_deposit(s, w.bidders[0], first, "guarantee").id
        other_id = deposits.open_deposit(s, w.bidders[1], second, "guarantee").id
    headers = api_token(client, w.bidders[0].username)
    bad = client.post(
        f"/api/v1/deposits/{deposit_id}/guarantee",
        json={"guarantee_number": "BH 2026 01", "issuer": "中国银行示范市分行"},
        headers=headers,
    )
    assert bad.status_code == 422 and bad.json()["field"] == "guarantee_number"
    ok = client.post(
        f"/api/v1/deposits/{deposit_id}/guarantee",
        json={"guarantee_number": "BH-2026-000123", "issuer": "中国银行示范市分行"},
        headers=headers,
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["status_label"] == "已提交" and ok.json()["account"] == "BH-2026-000123"
    assert ok.json()["evidence"]["paid"]["issuer"] == "中国银行示范市分行"
    # someone else's deposit does not exist for this bidder, and a guarantee backs one deposit only
    assert (
        client.post(
            f"/api/v1/deposits/{other_id}/guarantee",
            json={"guarantee_number": "BH-2026-000999", "issuer": "某银行"},
            headers=headers,
        ).status_code
        == 404
    )
    with db.unit_of_work() as s, pytest.raises(AlreadyExists):
        deposits.submit_guarantee(s, w.bidders[1], other_id, "BH-2026-000123", "中国银行示范市分行")


def test_no_deposit_account_where_none_is_required(db, w):
    p = _project(db, w, deposit=None)
    reg = _registered(db, w.bidders[0], p)
    with db.unit_of_work() as s, pytest.raises(Conflict, match="无需缴纳"):
        deposits.open_deposit(s, w.bidders[0], reg, "transfer")
    with db.unit_of_work() as s, pytest.raises(InvalidInput):
        deposits.open_deposit(s, w.bidders[0], reg, "cash")


def test_changing_the_method_before_paying(db, w):
    p = _project(db, w)
    reg = _registered(db, w.bidders[0], p)
    with db.unit_of_work() as s:
        deposits.open_deposit(s, w.bidders[0], reg, "guarantee")
    with db.unit_of_work() as s:
        switched = deposits.open_deposit(s, w.bidders[0], reg, "transfer")
        assert switched.method == "transfer" and switched.channel_ref.isdigit()
        assert deposits.open_deposit(s, w.bidders[0], reg, "transfer").channel_ref == switched.channel_ref


def test_the_payment_channel_is_chosen_by_setting(db, monkeypatch):
    from sunshine.config import get_settings

    with db.unit_of_work() as s:
        assert isinstance(payments.channel_for(s), payments.SimulatedBank)
        monkeypatch.setenv("SUNSHINE_PAYMENT_CHANNEL", "no-such-bank")
        get_settings.cache_clear()
        with pytest.raises(payments.ChannelNotConfigured):
            payments.channel_for(s)
        payments.register_channel("no-such-bank", payments.SimulatedBank)
        try:
            assert payments.channel_for(s).name == "simulated"
        finally:
            payments._FACTORIES.pop("no-such-bank")


# --------------------------------------------------------------------------- refunds


def _september_project(db, w, clock, transaction_type: str) -> tuple[SimpleNamespace, int]:
    """A project whose deposits are paid in September 2026, terminated on Wednesday 30 September,
    the day before the National Day holiday (1–7 October; Saturday 10 October is a make-up workday)."""
    clock.set(datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI))
    p = _project(db, w, transaction_type=transaction_type)
    deposit_id = _paid_transfer(db, w, w.bidders[0], p)
    clock.set(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI))
    with db.unit_of_work() as s:
        service.terminate(s, w.agency, p.id, "项目资金未落实，终止招标")
    return p, deposit_id


def test_engineering_refund_within_five_days(db, w, clock):
    p, deposit_id = _september_project(db, w, clock, "engineering")
    deposit = _deposit(db, deposit_id)
    # 5 days from 30 September end on 5 October, a holiday: the period runs to 8 October (民法典第二百零三条)
    assert deposit.status == "refund_due" and deposit.refund_due == date(2026, 10, 8)
    assert deposit.refund_reason == "项目终止"
    with db.unit_of_work() as s:
        tracked = s.get(TrackedDeadline, deposit.refund_deadline_id)
        assert (tracked.subject, tracked.purpose, tracked.unit, tracked.days) == (
            f"deposit:{deposit_id}",
            "退还投标保证金",
            "calendar",
            5,
        )
        assert tracked.is_open and tracked.due == date(2026, 10, 8)
    due = _entries(db, "trading:deposit:refund-due")
    assert (
        due[0]["due"] == "2026-10-08" and due[0]["amount"] == "100000.00" and due[0]["rule"] == "deposit_refund_within"
    )
    assert "第五十七条" in due[0]["basis"]


def test_procurement_refund_within_five_working_days_across_national_day(db, w, clock):
    _, deposit_id = _september_project(db, w, clock, "gov_procurement")
    # working days: 8, 9, 10 (make-up Saturday), 12, 13 October
    assert _deposit(db, deposit_id).refund_due == date(2026, 10, 13)
    assert "第三十八条" in _entries(db, "trading:deposit:refund-due")[0]["basis"]


def test_overdue_refunds_are_listed_for_the_centre(db, w, clock, client):
    _, engineering = _september_project(db, w, clock, "engineering")
    _, procurement = _september_project(db, w, clock, "gov_procurement")
    clock.set(datetime(2026, 10, 8, 17, 0, tzinfo=SHANGHAI))  # the last day itself is not late
    with db.unit_of_work() as s:
        assert deposits.overdue_refunds(s) == []
    clock.set(datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI))
    centre = api_token(client, w.centre.username)
    overdue = client.get("/api/v1/deposits/overdue", headers=centre).json()
    assert [d["id"] for d in overdue] == [engineering] and overdue[0]["overdue"] is True
    assert overdue[0]["organisation_name"] == "示范建设集团有限公司"
    supervisor = client.get("/api/v1/deposits/overdue", headers=api_token(client, w.supervisor.username))
    assert [d["id"] for d in supervisor.json()] == [engineering]
    assert client.get("/api/v1/deposits/overdue", headers=api_token(client, w.bidders[0].username)).status_code == 403
    clock.set(datetime(2026, 10, 14, 9, 0, tzinfo=SHANGHAI))
    with db.unit_of_work() as s:
        assert [v.deposit.id for v in deposits.overdue_refunds(s)] == [engineering, procurement]

    centre = api_token(client, w.centre.username)  # a new day, a new token
    refunded = client.post(f"/api/v1/deposits/{engineering}/refund", headers=centre)
    assert refunded.status_code == 200, refunded.text
    step = refunded.json()["evidence"]["refunded"]
    # engineering: the deposit with the bank interest of the 43 days held at 0.35 % (条例 第五十七条)
    assert refunded.json()["status"] == "refunded" and (step["amount"], step["bank_interest"]) == ("100041.23", "41.23")
    assert step["days_held"] == 43
    assert client.post(f"/api/v1/deposits/{engineering}/refund", headers=centre).status_code == 409
    deadline_id = _deposit(db, engineering).refund_deadline_id
    with db.unit_of_work() as s:
        assert [v.deposit.id for v in deposits.overdue_refunds(s)] == [procurement]
        assert not s.get(TrackedDeadline, deadline_id).is_open
    late = _entries(db, "trading:deposit:refunded")
    assert late[0]["late"] is True and late[0]["amount"] == "100000.00"


def test_a_calendar_change_moves_the_refund_due_date(db, w, clock):
    from sunshine.core import calendar

    _, deposit_id = _september_project(db, w, clock, "engineering")
    with db.unit_of_work() as s:
        calendar.set_day(s, actor=w.centre, day=date(2026, 10, 8), kind="holiday", name="台风停工", reason="测试")
    with db.unit_of_work() as s:
        assert deposits.current_due(s, s.get(Deposit, deposit_id)) == date(2026, 10, 9)


def test_withdrawal_before_the_deadline_schedules_the_refund(db, w, clock):
    p = _project(db, w)
    deposit_id = _paid_transfer(db, w, w.bidders[0], p)
    with db.unit_of_work() as s:
        reg = s.scalar(select(Registration.id).where(Registration.section_id == p.section))
        registrations.withdraw(s, w.bidders[0], reg)
    deposit = _deposit(db, deposit_id)
    # withdrawn on Monday 23 November 2026: 5 days end on Saturday 28th, so Monday 30th
    assert deposit.status == "refund_due" and deposit.refund_due == date(2026, 11, 30)
    assert deposit.refund_reason == "投标人在投标截止前撤回"


def test_a_guarantee_is_released_not_paid_back(db, w, clock):
    p = _project(db, w)
    reg = _registered(db, w.bidders[0], p)
    with db.unit_of_work() as s:
        deposit_id = deposits.open_deposit(s, w.bidders[0], reg, "guarantee").id
    with db.unit_of_work() as s:
        deposits.submit_guarantee(s, w.bidders[0], deposit_id, "BH-2026-000777", "示范市融资担保有限公司")
    with db.unit_of_work() as s:
        service.terminate(s, w.agency, p.id, "招标人决定终止")
    with db.unit_of_work() as s:
        d = s.get(Deposit, deposit_id)
        assert s.get(TrackedDeadline, d.refund_deadline_id).purpose == "退还投标保函"
        released = deposits.refund(s, w.centre, deposit_id)
        evidence = json.loads(released.evidence)["refunded"]
        assert evidence["guarantee_number"] == "BH-2026-000777" and "released_at" in evidence
        assert "amount" not in evidence


def test_a_pack_without_the_cap_or_the_refund_rule(db, w):
    """国有建设用地挂牌: the 竞买保证金 is not capped at 2 %, and its refund follows the announcement."""
    p = _project(db, w, transaction_type="land", method="listing", deposit="1500000.00", published=False)
    now = clock_module.now()
    publish_notice(
        db,
        w.agency,
        p.id,
        docs_issued_at=now + timedelta(days=21),
        docs_sale_end=now + timedelta(days=40),
        bid_deadline=now + timedelta(days=45),
    )
    deposit_id = _paid_transfer(db, w, w.bidders[0], p)
    with db.unit_of_work() as s:
        service.terminate(s, w.agency, p.id, "土地规划调整，终止挂牌")
    d = _deposit(db, deposit_id)
    assert (d.status, d.refund_due, d.refund_deadline_id) == ("refund_due", None, None)
    assert _entries(db, "trading:deposit:refund-due")[0]["due"] is None
    with db.unit_of_work() as s:
        assert deposits.overdue_refunds(s) == []
        assert deposits.refund(s, w.centre, deposit_id).status == "refunded"


def test_termination_refunds_every_paid_deposit_and_nothing_else(db, w):
    p = _project(db, w)
    paid = [_paid_transfer(db, w, b, p) for b in w.bidders[:2]]
    reg = _registered(db, w.bidders[2], p)
    with db.unit_of_work() as s:
        awaiting = deposits.open_deposit(s, w.bidders[2], reg, "transfer").id
    with db.unit_of_work() as s:
        service.terminate(s, w.centre, p.id, "监督部门责令终止")
    assert [_deposit(db, d).status for d in paid] == ["refund_due", "refund_due"]
    assert _deposit(db, awaiting).status == "awaiting"
    assert len(_entries(db, "trading:deposit:refund-due")) == 2


def test_public_ledger_names_no_bidder(db, w, clock):
    p = _project(db, w)
    _paid_transfer(db, w, w.bidders[0], p)
    with db.unit_of_work() as s:
        reg = registrations.register_bidder(s, w.bidders[1], p.id, p.section, "李四", "13900000002").id
    with db.unit_of_work() as s:
        deposit_id = deposits.open_deposit(s, w.bidders[1], reg, "guarantee").id
    with db.unit_of_work() as s:
        deposits.submit_guarantee(s, w.bidders[1], deposit_id, "BH-2026-000888", "中国银行示范市分行")
    with db.unit_of_work() as s:
        service.terminate(s, w.agency, p.id, "终止")
    with db.unit_of_work() as s:
        for d in s.scalars(select(Deposit)):
            deposits.refund(s, w.centre, d.id)
    with db.unit_of_work() as s:
        names = [o.name for o in s.scalars(select(Organisation).where(Organisation.kind == "enterprise"))]
        entries = list(s.scalars(select(LedgerEntry).where(LedgerEntry.kind.like("trading:%"))))
    kinds = {e.kind for e in entries}
    assert {"trading:deposit:paid", "trading:deposit:refund-due", "trading:deposit:refunded"} <= kinds
    for entry in entries:
        assert not any(n in entry.payload for n in names), entry.kind
        assert "13900000002" not in entry.payload and "李四" not in entry.payload
        if entry.kind.startswith("trading:deposit:"):
            assert entry.subject.startswith("deposit:")
            amount = json.loads(entry.payload)["amount"]
            assert isinstance(amount, str) and Decimal(amount) == Decimal("100000.00")
    assert clock_module.now()
