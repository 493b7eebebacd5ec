"""The desk's set-up pages as its staff use them: handling departments (new, members added and removed, stopped and
resumed, the last 举报 department kept), the duty rota (a shift added, overlaps and bad times refused in Chinese
beside the fields, a week's table, a past shift kept) and the 12345 log (orders in, replies out with their
delivery, recordings with their order); reachable from the workbench and the site map of those who may use them,
refused to others."""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from sunshine.identity.models import OrganisationKind, User
from sunshine.identity.roles import Role
from sunshine.servicedesk import desk, hotline
from sunshine.servicedesk.models import DeskDepartment
from tests.builders import api_token, make_org, make_user
from tests.pages import browser, csrf_token, page_text

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _post(visitor, page: str, action: str, data: dict, **kw):
    token = csrf_token(visitor.get(page).text)
    return visitor.post(action, data={"csrf_token": token, **data}, **kw)


def _offered(db) -> list[str]:
    with db.unit_of_work(read_only=True) as s:
        return [d.name for d in desk.departments(s)]


def test_departments_page(app, db, clock) -> None:
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI))
    centre = make_org(db, name="示范市公共资源交易中心", kind=OrganisationKind.CENTRE)
    make_user(db, Role.CENTRE_STAFF, username="desk1", organisation_id=centre)
    make_user(db, Role.CENTRE_STAFF, username="handler1", organisation_id=centre)
    make_user(db, Role.BIDDER, username="bidder1", organisation_id=make_org(db))
    make_user(db, Role.ADMIN, username="admin1")

    with browser(app, "bidder1") as bidder:
        assert bidder.get("/desk/departments").status_code == 403
        assert "/desk/departments" not in bidder.get("/sitemap").text
    with browser(app, "admin1") as admin:
        assert admin.get("/desk/departments").status_code == 200
        assert "服务台承办部门" in page_text(admin.get("/me").text)

    with browser(app, "desk1") as staff:
        assert 'href="/desk/departments"' in staff.get("/me").text and "/desk/shifts" in staff.get("/sitemap").text
        empty = _post(staff, "/desk/departments", "/desk/departments", {"name": "甲", "kind": "centre"})
        assert empty.status_code == 422 and "部门名称应为 2 至 100 个字" in page_text(empty.text)
        wrong_kind = _post(staff, "/desk/departments", "/desk/departments", {"name": "交易服务部", "kind": "x"})
        assert "部门类别应为：交易中心内设部门、监督部门、其他政府部门" in page_text(wrong_kind.text)
        assert 'value="交易服务部"' in wrong_kind.text  # what was typed is kept
        for name, kind in (("交易服务部", "centre"), ("纪检监察组", "supervisory")):
            done = _post(
                staff, "/desk/departments", "/desk/departments", {"name": name, "kind": kind, "phone": "0591-1"}
            )
            assert done.status_code == 200 and f"已新增承办部门“{name}”" in page_text(done.text)
        twice = _post(staff, "/desk/departments", "/desk/departments", {"name": "交易服务部", "kind": "centre"})
        assert twice.status_code == 409 and "已有名为“交易服务部”的部门" in page_text(twice.text)

        with db.unit_of_work(read_only=True) as s:
            ids = dict(s.execute(select(DeskDepartment.name, DeskDepartment.id)).all())
            handler = s.scalar(select(User.id).where(User.username == "handler1"))
        service, inspection = ids["交易服务部"], ids["纪检监察组"]
        nobody = _post(staff, "/desk/departments", f"/desk/departments/{service}/members", {"username": "ghost"})
        assert nobody.status_code == 422 and "用户名“ghost”不存在或已停用" in page_text(nobody.text)
        added = _post(staff, "/desk/departments", f"/desk/departments/{service}/members", {"username": "handler1"})
        assert "已添加经办人 handler1" in page_text(added.text) and "handler1（handler1）" in page_text(added.text)
        removed = _post(staff, "/desk/departments", f"/desk/departments/{service}/members/{handler}/remove", {})
        assert "已移除经办人" in page_text(removed.text) and "handler1（handler1）" not in page_text(removed.text)

        last = _post(staff, "/desk/departments", f"/desk/departments/{inspection}/active", {"active": "0"})
        assert "这是唯一受理举报的监督部门" in page_text(last.text)
        stopped = _post(staff, "/desk/departments", f"/desk/departments/{service}/active", {"active": "0"})
        assert "已停用" in page_text(stopped.text) and "已停用（不再转办新工单）" in page_text(stopped.text)
        assert "交易服务部" not in _offered(db)  # no longer offered for transfer
        _post(staff, "/desk/departments", f"/desk/departments/{service}/active", {"active": "1"})
        assert "交易服务部" in _offered(db)


