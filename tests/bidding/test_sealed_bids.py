"""Sealed bids as bidders meet them through the HTTP API: a signed receipt that verifies offline, the
server clock deciding the deadline, replace and withdraw before it, idempotent retries, and then the
opening — keys revealed, a record confirmed by the officials and published with its ledger entry."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from sunshine import tasks
from sunshine.bidding import receipts
from sunshine.config import get_settings
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.builders import api_token
from tests.disclosure.builders import load_catalog
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db, client, monkeypatch):
    # tokens that outlive the 30 days these tests move the clock through
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()
    world = tender_with_bidders(db)
    world.tokens = [api_token(client, b.username) for b in world.bidders]
    world.agency_token = api_token(client, world.agency.username)
    world.centre_token = api_token(client, world.centre.username)
    return world


def signed_in_again(client, w) -> None:
    """The bidders sign in again after the clock has moved: the bid steps need a recent password entry."""
    w.tokens = [api_token(client, b.username) for b in w.bidders]


def submit(client, w, i, sealed, *, key=None):
    return client.post(
        f"/api/v1/sections/{w.section_id}/bids",
        content=sealed.sealed,
        headers={
            **w.tokens[i],
            "Content-Type": "application/octet-stream",
            "Idempotency-Key": key or sealed.idempotency_key,
            "Sunshine-Key-Commitment": sealed.commitment,
        },
    )


def test_receipt_is_signed_and_verifies_offline(client, w):
    sealed = seal_for(w, w.bidders[0])
    r = submit(client, w, 0, sealed)
    assert r.status_code == 201, r.text
    receipt = r.json()
    assert receipt["ciphertext_sha256"] and receipt["size"] == len(sealed.sealed)
    assert receipt["project_code"] == w.code and receipt["section_number"] == 1
    key = base64.b64decode(client.get("/api/v1/ledger/key").json()["public_key"])
    assert receipts.verify(receipt, key, sealed.sealed) == []
    # the same receipt from the API later, and a tampered one fails
    assert client.get(f"/api/v1/bids/{receipt['bid_no']}/receipt", headers=w.tokens[0]).json() == receipt
    forged = {**receipt, "size": receipt["size"] + 1}
    assert any("签名无效" in p for p in receipts.verify(forged, key))
    assert any("SHA-256" in p for p in receipts.verify(receipt, key, sealed.sealed + b"x"))


def test_retry_with_the_same_idempotency_key_returns_the_first_receipt(client, w):
    sealed = seal_for(w, w.bidders[0])
    first = submit(client, w, 0, sealed)
    again = submit(client, w, 0, sealed)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    mine = client.get("/api/v1/bids/mine", headers=w.tokens[0]).json()
    assert len(mine) == 1
    other = seal_for(w, w.bidders[0], "4700000.00")
    clash = submit(client, w, 0, other, key=sealed.idempotency_key)
    assert clash.status_code == 409 and clash.json()["code"] == "idempotency_conflict"


def test_replace_and_withdraw_before_the_deadline_the_last_counts(client, w):
    first = submit(client, w, 0, seal_for(w, w.bidders[0], "4900000.00")).json()
    second = submit(client, w, 0, seal_for(w, w.bidders[0], "4800000.00")).json()
    mine = {b["bid_no"]: b for b in client.get("/api/v1/bids/mine", headers=w.tokens[0]).json()}
    assert mine[first["bid_no"]]["status"] == "replaced" and mine[second["bid_no"]]["status"] == "sealed"
    assert second["version"] == 2 and second["ledger"]["entry"]["payload"]["replaces"] == first["bid_no"]
    r = client.post(f"/api/v1/bids/{second['bid_no']}/withdraw", headers=w.tokens[0])
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    again = client.post(f"/api/v1/bids/{second['bid_no']}/withdraw", headers=w.tokens[0])
    assert again.status_code == 409
    # every version is in the ledger under its own number
    for bid_no in (first["bid_no"], second["bid_no"]):
        entries = client.get("/api/v1/ledger/entries", params={"subject": f"bid:{bid_no}"}).json()
        kinds = [e["kind"] for e in entries.get("entries", entries)] if isinstance(entries, dict) else None
        assert kinds is None or "bidding:bid:sealed" in kinds


def test_a_submission_completing_after_the_deadline_is_refused(client, w, clock):
    sealed = seal_for(w, w.bidders[0])
    clock.advance(timedelta(days=30))  # exactly the deadline: too late
    signed_in_again(client, w)
    r = submit(client, w, 0, sealed)
    assert r.status_code == 409
    assert r.json()["code"] == "bid_deadline_passed" and "截止" in r.json()["detail"]
    assert client.get("/api/v1/bids/mine", headers=w.tokens[0]).json() == []


def test_bad_input_is_refused_with_a_clear_error(client, w, db):
    sealed = seal_for(w, w.bidders[0])
    cases = [
        ({"Idempotency-Key": ""}, sealed.sealed, "invalid_input"),
        ({"Sunshine-Key-Commitment": "zz"}, sealed.sealed, "invalid_input"),
        ({}, b"plain text bid, not sealed", "invalid_input"),
    ]
    for override, body, code in cases:
        headers = {
            **w.tokens[0],
            "Idempotency-Key": "idem-bad-" + str(len(override)) + str(len(body)),
            "Sunshine-Key-Commitment": sealed.commitment,
            **override,
        }
        r = client.post(f"/api/v1/sections/{w.section_id}/bids", content=body, headers=headers)
        assert r.status_code == 422 and r.json()["code"] == code, r.text
    # a bidder who did not register cannot bid; an unknown section does not exist
    from sunshine.identity.roles import Role
    from tests.builders import make_org
    from tests.trading.builders import actor

    stranger = actor(db, Role.BIDDER, organisation_id=make_org(db, name="未报名的公司"))
    r = client.post(
        f"/api/v1/sections/{w.section_id}/bids",
        content=sealed.sealed,
        headers={
            **api_token(client, stranger.username),
            "Idempotency-Key": "idem-stranger",
            "Sunshine-Key-Commitment": sealed.commitment,
        },
    )
    assert r.status_code == 409 and r.json()["code"] == "not_eligible_to_bid"
    r = client.post(
        "/api/v1/sections/999999/bids",
        content=sealed.sealed,
        headers={**w.tokens[0], "Idempotency-Key": "idem-nosection", "Sunshine-Key-Commitment": sealed.commitment},
    )
    assert r.status_code == 404


def _bid_all(client, w, prices=("4800000.00", "4750000.00", "4900000.00")):
    kept = []
    for i, price in enumerate(prices):
        sealed = seal_for(w, w.bidders[i], price)
        receipt = submit(client, w, i, sealed).json()
        kept.append((sealed, receipt["bid_no"]))
    return kept


def test_opening_walk_reveal_object_confirm_publish(client, w, db, clock):
    load_catalog(db)  # the 公开事项目录 that says an opening record is owed (GC.KP.01)
    kept = _bid_all(client, w)
    # before the deadline nobody sees the opening, and a key cannot be revealed
    assert client.get(f"/api/v1/projects/{w.project_id}/opening").status_code == 404
    early = client.post(f"/api/v1/bids/{kept[0][1]}/reveal", json={"key": kept[0][0].key_text}, headers=w.tokens[0])
    assert early.status_code == 409
    clock.advance(timedelta(days=30))
    signed_in_again(client, w)
    report = tasks.tick(db)
    assert report.opened == [w.code]
    record = client.get(f"/api/v1/projects/{w.project_id}/opening").json()
    assert record["status"] == "decrypting"
    assert [r["price"] for r in record["sections"][0]["bids"]] == [None, None, None]
    # a wrong key is refused; the right ones open the bids
    wrong = client.post(f"/api/v1/bids/{kept[0][1]}/reveal", json={"key": "00" * 32}, headers=w.tokens[0])
    assert wrong.status_code == 422 and wrong.json()["code"] == "bid_key_mismatch"
    for i, (sealed, bid_no) in enumerate(kept):
        r = client.post(f"/api/v1/bids/{bid_no}/reveal", json={"key": sealed.key_text}, headers=w.tokens[i])
        assert r.status_code == 200, r.text
        assert r.json()["price"] == str(sealed.price)
    record = client.get(f"/api/v1/projects/{w.project_id}/opening").json()
    assert record["status"] == "recording"  # all decrypted: the record forms at once
    assert sorted(r["price"] for r in record["sections"][0]["bids"]) == ["4750000.00", "4800000.00", "4900000.00"]
    # an objection at the opening must be answered before the record is confirmed
    obj = client.post(
        f"/api/v1/projects/{w.project_id}/opening/objections",
        json={"text": "第二名的工期承诺不符合招标文件要求"},
        headers=w.tokens[1],
    )
    assert obj.status_code == 201
    blocked = client.post(f"/api/v1/projects/{w.project_id}/opening/confirm", headers=w.agency_token)
    assert blocked.status_code == 409
    ans = client.post(
        f"/api/v1/opening-objections/{obj.json()['id']}/answer",
        json={"answer": "已记录，交评标委员会评审"},
        headers=w.agency_token,
    )
    assert ans.status_code == 200
    # the centre enters the reader, recorder and supervisor of the opening (唱标人、记录人、监标人)
    names = {"reader": "陈晓", "recorder": "林芳", "overseer": "郑伟"}
    officials = f"/api/v1/projects/{w.project_id}/opening/officials"
    assert client.put(officials, json=names, headers=w.tokens[0]).status_code == 403
    short = client.put(officials, json={**names, "overseer": "郑"}, headers=w.centre_token)
    assert short.status_code == 422
    entered = client.put(officials, json=names, headers=w.centre_token)
    assert entered.status_code == 200 and entered.json()["officials"] == names
    assert client.post(f"/api/v1/projects/{w.project_id}/opening/confirm", headers=w.agency_token).status_code == 200
    done = client.post(f"/api/v1/projects/{w.project_id}/opening/confirm", headers=w.centre_token)
    assert done.status_code == 200
    record = done.json()
    assert record["status"] == "published" and record["record_sha256"]
    assert record["officials"] == names and record["sections"][0]["estimate"] == "5000000.00"
    late = client.put(officials, json={**names, "reader": "王五"}, headers=w.centre_token)
    assert late.status_code == 409, "the published record does not change"
    assert record["objections"][0]["answer"] == "已记录，交评标委员会评审"
    project = client.get(f"/api/v1/projects/{w.project_id}").json()
    assert project["state"] == "evaluation"
    # the record entry is in the ledger and proves
    entry = client.get(f"/api/v1/ledger/entries/{record['ledger_seq']}").json()
    assert entry["kind"] == "bidding:opening:record" and entry["payload"]["record_sha256"] == record["record_sha256"]
    # and the portal shows it, published on time against the catalog item for the opening record
    page = client.get("/disclosure/publications")
    published = client.get(f"/disclosure/publications/{_publication_id(client, '开标记录')}").text
    assert "开标记录" in page.text and "4750000.00" in published
    assert "唱标人：陈晓；记录人：林芳；监标人：郑伟" in published and "最高限价（预算）：5000000.00 元" in published


def test_fewer_bids_than_the_minimum_fail_without_opening(client, w, db, clock):
    sealed = seal_for(w, w.bidders[0])
    assert submit(client, w, 0, sealed).status_code == 201
    clock.advance(timedelta(days=30, seconds=1))
    tasks.tick(db)
    project = client.get(f"/api/v1/projects/{w.project_id}").json()
    assert project["state"] == "failed"
    record = client.get(f"/api/v1/projects/{w.project_id}/opening").json()
    assert record["status"] == "failed" and "少于3个" in record["sections"][0]["failed"]
    assert record["sections"][0]["bids"][0]["price"] is None  # never opened


def test_undecrypted_bid_is_revoked_and_the_opening_goes_on(client, w, db, clock):
    kept = _bid_all(client, w, ("4800000.00", "4750000.00", "4900000.00"))
    clock.advance(timedelta(days=30))
    signed_in_again(client, w)
    tasks.tick(db)
    for i in (0, 1):
        client.post(f"/api/v1/bids/{kept[i][1]}/reveal", json={"key": kept[i][0].key_text}, headers=w.tokens[i])
    # the centre finds the third bidder's failure was not its fault: withdrawn, not revoked
    r = client.post(
        f"/api/v1/bids/{kept[2][1]}/platform-fault", json={"reason": "CA 服务中断 10 分钟"}, headers=w.centre_token
    )
    assert r.status_code == 200
    clock.advance(timedelta(hours=1))
    signed_in_again(client, w)
    late = client.post(f"/api/v1/bids/{kept[2][1]}/reveal", json={"key": kept[2][0].key_text}, headers=w.tokens[2])
    assert late.status_code == 409 and late.json()["code"] == "decryption_closed"
    tasks.tick(db)
    record = client.get(f"/api/v1/projects/{w.project_id}/opening").json()
    by_no = {r["bid_no"]: r for r in record["sections"][0]["bids"]}
    assert by_no[kept[2][1]]["decryption"] == "void"
    # two valid bids are fewer than three: the section fails once the record is confirmed
    assert "流标" in record["sections"][0]["failed"]
    client.post(f"/api/v1/projects/{w.project_id}/opening/confirm", headers=w.agency_token)
    client.post(f"/api/v1/projects/{w.project_id}/opening/confirm", headers=w.centre_token)
    assert client.get(f"/api/v1/projects/{w.project_id}").json()["state"] == "failed"


def _publication_id(client, title_part: str) -> int:
    listing = client.get("/api/v1/disclosure/publications").json()
    items = listing["items"] if isinstance(listing, dict) else listing
    return next(p["id"] for p in items if title_part in p["title"])
