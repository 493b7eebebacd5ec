"""Participation pages as people use them: a bidder registers through the form, obtains the documents,
chooses a deposit method and submits a guarantee; the agency sees who registered and records a
prequalification result that lands in the bidder's inbox; the centre confirms a transfer and refunds,
with overdue refunds highlighted. Forms refuse bad input beside the field with 400."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sunshine.trading import deposits, registrations, service
from sunshine.trading.models import Deposit, Registration, Section
from tests.conftest import SHANGHAI
from tests.pages import browser
from tests.pages import csrf_token as _token
from tests.pages import page_text as _text
from tests.trading.builders import cheap_password_hashing, make_project, publish_notice, tender_world


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


def _post(client, page_url: str, action: str, data: dict | None = None):
    page = client.get(page_url)
    assert page.status_code == 200, page.text
    return client.post(action, data={**(data or {}), "csrf_token": _token(page.text)}, follow_redirects=False)


@pytest.fixture
def w(db):
    return SimpleNamespace(**tender_world(db))


def _project(db, w, *, deposit: str | None = "100000.00", published: bool = True) -> SimpleNamespace:
    pid = make_project(
        db,
        w.agency,
        tenderer_id=w.school,
        agency_id=w.agency_org,
        accept_as=w.centre,
        name="示范市滨江路道路改造工程",
        sections=[("第一标段：道路工程", "5000000.00")],
    )
    with db.unit_of_work() as s:
        section = s.scalar(select(Section.id).where(Section.project_id == pid))
    if deposit:
        with db.unit_of_work() as s:
            deposits.set_section_deposit(s, w.agency, pid, section, Decimal(deposit))
    if published:
        publish_notice(db, w.agency, pid)
    return SimpleNamespace(id=pid, section=section)


def test_a_bidder_registers_obtains_documents_and_pays_by_guarantee(db, w, app):
    p = _project(db, w)
    with browser(app, w.bidders[0].username) as bidder:
        form = bidder.get(f"/projects/{p.id}/register")
        assert form.status_code == 200 and "提交报名" in form.text
        bad = bidder.post(
            f"/projects/{p.id}/register",
            data={
                "section_id": str(p.section),
                "contact_name": "张经理",
                "contact_phone": "123",
                "csrf_token": _token(form.text),
            },
            follow_redirects=False,
        )
        assert bad.status_code == 400
        assert re.search(r'id="f-contact_phone-error"[^>]*>.*有效的手机号码', bad.text, re.S)
        assert 'value="张经理"' in bad.text  # what was typed is kept
        done = bidder.post(
            f"/projects/{p.id}/register",
            data={
                "section_id": str(p.section),
                "contact_name": "张经理",
                "contact_phone": "13800000001",
                "csrf_token": _token(bad.text),
            },
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == "/my/registrations"
        mine = bidder.get("/my/registrations")
        assert "报名成功" in mine.text and "示范市滨江路道路改造工程" in _text(mine.text)
        assert "尚未获取" in _text(mine.text)

        with db.unit_of_work() as s:
            reg = s.scalar(select(Registration.id))
        got = _post(bidder, "/my/registrations", f"/my/registrations/{reg}/documents")
        assert got.status_code == 303
        page = bidder.get("/my/registrations")
        assert "已获取招标文件" in page.text and "文件指纹 SHA-256" in page.text and "尚未获取" not in page.text

        again = _post(
            bidder,
            f"/projects/{p.id}/register",
            f"/projects/{p.id}/register",
            {"section_id": str(p.section), "contact_name": "张经理", "contact_phone": "13800000001"},
        )
        assert again.status_code == 400 and "本单位已报名该标段" in again.text

        assert (
            _post(bidder, "/my/registrations", f"/my/registrations/{reg}/deposit", {"method": "guarantee"}).status_code
            == 303
        )
        with db.unit_of_work() as s:
            deposit_id = s.scalar(select(Deposit.id))
        refused = _post(
            bidder,
            "/my/registrations",
            f"/my/deposits/{deposit_id}/guarantee",
            {"guarantee_number": "", "issuer": "中国银行示范市分行"},
        )
        assert refused.status_code == 400 and "请填写保函编号" in refused.text
        paid = _post(
            bidder,
            "/my/registrations",
            f"/my/deposits/{deposit_id}/guarantee",
            {"guarantee_number": "BH-2026-000123", "issuer": "中国银行示范市分行"},
        )
        assert paid.status_code == 303
        assert "已提交" in bidder.get("/my/registrations").text


def test_registration_form_says_when_registration_is_closed(db, w, app, clock):
    p = _project(db, w)
    with db.unit_of_work() as s:
        end = s.get(registrations.Project, p.id).docs_sale_end
    clock.set(end)
    with browser(app, w.bidders[0].username) as bidder:
        page = bidder.get(f"/projects/{p.id}/register")
        assert "招标文件获取期已于" in page.text and "disabled" in page.text
        refused = _post(
            bidder,
            f"/projects/{p.id}/register",
            f"/projects/{p.id}/register",
            {"section_id": str(p.section), "contact_name": "张经理", "contact_phone": "13800000001"},
        )
        assert refused.status_code == 400 and "招标文件获取期已于" in refused.text


def test_the_agency_sees_registrations_and_records_prequalification(db, w, app):
    p = _project(db, w)
    with db.unit_of_work() as s:
        reg = registrations.register_bidder(s, w.bidders[0], p.id, p.section, "张经理", "13800000001").id
    with browser(app, w.agency.username) as agency:
        page = agency.get(f"/projects/{p.id}/registrations")
        assert page.status_code == 200
        assert "示范建设集团有限公司" in page.text and "13800000001" in page.text and "第二十二条" in page.text
        url = f"/projects/{p.id}/registrations/{reg}/qualification"
        bad = _post(agency, f"/projects/{p.id}/registrations", url, {"stage": "pre", "passed": "0", "reasons": ""})
        assert bad.status_code == 400 and "不通过的，须写明理由" in bad.text
        ok = _post(
            agency,
            f"/projects/{p.id}/registrations",
            url,
            {"stage": "pre", "passed": "0", "reasons": "项目经理无注册建造师证书"},
        )
        assert ok.status_code == 303
        assert "资格预审结果通知书" in agency.get(ok.headers["location"]).text
    with browser(app, w.bidders[0].username) as bidder:
        inbox = _text(bidder.get("/my/registrations").text)
        assert "资格预审结果通知书" in inbox and "未通过" in inbox and "注册建造师" in inbox
    with browser(app, w.bidders[1].username) as other:
        assert "资格预审结果通知书" not in other.get("/my/registrations").text
        assert other.get(f"/projects/{p.id}/registrations").status_code == 403
    with browser(app, w.other_agency.username) as stranger:
        assert stranger.get(f"/projects/{p.id}/registrations").status_code == 404
    with browser(app) as public:
        response = public.get(f"/projects/{p.id}/registrations", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    with browser(app, w.centre.username) as centre:
        assert "示范建设集团有限公司" in centre.get(f"/projects/{p.id}/registrations").text


def test_section_deposit_form_names_the_cap(db, w, app):
    p = _project(db, w, deposit=None, published=False)
    with browser(app, w.agency.username) as agency:
        page = agency.get(f"/projects/{p.id}/registrations")
        assert "100,000.00" in page.text  # the maximum is shown before anyone types
        over = _post(
            agency,
            f"/projects/{p.id}/registrations",
            f"/projects/{p.id}/sections/{p.section}/deposit",
            {"amount": "100000.01"},
        )
        assert over.status_code == 400
        assert re.search(r'class="field-error"[^>]*>.*第二十六条.*100000\.00 元', over.text, re.S)
        typo = _post(
            agency,
            f"/projects/{p.id}/registrations",
            f"/projects/{p.id}/sections/{p.section}/deposit",
            {"amount": "十万"},
        )
        assert typo.status_code == 400 and "请填写金额" in typo.text
        ok = _post(
            agency,
            f"/projects/{p.id}/registrations",
            f"/projects/{p.id}/sections/{p.section}/deposit",
            {"amount": "100,000"},
        )
        assert ok.status_code == 303
        assert "已设定投标保证金：100,000.00 元" in agency.get(ok.headers["location"]).text


def test_the_centre_confirms_transfers_and_sees_overdue_refunds(db, w, app, clock):
    clock.set(datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI))
    p = _project(db, w)
    with db.unit_of_work() as s:
        reg = registrations.register_bidder(s, w.bidders[0], p.id, p.section, "张经理", "13800000001").id
    with db.unit_of_work() as s:
        deposit_id = deposits.open_deposit(s, w.bidders[0], reg, "transfer").id
    with browser(app, w.bidders[0].username) as bidder:
        mine = bidder.get("/my/registrations").text
        with db.unit_of_work() as s:
            account = s.get(Deposit, deposit_id).channel_ref
        assert account in mine and "基本账户" in mine
    with browser(app, w.centre.username) as centre:
        desk = centre.get("/staff/deposits")
        assert desk.status_code == 200 and account in desk.text and "示范建设集团有限公司" in desk.text
        wrong = _post(centre, "/staff/deposits", f"/staff/deposits/{deposit_id}/confirm", {"amount": "1000"})
        assert wrong.status_code == 400 and "与应缴金额" in wrong.text
        ok = _post(centre, "/staff/deposits", f"/staff/deposits/{deposit_id}/confirm", {"amount": "100000.00"})
        assert ok.status_code == 303
        assert "已确认到账" in centre.get("/staff/deposits").text
    clock.set(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI))
    with db.unit_of_work() as s:
        service.terminate(s, w.agency, p.id, "终止")
    clock.set(datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI))
    with browser(app, w.centre.username) as centre:
        desk = _text(centre.get("/staff/deposits").text)
        assert "2026年10月8日" in desk and "已逾期" in desk and "逾期未退还 1" in desk
        done = _post(centre, "/staff/deposits", f"/staff/deposits/{deposit_id}/refund")
        assert done.status_code == 303
        assert "没有待退还的保证金" in centre.get("/staff/deposits").text
    with browser(app, w.bidders[0].username) as bidder:
        assert bidder.get("/staff/deposits").status_code == 403
        assert "已退还" in bidder.get("/my/registrations").text
