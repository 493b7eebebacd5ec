"""The designated open day's poll (社会关注度调查) closes at its end time by the tick and the platform designates the
project with most votes — among equals the one listed first — records the count in the ledger and publishes it; the
centre may change it only with a reason, which is published. Offline applicants and invitees without an account
hear of their screening, the draw's outcome and their invitation by SMS through the gateway; their numbers appear on
no public page and in no ledger entry."""

from __future__ import annotations

import json
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from sunshine import tasks
from sunshine.ledger.models import LedgerEntry
from sunshine.messaging import service as messaging
from sunshine.supervision.models import PollOption
from sunshine.supervision.polls import winner
from tests.conftest import SHANGHAI
from tests.pages import browser, csrf_token, page_text
from tests.supervision.builders import people, refresh


def _local(y, m, d, h, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=SHANGHAI)


POLL = ["示范市第一中学教学楼改造工程", "城区道路雨污分流改造工程", "市民公园提升改造工程"]


def test_the_poll_closes_at_its_end_the_platform_designates_the_first_of_equals_and_an_override_needs_a_reason(
    db, app, client, clock
):
    w = people(db, client, candidates=0)
    h = w["h"]
    body = {
        "kind": "designated",
        "title": "重点工程项目集中开放日",
        "description": "邀请人大代表、政协委员、媒体记者现场观摩。",
        "instructions": "请提前15分钟到场签到。",
        "place": "交易中心二楼",
        "starts_at": "2026-12-20T09:00:00+08:00",
        "capacity": 20,
        "poll": POLL,
        "poll_until": "2026-12-10T17:00:00+08:00",
    }
    late = client.post(
        "/api/v1/supervision/open-days", headers=h["centre"], json={**body, "poll_until": "2026-12-21T09:00:00+08:00"}
    )
    assert late.status_code == 422 and "调查截止时间" in late.json()["detail"]
    made = client.post("/api/v1/supervision/open-days", headers=h["centre"], json=body)
    assert made.status_code == 201, made.text
    day = made.json()
    ids = [o["id"] for o in day["poll"]]
    assert day["poll_result"] is None
    # the second and the first tie with two votes each; the third has one
    for i, option in enumerate([ids[1], ids[0], ids[1], ids[0], ids[2]]):
        r = client.post(f"/api/v1/supervision/open-days/{day['id']}/poll/{option}", headers={"user-agent": f"v{i}"})
        assert r.status_code == 200, r.text
    again = client.post(f"/api/v1/supervision/open-days/{day['id']}/poll/{ids[2]}", headers={"user-agent": "v0"})
    assert again.status_code == 409

    clock.set(_local(2026, 12, 10, 16, 0))
    tasks.tick(db)  # not yet: the poll is open until 17:00
    assert client.get(f"/api/v1/supervision/open-days/{day['id']}").json()["poll_result"] is None
    clock.set(_local(2026, 12, 10, 17, 1))
    tasks.tick(db)
    h = refresh(w, client)
    shown = client.get(f"/api/v1/supervision/open-days/{day['id']}").json()
    result = shown["poll_result"]
    assert result["platform_choice"] == POLL[0] and result["designated"] == POLL[0] and result["tie"] is True
    closed = client.post(f"/api/v1/supervision/open-days/{day['id']}/poll/{ids[2]}", headers={"user-agent": "new"})
    assert closed.status_code == 409 and "调查已结束" in closed.json()["detail"]
    page = page_text(client.get(f"/supervision/open-days/{day['id']}").text)
    assert f"平台按得票确定的开放项目： {POLL[0]}" in page or f"平台按得票确定的开放项目：{POLL[0]}" in page
    assert "票数相同，按通告所列先后确定" in page and f"{POLL[1]}：2 票" in page
    with db.unit_of_work(read_only=True) as s:
        entry = s.scalar(select(LedgerEntry).where(LedgerEntry.kind == "supervision:open_day:poll_closed"))
    payload = json.loads(entry.payload)
    assert payload["designated"] == ids[0] and payload["tie"] is True and payload["votes"] == 5
    tasks.tick(db)  # closing is once
    with db.unit_of_work(read_only=True) as s:
        assert len(s.scalars(select(LedgerEntry).where(LedgerEntry.kind.like("%poll_closed"))).all()) == 1

    with browser(app, w["centre"]) as b:
        staff_page = b.get(f"/staff/supervision/open-days/{day['id']}")
        assert "社会关注度调查结果" in page_text(staff_page.text)
        refused = b.post(
            f"/staff/supervision/open-days/{day['id']}/poll-override",
            data={"option_id": str(ids[1]), "reason": "", "csrf_token": csrf_token(staff_page.text)},
        )
        assert "须写明理由" in page_text(refused.text)  # refused, flashed back on the staff page
    url = f"/api/v1/supervision/open-days/{day['id']}/poll-override"
    assert (
        client.post(url, headers=h["office"], json={"option_id": ids[2], "reason": "项目更受关注"}).status_code == 403
    )
    bare = client.post(url, headers=h["centre"], json={"option_id": ids[2], "reason": ""})
    assert bare.status_code == 422 and "理由" in bare.json()["detail"]
    same = client.post(url, headers=h["centre"], json={"option_id": ids[0], "reason": "维持平台确定的项目"})
    assert same.status_code == 409
    done = client.post(
        url, headers=h["centre"], json={"option_id": ids[2], "reason": "第一中学改造工程已延期至明年开标，改为第三项"}
    )
    assert done.status_code == 200, done.text
    result = done.json()["poll_result"]
    assert result["platform_choice"] == POLL[0] and result["designated"] == POLL[2] and result["overridden"]
    page = page_text(client.get(f"/supervision/open-days/{day['id']}").text)
    assert "第一中学改造工程已延期至明年开标" in page and f"调整为 {POLL[2]}" in page


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=12))
def test_the_designated_option_has_most_votes_and_is_the_first_listed_among_equals(votes):
    rows = [PollOption(id=i + 1, open_day_id=1, label=f"项目{i}", votes=v) for i, v in enumerate(votes)]
    best, tie = winner(rows)
    assert best.votes == max(votes)
    assert best.id == votes.index(max(votes)) + 1
    assert tie == (votes.count(max(votes)) > 1)


