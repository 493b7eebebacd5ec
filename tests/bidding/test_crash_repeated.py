"""Durable receipts under repeated crashes: a real ``sunshine serve`` killed with SIGKILL at random
moments, at least ``KILLS`` times, while several bidders keep submitting new versions of their sealed bids.

Client threads each drive a few bidders. Every submission is a newly sealed version with its own
idempotency key; it is sent again, with the same key and bytes, until a receipt comes back (the server
may be dead, restarting, or have died after the commit but before answering). Meanwhile the server is
SIGKILLed at a random moment (a random pause after the restarted server gave its first receipt, so that
every kill lands in a running spike) and restarted on the same database and data folder, over and over.

At the end every receipt that reached a bidder names a bid row whose ciphertext is in the file store,
whole, under the hash the receipt signs; the signed receipt stored with the row is the one the bidder
holds; each bidder has exactly the versions it was given receipts for, the last one sealed and the
others replaced (no bid without its receipt, no second bid for a retry); no row lacks its file, no file
under a final name is corrupt, every bid has its ledger entry, and ``sunshine ledger verify`` passes.

A SIGKILL is a crash of the process, not a power cut: what the process had written is in the operating
system's page cache and survives. That power cuts are covered too comes from the commit being fsynced
before it returns (SQLite ``synchronous=FULL``, PostgreSQL ``synchronous_commit`` on), which this
machine cannot test by pulling the plug (docs/durability.md).

The seed of the random pauses is printed; ``SUNSHINE_CRASH_SEED=<seed>`` replays a run's schedule (the
moments a kill lands also depend on the machine's timing).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import httpx
from sqlalchemy import select

from sunshine.bidding import envelope, receipts
from sunshine.bidding.models import Bid
from sunshine.core.filestore import file_store, is_sha256
from sunshine.identity import service as identity
from sunshine.identity.models import TokenKind, User
from sunshine.ledger.models import LedgerEntry
from sunshine.ledger.signing import platform_key
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.subprocesses import popen, stop
from tests.trading.builders import cheap_password_hashing
from tests.web.conftest import LiveServer, _free_port, sunshine_executable

KILLS = 20
BIDDERS = 8
CLIENTS = 4  # client threads, each driving BIDDERS / CLIENTS bidders in turn
PAUSE_SECONDS = (0.0, 0.5)  # how long the server runs after its first receipt before the SIGKILL
REFUSED_PAUSE = 0.1  # a client's pause before sending again to a server that is down
DOCUMENT_BYTES = 16 * 1024
REQUEST_SECONDS = 20.0
ANSWER_SECONDS = 120.0  # a restarted server that gives no receipt within this fails the test
START_SECONDS = 120.0  # a restart slower than this fails the test (about 3 s on an idle 2-core machine)


class Servers:
    """``sunshine serve`` processes on the test's database and data folder, one at a time."""

    def __init__(self, data_dir, log_path) -> None:
        self.env = {**os.environ, "SUNSHINE_DATA_DIR": str(data_dir), "SUNSHINE_SCHEDULER": "false"}
        # The bidders confirmed their password when the run began; on a loaded machine the run may last longer
        # than the re-authentication window, which is not what this test is about.
        self.env["SUNSHINE_REAUTH_MINUTES"] = "240"
        self.env["PYTHONUNBUFFERED"] = "1"
        self.log_path = log_path
        self.processes: list[subprocess.Popen] = []

    def start(self) -> LiveServer:
        port = _free_port()
        with self.log_path.open("ab") as log:
            command = [sunshine_executable(), "serve", "--host", "127.0.0.1", "--port", str(port)]
            process = popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        server = LiveServer(f"http://127.0.0.1:{port}", process, self.log_path)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert process.poll() is None, f"sunshine serve exited with {process.returncode}:\n{self.tail()}"
            try:
                if httpx.get(server.url("/healthz"), timeout=10).json().get("status") == "ok":
                    return server
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"sunshine serve did not answer /healthz within {START_SECONDS}s:\n{self.tail()}")

    def tail(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]

    def stop_all(self) -> None:
        for process in self.processes:
            stop(process, kill=True)


