"""Reliability of sealed-bid submission: the server killed in the middle of the deadline spike, and
retries racing their originals.

A real ``sunshine serve`` (subprocess, on the test's database and data folder) takes concurrent
submissions and is killed with SIGKILL once some receipts have come back. A few bidders sent their bid
and never read the answer, so the crash also leaves bids that committed without their receipt reaching
anyone. What the crash left is inspected as is: every bid row is complete (ciphertext in the file store
under its hash, signed receipt, ledger entry), every receipt that reached a bidder names such a row, and
no file is half-written under its final name. The server is restarted on the same folder and database;
bidders without a receipt retry with the same idempotency key and bytes and get either the bid the crash
left (200, same receipt) or a new one (201), never a second bid. The ledger verifies, and at the opening
(in-process, the clock moved past the deadline) every receipted bid decrypts to its price.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from sunshine.bidding import envelope, opening, receipts, service
from sunshine.bidding.models import Bid
from sunshine.core.filestore import file_store, is_sha256
from sunshine.identity import service as identity
from sunshine.identity.models import TokenKind, User
from sunshine.ledger.export import iter_db_entries, iter_db_heads
from sunshine.ledger.models import LedgerEntry
from sunshine.ledger.signing import platform_key
from sunshine.ledger.verify import verify_log
from sunshine.trading.models import Project
from tests.bidding.builders import Sealed, seal_for, tender_with_bidders
from tests.subprocesses import popen, stop
from tests.trading.builders import cheap_password_hashing
from tests.web.conftest import LiveServer, _free_port, _wait_until_healthy, sunshine_executable

BIDDERS = 48
CONCURRENCY = 8
KILL_AFTER = 12  # receipts received before the SIGKILL: the rest are in flight or not yet sent
UNREAD = 3  # bidders whose answer is never read: committed bids without a receipt at the crash
DOCUMENT_BYTES = 48 * 1024  # ~64 KB of ciphertext once base64-encoded in the package
REQUEST_SECONDS = 30.0
WAIT_SECONDS = 60.0


@dataclass
class Attempt:
    bidder: int
    status: int | None = None
    receipt: dict | None = None
    error: str | None = None

    @property
    def receipted(self) -> bool:
        return self.status in (200, 201) and self.receipt is not None


class Servers:
    """``sunshine serve`` processes on the test's database and data folder; all stopped at teardown."""

    def __init__(self, data_dir: Path, database_url: str, log_path: Path) -> None:
        self.data_dir, self.database_url, self.log_path = data_dir, database_url, log_path
        self.processes: list[subprocess.Popen] = []

    def start(self) -> LiveServer:
        env = {
            **os.environ,
            "SUNSHINE_DATABASE_URL": self.database_url,
            "SUNSHINE_DATA_DIR": str(self.data_dir),
            "SUNSHINE_SCHEDULER": "false",
            "PYTHONUNBUFFERED": "1",
        }
        port = _free_port()
        with self.log_path.open("ab") as log:
            process = popen(
                [sunshine_executable(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        server = LiveServer(f"http://127.0.0.1:{port}", process, self.log_path)
        _wait_until_healthy(server)
        return server

    def stop_all(self) -> None:
        for process in self.processes:
            stop(process)


@pytest.fixture
def servers(environment, database_url, tmp_path) -> Iterator[Servers]:
    """Servers share the in-process data folder: one file store, one platform signing key."""
    found = Servers(environment, database_url, tmp_path / "server.log")
    try:
        yield found
    finally:
        found.stop_all()


def _sealed(w, i: int, price: Decimal) -> Sealed:
    document = envelope.Document("技术标.bin", "application/octet-stream", os.urandom(DOCUMENT_BYTES))
    return seal_for(w, w.bidders[i], price, documents=[document])


@pytest.fixture
def make_world(db, clock, monkeypatch, environment):
    """``make_world(n)``: a tender with ``n`` bidders holding the documents, an API token each and a
    ~64 KB bid sealed for each. The server runs on the real clock, so the notice is published at the
    real now (its deadline 30 days later)."""

    def make(bidders: int):
        cheap_password_hashing(monkeypatch)
        clock.set(datetime.now(UTC))
        w = tender_with_bidders(db, bidders=bidders)
        with db.unit_of_work() as s:
            w.tokens = [identity.issue_token(s, s.get(User, b.user_id), TokenKind.API)[0] for b in w.bidders]
            w.deadline = s.get(Project, w.project_id).bid_deadline
        w.sealed = [_sealed(w, i, Decimal("4000000.00") + 1000 * i) for i in range(bidders)]
        w.data_dir = environment
        return w

    return make


def _headers(w, i: int, sealed: Sealed) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {w.tokens[i]}",
        "Content-Type": "application/octet-stream",
        "Idempotency-Key": sealed.idempotency_key,
        "Sunshine-Key-Commitment": sealed.commitment,
    }


def _submit(client: httpx.Client, server: LiveServer, w, i: int, sealed: Sealed | None = None) -> Attempt:
    sealed = sealed or w.sealed[i]
    try:
        r = client.post(
            server.url(f"/api/v1/sections/{w.section_id}/bids"), content=sealed.sealed, headers=_headers(w, i, sealed)
        )
    except httpx.TransportError as exc:  # refused, reset, or the response cut off by the kill
        return Attempt(i, error=f"{type(exc).__name__}: {exc}")
    if r.status_code in (200, 201):
        return Attempt(i, r.status_code, r.json())
    return Attempt(i, r.status_code, error=r.text[:500])


def _send_without_reading(server: LiveServer, w, i: int) -> socket.socket:
    """The whole request on a raw socket whose answer nobody reads: the bidder never sees a receipt."""
    sealed = w.sealed[i]
    address = urlsplit(server.base_url)
    head = "".join(f"{k}: {v}\r\n" for k, v in _headers(w, i, sealed).items())
    request = (
        f"POST /api/v1/sections/{w.section_id}/bids HTTP/1.1\r\nHost: {address.netloc}\r\n{head}"
        f"Content-Length: {len(sealed.sealed)}\r\n\r\n"
    ).encode()
    sock = socket.create_connection((address.hostname, address.port), timeout=REQUEST_SECONDS)
    sock.sendall(request + sealed.sealed)
    return sock


def _wait_for_rows(db, w, bidders: list[int], server: LiveServer) -> None:
    orgs = [w.bidders[i].organisation_id for i in bidders]
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        with db.unit_of_work(read_only=True) as s:
            if s.scalar(select(func.count()).select_from(Bid).where(Bid.organisation_id.in_(orgs))) == len(orgs):
                return
        time.sleep(0.02)
    pytest.fail(f"the unread submissions were not committed within {WAIT_SECONDS}s:\n{server.log()[-3000:]}")


def _spike_and_kill(db, server: LiveServer, w) -> list[Attempt]:
    """The ``UNREAD`` first bidders send their bids and never read the answer (the bids commit); then
    all the others submit at once, ``CONCURRENCY`` at a time, and the server gets SIGKILL as soon as
    ``KILL_AFTER`` receipts have come back."""
    unread = [_send_without_reading(server, w, i) for i in range(UNREAD)]
    receipted = 0
    lock = threading.Lock()
    enough = threading.Event()

    def one(client: httpx.Client, i: int) -> Attempt:
        nonlocal receipted
        attempt = _submit(client, server, w, i)
        if attempt.receipted:
            with lock:
                receipted += 1
                if receipted >= KILL_AFTER:
                    enough.set()
        return attempt

    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    try:
        _wait_for_rows(db, w, list(range(UNREAD)), server)
        with (
            httpx.Client(timeout=REQUEST_SECONDS, limits=limits) as client,
            ThreadPoolExecutor(CONCURRENCY) as pool,
        ):
            futures = [pool.submit(one, client, i) for i in range(UNREAD, len(w.bidders))]
            assert enough.wait(WAIT_SECONDS), f"fewer than {KILL_AFTER} receipts:\n{server.log()[-3000:]}"
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
            attempts = [f.result() for f in futures]
    finally:
        for sock in unread:
            sock.close()
    return [Attempt(i, error="answer never read") for i in range(UNREAD)] + attempts


def _check_what_the_crash_left(db, w, attempts: list[Attempt], public_key: bytes) -> dict[int, Bid]:
    """Every bid row is complete and matches the bytes its bidder sent; every receipt names one."""
    org_of = {b.organisation_id: i for i, b in enumerate(w.bidders)}
    with db.unit_of_work() as s:
        rows = s.scalars(select(Bid).order_by(Bid.id)).all()
        entries = {e.seq: e for e in s.scalars(select(LedgerEntry).where(LedgerEntry.kind == "bidding:bid:sealed"))}
    found: dict[int, Bid] = {}
    for row in rows:
        i = org_of[row.organisation_id]
        assert i not in found, f"bidder {i} has two bids after the crash"
        found[i] = row
        sealed = w.sealed[i]
        assert row.status == "sealed" and row.version == 1 and row.idempotency_key == sealed.idempotency_key
        assert row.ciphertext_sha256 == hashlib.sha256(sealed.sealed).hexdigest() and row.size == len(sealed.sealed)
        assert file_store().open(row.ciphertext_sha256) == sealed.sealed  # present, whole, under its hash
        assert receipts.verify(json.loads(row.receipt), public_key, sealed.sealed) == []
        entry = entries.get(row.ledger_seq)
        assert entry is not None and entry.subject == f"bid:{row.bid_no}"
    assert len(entries) == len(rows), "a ledger entry of a bid whose row is missing (or the other way round)"
    for attempt in attempts:
        if attempt.receipted:
            row = found.get(attempt.bidder)
            assert row is not None, f"bidder {attempt.bidder} has a receipt but no bid after the crash"
            assert json.loads(row.receipt) == attempt.receipt
    # nothing half-written under a final name; interrupted writes leave only ``.incoming-*`` temporaries,
    # and no bid row can refer to one (rows name files by their SHA-256, checked above)
    for path in (w.data_dir / "files").rglob("*"):
        if path.is_file():
            if is_sha256(path.name):
                assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, f"half-written file {path}"
            else:
                assert path.name.startswith(".incoming-"), f"unexpected file in the file store: {path}"
    return found


def _verify_ledger(db, public_key: bytes) -> None:
    with db.unit_of_work() as s:
        report = verify_log(iter_db_entries(s), list(iter_db_heads(s)), public_key)
    assert report.ok, report.problems


def test_sigkill_mid_spike_loses_no_receipted_bid_and_retries_never_duplicate(db, make_world, servers, clock):
    w = make_world(BIDDERS)
    server = servers.start()
    public_key = base64.b64decode(server.get_json("/api/v1/ledger/key")["public_key"])
    assert public_key == platform_key().public_bytes  # the key file in the server's data folder

    attempts = _spike_and_kill(db, server, w)
    answered_badly = [a for a in attempts if a.status is not None and not a.receipted]
    assert answered_badly == [], f"HTTP errors before the kill:\n{answered_badly}\n{server.log()[-3000:]}"
    failed = [a for a in attempts if not a.receipted]
    assert len(failed) > UNREAD, "every bid was answered before the kill: it did not land in the middle of the spike"
    for a in attempts:
        if a.receipted:
            assert a.status == 201 and receipts.verify(a.receipt, public_key, w.sealed[a.bidder].sealed) == []

    left = _check_what_the_crash_left(db, w, attempts, public_key)
    assert set(range(UNREAD)) <= set(left)  # committed, though their bidders never saw the receipt

    # restart on the same data folder and database; whoever has no receipt retries with the same key
    server = servers.start()
    final = {a.bidder: a.receipt for a in attempts if a.receipted}
    with httpx.Client(timeout=REQUEST_SECONDS) as client:
        for a in failed:
            retry = _submit(client, server, w, a.bidder)
            assert retry.receipted, f"retry of bidder {a.bidder} failed: {retry}\n{server.log()[-3000:]}"
            if a.bidder in left:  # committed before the kill, the answer never arrived: the same bid
                assert retry.status == 200 and retry.receipt == json.loads(left[a.bidder].receipt)
            else:
                assert retry.status == 201
            assert retry.receipt["ciphertext_sha256"] == hashlib.sha256(w.sealed[a.bidder].sealed).hexdigest()
            final[a.bidder] = retry.receipt
        # a second retry, now that all are in, is answered with the same receipt
        again = _submit(client, server, w, failed[-1].bidder)
        assert again.status == 200 and again.receipt == final[failed[-1].bidder]
    servers.stop_all()

    assert sorted(final) == list(range(len(w.bidders)))
    for i, receipt in final.items():
        assert receipts.verify(receipt, public_key, w.sealed[i].sealed) == []
    with db.unit_of_work() as s:
        rows = s.scalars(select(Bid)).all()
        assert len(rows) == BIDDERS and len({r.organisation_id for r in rows}) == BIDDERS  # one bid per bidder
        by_no = {r.bid_no: r for r in rows}
        for i, receipt in final.items():
            row = by_no[receipt["bid_no"]]
            assert row.organisation_id == w.bidders[i].organisation_id and row.status == "sealed"
            assert file_store().open(row.ciphertext_sha256) == w.sealed[i].sealed
        sealed_entries = s.scalars(select(LedgerEntry.subject).where(LedgerEntry.kind == "bidding:bid:sealed")).all()
        assert sorted(sealed_entries) == sorted(f"bid:{no}" for no in by_no)
    _verify_ledger(db, public_key)

    # the opening, in-process after the deadline: every receipted bid decrypts to its price
    clock.set(w.deadline + timedelta(seconds=1))
    with db.unit_of_work() as s:
        opening.start_by_staff(s, w.centre, w.project_id)
    for i, receipt in final.items():
        with db.unit_of_work() as s:
            bid = opening.reveal(s, w.bidders[i], receipt["bid_no"], w.sealed[i].key_text)
            assert bid.decryption == "decrypted" and bid.price == w.sealed[i].price
    with db.unit_of_work() as s:
        assert opening.session_of(s, w.project_id).status == "recording"  # all decrypted: decryption closed
    _verify_ledger(db, public_key)


def test_retries_racing_their_original_and_versions_racing_each_other_leave_one_sealed_bid(db, make_world):
    """A bidder's client that times out and retries while the first request is still being handled
    gets the first receipt (200), not an error and not a second bid; two different versions sent at
    the same moment end as one sealed bid and one replaced, whichever order they were taken in. Each
    submission runs in its own unit of work on its own thread, as concurrent requests do."""
    w = make_world(12)
    same, versions = list(range(0, 6)), list(range(6, 12))
    newer = {i: _sealed(w, i, Decimal("3900000.00") + i) for i in versions}
    jobs = [(i, w.sealed[i]) for i in same for _ in range(2)]
    jobs += [(i, sealed) for i in versions for sealed in (w.sealed[i], newer[i])]
    start = threading.Barrier(len(jobs))

    def one(job: tuple[int, Sealed]) -> Attempt:
        i, sealed = job
        start.wait(WAIT_SECONDS)
        with db.unit_of_work() as s:
            done = service.submit(
                s,
                w.bidders[i],
                w.section_id,
                sealed.sealed,
                key_commitment=sealed.commitment,
                idempotency_key=sealed.idempotency_key,
            )
            return Attempt(i, 201 if done.created else 200, service.receipt_of(done.bid))

    with ThreadPoolExecutor(len(jobs)) as pool:
        attempts = list(pool.map(one, jobs))  # an exception in any submission fails the test here

    answers: dict[int, list[Attempt]] = defaultdict(list)
    for a in attempts:
        answers[a.bidder].append(a)
    with db.unit_of_work() as s:
        rows: dict[int, list[Bid]] = defaultdict(list)
        for row in s.scalars(select(Bid).order_by(Bid.version)):
            rows[row.organisation_id].append(row)
    for i in same:
        first, second = sorted(answers[i], key=lambda a: a.status)
        assert (first.status, second.status) == (200, 201) and first.receipt == second.receipt
        assert [r.bid_no for r in rows[w.bidders[i].organisation_id]] == [first.receipt["bid_no"]]
    for i in versions:
        assert sorted(a.status for a in answers[i]) == [201, 201]
        old, new = rows[w.bidders[i].organisation_id]
        assert (old.version, old.status, new.version, new.status) == (1, "replaced", 2, "sealed")
        assert json.loads(new.receipt)["ledger"]["entry"]["payload"]["replaces"] == old.bid_no
    _verify_ledger(db, platform_key().public_bytes)
