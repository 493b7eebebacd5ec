"""The draw room through the API and the pages: commitments before reveals, a wrong secret refused with a Chinese
4xx code, a silent party replaced by its published default (withholding cannot force a re-roll), no start
without the required witnesses, no ref or name in any ledger payload or page before disclosure."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select

from sunshine.draws import engine, pooldata, record, replay
from sunshine.draws import service as draws
from sunshine.ledger.models import LedgerEntry
from tests.builders import api_token
from tests.draws.conftest import party_key, prepare
from tests.pages import browser, csrf_token, page_text


def _token(client, who):
    return api_token(client, who.username)


def _prepared(db, room, **kw):
    with db.unit_of_work() as s:
        return prepare(s, room, **kw).code


def _sign_in(client, room, code, *who):
    for name in who:
        r = client.post(f"/api/v1/draws/{code}/sign-in", headers=_token(client, room[name]))
        assert r.status_code == 200, r.text


def _commit(client, room, code, secret):
    commitment = engine.commitment(code, party_key(room), secret)
    return client.post(
        f"/api/v1/draws/{code}/commitment", json={"commitment": commitment}, headers=_token(client, room["supervisor"])
    )


def test_a_draw_from_list_to_disclosure_through_the_api(db, client, room):
    code = _prepared(db, room)
    _sign_in(client, room, code, "supervisor", "tenderer", "social")
    secret = engine.new_secret()
    assert _commit(client, room, code, secret).status_code == 200
    # the platform's secret is not shown before it reveals
    before = client.get(f"/api/v1/draws/{code}/record").json()
    assert [p["secret"] for p in before["parties"]] == [None, None]
    started = client.post(f"/api/v1/draws/{code}/start", headers=_token(client, room["centre"]))
    assert started.status_code == 200, started.text
    assert started.json()["state_label"] == "正在揭示随机数"
    revealed = client.post(
        f"/api/v1/draws/{code}/reveal", json={"secret": secret}, headers=_token(client, room["supervisor"])
    )
    assert revealed.status_code == 200 and revealed.json()["state"] == "drawn"
    data = client.get(f"/api/v1/draws/{code}/record").json()
    assert replay.verify(data).ok, replay.verify(data).as_dict()
    assert data["candidates"] is None and data["names"] == {}
    assert {a["role_label"] for a in data["attendance"]} == {"行政监督部门", "招标人/采购人", "观察员（社会监督员）"}
    assert len([c for c in data["assignment"] if c["kind"] == "seat"]) == 5
    first = data["assignment"][0]["leaf"]
    out = client.post(
        f"/api/v1/draws/{code}/outcomes",
        json={"leaf": first, "outcome": "declined", "reason": "出差在外"},
        headers=_token(client, room["centre"]),
    )
    assert out.status_code == 200, out.text
    assert out.json()["replacements"][0]["kind"] == "seat"  # the group's first reserve takes the seat
    with db.unit_of_work() as s:
        draws.disclose(s, code)
    data = client.get(f"/api/v1/draws/{code}/record").json()
    report = replay.verify(data)
    assert report.ok, report.as_dict()
    assert len(data["candidates"]) == 35 and data["reasons"] == {"conflict": "与投标人存在利害关系", "on_leave": "休假"}
    assert set(data["names"].values()) <= {f"候选人{i}号" for i in range(30)}
    listed = client.get("/api/v1/draws").json()
    assert [d["code"] for d in listed["items"]] == [code]
    # after disclosure the public page names those the owner names, and the list shows the draw
    public = page_text(client.get(f"/draws/{code}").text)
    assert data["names"] and all(name in public for name in data["names"].values())
    assert "休假：" in public and "与投标人存在利害关系：" in public
    assert "示范工程评标委员会专家抽取" in page_text(client.get("/draws").text)


def test_commitments_come_before_reveals_and_a_wrong_secret_is_refused(db, client, room):
    code = _prepared(db, room)
    _sign_in(client, room, code, "supervisor", "tenderer")
    headers = _token(client, room["supervisor"])
    early = client.post(f"/api/v1/draws/{code}/reveal", json={"secret": "a" * 64}, headers=headers)
    assert early.status_code == 409 and early.json()["code"] == "draw_wrong_state"
    refused = client.post(f"/api/v1/draws/{code}/start", headers=_token(client, room["centre"]))
    assert refused.status_code == 409 and refused.json()["code"] == "draw_commitments_missing"
    assert "行政监督人员" in refused.json()["detail"]
    secret = engine.new_secret()
    assert _commit(client, room, code, secret).status_code == 200
    again = _commit(client, room, code, engine.new_secret())
    assert again.status_code == 409 and "不能更改" in again.json()["detail"]
    assert client.post(f"/api/v1/draws/{code}/start", headers=_token(client, room["centre"])).status_code == 200
    late_commit = _commit(client, room, code, secret)
    assert late_commit.status_code == 409
    wrong = client.post(f"/api/v1/draws/{code}/reveal", json={"secret": engine.new_secret()}, headers=headers)
    assert wrong.status_code == 422 and wrong.json()["code"] == "draw_secret_mismatch"
    assert wrong.json()["title"] == "揭示的随机数与此前提交的承诺不符"
    assert client.get(f"/api/v1/draws/{code}/room").json()["state"] == "revealing"


def test_a_party_that_withholds_gets_the_published_default(db, client, room, clock):
    code = _prepared(db, room)
    _sign_in(client, room, code, "supervisor", "tenderer")
    assert _commit(client, room, code, engine.new_secret()).status_code == 200
    client.post(f"/api/v1/draws/{code}/start", headers=_token(client, room["centre"]))
    early = client.post(f"/api/v1/draws/{code}/finish", headers=_token(client, room["centre"]))
    assert early.status_code == 409 and early.json()["code"] == "draw_reveal_window_open"
    with db.unit_of_work() as s:
        assert draws.finish_due(s) == []
    clock.advance(timedelta(seconds=601))  # the centre.service rule draw_reveal_window: 600 seconds
    late = client.post(
        f"/api/v1/draws/{code}/reveal", json={"secret": "b" * 64}, headers=_token(client, room["supervisor"])
    )
    assert late.status_code == 409
    with db.unit_of_work() as s:
        assert draws.finish_due(s) == [code]
    data = client.get(f"/api/v1/draws/{code}/record").json()
    supervisor = next(p for p in data["parties"] if p["party"] == party_key(room))
    assert supervisor["defaulted"] and supervisor["secret"] == engine.default_secret(code, party_key(room))
    assert replay.verify(data).ok
    drawn = [e for e in data["ledger"] if e["kind"] == "draws:draw:drawn"]
    assert drawn[0]["payload"]["defaulted"] == [party_key(room)]


def test_no_start_without_the_required_witnesses(db, client, room):
    code = _prepared(db, room)
    _sign_in(client, room, code, "supervisor")
    assert _commit(client, room, code, engine.new_secret()).status_code == 200
    refused = client.post(f"/api/v1/draws/{code}/start", headers=_token(client, room["centre"]))
    assert refused.status_code == 409 and refused.json()["code"] == "draw_witnesses_missing"
    assert "招标人代表" in refused.json()["detail"]
    # a bidder is no witness, party or supervisor of this draw
    stranger = client.post(f"/api/v1/draws/{code}/sign-in", headers=_token(client, room["bidder"]))
    assert stranger.status_code == 403
    _sign_in(client, room, code, "tenderer")
    assert client.post(f"/api/v1/draws/{code}/start", headers=_token(client, room["centre"])).status_code == 200


def test_a_party_must_sign_in_before_committing(db, client, room):
    code = _prepared(db, room)
    refused = _commit(client, room, code, engine.new_secret())
    assert refused.status_code == 409 and refused.json()["code"] == "draw_not_signed_in"


def test_only_centre_staff_start_the_draw(db, client, room):
    code = _prepared(db, room)
    _sign_in(client, room, code, "supervisor", "tenderer")
    _commit(client, room, code, engine.new_secret())
    refused = client.post(f"/api/v1/draws/{code}/start", headers=_token(client, room["tenderer"]))
    assert refused.status_code == 403


def test_the_beacon_enters_the_seed(db, client, room):
    code = _prepared(db, room, beacon_source="中国福利彩票双色球第2026140期开奖号码")
    _sign_in(client, room, code, "supervisor", "tenderer")
    secret = engine.new_secret()
    _commit(client, room, code, secret)
    client.post(f"/api/v1/draws/{code}/start", headers=_token(client, room["centre"]))
    client.post(f"/api/v1/draws/{code}/reveal", json={"secret": secret}, headers=_token(client, room["supervisor"]))
    finish = client.post(f"/api/v1/draws/{code}/finish", headers=_token(client, room["centre"]))
    assert finish.status_code == 409 and finish.json()["code"] == "draw_beacon_missing"
    beacon = client.post(
        f"/api/v1/draws/{code}/beacon", json={"value": "03 08 15 21 27 30 + 11"}, headers=_token(client, room["centre"])
    )
    assert beacon.status_code == 200, beacon.text
    assert client.post(f"/api/v1/draws/{code}/finish", headers=_token(client, room["centre"])).status_code == 200
    data = client.get(f"/api/v1/draws/{code}/record").json()
    assert data["beacon"]["value"] == "03 08 15 21 27 30 + 11" and replay.verify(data).ok
    data["beacon"]["value"] = "03 08 15 21 27 30 + 12"
    assert not replay.verify(data).ok


def test_no_ref_or_name_in_ledger_payloads_or_pages_before_disclosure(db, client, room):
    code = _prepared(db, room)
    _sign_in(client, room, code, "supervisor", "tenderer")
    secret = engine.new_secret()
    _commit(client, room, code, secret)
    client.post(f"/api/v1/draws/{code}/start", headers=_token(client, room["centre"]))
    client.post(f"/api/v1/draws/{code}/reveal", json={"secret": secret}, headers=_token(client, room["supervisor"]))
    with db.unit_of_work() as s:
        draw = draws.get(s, code)
        seat = draws.seats(s, draw)[0]
        draws.record_outcome(s, room["centre"], code, seat.leaf, "no_show", "未按时到场")
        payloads = [e.payload for e in s.scalars(select(LedgerEntry).where(LedgerEntry.subject == f"draw:{code}"))]
        pool = pooldata.of(s, draw)
        salts = [pool.salt] if isinstance(pool, pooldata.PoolV2) else list(pool.salts)
    assert {json.loads(p)["draw"] for p in payloads} == {code}
    pages = [client.get(f"/draws/{code}/room").text, client.get(f"/draws/{code}").text]
    for text in payloads + pages:
        assert "person:" not in text and not re.search(r"候选人\d+号", text)
        assert not any(salt in text for salt in salts)
    record_text = client.get(f"/api/v1/draws/{code}/record").text
    assert "person:" not in record_text and not any(salt in record_text for salt in salts)


def test_the_room_pages_take_each_step(db, app, client, room):
    code = _prepared(db, room)
    for who in ("tenderer", "supervisor"):
        with browser(app, room[who].username) as c:
            page = c.get(f"/draws/{code}/room").text
            assert "签到进入抽取室" in page_text(page)
            signed = c.post(f"/draws/{code}/room/sign-in", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
            assert "已签到进入抽取室" in page_text(signed.text)
    secret = engine.new_secret()
    with browser(app, room["supervisor"].username) as c:
        page = c.get(f"/draws/{code}/room").text
        assert "生成随机数并提交承诺" in page_text(page)
        committed = c.post(
            f"/draws/{code}/room/commit",
            data={"commitment": engine.commitment(code, party_key(room), secret)},
            headers={"X-CSRF-Token": csrf_token(page), "Accept": "application/json"},
        )
        assert committed.status_code == 200 and "承诺已提交" in committed.json()["message"]
    with browser(app, room["centre"].username) as c:
        page = c.get(f"/draws/{code}/room").text
        started = c.post(f"/draws/{code}/room/start", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
        assert "抽取已开始" in page_text(started.text)
    with browser(app, room["supervisor"].username) as c:
        page = c.get(f"/draws/{code}/room").text
        assert "揭示随机数" in page_text(page)
        headers = {"X-CSRF-Token": csrf_token(page), "Accept": "application/json"}
        wrong = c.post(f"/draws/{code}/room/reveal", data={"secret": "c" * 64}, headers=headers)
        assert wrong.status_code == 422 and wrong.json()["detail"] == "揭示的随机数与此前提交的承诺不符"
        done = c.post(f"/draws/{code}/room/reveal", data={"secret": secret}, headers=headers)
        assert done.status_code == 200 and done.json()["state"] == "drawn"
    live = page_text(client.get(f"/draws/{code}/room/live").text)
    assert "已抽取" in live and "正选" in live and "土建" in live
    public = page_text(client.get(f"/draws/{code}").text)
    assert "在浏览器中验证" in public and "名单哈希" in public and "测试用抽取" in public
    assert client.get("/draws/NOSUCH/room").status_code == 404


def test_record_build_is_what_the_api_serves(db, client, room):
    code = _prepared(db, room)
    with db.unit_of_work() as s:
        built = record.build(s, draws.get(s, code))
    assert client.get(f"/api/v1/draws/{code}/record").json() == built


def test_the_tick_draws_when_the_reveal_window_has_run_out(db, client, room, clock):
    from sunshine.tasks import tick

    code = _prepared(db, room)
    _sign_in(client, room, code, "supervisor", "tenderer")
    _commit(client, room, code, engine.new_secret())
    client.post(f"/api/v1/draws/{code}/start", headers=_token(client, room["centre"]))
    assert tick(db).draws == []
    clock.advance(timedelta(minutes=11))
    report = tick(db)
    assert report.draws == [code] and "draws=1" in report.summary()
    room_state = client.get(f"/api/v1/draws/{code}/room").json()
    assert room_state["state_label"] == "已抽取" and room_state["parties"][1]["defaulted"]