def test_shifts_page(app, db, clock) -> None:
    clock.set(datetime(2026, 12, 9, 10, 0, tzinfo=SHANGHAI))  # Wednesday
    centre = make_org(db, name="示范市公共资源交易中心", kind=OrganisationKind.CENTRE)
    make_user(db, Role.CENTRE_STAFF, username="desk2", organisation_id=centre)
    make_user(db, Role.SUPERVISOR, username="super2")
    with db.unit_of_work(read_only=True) as s:
        agent = s.scalar(select(User.id).where(User.username == "desk2"))

    with browser(app, "super2") as other:
        assert other.get("/desk/shifts").status_code == 403
        assert other.get("/desk/hotline").status_code == 403

    with browser(app, "desk2") as staff:
        page = staff.get("/desk/shifts")
        assert page.status_code == 200 and "2026年12月7日" in page_text(page.text)  # the week from Monday
        assert "未排班" in page_text(page.text) and "desk2" in page.text  # the agent is offered
        bad = _post(
            staff,
            "/desk/shifts",
            "/desk/shifts",
            {"user_id": "", "day": "2026-12-9", "starts": "8点", "ends": "17:30", "seat": ""},
        )
        text = page_text(bad.text)
        assert bad.status_code == 422
        for message in ("请选择坐席人员", "请按 YYYY-MM-DD 填写日期", "请按 HH:MM 填写上班时间", "请填写坐席"):
            assert message in text
        backwards = _post(
            staff,
            "/desk/shifts",
            "/desk/shifts",
            {"user_id": str(agent), "day": "2026-12-09", "starts": "17:00", "ends": "09:00", "seat": "一号坐席"},
        )
        assert backwards.status_code == 422 and "下班时间应晚于上班时间" in page_text(backwards.text)
        ok = _post(
            staff,
            "/desk/shifts",
            "/desk/shifts",
            {"user_id": str(agent), "day": "2026-12-09", "starts": "08:30", "ends": "12:00", "seat": "一号坐席"},
            follow_redirects=False,
        )
        assert ok.status_code == 303 and ok.headers["location"] == "/desk/shifts?week=2026-12-07"
        week = page_text(staff.get(ok.headers["location"]).text)
        assert "2026年12月9日（星期三） 星期三 desk2 在岗 08:30–12:00 一号坐席" in week
        overlap = _post(
            staff,
            "/desk/shifts",
            "/desk/shifts",
            {"user_id": str(agent), "day": "2026-12-09", "starts": "11:00", "ends": "14:00", "seat": "二号坐席"},
        )
        assert overlap.status_code == 409 and "与该坐席 08:30–12:00 的班次重叠" in page_text(overlap.text)
        nxt = staff.get("/desk/shifts?week=2026-12-14")
        assert "2026年12月14日" in page_text(nxt.text) and "desk2 在岗" not in page_text(nxt.text)
        assert staff.get("/desk/shifts?week=2026-13-01").status_code == 422

    clock.set(datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI))
    with browser(app, "desk2") as staff:
        page = staff.get("/desk/shifts?week=2026-12-07")
        assert "/delete" not in page.text  # yesterday's shift stays on the record


def test_hotline_log_page(app, client, db, clock) -> None:
    clock.set(datetime(2026, 12, 9, 10, 0, tzinfo=SHANGHAI))
    centre = make_org(db, name="示范市公共资源交易中心", kind=OrganisationKind.CENTRE)
    make_user(db, Role.CENTRE_STAFF, username="desk3", organisation_id=centre)
    make_user(db, Role.CENTRE_STAFF, username="handler3", organisation_id=centre)
    A = api_token(client, "desk3")
    H = api_token(client, "handler3")
    dept = client.post("/api/v1/desk/departments", json={"name": "交易服务部", "kind": "centre"}, headers=A).json()[
        "id"
    ]
    with db.unit_of_work(read_only=True) as s:
        handler = s.scalar(select(User.id).where(User.username == "handler3"))
    client.post(f"/api/v1/desk/departments/{dept}/members", json={"user_id": handler}, headers=A)
    r = client.post(
        "/api/v1/desk/hotline/orders",
        json={
            "hotline_ref": "12345-2026-000777",
            "category": "咨询",
            "title": "保证金何时退还",
            "content": "项目已签合同，保证金何时退还？",
            "caller_name": "赵先生",
            "caller_phone": "13900001111",
            "received_at": "2026-12-09T09:30:00+08:00",
        },
        headers=A,
    )
    assert r.status_code == 201, r.text
    code = r.json()["platform_code"]
    order_id = client.get("/api/v1/desk/orders", headers=A).json()[0]["id"]
    client.post(f"/api/v1/desk/orders/{order_id}/route", json={"department_id": dept}, headers=A)
    assert (
        client.post(
            f"/api/v1/desk/orders/{order_id}/reply", json={"reply": "合同签订后5日内退还。"}, headers=H
        ).status_code
        == 200
    )
    audio = client.post(
        "/api/v1/desk/recordings",
        data={
            "call_id": "CALL-0001",
            "started_at": "2026-12-09T09:28:00+08:00",
            "duration_seconds": "125",
            "order_code": code,
        },
        files={"file": ("call.wav", io.BytesIO(b"RIFF....WAVEfmt "), "audio/wav")},
        headers=A,
    )
    assert audio.status_code == 201, audio.text

    class Down:
        def send(self, payload: dict) -> None:
            raise ConnectionError("12345 系统无响应")

    previous = hotline.use_transport(Down())
    try:
        with browser(app, "desk3") as staff:
            page = staff.get("/desk/hotline")
            text = page_text(page.text)
            assert page.status_code == 200
            assert "收到 转来工单 12345-2026-000777" in text and code in text and "保证金何时退还" in text
            assert "发出 答复 12345-2026-000777" in text and "待发送" in text
            assert "13900001111" not in text and "赵先生" not in text  # the caller stays on the order
            assert "CALL-0001" in text and "2 分 5 秒" in text and "desk3" in text
            player = re.search(r'src="(/desk/recordings/\d+/audio)"', page.text).group(1)
            heard = staff.get(player)
            assert heard.status_code == 200 and heard.headers["content-type"] == "audio/wav"
            failed = _post(staff, "/desk/hotline", "/desk/hotline/deliver", {})
            assert "没有可发送的消息" in page_text(failed.text) and "发送失败（将重试）" in page_text(failed.text)
            assert "已尝试 1 次" in page_text(failed.text)
            hotline.use_transport(hotline.SimulatedHotline())
            sent = _post(staff, "/desk/hotline", "/desk/hotline/deliver", {})
            assert "已向 12345 发送 1 条消息" in page_text(sent.text) and "已送达" in page_text(sent.text)
    finally:
        hotline.use_transport(previous)