@dataclass
class Receipted:
    bidder: int
    version: int  # the bidder's n-th submission (1, 2, ...), as the platform numbers them
    sha256: str
    status: int
    retried: bool  # sent more than once before the receipt came back
    receipt: dict


class Spike:
    """Client threads submitting versions until told to stop; the current server's address is shared."""

    def __init__(self, w, base_url: str) -> None:
        self.w = w
        self.base_url = base_url
        self.stop = threading.Event()  # no new submissions: finish the one under way
        self.abandon = threading.Event()  # the test failed: give up at once
        self.lock = threading.Lock()
        self.receipted: list[Receipted] = []
        self.interrupted = 0  # sends that got no answer: refused, reset, cut off by a kill
        self.failures: list[str] = []
        self.in_flight = 0
        self.answered = threading.Event()  # set at each receipt; cleared at each restart

    def run_client(self, bidders: list[int]) -> None:
        version = defaultdict(int)
        turn = 0
        try:
            with httpx.Client(timeout=REQUEST_SECONDS) as client:
                while not self.stop.is_set() and not self.failures:
                    i = bidders[turn % len(bidders)]
                    turn += 1
                    version[i] += 1
                    self._submit_until_receipted(client, i, version[i])
        except Exception as exc:  # noqa: BLE001 - reported by the test, not lost in a thread
            with self.lock:
                self.failures.append(f"client thread: {type(exc).__name__}: {exc}")

    def _submit_until_receipted(self, client: httpx.Client, i: int, version: int) -> None:
        w = self.w
        document = envelope.Document("技术标.bin", "application/octet-stream", os.urandom(DOCUMENT_BYTES))
        sealed = seal_for(w, w.bidders[i], Decimal("4000000.00") + 1000 * i + version, documents=[document])
        headers = {
            "Authorization": f"Bearer {w.tokens[i]}",
            "Content-Type": "application/octet-stream",
            "Idempotency-Key": sealed.idempotency_key,
            "Sunshine-Key-Commitment": sealed.commitment,
        }
        sha256 = hashlib.sha256(sealed.sealed).hexdigest()
        sends = 0
        while not self.abandon.is_set():  # as long as it takes the server to come back
            sends += 1
            with self.lock:
                self.in_flight += 1
            try:
                r = client.post(
                    f"{self.base_url}/api/v1/sections/{w.section_id}/bids", content=sealed.sealed, headers=headers
                )
            except httpx.TransportError:
                with self.lock:
                    self.interrupted += 1
                time.sleep(REFUSED_PAUSE)
                continue
            finally:
                with self.lock:
                    self.in_flight -= 1
            if r.status_code in (200, 201):
                with self.lock:
                    self.receipted.append(Receipted(i, version, sha256, r.status_code, sends > 1, r.json()))
                self.answered.set()
                return
            with self.lock:
                self.failures.append(f"bidder {i} version {version}: HTTP {r.status_code} {r.text[:300]}")
            return


def _kill(server) -> None:
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)


def _check_file_store(data_dir) -> None:
    """No file under a final name is half-written; only ``.incoming-*`` temporaries may be left."""
    for path in (data_dir / "files").rglob("*"):
        if path.is_file():
            if is_sha256(path.name):
                assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, f"corrupt file {path}"
            else:
                assert path.name.startswith(".incoming-"), f"unexpected file in the file store: {path}"


