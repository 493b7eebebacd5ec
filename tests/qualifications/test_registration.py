"""Registration checked against a section's structured requirements (资质、人员、业绩), through the API as the
bidder meets it: refused naming what is missing or expired; accepted with a warning when a certificate valid on
the registration day lapses before the bid deadline; the notice and project pages show the requirements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sunshine.core import clock
from sunshine.trading.models import Notice
from tests.builders import api_token
from tests.pages import browser, page_text
from tests.qualifications.builders import (
    CERT,
    PM,
    WORKS,
    add_certificate,
    add_manager,
    add_work,
    tender_with_requirements,
)


@pytest.fixture
def w(db):
    return tender_with_requirements(db, CERT, PM, WORKS)


def register(client, w, i):
    return client.post(
        f"/api/v1/projects/{w.project_id}/sections/{w.section_id}/registrations",
        json={"contact_name": "王经理", "contact_phone": "13800138000"},
        headers=api_token(client, w.bidders[i].username),
    )


def qualify(db, w, i, **cert):
    add_certificate(db, w.admins[i], **cert)
    manager = add_manager(db, w.admins[i])
    add_work(db, w.admins[i], manager_id=manager)


def test_missing_qualification_is_refused_naming_what_is_missing(client, db, w):
    r = register(client, w, 0)
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["code"] == "qualification_not_met"
    assert "市政公用工程施工总承包二级及以上" in body["detail"]
    assert "项目经理（注册建造师）" in body["detail"] and "类似项目不少于 1 个" in body["detail"]
    # a lower grade does not meet "二级及以上"
    qualify(db, w, 0, grade="三级")
    r = register(client, w, 0)
    assert r.status_code == 409 and "市政公用工程施工总承包二级及以上" in r.json()["detail"]
    assert "项目经理" not in r.json()["detail"]


def test_expired_certificate_is_refused(client, db, w):
    qualify(db, w, 1, valid_until=clock.today_local() - timedelta(days=1))
    r = register(client, w, 1)
    assert r.status_code == 409
    assert "已过期" in r.json()["detail"]


def test_a_certificate_expiring_across_the_registration_deadline(client, app, db, w):
    """Valid on the registration day, lapsing before the bid deadline: accepted, the bidder warned, the flag
    kept for the opening and evaluation."""
    qualify(db, w, 2, valid_until=clock.today_local() + timedelta(days=10))
    r = register(client, w, 2)
    assert r.status_code == 201, r.text
    headers = api_token(client, w.bidders[2].username)
    inbox = client.get("/api/v1/messages", headers=headers)
    assert inbox.status_code == 200
    assert any("早于投标截止日" in m["body"] for m in inbox.json())
    with browser(app, w.bidders[2].username) as visitor:
        page = page_text(visitor.get("/my/qualifications").text)
    assert "报名时的资格预警" in page and "早于投标截止日" in page
    # the assessment on the deadline day shows it expired
    found = client.get(f"/api/v1/qualifications/sections/{w.section_id}/assessment", headers=headers).json()
    cert = next(f for f in found if "资质" in f["requirement"])
    assert cert["met"] is False and "已过期" in cert["note"]


def test_all_requirements_met_registers(client, db, w):
    qualify(db, w, 0)
    assert register(client, w, 0).status_code == 201


def test_notice_and_project_pages_show_the_structured_requirements(client, db, w):
    project = client.get(f"/projects/{w.project_id}")
    assert "资质要求：具备市政公用工程施工总承包二级及以上资质" in project.text
    assert "其他资格条件：具有相应资质" in project.text
    with db.unit_of_work() as s:
        notice_id = s.scalar(select(Notice.id).where(Notice.project_id == w.project_id))
    page = client.get(f"/notices/{notice_id}")
    assert "业绩要求：近 5 年内完成并竣工验收的市政公用工程类似项目不少于 1 个" in page.text


def test_requirements_are_frozen_once_the_notice_is_out(client, db, w):
    headers = api_token(client, w.agency.username)
    r = client.post(
        f"/api/v1/qualifications/sections/{w.section_id}/requirements",
        json={"kind": "certificate", "certificate_kind": "building"},
        headers=headers,
    )
    assert r.status_code == 409
    listed = client.get(f"/api/v1/qualifications/sections/{w.section_id}/requirements").json()
    assert len(listed) == 3


def test_requirement_editing_is_for_the_parties_and_the_centre(client, db):
    w = tender_with_requirements(db)
    other = api_token(client, w.other_agency.username)
    body = {"kind": "certificate", "certificate_kind": "building", "min_grade": "一级"}
    r = client.post(f"/api/v1/qualifications/sections/{w.section_id}/requirements", json=body, headers=other)
    assert r.status_code == 404
    bad = {"kind": "certificate", "certificate_kind": "building", "min_grade": "甲级"}
    r = client.post(
        f"/api/v1/qualifications/sections/{w.section_id}/requirements",
        json=bad,
        headers=api_token(client, w.centre.username),
    )
    assert r.status_code in (404, 409, 422)


def test_no_structured_requirements_no_check(client, db):
    w = tender_with_requirements(db)
    assert register(client, w, 0).status_code == 201


def test_the_qualification_review_reads_each_registrants_certificates(client, app, db, w):
    """The tenderer's agency reviewing registrations sees each requirement against the registrant's records:
    met with the certificate that meets it; after that certificate is retired, the same page says not met."""
    qualify(db, w, 0)
    assert register(client, w, 0).status_code == 201
    with browser(app, w.agency.username) as visitor:
        page = page_text(visitor.get(f"/projects/{w.project_id}/registrations").text)
    assert "满足 具备市政公用工程施工总承包二级及以上资质：市政公用工程施工总承包二级" in page
    assert "不满足" not in page and "（有效期至" in page
    headers = api_token(client, w.admins[0].username)
    certificates = client.get("/api/v1/qualifications/certificates", headers=headers).json()
    retired = client.post(f"/api/v1/qualifications/certificates/{certificates[0]['id']}/retire", headers=headers)
    assert retired.status_code == 200, retired.text
    with browser(app, w.agency.username) as visitor:
        page = page_text(visitor.get(f"/projects/{w.project_id}/registrations").text)
    assert "不满足 具备市政公用工程施工总承包二级及以上资质：" in page
    assert "满足 拟派项目经理（注册建造师）" in page  # the other requirements still met
