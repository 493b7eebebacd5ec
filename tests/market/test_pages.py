"""The market register's pages as people use them: the public registration form refuses a bad code and a missing
licence beside the field, the administrator follows its application and manages its people, the centre reviews,
the public directories show no personal data; the demo shows every stage."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.identity.roles import Role
from sunshine.market.models import Application
from tests.builders import PASSWORD, make_user
from tests.market.builders import PDF, code, facts
from tests.pages import browser, csrf_token, page_text


def _form(page, **overrides) -> dict:
    return {
        "csrf_token": csrf_token(page.text),
        "kind": "enterprise",
        "credit_code": code(),
        "username": "ludao",
        "display_name": "林管理员",
        "password": PASSWORD,
        **facts(),
        **overrides,
    }


def test_the_registration_form_refuses_beside_the_field_and_then_registers(app, db):
    make_user(db, Role.CENTRE_STAFF, username="reviewer")
    with browser(app) as visitor:
        login = visitor.get("/login")
        assert "企业注册" in login.text and "代理机构注册" in login.text
        page = visitor.get("/market/register?kind=agency")
        assert page.status_code == 200 and "统一社会信用代码" in page.text
        bad = visitor.post(
            "/market/register",
            data=_form(page, credit_code="91350200MA00050001"),
            files={"licence": ("营业执照.pdf", PDF, "application/pdf")},
        )
        assert bad.status_code == 422 and "统一社会信用代码校验位不正确" in page_text(bad.text)
        assert "厦门鹭岛建设工程有限公司" in bad.text, "the form keeps what was typed"
        missing = visitor.post("/market/register", data=_form(page))
        assert missing.status_code == 422 and "请上传营业执照" in page_text(missing.text)
        done = visitor.post(
            "/market/register",
            data=_form(page),
            files={"licence": ("营业执照.pdf", PDF, "application/pdf")},
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == "/login?next=/market/mine"
    with browser(app, "ludao") as corp:
        mine = page_text(corp.get("/market/mine").text)
        assert "待审核" in mine and "审核通过前，本单位不能报名参加项目" in mine and "登记申请已提交" in mine
    with db.unit_of_work() as s:
        app_id = s.scalar(select(Application.id))
    with browser(app, "reviewer") as staff:
        queue = page_text(staff.get("/staff/market").text)
        assert "厦门鹭岛建设工程有限公司" in queue and "登记申请" in queue
        detail = staff.get(f"/staff/market/{app_id}")
        assert "林建国" in detail.text and "营业执照.pdf" in detail.text
        assert staff.get(f"/staff/market/{app_id}/licence").content == PDF
        token = csrf_token(detail.text)
        empty = staff.post(f"/staff/market/{app_id}/decision", data={"csrf_token": token, "decision": "return"})
        assert "退回补正须写明理由" in page_text(empty.text)
        staff.post(
            f"/staff/market/{app_id}/decision",
            data={"csrf_token": token, "decision": "return", "reasons": "请上传营业执照副本"},
        )
    with browser(app, "ludao") as corp:
        mine = corp.get("/market/mine")
        assert "请上传营业执照副本" in mine.text and "重新提交" in mine.text
        again = corp.post(
            f"/market/mine/applications/{app_id}",
            data={"csrf_token": csrf_token(mine.text), **facts()},
            follow_redirects=False,
        )
        assert again.status_code == 303
        assert (
            "补正后第 2 次提交" not in corp.get("/market/mine").text
        )  # the queue says it; the organisation sees 第 2 次
        assert "第 2 次提交" in corp.get("/market/mine").text


def test_the_demo_shows_every_stage_and_the_public_sees_no_personal_data(demo, db, client, app):
    with db.unit_of_work() as s:
        statuses = {a.status for a in s.scalars(select(Application))}
    assert {"pending", "returned", "approved", "rejected"} <= statuses
    enterprises = page_text(client.get("/market/enterprises").text)
    assert "漳州芗江园林绿化工程有限公司" in enterprises and "厦门鹭岛建设工程有限公司" not in enterprises
    assert "南平武夷商贸有限公司" not in enterprises
    agencies = client.get("/market/agencies").text
    assert "福州榕信工程咨询有限公司" in agencies and "招标师" in agencies and "王珊" in agencies
    assert "ZBS2019350100123" not in agencies and "13905910000" not in agencies
    with browser(app, "centre", password="sunshine-demo-2026") as staff:
        queue = page_text(staff.get("/staff/market").text)
        assert "厦门鹭岛建设工程有限公司" in queue and "变更申请" in queue
    with browser(app, "entadmin", password="sunshine-demo-2026") as corp:
        mine = page_text(corp.get("/market/mine").text)
        assert "本单位由交易中心登记" in mine and "本单位用户" in mine and "闽江建设 投标专员 何丽" in mine
    with browser(app, "tenderer", password="sunshine-demo-2026") as tenderer:
        me = tenderer.get("/me")
        assert me.status_code == 200
    with browser(app, "bidder", password="sunshine-demo-2026") as bidder:
        assert bidder.get("/market/mine").status_code == 403