def test_every_receipted_bid_survives_twenty_sigkills_during_a_spike(db, clock, monkeypatch, environment, tmp_path):
    seed = int(os.environ.get("SUNSHINE_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    print(f"\ncrash test seed: {seed} (replay with SUNSHINE_CRASH_SEED={seed})")
    rng = random.Random(seed)
    cheap_password_hashing(monkeypatch)
    clock.set(datetime.now(UTC))  # the server runs on the real clock
    w = tender_with_bidders(db, bidders=BIDDERS)
    with db.unit_of_work() as s:
        w.tokens = [identity.issue_token(s, s.get(User, b.user_id), TokenKind.API)[0] for b in w.bidders]
    public_key = platform_key().public_bytes  # created in the data folder the servers share

    servers = Servers(environment, tmp_path / "server.log")
    started = time.monotonic()
    spike = Spike(w, "")
    try:
        server = servers.start()
        spike.base_url = server.base_url
        threads = [
            threading.Thread(target=spike.run_client, args=(list(range(c, BIDDERS, CLIENTS)),), daemon=True)
            for c in range(CLIENTS)
        ]
        for t in threads:
            t.start()
        kills = busy_kills = 0
        while kills < KILLS and not spike.failures:
            if not spike.answered.wait(ANSWER_SECONDS):
                spike.failures.append(f"no receipt within {ANSWER_SECONDS}s of the server's start")
                break
            time.sleep(rng.uniform(*PAUSE_SECONDS))
            with spike.lock:
                busy_kills += spike.in_flight > 0
            _kill(server)
            kills += 1
            spike.answered.clear()
            server = servers.start()
            spike.base_url = server.base_url
        spike.stop.set()
        for t in threads:
            t.join(ANSWER_SECONDS)
        servers.stop_all()
    finally:
        spike.abandon.set()
        servers.stop_all()
    seconds = time.monotonic() - started
    receipted = spike.receipted
    answered_late = [r for r in receipted if r.status == 200]
    print(
        f"{kills} SIGKILLs ({busy_kills} with submissions in flight) in {seconds:.0f} s; {len(receipted)} receipts; "
        f"{spike.interrupted} sends interrupted; {len(answered_late)} bids committed before a kill whose receipt "
        "came with the retry"
    )
    assert spike.failures == [], "\n".join(spike.failures) + "\n" + servers.tail()
    assert kills >= KILLS and all(not t.is_alive() for t in threads)
    assert busy_kills >= KILLS // 2 and spike.interrupted > 0, "the kills did not land during the spike"
    assert len(receipted) > KILLS

    # every receipt names a complete bid: the row, its ciphertext whole under the signed hash, the same receipt
    with db.unit_of_work() as s:
        rows = {b.bid_no: b for b in s.scalars(select(Bid))}
        sealed = select(LedgerEntry).where(LedgerEntry.kind == "bidding:bid:sealed")
        sealed_entries = {e.seq: e.subject for e in s.scalars(sealed)}
    store = file_store()
    by_bidder: dict[int, list[Receipted]] = defaultdict(list)
    for r in receipted:
        by_bidder[r.bidder].append(r)
        row = rows.get(r.receipt["bid_no"])
        assert row is not None, f"bidder {r.bidder} holds a receipt for {r.receipt['bid_no']}, which is missing"
        assert row.organisation_id == w.bidders[r.bidder].organisation_id and row.version == r.version
        assert r.receipt["ciphertext_sha256"] == row.ciphertext_sha256 == r.sha256
        assert hashlib.sha256(store.open(row.ciphertext_sha256)).hexdigest() == r.sha256
        assert json.loads(row.receipt) == r.receipt
        assert receipts.verify(r.receipt, public_key, store.open(row.ciphertext_sha256)) == []
    # no bid the bidders were not given a receipt for, none half-written, one sealed version each
    assert len(rows) == len(receipted), "a bid row without a receipt given for it (a retry made a second bid?)"
    for i, mine in by_bidder.items():
        mine.sort(key=lambda r: r.version)
        assert [r.version for r in mine] == list(range(1, len(mine) + 1))
        statuses = [rows[r.receipt["bid_no"]].status for r in mine]
        assert statuses == ["replaced"] * (len(mine) - 1) + ["sealed"], f"bidder {i}: {statuses}"
    for row in rows.values():
        assert store.exists(row.ciphertext_sha256), f"bid {row.bid_no} without its ciphertext"
        assert sealed_entries.get(row.ledger_seq) == f"bid:{row.bid_no}"
    assert len(sealed_entries) == len(rows), "a ledger entry of a bid whose row is missing"
    _check_file_store(environment)

    verify = subprocess.run(
        [sunshine_executable(), "ledger", "verify"], capture_output=True, text=True, env=os.environ, timeout=120
    )
    assert verify.returncode == 0 and "校验通过" in verify.stdout, verify.stdout + verify.stderr
