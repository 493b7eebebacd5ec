"""Sealed-bid pages as people use them: a bidder's bid page and its ciphertext-only submission (CSRF in a
header, a signed receipt back), withdrawal, /my/bids with receipts; then the opening room — the record
forming with prices hidden until each bidder reveals its key, objections answered, the centre's findings,
the record confirmed and published with its ledger proof. Refusals come back as readable Chinese."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest

from sunshine.bidding import receipts
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import cheap_password_hashing

PRICES = ("4800000.00", "4750000.00", "4900000.00")


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db):
    world = tender_with_bidders(db)
    world.bid_url = f"/projects/{world.project_id}/sections/{world.section_id}/bid"
    world.room = f"/projects/{world.project_id}/opening"
    return world


def _seal_and_submit(client, w, i, price, *, with_csrf=True, sealed=None):
    sealed = sealed or seal_for(w, w.bidders[i], price)
    page = client.get(w.bid_url)
    assert page.status_code == 200, page.text
    headers = {
        "Content-Type": "application/octet-stream",
        "Accept": "application/json",
        "Idempotency-Key": sealed.idempotency_key,
        "Sunshine-Key-Commitment": sealed.commitment,
    }
    if with_csrf:
        headers["X-CSRF-Token"] = csrf_token(page.text)
    return sealed, client.post(w.bid_url, content=sealed.sealed, headers=headers)


def _post(client, page_url: str, action: str, data: dict | None = None):
    page = client.get(page_url)
    assert page.status_code == 200, page.text
    return client.post(action, data={**(data or {}), "csrf_token": csrf_token(page.text)}, follow_redirects=False)


def _flash(client, response) -> str:
    assert response.status_code == 303, response.text
    return page_text(client.get(response.headers["location"]).text)


def test_bid_page_shows_what_to_seal_and_never_a_named_field(db, app, w):
    with browser(app, w.bidders[0].username) as bidder:
        page = bidder.get(w.bid_url)
        assert page.status_code == 200
        text = page_text(page.text)
        assert "投标截止时间" in text and "服务器时间" in text and "以截止前最后一次递交的版本为准" in text
        assert "sunshine bid seal" in text and "JavaScript" in text  # without a browser script: the CLI
        binding = f"sunshine-sealed-bid/1|{w.code}|1|{w.credit[w.bidders[0].organisation_id]}"
        assert f'data-binding="{binding}"' in page.text
        assert "/static/js/seal.js" in page.text
        form = re.search(r'<form id="seal-form".*?</form>', page.text, re.S).group(0)
        assert " name=" not in form, "the bid form must have no named field: nothing can be posted in clear"
        assert re.search(r'<fieldset id="seal-fieldset" disabled>', form)
        assert "本单位尚未在本标段递交投标文件" in text
        assert bidder.get("/my/bids").status_code == 200
        assert "本单位尚未递交投标文件" in page_text(bidder.get("/my/bids").text)
        # the workbench and the registrations lead here
        assert 'href="/my/bids"' in bidder.get("/me").text
        assert f'href="{w.bid_url}"' in bidder.get("/my/registrations").text
        assert f'href="{w.bid_url}"' in bidder.get(f"/projects/{w.project_id}").text
    with browser(app, w.agency.username) as agency:
        assert agency.get(w.bid_url).status_code == 403
    with browser(app) as anonymous:
        r = anonymous.get(w.bid_url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert anonymous.get(f"/projects/{w.project_id}/sections/999999/bid", follow_redirects=False).status_code == 303


def test_submit_takes_ciphertext_with_csrf_returns_a_verifiable_receipt(db, app, client, w, environment):
    with browser(app, w.bidders[0].username) as bidder:
        sealed, refused = _seal_and_submit(bidder, w, 0, "4800000.00", with_csrf=False)
        assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
        assert "本单位尚未递交投标文件" in page_text(bidder.get("/my/bids").text)

        _, done = _seal_and_submit(bidder, w, 0, "4800000.00", sealed=sealed)
        assert done.status_code == 201, done.text
        receipt = done.json()
        key = base64.b64decode(client.get("/api/v1/ledger/key").json()["public_key"])
        assert receipts.verify(receipt, key, sealed.sealed) == []
        # the server holds ciphertext only
        stored = next((environment / "files").rglob(receipt["ciphertext_sha256"]))
        assert stored.read_bytes() == sealed.sealed and b"4800000.00" not in stored.read_bytes()
        # a retry of the same sealing is the same bid
        _, again = _seal_and_submit(bidder, w, 0, "4800000.00", sealed=sealed)
        assert again.status_code == 200 and again.json() == receipt

        mine = page_text(bidder.get("/my/bids").text)
        assert receipt["bid_no"] in mine and "已递交（有效）" in mine and "开标后解密" in mine
        download = bidder.get(f"/my/bids/{receipt['bid_no']}/receipt")
        assert download.status_code == 200 and download.json() == receipt
        assert download.headers["content-disposition"] == f'attachment; filename="receipt-{receipt["bid_no"]}.json"'
        page = page_text(bidder.get(w.bid_url).text)
        assert receipt["bid_no"] in page and "撤回" in page

        # a form post cannot carry a bid, and a wrong envelope is refused in Chinese
        token = csrf_token(bidder.get(w.bid_url).text)
        form = bidder.post(w.bid_url, data={"price": "1", "csrf_token": token}, headers={"Accept": "application/json"})
        assert form.status_code == 422 and "加密" in form.json()["detail"]
        plain = bidder.post(
            w.bid_url,
            content=b'{"price": "1.00"}',
            headers={
                "Content-Type": "application/octet-stream",
                "Accept": "application/json",
                "X-CSRF-Token": token,
                "Idempotency-Key": "web-plain-0001",
                "Sunshine-Key-Commitment": sealed.commitment,
            },
        )
        assert plain.status_code == 422 and "SSB1" in plain.json()["detail"]
    with browser(app, w.bidders[1].username) as other:
        assert other.get(f"/my/bids/{receipt['bid_no']}/receipt").status_code == 404
        assert receipt["bid_no"] not in other.get("/my/bids").text


def test_after_the_deadline_the_page_says_so_and_refuses(db, app, w, clock):
    sealed = seal_for(w, w.bidders[0])
    clock.advance(timedelta(days=30))
    with browser(app, w.bidders[0].username) as bidder:
        page = page_text(bidder.get(w.bid_url).text)
        assert "投标截止时间" in page and "已过" in page
        _, late = _seal_and_submit(bidder, w, 0, "1.00", sealed=sealed)
        assert late.status_code == 409 and "截止" in late.json()["detail"]


def test_withdraw_then_bid_again_the_last_counts(db, app, w):
    with browser(app, w.bidders[0].username) as bidder:
        _, first = _seal_and_submit(bidder, w, 0, "4900000.00")
        bid_no = first.json()["bid_no"]
        r = _post(bidder, w.bid_url, f"/my/bids/{bid_no}/withdraw", {"next": w.bid_url})
        assert r.headers["location"] == w.bid_url
        text = _flash(bidder, r)
        assert "已撤回投标文件" in text and "已撤回" in text
        again = _post(bidder, w.bid_url, f"/my/bids/{bid_no}/withdraw", {"next": w.bid_url})
        assert "不能撤回" in _flash(bidder, again)
        _, second = _seal_and_submit(bidder, w, 0, "4800000.00")
        assert second.json()["version"] == 2
        mine = page_text(bidder.get("/my/bids").text)
        assert "已撤回" in mine and "已递交（有效）" in mine
        assert bidder.post(f"/my/bids/{bid_no}/withdraw", data={}, follow_redirects=False).status_code == 403


def _open(app, w, clock):
    """Three bids through the page, the deadline passes and the centre opens."""
    kept = []
    for i, price in enumerate(PRICES):
        with browser(app, w.bidders[i].username) as bidder:
            sealed, r = _seal_and_submit(bidder, w, i, price)
            assert r.status_code == 201, r.text
            kept.append((sealed, r.json()["bid_no"]))
    return kept


def test_opening_room_from_start_to_published_record(db, app, w, clock):
    kept = _open(app, w, clock)
    with browser(app) as public:
        before = page_text(public.get(w.room).text)
        assert "尚未开标" in before
        for firm in ("示范建设集团有限公司", "闽江路桥工程有限公司"):
            assert firm not in before  # who bid stays secret before the opening
    clock.advance(timedelta(days=30))
    with browser(app, w.centre.username) as centre:
        room = centre.get(w.room)
        assert "开标" in room.text and f'action="{w.room}/start"' in room.text
        assert "已开标" in _flash(centre, _post(centre, w.room, f"{w.room}/start"))
    with browser(app) as public:
        page = public.get(w.room)
        text = page_text(page.text)
        assert "解密中" in text and "解密截止时间" in text and "剩余 1 时 0 分 00 秒" in text
        assert "示范建设集团有限公司" in text and "解密后公开" in text
        assert not any(f"{int(p[:-3]):,}" in text for p in PRICES)  # no price before its key
        assert 'hx-trigger="every 3s"' in page.text and f'hx-get="{w.room}/live?v=' in page.text
        live = public.get(f"{w.room}/live", headers={"HX-Request": "true"})
        assert live.status_code == 200 and "<html" not in live.text and 'id="opening-live"' in live.text
        assert 'action="' not in live.text  # the polled part holds no form
        assert "刷新页面" in public.get(f"{w.room}/live?v=stale").text

    # bidder 0 reveals: a wrong key is refused beside the field, the right one shows its price
    sealed, bid_no = kept[0]
    with browser(app, w.bidders[0].username) as bidder:
        room = bidder.get(w.room)
        assert f'id="reveal-{bid_no}"' in room.text and 'data-key-file-for="f-key-' in room.text
        wrong = _post(bidder, w.room, f"{w.room}/reveal", {"bid_no": bid_no, "key": "00" * 32})
        assert wrong.status_code == 400
        assert re.search(rf'id="f-key-{bid_no}-error"[^>]*>.*承诺的密钥不一致', wrong.text, re.S)
        short = _post(bidder, w.room, f"{w.room}/reveal", {"bid_no": bid_no, "key": "abc"})
        assert short.status_code == 400 and "64 位十六进制" in page_text(short.text)
        done = _post(bidder, w.room, f"{w.room}/reveal", {"bid_no": bid_no, "key": sealed.key_text})
        text = _flash(bidder, done)
        assert "已解密" in text and "4,800,000.00" in text
        assert "4,750,000.00" not in text and "4,900,000.00" not in text
        assert f'id="reveal-{bid_no}"' not in bidder.get(w.room).text
        assert "4,800,000.00" in page_text(bidder.get("/my/bids").text)
        # an objection too short is refused beside the field, a real one enters the record
        short = _post(bidder, w.room, f"{w.room}/objections", {"text": "不对"})
        assert short.status_code == 400 and re.search(r'id="f-objection-text-error"[^>]*>.*5 到', short.text, re.S)
        assert "不对</textarea>" in short.text  # what was typed is kept
        raised = _post(bidder, w.room, f"{w.room}/objections", {"text": "第三名投标人的投标保证金到账时间有疑问"})
        assert "异议已提出" in _flash(bidder, raised)
    with browser(app, w.agency.username) as agency:
        room = agency.get(w.room)
        assert "答复开标异议" in room.text
        objection = re.search(r"/opening/objections/(\d+)/answer", room.text).group(1)
        empty = _post(agency, w.room, f"{w.room}/objections/{objection}/answer", {"answer": ""})
        assert empty.status_code == 400 and re.search(rf'id="f-answer-{objection}-error"', empty.text)
        answered = _post(
            agency, w.room, f"{w.room}/objections/{objection}/answer", {"answer": "经核对银行流水，保证金于截止前到账"}
        )
        assert "已答复异议" in _flash(agency, answered)
        early = _post(agency, w.room, f"{w.room}/confirm")
        assert "解密尚未结束" in _flash(agency, early)

    # the centre: a finding needs its reason; closing early is refused while bids are pending
    with browser(app, w.centre.username) as centre:
        third = kept[2][1]
        room = centre.get(w.room)
        assert f'id="fault-{third}"' in room.text
        bare = _post(centre, w.room, f"{w.room}/platform-fault", {"bid_no": third, "reason": " "})
        assert bare.status_code == 400 and re.search(
            rf'id="f-reason-{third}-error"[^>]*>.*非投标人原因', bare.text, re.S
        )
        fault = _post(centre, w.room, f"{w.room}/platform-fault", {"bid_no": third, "reason": "CA 服务中断 10 分钟"})
        assert "已记录认定" in _flash(centre, fault)
        assert "CA 服务中断 10 分钟" in page_text(centre.get(w.room).text)
        early = _post(centre, w.room, f"{w.room}/close-decryption")
        assert "解密时限尚未届满" in _flash(centre, early)
    for i in (1, 2):
        with browser(app, w.bidders[i].username) as bidder:
            _post(bidder, w.room, f"{w.room}/reveal", {"bid_no": kept[i][1], "key": kept[i][0].key_text})

    # all decrypted: the record stands, the officials confirm, it is published with its proof
    with browser(app, w.supervisor.username) as supervisor:
        text = page_text(supervisor.get(w.room).text)
        assert "开标记录待确认" in text and all(f"{int(p[:-3]):,}" in text for p in PRICES)
        assert "待其他各方确认" in _flash(supervisor, _post(supervisor, w.room, f"{w.room}/confirm"))
        assert "您已确认开标记录" in page_text(supervisor.get(w.room).text)
    with browser(app, w.agency.username) as agency:
        _post(agency, w.room, f"{w.room}/confirm")
    with browser(app, w.centre.username) as centre:
        assert "开标记录已公布" in _flash(centre, _post(centre, w.room, f"{w.room}/confirm"))
    with browser(app) as public:
        page = public.get(w.room)
        text = page_text(page.text)
        assert "开标记录已公布" in text and "开标记录 SHA-256" in text
        assert "经核对银行流水，保证金于截止前到账" in text and "监督人员" in text
        proof = re.search(r'href="/ledger\?seq=(\d+)" id="record-proof"', page.text)
        assert proof and "hx-trigger" not in page.text  # no more polling
        record = public.get(f"/api/v1/projects/{w.project_id}/opening").json()
        assert record["record_sha256"] in text and str(record["ledger_seq"]) == proof.group(1)
        assert f'href="{w.room}"' in public.get(f"/projects/{w.project_id}").text


def test_refused_room_actions_read_as_chinese_not_errors(db, app, w, clock):
    kept = _open(app, w, clock)
    with browser(app, w.bidders[0].username) as bidder:
        early = _post(bidder, w.room, f"{w.room}/reveal", {"bid_no": kept[0][1], "key": kept[0][0].key_text})
        assert "开标尚未开始" in _flash(bidder, early)
        assert _post(bidder, w.room, f"{w.room}/reveal", {"bid_no": "TB0000", "key": "00"}).status_code == 404
        assert "本单位已递交投标文件" in page_text(bidder.get(w.room).text)
    with browser(app, w.centre.username) as centre:
        assert f'action="{w.room}/start"' not in centre.get(w.room).text  # not before the deadline
        refused = _post(centre, w.room, f"{w.room}/start")
        assert "截止" in _flash(centre, refused)
    clock.advance(timedelta(days=30))
    with browser(app, w.centre.username) as centre:
        _post(centre, w.room, f"{w.room}/start")
        again = _post(centre, w.room, f"{w.room}/start")
        assert "不能“开标”" in _flash(centre, again)
    clock.advance(timedelta(hours=1))
    with browser(app, w.bidders[0].username) as bidder:
        late = _post(bidder, w.room, f"{w.room}/reveal", {"bid_no": kept[0][1], "key": kept[0][0].key_text})
        assert late.status_code == 303 and "解密时间已结束" in _flash(bidder, late)
    with browser(app, w.agency.username) as agency:
        assert _post(agency, w.room, f"{w.room}/objections/999999/answer", {"answer": "答复"}).status_code == 404
    with browser(app) as public:
        assert public.get("/projects/999999/opening").status_code == 404
