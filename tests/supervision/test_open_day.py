"""An on-application open day as the public, the government affairs office and the centre live it: twenty people
apply (eighteen online, two on paper entered by staff), the office screens them after the deadline, and since those
it passed exceed the eight places the platform draws eight with the verifiable draw, whose public record replays;
the chosen are notified, checked in at the door, give feedback, and the report is published. Names and phones never
reach the public pages; only application numbers do. The government open day counts its citizen representatives."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from sunshine.core.auth import Principal
from sunshine.draws import engine, replay
from sunshine.draws import service as draws
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.messaging.models import InboxMessage
from tests.builders import api_token, make_user
from tests.conftest import SHANGHAI
from tests.pages import page_text
from tests.supervision.builders import people, refresh


def _local(y, m, d, h, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=SHANGHAI)


def _principal(db, username: str) -> Principal:
    with db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.username == username))
        roles = s.scalars(select(UserRole.role).where(UserRole.user_id == user.id))
        return Principal(user_id=user.id, username=username, roles=frozenset(Role(r) for r in roles))


def test_twenty_applicants_eight_drawn_and_the_draw_replays(db, app, client, clock):
    w = people(db, client, candidates=0)
    h = w["h"]
    body = {
        "kind": "application",
        "title": "第二季度社会申请式公共资源交易开放日",
        "description": "现场观摩示范市第一中学教学楼改造工程的开标和评标过程。",
        "instructions": "请携带身份证件提前15分钟到场签到；现场不得使用手机拍摄，不得干预开评标活动。",
        "place": "交易大厅二楼第一开标室",
        "starts_at": "2026-12-10T09:00:00+08:00",
        "capacity": 8,
        "apply_until": "2026-12-04T17:00:00+08:00",
    }
    too_many = client.post("/api/v1/supervision/open-days", headers=h["centre"], json={**body, "capacity": 12})
    assert too_many.status_code == 422 and "5至8人" in too_many.text
    assert client.post("/api/v1/supervision/open-days", headers=h["office"], json=body).status_code == 403
    made = client.post("/api/v1/supervision/open-days", headers=h["centre"], json=body)
    assert made.status_code == 201, made.text
    day = made.json()
    assert day["agenda"][6] == "召开座谈会，听取意见和建议" and len(day["agenda"]) == 7
    applicant = make_user(db, Role.BIDDER)
    applicant_h = api_token(client, applicant)
    refs, lookups = [], {}
    for i in range(18):
        r = client.post(
            f"/api/v1/supervision/open-days/{day['id']}/applications",
            headers=applicant_h if i == 0 else {},
            json={"name": f"申请人{i:02d}", "phone": f"1370000{i:04d}", "purpose": "了解开评标过程"},
        )
        assert r.status_code == 201, r.text
        refs.append(r.json()["ref"])
        lookups[r.json()["ref"]] = r.json()["lookup"]
    for i in (18, 19):
        assert (
            client.post(
                f"/api/v1/supervision/open-days/{day['id']}/offline-applications",
                json={"name": f"申请人{i:02d}", "phone": f"1370000{i:04d}", "purpose": "书面申请"},
            ).status_code
            == 401
        )
        r = client.post(
            f"/api/v1/supervision/open-days/{day['id']}/offline-applications",
            headers=h["centre"],
            json={"name": f"申请人{i:02d}", "phone": f"1370000{i:04d}", "purpose": "书面申请"},
        )
        assert r.status_code == 201
        refs.append(r.json()["ref"])
    assert len(set(refs)) == 20
    public = page_text(client.get(f"/supervision/open-days/{day['id']}").text)
    assert "活动须知" in public and "申请人00" not in public and "13700000000" not in public
    early = client.post(
        "/api/v1/supervision/open-days/participants/1/screen", headers=h["office"], json={"passed": True}
    )
    assert early.status_code in (404, 409)

    clock.set(_local(2026, 12, 4, 17, 30))
    h = refresh(w, client)
    late = client.post(
        f"/api/v1/supervision/open-days/{day['id']}/applications",
        json={"name": "迟到者", "phone": "13711112222", "purpose": "观摩"},
    )
    assert late.status_code == 409 and "报名已截止" in late.json()["detail"]
    listing = client.get(f"/api/v1/supervision/open-days/{day['id']}/people", headers=h["office"]).json()["people"]
    assert len(listing) == 20 and listing[0]["name"] == "申请人00"
    applicant_h = api_token(client, applicant)
    assert client.get(f"/api/v1/supervision/open-days/{day['id']}/people", headers=applicant_h).status_code == 403
    refused = client.post(
        f"/api/v1/supervision/open-days/participants/{listing[0]['id']}/screen",
        headers=h["office"],
        json={"passed": False},
    )
    assert refused.status_code == 422 and "理由" in refused.text
    for p in listing:
        r = client.post(
            f"/api/v1/supervision/open-days/participants/{p['id']}/screen", headers=h["office"], json={"passed": True}
        )
        assert r.status_code == 200, r.text
    assert client.post(f"/api/v1/supervision/open-days/{day['id']}/select", headers=h["centre"]).status_code == 403
    selected = client.post(f"/api/v1/supervision/open-days/{day['id']}/select", headers=h["office"])
    assert selected.status_code == 200, selected.text
    code = selected.json()["draw_code"]
    assert code and selected.json()["room_link"] == f"/draws/{code}/room"

    # the draw room: the office commits to its secret, the centre witnesses and starts, the office reveals
    office, centre = _principal(db, w["office"]), _principal(db, w["centre"])
    secret = engine.new_secret()
    with db.unit_of_work() as s:
        draws.sign_in(s, centre, code)
        draws.sign_in(s, office, code)
        draws.commit(s, office, code, engine.commitment(code, f"office:{office.user_id}", secret))
    with db.unit_of_work() as s:
        draws.start_reveal(s, centre, code)
    with db.unit_of_work() as s:
        draws.reveal(s, office, code, secret)

    shown = client.get(f"/api/v1/supervision/open-days/{day['id']}").json()
    assert shown["state_label"] == "参加人员已确定" and len(shown["selected"]) == 8
    assert set(shown["selected"]) <= set(refs)
    data = client.get(f"/api/v1/draws/{code}/record").json()
    report = replay.verify(data)
    assert report.ok, report.as_dict()
    assert {c["ref"] for c in data["candidates"]} == set(refs)
    assert "申请人" not in str(data)
    draw_page = page_text(client.get(f"/draws/{code}").text)
    assert "开放日参加人员抽取" in draw_page
    public = page_text(client.get(f"/supervision/open-days/{day['id']}").text)
    assert code in public and shown["selected"][0] in public and "申请人" not in public
    with db.unit_of_work() as s:
        told = list(s.scalars(select(InboxMessage).where(InboxMessage.kind == "supervision_open_day")))
    assert len(told) == 1 and refs[0] in told[0].body  # the one applicant with an account is told either way

    # the day: check-in of a chosen one, not of another; feedback; report
    clock.set(_local(2026, 12, 10, 8, 40))
    h = refresh(w, client)
    chosen = shown["selected"][0]
    other = next(r for r in refs if r not in shown["selected"])
    ok = client.post(f"/api/v1/supervision/open-days/{day['id']}/check-in", headers=h["centre"], json={"ref": chosen})
    assert ok.status_code == 200 and ok.json()["checked_in_at"]
    no = client.post(f"/api/v1/supervision/open-days/{day['id']}/check-in", headers=h["centre"], json={"ref": other})
    assert no.status_code == 409 and "未入选" in no.json()["detail"]
    clock.set(_local(2026, 12, 10, 12, 0))
    h = refresh(w, client)
    assert client.post(f"/api/v1/supervision/open-days/{day['id']}/hold", headers=h["centre"]).status_code == 200
    if chosen in lookups:
        fb = client.post(
            f"/api/v1/supervision/open-days/{day['id']}/feedback",
            json={"ref": chosen, "lookup": lookups[chosen], "text": "流程清楚，讲解到位。", "score": 5},
        )
        assert fb.status_code == 200, fb.text
    wrong = client.post(
        f"/api/v1/supervision/open-days/{day['id']}/feedback",
        json={"ref": chosen, "lookup": "nope", "text": "好", "score": 5},
    )
    assert wrong.status_code == 404
    rep = client.post(
        f"/api/v1/supervision/open-days/{day['id']}/report",
        headers=h["centre"],
        json={"report": "本次开放日8名社会公众观摩了开标、评标全过程，收集意见3条，均已答复。"},
    )
    assert rep.status_code == 200 and rep.json()["state_label"] == "已发布活动报告"
    assert "收集意见3条" in page_text(client.get(f"/supervision/open-days/{day['id']}").text)


def test_government_open_day_needs_a_third_citizens_and_reports_in_two_days(db, client, clock):
    w = people(db, client, candidates=0)
    h = w["h"]
    made = client.post(
        "/api/v1/supervision/open-days",
        headers=h["centre"],
        json={
            "kind": "government",
            "title": "政府开放日：走进公共资源交易中心",
            "description": "参观开评标现场评委抽取室、监控室，听取中心工作介绍。",
            "instructions": "请按邀请函时间到场。",
            "place": "交易中心一楼大厅",
            "starts_at": "2026-11-24T15:30:00+08:00",
            "capacity": 30,
        },
    ).json()
    assert made["agenda"][3].startswith("征集群众代表意见建议")
    for category, n in (("npc", 1), ("cppcc", 1), ("party", 1), ("media", 1), ("staff", 4), ("citizen", 3)):
        for i in range(n):
            r = client.post(
                f"/api/v1/supervision/open-days/{made['id']}/invitations",
                headers=h["centre"],
                json={"category": category, "name": f"{category}{i}", "phone": f"1360000{i:04d}"},
            )
            assert r.status_code == 201, r.text
    comp = client.get(f"/api/v1/supervision/open-days/{made['id']}/people", headers=h["centre"]).json()["composition"]
    assert comp["total"] == 11 and comp["citizens"] == 3 and not comp["share_ok"]
    clock.set(_local(2026, 11, 24, 17, 0))
    h = refresh(w, client)
    refused = client.post(f"/api/v1/supervision/open-days/{made['id']}/hold", headers=h["centre"])
    assert refused.status_code == 409 and "三分之一" in refused.json()["detail"]
    client.post(
        f"/api/v1/supervision/open-days/{made['id']}/invitations",
        headers=h["centre"],
        json={"category": "citizen", "name": "市民甲", "phone": "13600009999"},
    )
    held = client.post(f"/api/v1/supervision/open-days/{made['id']}/hold", headers=h["centre"])
    assert held.status_code == 200, held.text
    from sunshine.supervision import opendays

    clock.set(_local(2026, 11, 27, 9, 0))
    with db.unit_of_work() as s:
        assert opendays.raise_overdue_reports(s)  # due 2026-11-26: one alert to the centre
    h = refresh(w, client)
    rep = client.post(
        f"/api/v1/supervision/open-days/{made['id']}/report",
        headers=h["centre"],
        json={"report": "邀请代表12人，其中市民代表4人；收集意见5条，当场答复3条，2条会后研究。"},
    )
    assert rep.status_code == 200
    with db.unit_of_work() as s:
        office_msgs = list(s.scalars(select(InboxMessage).where(InboxMessage.kind == "supervision_open_day")))
    assert office_msgs and "活动开展情况" in office_msgs[-1].subject
