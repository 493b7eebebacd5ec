"""Electronic monitoring as the supervisory department meets it: bids sealed from one address and one machine with
documents by one author, opened; the alerts raised once each with their evidence (the address and hashes for the
supervisor only); one confirmed through the API and one dismissed on its page, each in the ledger; the rules page;
recordings registered, requested, approved and retrieved with every step logged."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from sunshine import tasks
from sunshine.bidding.models import Bid
from sunshine.config import get_settings
from sunshine.ledger.models import LedgerEntry
from sunshine.monitoring.models import DocumentMark, RecordingRequest
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.builders import api_token
from tests.monitoring.builders import docx, open_bids, pdf, submit
from tests.pages import browser
from tests.pages import csrf_token as csrf_of
from tests.trading.builders import cheap_password_hashing

MAC = "aa:bb:cc:dd:ee:01"


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()


def _walk(db, app, client, clock):
    w = tender_with_bidders(db)
    w.tokens = [api_token(client, b.username) for b in w.bidders]

    def resign():
        w.tokens = [api_token(client, b.username) for b in w.bidders]

    same_machine = f"mac={MAC};machine=0123456789abcdef0123456789abcdef"
    plan = [
        ("4800000.00", "203.0.113.9", same_machine, [docx("张工", "某某设计室"), pdf("张工")]),
        ("4800000.00", "203.0.113.9", same_machine, [docx("张工", "某某设计室")]),
        ("4900000.00", "198.51.100.20", "machine=ffff0000ffff0000", [docx("李工"), pdf("Administrator")]),
    ]
    kept = []
    for i, (price, address, device, documents) in enumerate(plan):
        sealed = seal_for(w, w.bidders[i], price, documents=documents)
        kept.append((sealed, submit(app, w, i, sealed, address=address, device=device)["bid_no"]))
    open_bids(db, client, clock, w, kept, resign)
    w.h = {k: api_token(client, getattr(w, k).username) for k in ("supervisor", "centre", "agency")}
    return w, kept


def test_collusion_signals_raised_once_with_evidence_handled_and_recordings_retrieved(db, app, client, clock):
    w, kept = _walk(db, app, client, clock)
    with db.unit_of_work() as s:
        bids = s.scalars(select(Bid).where(Bid.project_id == w.project_id).order_by(Bid.id)).all()
        assert [b.client_ip for b in bids] == ["203.0.113.9", "203.0.113.9", "198.51.100.20"]
        device = json.loads(bids[0].device_json)
        assert set(device) == {"mac", "machine"} and MAC not in bids[0].device_json  # only hashes are kept
        assert len(device["mac"][0]) == 64
        marks = s.scalars(select(DocumentMark).where(DocumentMark.project_id == w.project_id)).all()
        assert sorted((m.kind, m.author) for m in marks) == [
            ("docx", "张工"),
            ("docx", "张工"),
            ("docx", "李工"),
            ("pdf", "Administrator"),
            ("pdf", "张工"),
        ]

    alerts = client.get("/api/v1/monitoring/alerts", headers=w.h["supervisor"]).json()
    by_rule = {}
    for a in alerts:
        by_rule.setdefault(a["rule_id"], []).append(a)
    assert {"C01", "C02", "C03", "R028"} <= set(by_rule)
    assert len(by_rule["C01"]) == 1 and len(by_rule["R028"]) == 1
    c01 = by_rule["C01"][0]
    assert c01["restricted"] == {"value": "203.0.113.9"}
    assert sorted(c01["evidence"]["bid_nos"]) == sorted(bid_no for _, bid_no in kept[:2])
    assert "张工" in json.dumps(by_rule["C03"][0]["restricted"], ensure_ascii=False)
    # centre staff read the evidence but not the identifiers; a bidder reads nothing
    seen = client.get(f"/api/v1/monitoring/alerts/{c01['id']}", headers=w.h["centre"]).json()
    assert seen["restricted"] is None and seen["evidence"]["flagged"] == c01["evidence"]["flagged"]
    assert client.get("/api/v1/monitoring/alerts", headers=w.tokens[0]).status_code == 403

    # the tick finds the same facts again and raises nothing new
    count = len(alerts)
    tasks.tick(db)
    again = client.get("/api/v1/monitoring/alerts", headers=w.h["supervisor"]).json()
    assert len([a for a in again if a["rule_id"] in ("C01", "C02", "C03", "R028")]) == len(
        [a for a in alerts if a["rule_id"] in ("C01", "C02", "C03", "R028")]
    )
    assert len(again) >= count

    # 确认 with the action taken, through the API
    url = f"/api/v1/monitoring/alerts/{c01['id']}/handling"
    empty = client.post(url, json={"decision": "confirmed", "note": "  "}, headers=w.h["supervisor"])
    assert empty.status_code == 422 and empty.json()["code"] == "invalid_input"
    assert client.post(url, json={"decision": "confirmed", "note": "x"}, headers=w.h["centre"]).status_code == 403
    done = client.post(
        url, json={"decision": "confirmed", "note": "已移交调查，通知评标委员会关注"}, headers=w.h["supervisor"]
    )
    assert done.status_code == 200, done.text
    assert done.json()["decision_label"] == "确认"
    twice = client.post(url, json={"decision": "dismissed", "note": "重复"}, headers=w.h["supervisor"])
    assert twice.status_code == 409
    with db.unit_of_work() as s:
        entry = s.scalar(select(LedgerEntry).where(LedgerEntry.seq == done.json()["decision_ledger_seq"]))
        assert entry.kind == "monitoring:alert:confirmed" and "移交" not in entry.payload  # the note is hashed
    pending = client.get("/api/v1/monitoring/alerts?status=pending", headers=w.h["supervisor"]).json()
    assert c01["id"] not in [a["id"] for a in pending]

    # 排除 with a reason, on the page
    r028 = by_rule["R028"][0]
    with browser(app, w.supervisor.username) as visitor:
        page = visitor.get(f"/monitoring/alerts/{r028['id']}")
        assert page.status_code == 200 and "不同投标人报价相同" in page.text and kept[0][1] in page.text
        form = visitor.post(
            f"/monitoring/alerts/{r028['id']}/handle",
            data={
                "decision": "dismissed",
                "note": "两家均按同一比例下浮报价，属正常",
                "csrf_token": csrf_of(page.text),
            },
            follow_redirects=True,
        )
        assert form.status_code == 200 and "已排除该预警" in form.text
        listing = visitor.get("/monitoring?status=all")
        assert listing.status_code == 200 and "从同一 IP 地址递交" in listing.text and "已排除" in listing.text

    _recordings(db, app, client, w)


def test_rules_page_is_public_and_lists_every_rule_with_its_basis(client):
    page = client.get("/monitoring/rules")
    assert page.status_code == 200
    for code in ("R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058", "C05"):
        assert code in page.text
    assert "cardinal-rs" in page.text and "政府采购品目分类目录" in page.text
    rules = client.get("/api/v1/monitoring/rules").json()
    assert next(r for r in rules if r["id"] == "R048")["computable"] is True


VIDEO = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def _recordings(db, app, client, w):
    """Recordings registered, requested, approved and retrieved, each step logged."""
    centre = browser(app, w.centre.username).__enter__()
    page = centre.get("/monitoring/recordings")
    made = centre.post(
        "/monitoring/recordings",
        data={"project_id": str(w.project_id), "room": "opening", "csrf_token": csrf_of(page.text)},
        files={"file": ("开标会.mp4", VIDEO, "video/mp4")},
        follow_redirects=True,
    )
    assert made.status_code == 200 and "已登记录像" in made.text
    bad = centre.post(
        "/monitoring/recordings",
        data={"project_id": str(w.project_id), "room": "opening", "csrf_token": csrf_of(page.text)},
        files={"file": ("开标会.mp4", b"not a video", "video/mp4")},
        follow_redirects=True,
    )
    assert "不是可识别的音视频文件" in bad.text
    rec = client.get("/api/v1/monitoring/recordings", headers=w.h["centre"]).json()
    assert len(rec) == 1 and rec[0]["session_ref"].startswith("opening:") and rec[0]["size"] == len(VIDEO)
    page = centre.get("/monitoring/recordings")
    asked = centre.post(
        f"/monitoring/recordings/{rec[0]['id']}/requests",
        data={"reason": "核查开标现场唱标过程", "csrf_token": csrf_of(page.text)},
        follow_redirects=True,
    )
    assert "待行政监督部门同意" in asked.text
    with db.unit_of_work() as s:
        request_id = s.scalar(select(RecordingRequest.id))
    early = centre.post(
        f"/monitoring/recording-requests/{request_id}/retrieval",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=True,
    )
    assert "尚未获同意" in early.text
    # the centre may not approve; the supervisory department does
    refused = centre.post(
        f"/monitoring/recording-requests/{request_id}/decision",
        data={"decision": "approve", "csrf_token": csrf_of(page.text)},
    )
    assert refused.status_code == 403
    with browser(app, w.supervisor.username) as supervisor:
        page = supervisor.get("/monitoring/recordings")
        ok = supervisor.post(
            f"/monitoring/recording-requests/{request_id}/decision",
            data={"decision": "approve", "note": "同意", "csrf_token": csrf_of(page.text)},
            follow_redirects=True,
        )
        assert "已同意调取" in ok.text
    page = centre.get("/monitoring/recordings")
    got = centre.post(f"/monitoring/recording-requests/{request_id}/retrieval", data={"csrf_token": csrf_of(page.text)})
    assert got.status_code == 200 and got.content == VIDEO
    centre.__exit__(None, None, None)
    with db.unit_of_work() as s:
        kinds = s.scalars(
            select(LedgerEntry.kind).where(LedgerEntry.kind.like("monitoring:recording:%")).order_by(LedgerEntry.seq)
        ).all()
    assert kinds == [
        "monitoring:recording:registered",
        "monitoring:recording:requested",
        "monitoring:recording:approved",
        "monitoring:recording:retrieved",
    ]
