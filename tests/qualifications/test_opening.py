"""Qualifications at the opening: the project manager named inside a sealed bid, checked when decryption ends —
named in two bids of the same opening, or on an unfinished project (在建) — flagged to the officials on the
opening page with the evidence and as an alert to the supervisory department; the findings of each bidder beside
its bid; a bid without a project manager still opens."""

from __future__ import annotations

import json
from datetime import timedelta

from sunshine import tasks
from sunshine.bidding import envelope
from sunshine.core import alerts
from sunshine.ledger.models import LedgerEntry
from sunshine.trading import registrations
from tests.builders import api_token
from tests.pages import browser, page_text
from tests.qualifications.builders import CERT, add_certificate, add_manager, add_work, tender_with_requirements


def seal(w, i, price, manager=None):
    key = envelope.new_key()
    form = envelope.make_form(price, 365, "合格", "", manager)
    plaintext = envelope.build_package(form, [envelope.Document("技术标.txt", "text/plain", "施工组织设计".encode())])
    sealed = envelope.seal(plaintext, key, envelope.binding(w.code, 1, w.credit[w.firms[i]]))
    return sealed, key


def test_manager_conflicts_found_at_opening(client, app, db, clock):
    w = tender_with_requirements(db, CERT)
    managers = []
    for i in range(3):
        add_certificate(db, w.admins[i])
        managers.append(add_manager(db, w.admins[i], name=f"项目经理{i}", number=f"闽1352020000{i}"))
        with db.unit_of_work() as s:
            reg = registrations.register_bidder(s, w.bidders[i], w.project_id, w.section_id, "王经理", "13800138000")
            registrations.obtain_documents(s, w.bidders[i], reg.id)
    # the third firm's manager is still on an unaccepted project (在建)
    add_work(db, w.admins[2], manager_id=managers[2], accepted_on=None)
    named = [
        {"registration_number": "闽13520200000", "name": "项目经理0"},
        {"registration_number": "闽13520200000", "name": "项目经理0"},  # the same person, in another firm's bid
        {"registration_number": "闽13520200002", "name": "项目经理2"},
    ]
    kept = []
    for i, price in enumerate(("4800000.00", "4750000.00", "4900000.00")):
        sealed, key = seal(w, i, price, named[i])
        r = client.post(
            f"/api/v1/sections/{w.section_id}/bids",
            content=sealed,
            headers={
                **api_token(client, w.bidders[i].username),
                "Content-Type": "application/octet-stream",
                "Idempotency-Key": f"idem-pm-{i:04d}",
                "Sunshine-Key-Commitment": envelope.key_commitment(key),
            },
        )
        assert r.status_code == 201, r.text
        kept.append((key, r.json()["bid_no"]))
    clock.advance(timedelta(days=30))
    tasks.tick(db)
    for i, (key, bid_no) in enumerate(kept):
        r = client.post(
            f"/api/v1/bids/{bid_no}/reveal",
            json={"key": envelope.key_to_text(key)},
            headers=api_token(client, w.bidders[i].username),
        )
        assert r.status_code == 200, r.text
    # the alert to the supervisory department, raised once, and the ledger entry without personal data
    with db.unit_of_work() as s:
        raised = alerts.open_in(s, "qualifications")
        assert {a.kind for a in raised} == {"pm_conflict"} and len(raised) == 2
        assert all(" supervisor " in a.audience for a in raised)
        entries = s.query(LedgerEntry).filter(LedgerEntry.kind == "qualifications:manager-conflict:found").all()
        assert len(entries) == 2
        for e in entries:
            text = json.dumps(json.loads(e.payload) if isinstance(e.payload, str) else e.payload, ensure_ascii=False)
            assert "项目经理0" not in text and "闽1352" not in text
    found = client.get(
        f"/api/v1/qualifications/projects/{w.project_id}/manager-conflicts",
        headers=api_token(client, w.agency.username),
    ).json()
    assert {c["kind"] for c in found} == {"two_bids", "unfinished"}
    two = next(c for c in found if c["kind"] == "two_bids")
    assert sorted(two["bids"]) == sorted([kept[0][1], kept[1][1]])
    # the officials see it on the opening page with the evidence; a bidder and the public do not
    with browser(app, w.agency.username) as visitor:
        page = page_text(visitor.get(f"/projects/{w.project_id}/opening").text)
    assert "项目经理冲突" in page and "尚有在建项目" in page and "示范市环城路市政改造工程" in page
    assert "具备市政公用工程施工总承包二级及以上资质" in page and "满足" in page
    with browser(app, w.bidders[0].username) as visitor:
        assert "项目经理冲突" not in visitor.get(f"/projects/{w.project_id}/opening").text
    assert "项目经理冲突" not in client.get(f"/projects/{w.project_id}/opening").text
    # the tick again raises nothing new
    tasks.tick(db)
    with db.unit_of_work() as s:
        assert len(alerts.open_in(s, "qualifications")) == 2


def test_a_package_without_a_project_manager_still_opens():
    form = envelope.make_form("100.00")
    package = envelope.parse_package(envelope.build_package(form, []))
    assert package.form.project_manager is None and "project_manager" not in package.form.as_dict()
    old = json.dumps({"format": envelope.FORMAT, "form": {"price": "100.00"}, "documents": []}).encode()
    assert envelope.parse_package(old).form.project_manager is None
    named = envelope.make_form("100.00", project_manager={"registration_number": "闽1", "name": "王"})
    assert envelope.parse_package(envelope.build_package(named, [])).form.project_manager == {
        "registration_number": "闽1",
        "name": "王",
    }
