"""The service desk through its API: a work order routed, chased, escalated when overdue across a holiday,
answered, called back unsatisfied and reopened, then closed with a survey answered and aggregated; a 举报 seen
only by its department; a trading complaint handed to the complaints procedure; the 12345 hotline in and out
with a simulated hotline system; a recording and a shift; the knowledge base suggesting an article."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sunshine.core import calendar
from sunshine.core.auth import Principal
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.servicedesk import hotline
from sunshine.supervision import registry as supervisors
from sunshine.tasks import tick
from tests.builders import api_token, make_org, make_user

SHANGHAI = "Asia/Shanghai"


def _uid(db, username: str) -> int:
    from sqlalchemy import select

    from sunshine.identity.models import User

    with db.unit_of_work() as s:
        return s.scalar(select(User.id).where(User.username == username))


def test_work_order_walk(client, db, clock) -> None:
    # 2026-12-28 (Mon): the desk is set up; New Year's Day 2027 (Fri 1 Jan) is a holiday
    clock.set(datetime(2026, 12, 28, 9, 0, tzinfo=ZoneInfo(SHANGHAI)))
    centre = make_org(db, name="示范市公共资源交易中心", kind=OrganisationKind.CENTRE)
    agent = make_user(db, Role.CENTRE_STAFF, username="agent1", organisation_id=centre)
    handler = make_user(db, Role.CENTRE_STAFF, username="handler1", organisation_id=centre)
    inspector = make_user(db, Role.SUPERVISOR, username="inspector1")
    head = make_user(db, Role.CENTRE_STAFF, username="head1", organisation_id=centre)
    admin = make_user(db, Role.ADMIN, username="admin1")
    citizen = make_user(db, Role.BIDDER, username="citizen1", organisation_id=make_org(db))

    def refresh() -> tuple:
        return tuple(api_token(client, u) for u in (agent, handler, inspector, citizen))

    A, H, S, C = refresh()
    ADM = api_token(client, admin)

    r = client.post("/api/v1/desk/departments", json={"name": "交易服务部", "kind": "centre"}, headers=A)
    assert r.status_code == 201, r.text
    dept = r.json()["id"]
    sup = client.post("/api/v1/desk/departments", json={"name": "纪检监察组", "kind": "supervisory"}, headers=A).json()[
        "id"
    ]
    assert (
        client.post(
            f"/api/v1/desk/departments/{dept}/members", json={"user_id": _uid(db, handler)}, headers=A
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"/api/v1/desk/departments/{sup}/members", json={"user_id": _uid(db, inspector)}, headers=A
        ).status_code
        == 201
    )
    assert client.put("/api/v1/desk/settings/head", json={"user_id": _uid(db, head)}, headers=ADM).status_code == 200

    # the knowledge base: a guide the desk will be shown beside a similar order
    r = client.post(
        "/api/v1/desk/knowledge",
        headers=A,
        json={
            "kind": "guide",
            "title": "投标保证金退还办事指南",
            "body": "投标保证金在中标通知书发出后按规定退还。",
            "fields": {"time_limit": "5个工作日", "location": "交易中心一楼服务大厅", "contacts": "0591-12345678"},
        },
    )
    assert r.status_code == 201, r.text
    guide = r.json()["id"]
    found = client.get("/api/v1/desk/knowledge", params={"q": "保证金什么时候退"}).json()
    assert found and found[0]["id"] == guide and found[0]["fields"]["办理时限"] == "5个工作日"
    # the site search carries the published guide, in the guide's own transaction
    site = client.get("/api/v1/search", params={"q": "保证金退还"}).json()
    assert any(item["link"] == f"/knowledge/{guide}" and item["type_label"] == "知识库" for item in site["items"])

    # 登记 from the web form (a citizen with an account)
    r = client.post(
        "/api/v1/desk/orders",
        headers=C,
        json={
            "kind": "help",
            "title": "投标保证金迟迟未退还",
            "content": "我公司的投标保证金已过了很久仍未退还，请帮助查询处理。",
            "requester_phone": "13800000001",
        },
    )
    assert r.status_code == 201, r.text
    receipt = r.json()
    oid = receipt["id"]
    order = client.get(f"/api/v1/desk/orders/{oid}", headers=A).json()
    assert order["state_label"] == "已登记" and order["suggestions"][0]["id"] == guide
    assert order["requester_phone"] == "13800000001"
    # a department member not yet routed to cannot see it
    assert client.get(f"/api/v1/desk/orders/{oid}", headers=S).status_code == 404

    # 转办 on Tue 29 Dec: 求助 3 working days → Thu 31, Mon 4 (1 Jan holiday), Tue 5 Jan... counted by the calendar
    clock.set(datetime(2026, 12, 29, 9, 0, tzinfo=ZoneInfo(SHANGHAI)))
    A, H, S, C = refresh()
    r = client.post(f"/api/v1/desk/orders/{oid}/route", json={"department_id": dept}, headers=A)
    assert r.status_code == 200, r.text
    routed = r.json()
    with db.unit_of_work() as s:
        cal = calendar.load(s)
        expected = cal.deadline(date(2026, 12, 29), 3, "working").due
    assert routed["due_on"] == expected.isoformat() and expected > date(2027, 1, 1)
    assert "平台默认值" in routed["limit"]
    assert client.post(f"/api/v1/desk/orders/{oid}/route", json={"department_id": dept}, headers=S).status_code == 403

    # 催办 by hand, then the tick escalates once overdue (督办) with an alert to the centre's head
    assert client.post(f"/api/v1/desk/orders/{oid}/remind", json={"note": "请尽快"}, headers=A).status_code == 200
    # the tick reminds the department one working day before the due date (催办 by the platform)
    eve = date.fromordinal(expected.toordinal() - 1)
    while not cal.day(eve).is_workday:
        eve = date.fromordinal(eve.toordinal() - 1)
    clock.set(datetime(eve.year, eve.month, eve.day, 10, 0, tzinfo=ZoneInfo(SHANGHAI)))
    assert any(x.startswith("remind:") for x in tick(db).servicedesk)
    assert not any(x.startswith("remind:") for x in tick(db).servicedesk)  # once per round
    overdue = date.fromordinal(expected.toordinal() + 1)
    clock.set(datetime(overdue.year, overdue.month, overdue.day, 10, 0, tzinfo=ZoneInfo(SHANGHAI)))
    A, H, S, C = refresh()
    report = tick(db)
    assert any(x.startswith("escalate:") for x in report.servicedesk)
    order = client.get(f"/api/v1/desk/orders/{oid}", headers=A).json()
    assert order["state_label"] == "督办中" and order["escalated"] and order["days_left"] < 0
    assert [e["step_label"] for e in order["history"]] == ["登记", "转办", "催办", "催办", "督办"]
    head_alerts = client.get("/api/v1/me", headers=api_token(client, head))
    assert head_alerts.status_code == 200

    # 回复 (late), 回访 unsatisfied → reopened with a restarted clock
    assert (
        client.post(f"/api/v1/desk/orders/{oid}/reply", json={"reply": "已核实处理完毕"}, headers=A).status_code == 403
    )
    r = client.post(
        f"/api/v1/desk/orders/{oid}/reply", json={"reply": "经核实，保证金已于今日退还至贵公司基本账户。"}, headers=H
    )
    assert r.status_code == 200 and r.json()["on_time"] is False
    r = client.post(f"/api/v1/desk/orders/{oid}/callback", json={"satisfaction": 2, "note": "未收到款项"}, headers=A)
    assert r.status_code == 200, r.text
    order = r.json()
    assert order["state_label"] == "办理中" and order["reopen_count"] == 1 and not order["escalated"]
    assert order["due_on"] > expected.isoformat()
    r = client.post(f"/api/v1/desk/orders/{oid}/reply", json={"reply": "银行已确认到账，流水号已短信告知。"}, headers=H)
    assert r.json()["on_time"] is True
    r = client.post(f"/api/v1/desk/orders/{oid}/callback", json={"satisfaction": 5}, headers=A)
    assert r.json()["state_label"] == "已办结"
    assert (
        client.post(f"/api/v1/desk/orders/{oid}/reply", json={"reply": "再答复一次"}, headers=H).json()["code"]
        == "order_illegal_step"
    )

    # the requester tracks it and answers the survey from the workbench
    tracked = client.get(
        "/api/v1/desk/track", params={"code": receipt["code"], "lookup": receipt["lookup_code"]}
    ).json()
    assert tracked["state_label"] == "已办结"
    assert client.get("/api/v1/desk/track", params={"code": receipt["code"], "lookup": "WRONG123"}).status_code == 404
    mine = client.get("/api/v1/desk/me/surveys", headers=C).json()
    assert len(mine) == 1 and mine[0]["service_label"] == "服务台工单办理"
    items = {i["id"]: 1 for i in mine[0]["items"]}
    r = client.post(f"/api/v1/desk/me/surveys/{mine[0]['id']}", json={"answers": {**items, "attitude": 2}}, headers=C)
    assert r.status_code == 201 and r.json()["score"] < 60
    assert (
        client.post(f"/api/v1/desk/me/surveys/{mine[0]['id']}", json={"answers": items}, headers=C).json()["code"]
        == "survey_closed"
    )
    low = client.get("/api/v1/desk/low-scores", headers=A).json()
    assert low[0]["score"] == r.json()["score"]
    assert (
        client.post(
            f"/api/v1/desk/low-scores/{low[0]['id']}/follow-up",
            json={"follow_up": "已约谈经办人并整改退款流程"},
            headers=A,
        ).status_code
        == 200
    )

    # a 特约监督员 rates a service: joins the figures, labelled
    sv = api_token(client, make_user(db, Role.SOCIAL_SUPERVISOR, username="special1"))
    rating = {"service": "order_closed", "subject": "服务台工单办理情况评议", "answers": {k: 5 for k in items}}
    # holding the role is not enough: only a supervisor in office (supervision's registry) rates
    assert client.post("/api/v1/desk/ratings", json=rating, headers=sv).status_code == 403
    with db.unit_of_work() as s:
        staff = Principal(user_id=_uid(db, "agent1"), username="agent1", roles=frozenset({Role.CENTRE_STAFF}))
        row = supervisors.nominate(
            s,
            staff,
            kind="special",
            source="government",
            username="special1",
            name="特约监督员甲",
            phone="13500001111",
            employer="县政务服务中心",
            statement="政府推荐",
        )
        supervisors.appoint(s, staff, row.id)
    assert client.post("/api/v1/desk/ratings", json=rating, headers=sv).status_code == 201
    assert client.post("/api/v1/desk/ratings", json=rating, headers=C).status_code == 403
    month = client.get("/api/v1/desk/satisfaction/2027-01/current", headers=A).json()
    assert month["count"] == 2
    assert {r["label"]: r["count"] for r in month["by_respondent"]} == {"服务对象": 1, "特约监督员": 1}
    assert {r["label"]: r["count"] for r in month["by_department"]} == {"交易中心": 1, "交易服务部": 1}
    # published at the turn of the month by the tick
    clock.set(datetime(2027, 2, 1, 9, 0, tzinfo=ZoneInfo(SHANGHAI)))
    A, H, S, C = refresh()
    sv = api_token(client, "special1")
    tick(db)
    published = client.get("/api/v1/desk/satisfaction").json()
    assert published[0]["month"] == "2027-01" and published[0]["figures"]["count"] == 2

    # statistics by kind, department, month, on-time rate
    st = client.get("/api/v1/desk/statistics", params={"year": 2026}).json()
    help_row = next(k for k in st["by_kind"] if k["label"] == "求助")
    assert help_row["received"] == 1 and help_row["replied"] == 1 and help_row["rate"] == 100.0

    # 举报: routed to the supervisory department at once; its identity seen there only
    r = client.post(
        "/api/v1/desk/orders",
        json={
            "kind": "report",
            "title": "反映评标现场工作人员违规",
            "content": "某项目评标时有工作人员与投标人私下接触，请调查。",
            "requester_name": "张某",
            "requester_phone": "13900000002",
        },
    )
    rid = r.json()["id"]
    assert client.get(f"/api/v1/desk/orders/{rid}", headers=A).status_code == 404
    seen = client.get(f"/api/v1/desk/orders/{rid}", headers=S).json()
    assert seen["department"] == "纪检监察组" and seen["requester_name"] == "张某"
    assert all(o["id"] != rid for o in client.get("/api/v1/desk/orders", headers=A).json())
    assert client.post(f"/api/v1/desk/orders/{rid}/route", json={"department_id": dept}, headers=A).status_code == 404

    # 12345 in: an order from the hotline; out: its reply goes back through the simulated hotline system
    sim = hotline.SimulatedHotline()
    previous = hotline.use_transport(sim)
    try:
        r = client.post(
            "/api/v1/desk/hotline/orders",
            headers=A,
            json={
                "hotline_ref": "12345-2027-000888",
                "category": "咨询",
                "title": "如何办理CA数字证书",
                "content": "市民来电咨询投标需要的CA数字证书在哪里办理。",
                "caller_phone": "13700000003",
            },
        )
        assert r.status_code == 201, r.text
        code = r.json()["platform_code"]
        assert (
            client.post(
                "/api/v1/desk/hotline/orders",
                headers=A,
                json={
                    "hotline_ref": "12345-2027-000888",
                    "category": "咨询",
                    "title": "重复",
                    "content": "重复推送的同一工单内容",
                },
            ).status_code
            == 409
        )
        hid = next(o["id"] for o in client.get("/api/v1/desk/orders", headers=A).json() if o["code"] == code)
        client.post(
            f"/api/v1/desk/orders/{hid}/reply",
            json={"reply": "可在交易中心一楼CA窗口办理，需携带营业执照。"},
            headers=A,
        )
        tick(db)
        assert (
            sim.received
            and sim.received[0]["hotline_ref"] == "12345-2027-000888"
            and sim.received[0]["event"] == "答复"
        )
        # a 举报 from 12345: its caller is not in the desk's exchange log
        r = client.post(
            "/api/v1/desk/hotline/orders",
            headers=A,
            json={
                "hotline_ref": "12345-2027-000999",
                "category": "举报",
                "title": "举报开标现场违规",
                "content": "来电举报某项目开标时代理机构工作人员泄露投标人名单。",
                "caller_name": "刘某",
                "caller_phone": "13500000005",
            },
        )
        assert r.status_code == 201
        log = client.get("/api/v1/desk/hotline/messages", headers=A).text
        assert "13500000005" not in log and "刘某" not in log
        r = client.post(
            "/api/v1/desk/hotline/callbacks", json={"hotline_ref": "12345-2027-000888", "satisfaction": 4}, headers=A
        )
        assert r.json()["state"] == "已办结"
    finally:
        hotline.use_transport(previous)

    # a recording attached by the telephony interface, heard by the desk
    r = client.post(
        "/api/v1/desk/recordings",
        headers=A,
        files={"file": ("c1.wav", b"RIFF....WAVEfmt ")},
        data={
            "call_id": "CALL-0001",
            "started_at": "2027-02-01T09:00:00+08:00",
            "duration_seconds": "95",
            "order_code": code,
        },
    )
    assert r.status_code == 201, r.text
    audio = client.get(f"/api/v1/desk/recordings/{r.json()['id']}/audio", headers=A)
    assert audio.content == b"RIFF....WAVEfmt " and audio.headers["x-content-sha256"] == r.json()["sha256"]
    # a shift, and an overlapping one refused
    shift = {"user_id": _uid(db, agent), "day": "2027-02-02", "starts": "08:30", "ends": "12:00", "seat": "1号坐席"}
    assert client.post("/api/v1/desk/shifts", json=shift, headers=A).status_code == 201
    assert (
        client.post("/api/v1/desk/shifts", json={**shift, "starts": "11:00", "ends": "14:00"}, headers=A).status_code
        == 409
    )
    assert client.get("/api/v1/desk/shifts", params={"week": "2027-02-02"}, headers=A).json()[0]["seat"] == "1号坐席"