def test_applicants_without_an_account_hear_by_sms_and_their_numbers_stay_private(db, app, client, clock):
    w = people(db, client, candidates=0)
    h = w["h"]
    body = {
        "kind": "application",
        "title": "社会申请式开放日",
        "description": "观摩电子开标。",
        "instructions": "请携带身份证件。",
        "place": "交易大厅二楼第一开标室",
        "starts_at": "2026-12-10T09:00:00+08:00",
        "capacity": 5,
        "apply_until": "2026-12-04T17:00:00+08:00",
    }
    day = client.post("/api/v1/supervision/open-days", headers=h["centre"], json=body).json()
    phones = {}
    for i in range(6):
        r = client.post(
            f"/api/v1/supervision/open-days/{day['id']}/offline-applications",
            headers=h["centre"],
            json={"name": f"纸质申请人{i}", "phone": f"1590000{i:04d}", "purpose": "书面申请"},
        )
        assert r.status_code == 201, r.text
        phones[r.json()["ref"]] = f"1590000{i:04d}"
    clock.set(_local(2026, 12, 4, 17, 30))
    h = refresh(w, client)
    listing = client.get(f"/api/v1/supervision/open-days/{day['id']}/people", headers=h["office"]).json()["people"]
    out = listing[0]
    for p in listing:
        r = client.post(
            f"/api/v1/supervision/open-days/participants/{p['id']}/screen",
            headers=h["office"],
            json={"passed": p is not out, "note": "" if p is not out else "申请目的与本次开放日无关"},
        )
        assert r.status_code == 200, r.text
    with db.unit_of_work(read_only=True) as s:
        assert messaging.received(s, phones[out["ref"]]) == []  # screening may still change until the selection
    selected = client.post(f"/api/v1/supervision/open-days/{day['id']}/select", headers=h["office"])
    assert selected.status_code == 200 and selected.json()["draw_code"] is None  # five passed, five places
    with db.unit_of_work(read_only=True) as s:
        texts = {ref: [r.text for r in messaging.received(s, phone)] for ref, phone in phones.items()}
    assert texts[out["ref"]] == [
        "【阳光交易】社会申请式开放日：申请未通过筛选："
        f"申请编号 {out['ref']} 未通过政务办筛选（申请目的与本次开放日无关）。感谢关注。"
    ]
    for ref, got in texts.items():
        if ref != out["ref"]:
            assert len(got) == 1 and "您已入选" in got[0] and ref in got[0] and "请于" in got[0]
    public = page_text(client.get(f"/supervision/open-days/{day['id']}").text)
    with db.unit_of_work(read_only=True) as s:
        ledger_text = " ".join(e.payload for e in s.scalars(select(LedgerEntry)))
    for phone in phones.values():
        assert phone not in public and phone not in ledger_text
    with browser(app, w["centre"]) as b:
        gateway = page_text(b.get("/staff/messages/gateway").text)
    assert "159****0001" in gateway and all(phone not in gateway for phone in phones.values())


def test_an_invitee_without_an_account_is_invited_by_sms(db, client, clock):
    w = people(db, client, candidates=0)
    h = w["h"]
    body = {
        "kind": "government",
        "title": "政府开放日",
        "description": "走进交易中心。",
        "instructions": "请提前到场。",
        "place": "交易中心一楼",
        "starts_at": "2026-12-10T09:00:00+08:00",
        "capacity": 30,
    }
    day = client.post("/api/v1/supervision/open-days", headers=h["centre"], json=body).json()
    r = client.post(
        f"/api/v1/supervision/open-days/{day['id']}/invitations",
        headers=h["centre"],
        json={"category": "citizen", "name": "市民代表王芳", "phone": "15811112222"},
    )
    assert r.status_code == 201, r.text
    with db.unit_of_work(read_only=True) as s:
        got = [x.text for x in messaging.received(s, "15811112222")]
    assert len(got) == 1 and "邀请函：政府开放日" in got[0] and r.json()["ref"] in got[0]
