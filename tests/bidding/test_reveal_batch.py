"""Reveals processed in a batch (``opening.reveal_many``): each checked as if alone — a wrong key, someone else's
bid or an unknown number refused with its own error, the others decrypted — the documents stored and readable,
one ``bidding:bid:decrypted`` entry per bid, and decryption closed by the batch that leaves nothing pending."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from sunshine import tasks
from sunshine.bidding import envelope, opening, service
from sunshine.bidding.models import Bid
from sunshine.core.errors import NotFound
from sunshine.core.filestore import file_store
from sunshine.ledger.models import LedgerEntry
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


def _decrypted_entries(db) -> list[dict]:
    with db.unit_of_work(read_only=True) as s:
        rows = s.scalars(
            select(LedgerEntry).where(LedgerEntry.kind == "bidding:bid:decrypted").order_by(LedgerEntry.seq)
        )
        return [{"subject": e.subject, **json.loads(e.payload)} for e in rows]


def test_a_batch_of_reveals_is_checked_one_by_one_and_recorded_together(db, clock, environment):
    w = tender_with_bidders(db, bidders=4)
    kept = []
    for i, bidder in enumerate(w.bidders):
        document = envelope.Document(f"技术标{i}.txt", "text/plain", f"第{i}家的施工组织设计".encode())
        sealed = seal_for(w, bidder, f"48{i}0000.00", documents=[document])
        with db.unit_of_work() as s:
            bid = service.submit(
                s,
                bidder,
                w.section_id,
                sealed.sealed,
                key_commitment=sealed.commitment,
                idempotency_key=sealed.idempotency_key,
            ).bid
            kept.append((bidder, sealed, bid.bid_no, bid.ciphertext_sha256))
    clock.advance(timedelta(days=30))
    tasks.tick(db)  # the opening starts at the deadline

    (b0, s0, n0, c0), (b1, s1, n1, _), (b2, s2, n2, _), (b3, s3, n3, _) = kept
    with db.unit_of_work() as s:
        outcomes = opening.reveal_many(
            s,
            [
                opening.Reveal(b0, n0, s0.key_text),
                opening.Reveal(b1, n1, envelope.key_to_text(envelope.new_key())),  # not the committed key
                opening.Reveal(b2, n3, s3.key_text),  # another bidder's bid: does not exist for b2
                opening.Reveal(b3, "不存在的编号", s3.key_text),
            ],
        )
        assert isinstance(outcomes[0], Bid) and outcomes[0].price == Decimal("4800000.00")
        assert isinstance(outcomes[1], opening.KeyMismatch)
        assert isinstance(outcomes[2], NotFound) and isinstance(outcomes[3], NotFound)
    with db.unit_of_work(read_only=True) as s:
        states = {b.bid_no: b.decryption for b in s.scalars(select(Bid).where(Bid.project_id == w.project_id))}
        assert states == {n0: "decrypted", n1: "pending", n2: "pending", n3: "pending"}
        assert opening.session_of(s, w.project_id).status == "decrypting"
    assert _decrypted_entries(db) == [
        {
            "subject": f"bid:{n0}",
            "ciphertext_sha256": c0,
            "plaintext_sha256": _decrypted_entries(db)[0]["plaintext_sha256"],
            "price": "4800000.00",
            "duration_days": 365,
        }
    ]

    # the rest, with the first again (already decrypted: answered as it is, logged once)
    with db.unit_of_work() as s:
        outcomes = opening.reveal_many(
            s, [opening.Reveal(b, n, sealed.key_text) for b, sealed, n, _ in (kept[1], kept[2], kept[3], kept[0])]
        )
        assert [o.price for o in outcomes] == [Decimal(f"48{i}0000.00") for i in (1, 2, 3, 0)]
    with db.unit_of_work(read_only=True) as s:
        assert opening.session_of(s, w.project_id).status == "recording"  # nothing pending: decryption closed
        for i, (_, _, bid_no, _) in enumerate(kept):
            bid = s.scalar(select(Bid).where(Bid.bid_no == bid_no))
            (document,) = json.loads(bid.documents_json)
            assert file_store().open(document["sha256"]) == f"第{i}家的施工组织设计".encode()
    assert [e["subject"] for e in _decrypted_entries(db)] == [f"bid:{n}" for n in (n0, n1, n2, n3)]
