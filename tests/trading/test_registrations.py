"""Registration (报名), tender documents and qualification as bidders and agencies meet them: the
window closes at the deadline by the server clock, one registration per organisation and section,
nobody but the parties, the centre and the supervisors learns who registered, and a prequalification
result reaches the applicant alone."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sunshine.core import clock as clock_module
from sunshine.core.content import Upload
from sunshine.core.errors import AlreadyExists, Conflict, Forbidden, InvalidInput, NotFound
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from sunshine.trading import registrations, service
from sunshine.trading.models import Message, Project, Section
from sunshine.trading.participation import RegistrationClosed
from tests.builders import api_token
from tests.trading.builders import cheap_password_hashing, make_project, publish_notice, tender_world


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db):
    return SimpleNamespace(**tender_world(db))


def _project(db, w, *, published: bool = True, **notice) -> SimpleNamespace:
    pid = make_project(
        db,
        w.agency,
        tenderer_id=w.school,
        agency_id=w.agency_org,
        accept_as=w.centre,
        sections=[("第一标段：道路工程", "5000000.00"), ("第二标段：排水工程", "3000000.00")],
    )
    if published:
        publish_notice(db, w.agency, pid, **notice)
    with db.unit_of_work() as s:
        project = s.get(Project, pid)
        sections = list(s.scalars(select(Section).where(Section.project_id == pid).order_by(Section.number)))
        return SimpleNamespace(
            id=pid,
            code=project.code,
            deadline=project.bid_deadline,
            sale_end=project.docs_sale_end,
            sections=[x.id for x in sections],
        )


def _register(db, bidder, p, section: int = 0, phone: str = "13800000001"):
    with db.unit_of_work() as s:
        return registrations.register_bidder(s, bidder, p.id, p.sections[section], "张经理", phone).id


def _ledger(db, kind_prefix: str = "trading:") -> list[LedgerEntry]:
    with db.unit_of_work() as s:
        return list(
            s.scalars(select(LedgerEntry).where(LedgerEntry.kind.like(kind_prefix + "%")).order_by(LedgerEntry.seq))
        )


def _bidder_names(db) -> list[str]:
    with db.unit_of_work() as s:
        return [o.name for o in s.scalars(select(Organisation).where(Organisation.kind == "enterprise"))]


# --------------------------------------------------------------------------- the window


def test_registration_closes_exactly_at_the_bid_deadline(db, w, clock):
    now = clock_module.now()
    p = _project(db, w, bid_deadline=now + timedelta(days=30), docs_sale_end=now + timedelta(days=30))
    reg = _register(db, w.bidders[0], p)
    assert reg
    clock.set(p.deadline - timedelta(seconds=1))
    _register(db, w.bidders[1], p)  # one second before: still open
    clock.set(p.deadline)
    with db.unit_of_work() as s, pytest.raises(RegistrationClosed) as refused:
        registrations.register_bidder(s, w.bidders[2], p.id, p.sections[0], "李经理", "13800000003")
    assert "投标截止时间" in refused.value.detail and refused.value.status == 409


def test_registration_closes_when_the_documents_sale_ends(db, w, clock):
    p = _project(db, w)
    assert p.sale_end < p.deadline
    clock.set(p.sale_end)
    with db.unit_of_work() as s, pytest.raises(RegistrationClosed, match="招标文件获取期"):
        registrations.register_bidder(s, w.bidders[0], p.id, p.sections[0], "张经理", "13800000001")


def test_no_registration_before_the_notice_is_published(db, w):
    p = _project(db, w, published=False)
    with db.unit_of_work() as s, pytest.raises(NotFound):  # not public yet: the bidder cannot see it
        registrations.register_bidder(s, w.bidders[0], p.id, p.sections[0], "张经理", "13800000001")


def test_one_registration_per_organisation_and_section(db, w, client):
    p = _project(db, w)
    headers = api_token(client, w.bidders[0].username)
    url = f"/api/v1/projects/{p.id}/sections/{p.sections[0]}/registrations"
    first = client.post(url, json={"contact_name": "张经理", "contact_phone": "13800000001"}, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["section_number"] == 1 and first.json()["organisation_name"] == "示范建设集团有限公司"
    again = client.post(url, json={"contact_name": "张经理", "contact_phone": "13800000001"}, headers=headers)
    assert again.status_code == 409 and again.json()["code"] == "already_exists"
    other_section = client.post(
        f"/api/v1/projects/{p.id}/sections/{p.sections[1]}/registrations",
        json={"contact_name": "张经理", "contact_phone": "0591-87654321"},
        headers=headers,
    )
    assert other_section.status_code == 201
    foreign_section = client.post(
        f"/api/v1/projects/{p.id}/sections/999999/registrations",
        json={"contact_name": "张经理", "contact_phone": "13800000001"},
        headers=headers,
    )
    assert foreign_section.status_code == 404


def test_bad_contact_details_are_named(db, w):
    p = _project(db, w)
    with db.unit_of_work() as s, pytest.raises(InvalidInput) as bad:
        registrations.register_bidder(s, w.bidders[0], p.id, p.sections[0], "张经理", "12345")
    assert bad.value.extra["field"] == "contact_phone"


def test_only_bidders_register(db, w, client):
    p = _project(db, w)
    url = f"/api/v1/projects/{p.id}/sections/{p.sections[0]}/registrations"
    body = {"contact_name": "张经理", "contact_phone": "13800000001"}
    assert client.post(url, json=body, headers=api_token(client, w.agency.username)).status_code == 403
    assert client.post(url, json=body).status_code == 401
    # a bidder account of an agency organisation is no bidder either
    from tests.trading.builders import actor

    odd = actor(db, Role.BIDDER, organisation_id=w.agency_org)
    with db.unit_of_work() as s, pytest.raises(Forbidden):
        registrations.register_bidder(s, odd, p.id, p.sections[0], "张经理", "13800000001")


# --------------------------------------------------------------------------- confidentiality


def test_a_bidder_sees_only_its_own_registrations(db, w, client):
    p = _project(db, w)
    mine = _register(db, w.bidders[0], p)
    _register(db, w.bidders[1], p)
    other = api_token(client, w.bidders[1].username)
    listed = client.get("/api/v1/registrations/mine", headers=other).json()
    assert [r["organisation_name"] for r in listed] == ["闽江路桥工程有限公司"]
    for path in (f"/api/v1/registrations/{mine}/documents", f"/api/v1/registrations/{mine}/withdraw"):
        refused = client.post(path, headers=other)
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    deposit = client.post(f"/api/v1/registrations/{mine}/deposit", json={"method": "transfer"}, headers=other)
    assert deposit.status_code == 404


def test_who_registered_is_confidential(db, w, client):
    p = _project(db, w)
    _register(db, w.bidders[0], p)
    _register(db, w.bidders[1], p, section=1)
    url = f"/api/v1/projects/{p.id}/registrations"
    assert client.get(url).status_code == 401  # the public
    assert client.get(url, headers=api_token(client, w.bidders[2].username)).status_code == 403  # other bidders
    assert client.get(url, headers=api_token(client, w.bidders[0].username)).status_code == 403  # even registrants
    assert client.get(url, headers=api_token(client, w.other_agency.username)).status_code == 404
    for who in (w.agency, w.tenderer, w.centre, w.supervisor):
        seen = client.get(url, headers=api_token(client, who.username))
        assert seen.status_code == 200, who.username
        assert sorted(r["organisation_name"] for r in seen.json()) == ["示范建设集团有限公司", "闽江路桥工程有限公司"]
    # nothing public tells who or how many: the project page and the public ledger
    public = client.get(f"/api/v1/projects/{p.id}").json()
    assert "registrations" not in json.dumps(public, ensure_ascii=False)
    names = _bidder_names(db)
    for entry in _ledger(db):
        assert not any(n in entry.payload for n in names), entry.kind
        if entry.kind.startswith("trading:registration:"):
            assert entry.subject.startswith("registration:") and p.code not in entry.payload


# --------------------------------------------------------------------------- tender documents


def test_obtaining_documents_records_time_and_the_body_hash(db, w, clock):
    p = _project(db, w)
    reg = _register(db, w.bidders[0], p)
    clock.advance(timedelta(hours=2))
    with db.unit_of_work() as s:
        row = registrations.obtain_documents(s, w.bidders[0], reg)
        body = s.scalar(select(registrations.Notice.body_html).where(registrations.Notice.project_id == p.id))
        assert row.docs_obtained_at == clock_module.now()
        assert row.docs_sha256 == hashlib.sha256(body.encode()).hexdigest()
    entries = _ledger(db, "trading:registration:documents-obtained")
    assert [json.loads(e.payload) for e in entries] == [{"registration": reg}]


def test_obtaining_documents_records_the_attachment_hash(db, w):
    pdf = b"%PDF-1.7\n" + "招标文件 第一章 招标公告".encode() + b"\n%%EOF"
    p = _project(db, w, attachments=[Upload("招标文件.pdf", pdf, "application/pdf")])
    reg = _register(db, w.bidders[0], p)
    with db.unit_of_work() as s:
        assert registrations.obtain_documents(s, w.bidders[0], reg).docs_sha256 == hashlib.sha256(pdf).hexdigest()


def test_documents_are_obtained_only_in_the_window(db, w, clock):
    p = _project(db, w)
    reg = _register(db, w.bidders[0], p)
    clock.set(p.sale_end)
    with db.unit_of_work() as s, pytest.raises(RegistrationClosed):
        registrations.obtain_documents(s, w.bidders[0], reg)


# --------------------------------------------------------------------------- withdrawal


def test_withdrawal_before_the_deadline_only_and_final(db, w, clock):
    p = _project(db, w)
    first = _register(db, w.bidders[0], p)
    second = _register(db, w.bidders[1], p)
    with db.unit_of_work() as s:
        assert registrations.withdraw(s, w.bidders[0], first).withdrawn_at is not None
    with db.unit_of_work() as s, pytest.raises(AlreadyExists, match="撤回"):
        registrations.register_bidder(s, w.bidders[0], p.id, p.sections[0], "张经理", "13800000001")
    clock.set(p.deadline)
    with db.unit_of_work() as s, pytest.raises(RegistrationClosed):
        registrations.withdraw(s, w.bidders[1], second)


# --------------------------------------------------------------------------- qualification


def test_prequalification_result_reaches_the_applicant_only(db, w, client):
    p = _project(db, w)
    passed = _register(db, w.bidders[0], p)
    failed = _register(db, w.bidders[1], p)
    agency = api_token(client, w.agency.username)
    url = f"/api/v1/registrations/{failed}/qualification"
    no_reason = client.post(url, json={"stage": "pre", "passed": False}, headers=agency)
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reasons"
    ok = client.post(
        url, json={"stage": "pre", "passed": False, "reasons": "未提供有效的安全生产许可证"}, headers=agency
    )
    assert ok.status_code == 201 and ok.json()["stage_label"] == "资格预审"
    again = client.post(url, json={"stage": "pre", "passed": True}, headers=agency)
    assert again.status_code == 409
    tenderer = api_token(client, w.tenderer.username)
    assert (
        client.post(
            f"/api/v1/registrations/{passed}/qualification", json={"stage": "pre", "passed": True}, headers=tenderer
        ).status_code
        == 201
    )
    stranger = client.post(
        f"/api/v1/registrations/{passed}/qualification",
        json={"stage": "post", "passed": True},
        headers=api_token(client, w.other_agency.username),
    )
    assert stranger.status_code == 404

    inbox_failed = client.get("/api/v1/messages", headers=api_token(client, w.bidders[1].username)).json()
    assert [m["subject"] for m in inbox_failed] == ["资格预审结果通知书"]
    assert "未通过" in inbox_failed[0]["body"] and "安全生产许可证" in inbox_failed[0]["body"]
    inbox_passed = client.get("/api/v1/messages", headers=api_token(client, w.bidders[0].username)).json()
    assert (
        len(inbox_passed) == 1 and "通过" in inbox_passed[0]["body"] and "安全生产许可证" not in inbox_passed[0]["body"]
    )
    assert client.get("/api/v1/messages", headers=api_token(client, w.bidders[2].username)).json() == []
    assert client.get("/api/v1/messages", headers=agency).json() == []

    # the failed applicant may not obtain the documents; the reasons stay off the public ledger
    with db.unit_of_work() as s, pytest.raises(Conflict, match="资格预审"):
        registrations.obtain_documents(s, w.bidders[1], failed)
    entries = _ledger(db, "trading:qualification:recorded")
    assert len(entries) == 2 and all("安全生产许可证" not in e.payload for e in entries)


def test_post_qualification_after_the_deadline(db, w, clock, client):
    p = _project(db, w)
    reg = _register(db, w.bidders[0], p)
    with db.unit_of_work() as s, pytest.raises(Conflict, match="资格后审"):
        registrations.record_qualification(s, w.agency, reg, "post", True, None)
    clock.set(p.deadline)
    with db.unit_of_work() as s:
        service.close_due(s)
    with db.unit_of_work() as s:
        result = registrations.record_qualification(s, w.agency, reg, "post", True, "资格条件均满足")
        assert result.passed and result.stage == "post"
    with db.unit_of_work() as s:
        assert s.scalars(select(Message)).all() == []  # post-qualification is part of the evaluation report
    listed = client.get(f"/api/v1/projects/{p.id}/registrations", headers=api_token(client, w.agency.username)).json()
    assert listed[0]["qualification"][0]["stage"] == "post"
