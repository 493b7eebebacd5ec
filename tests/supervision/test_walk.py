"""Social supervision as people use it, in one walk through the API and the pages: the centre recruits, a person
applies and the people's congress nominates another; both are appointed and their cards check valid; next week's
schedule is sent on Friday afternoon with exactly next week's sessions and nothing confidential; a supervisor
chooses a session (seats are limited), signs in at the room's QR and the session's record lists them by card;
an opinion left at the room is routed to the supervisory department, answered, reviewed and published, and an
unanswered one raises an overdue alert; renewal makes the old card fail, dismissal revokes the card."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from sunshine.core import alerts
from sunshine.core.clock import now as clock_now
from sunshine.messaging.models import Delivery, InboxMessage
from sunshine.supervision import opinions, registry, schedule
from sunshine.supervision.models import Supervisor
from sunshine.tasks import tick
from tests.conftest import SHANGHAI
from tests.pages import browser, csrf_token, page_text
from tests.supervision.builders import book, people, refresh
from tests.trading.builders import accepted_project, tender_world


def _local(y, m, d, h, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=SHANGHAI)


def test_supervisor_schedule_session_and_opinion(db, app, client, clock):
    w = people(db, client)
    trade = tender_world(db)
    project_id = accepted_project(db, trade, name="示范市第一中学教学楼改造工程")
    h = w["h"]
    opening = w["rooms"]["第一开标室"]
    # sessions: one this week, one next week, one the week after
    this_week = book(db, opening, _local(2026, 11, 25, 9, 30), "本周项目开标")
    next_week = book(db, opening, _local(2026, 12, 1, 9, 30), "示范市第一中学教学楼改造工程开标", project_id=project_id)
    later = book(db, opening, _local(2026, 12, 8, 9, 30), "下下周项目开标")

    # recruitment, an application and a nomination
    r = client.post(
        "/api/v1/supervision/recruitments",
        headers=h["centre"],
        json={
            "title": "公共资源交易社会监督员招募公告",
            "body": "面向社会公开招募社会监督员20名。",
            "kind": "social",
            "quota": 20,
            "opens_on": "2026-11-20",
            "closes_on": "2026-12-20",
        },
    )
    assert r.status_code == 201, r.text
    rec = r.json()["id"]
    anon = client.post(
        f"/api/v1/supervision/recruitments/{rec}/applications",
        json={"name": "王芳", "phone": "13800001111", "statement": "关心公共资源交易"},
    )
    assert anon.status_code == 401
    bad = client.post(
        f"/api/v1/supervision/recruitments/{rec}/applications",
        headers=h["c0"],
        json={"name": "王芳", "phone": "电话", "statement": "关心公共资源交易"},
    )
    assert bad.status_code == 422 and "联系电话" in bad.text
    a = client.post(
        f"/api/v1/supervision/recruitments/{rec}/applications",
        headers=h["c0"],
        json={"name": "王芳", "phone": "13800001111", "employer": "市第三医院", "statement": "关心公共资源交易"},
    )
    assert a.status_code == 201, a.text and a.json()["state_label"] == "待审核"
    b = client.post(
        "/api/v1/supervision/supervisors/nominations",
        headers=h["centre"],
        json={
            "kind": "social",
            "source": "npc",
            "username": w["c1"],
            "name": "陈建国",
            "phone": "13900002222",
            "statement": "市人大常委会推荐",
        },
    )
    assert b.status_code == 201, b.text
    assert client.get("/api/v1/supervision/supervisors", headers=h["c1"]).status_code == 403
    first = client.post(f"/api/v1/supervision/supervisors/{a.json()['id']}/appoint", headers=h["centre"], json={})
    second = client.post(f"/api/v1/supervision/supervisors/{b.json()['id']}/appoint", headers=h["centre"], json={})
    assert first.status_code == 200 and second.status_code == 200
    card_a, card_b = first.json(), second.json()
    assert card_a["term_end"] == "2028-11-22" and card_a["card_version"] == 1
    twice = client.post(f"/api/v1/supervision/supervisors/{a.json()['id']}/appoint", headers=h["centre"], json={})
    assert twice.status_code == 409

    # the card's QR opens a page saying it is valid, without the holder's name
    page = client.get(card_a["card_link"])
    text = page_text(page.text)
    assert page.status_code == 200 and "有效" in text and card_a["card_serial"] in text and "王芳" not in text
    forged = client.get(card_a["card_link"].replace("v=1", "v=2"))
    assert "签名不符" in page_text(forged.text)
    with db.unit_of_work() as s:
        from sunshine.ledger.models import LedgerEntry

        payloads = " ".join(e.payload for e in s.scalars(select(LedgerEntry)) if "supervision" in e.kind)
    assert "王芳" not in payloads and "13800001111" not in payloads

    # the weekly schedule: not before Friday 16:00, then next week's sessions only
    clock.set(_local(2026, 11, 27, 15, 59))
    with db.unit_of_work() as s:
        assert schedule.tick(s) == []
    clock.set(_local(2026, 11, 27, 16, 1))
    assert "2026-11-30" in tick(db).supervision  # the platform's tick sends it
    with db.unit_of_work() as s:
        assert schedule.tick(s) == []  # once a week
    sched = client.get("/api/v1/supervision/schedule").json()
    assert sched["week_start"] == "2026-11-30"
    assert [i["booking_id"] for i in sched["items"]] == [next_week]
    assert this_week != next_week != later
    item = sched["items"][0]
    assert item["project_name"] == "示范市第一中学教学楼改造工程" and item["room"] == "第一开标室"
    firms = ("示范建设集团有限公司", "闽江路桥工程有限公司", "海峡市政建设有限公司")
    hub = page_text(client.get("/supervision").text)
    assert "示范市第一中学教学楼改造工程" in hub and "第一开标室" in hub
    assert not any(f in hub or f in str(sched) for f in firms)
    assert "supervision:" not in hub and "venue-booking" not in hub
    with db.unit_of_work() as s:
        sms = list(s.scalars(select(Delivery).where(Delivery.kind == "supervision_schedule")))
        inbox = list(s.scalars(select(InboxMessage).where(InboxMessage.kind == "supervision_schedule")))
    assert sorted(d.phone for d in sms) == ["13800001111", "13900002222"]
    assert len(inbox) == 2 and "示范市第一中学教学楼改造工程" in inbox[0].body

    # choosing: the opening room has one observer seat
    h = refresh(w, client)
    mine = client.post(f"/api/v1/supervision/sessions/{next_week}/choose", headers=h["c0"])
    assert mine.status_code == 200, mine.text
    full = client.post(f"/api/v1/supervision/sessions/{next_week}/choose", headers=h["c1"])
    assert full.status_code == 409 and "已满" in full.json()["detail"]
    assert client.post(f"/api/v1/supervision/sessions/{next_week}/choose", headers=h["supervisor"]).status_code == 403
    seats = client.get("/api/v1/observers/mine", headers=h["c0"]).json()
    links = {x["link"] for x in seats}
    assert f"/supervision/sessions/{next_week}" in links and all(x["kind_label"] for x in seats)
    assert any(x["kind_label"] == "开标会（电子开标室）" for x in seats)  # remote observation of the opening too
    with browser(app, w["c0"]) as sup:
        bench = page_text(sup.get("/supervision/me").text)
        assert "示范市第一中学教学楼改造工程" in bench and card_a["card_serial"] in bench
        assert sup.get("/supervision/me/card.pdf").content.startswith(b"%PDF")
        assert "BEGIN:VEVENT" in sup.get("/supervision/me/schedule.ics").text
        # too early to sign in
        room_page = sup.get(f"/supervision/rooms/{opening}")
        early = sup.post(
            f"/supervision/rooms/{opening}/sign-in",
            data={"csrf_token": csrf_token(room_page.text)},
            follow_redirects=True,
        )
        assert "没有选择或抽中的场次" in page_text(early.text)
    clock.set(_local(2026, 12, 1, 9, 10))
    with browser(app, w["c0"]) as sup:
        room_page = sup.get(f"/supervision/rooms/{opening}")
        done = sup.post(
            f"/supervision/rooms/{opening}/sign-in",
            data={"csrf_token": csrf_token(room_page.text)},
            follow_redirects=True,
        )
        assert "已签到" in page_text(done.text)
    record = client.get(f"/api/v1/supervision/sessions/{next_week}").json()
    assert record["observers"][0]["card"] == card_a["card_serial"] and record["observers"][0]["signed_in_at"]
    session_page = page_text(client.get(f"/supervision/sessions/{next_week}").text)
    assert card_a["card_serial"] in session_page and "王芳" not in session_page and "自行选择" in session_page

    h = refresh(w, client)
    # the opinion box: left at the room by anyone, routed by topic, answered, reviewed, published
    left = client.post(
        "/api/v1/supervision/opinions",
        json={"channel": "room", "room_id": opening, "topic": "procedure", "body": "唱标时投影屏幕看不清报价。"},
    )
    assert left.status_code == 201, left.text
    op = left.json()
    assert op["responsible_label"] == "行政监督部门" and op["due_on"] > "2026-12-01"
    short = client.post("/api/v1/supervision/opinions", json={"topic": "procedure", "body": "差"})
    assert short.status_code == 422
    queue = client.get("/api/v1/supervision/opinions", headers=h["supervisor"]).json()
    assert [o["code"] for o in queue] == [op["code"]]
    assert client.get("/api/v1/supervision/opinions", headers=h["centre"]).json() == []
    wrong = client.post(
        f"/api/v1/supervision/opinions/{queue[0]['id']}/answer", headers=h["centre"], json={"text": "已处理好了"}
    )
    assert wrong.status_code == 404
    answered = client.post(
        f"/api/v1/supervision/opinions/{queue[0]['id']}/answer",
        headers=h["supervisor"],
        json={"text": "已要求交易中心更换开标室投影设备并放大报价字体。", "propose_publish": True},
    )
    assert answered.status_code == 200 and answered.json()["publish_label"] == "待公开审查"
    assert client.get("/api/v1/supervision/opinions/published").json() == []
    reviewed = client.post(
        f"/api/v1/supervision/opinions/{queue[0]['id']}/review", headers=h["disclosure"], json={"publish": True}
    )
    assert reviewed.status_code == 200, reviewed.text
    published = client.get("/api/v1/supervision/opinions/published").json()
    assert published[0]["answer"].startswith("已要求") and "contact" not in published[0]
    tracked = client.post("/api/v1/supervision/opinions/track", json={"code": op["code"], "lookup": op["lookup"]})
    assert tracked.json()["publish_label"] == "已公开"
    bad_track = client.post("/api/v1/supervision/opinions/track", json={"code": op["code"], "lookup": "x"})
    assert bad_track.status_code == 404
    late = client.post(
        "/api/v1/supervision/opinions", json={"topic": "service", "body": "服务窗口午间无人值守。"}
    ).json()
    clock.set(_local(2026, 12, 21, 9, 0))
    with db.unit_of_work() as s:
        assert any(k.endswith(":overdue") for k in opinions.raise_overdue(s))
    with db.unit_of_work() as s:
        raised = alerts.open_in(s, "supervision")
        assert [a.kind for a in raised] == ["opinion_overdue"] and late["code"] in raised[0].message

    h = refresh(w, client)
    # renewal: the old card fails; dismissal: the card is revoked; the reading function follows
    renewed = client.post(f"/api/v1/supervision/supervisors/{card_a['id']}/renew", headers=h["centre"])
    assert renewed.json()["card_version"] == 2
    assert "已换发" in page_text(client.get(card_a["card_link"]).text)
    assert "有效" in page_text(client.get(renewed.json()["card_link"]).text)
    no_reason = client.post(
        f"/api/v1/supervision/supervisors/{card_b['id']}/dismiss", headers=h["centre"], json={"reason": ""}
    )
    assert no_reason.status_code == 422
    client.post(
        f"/api/v1/supervision/supervisors/{card_b['id']}/dismiss", headers=h["centre"], json={"reason": "多次无故缺席"}
    )
    assert "已撤销" in page_text(client.get(card_b["card_link"]).text)
    with db.unit_of_work() as s:
        b_row = s.get(Supervisor, card_b["id"])
        status = registry.status_of(s, b_row.user_id)
        assert status is not None and not status.valid and status.kind_label == "社会监督员"
        assert registry.status_of(s, s.get(Supervisor, card_a["id"]).user_id).valid
    assert clock_now() > _local(2026, 12, 1, 0)
    assert date(2026, 11, 30).weekday() == 0
