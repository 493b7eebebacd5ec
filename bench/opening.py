"""Opening benchmark: 1,000 sealed bids opened, from the last key revealed to the opening record ready.

    .venv/bin/python bench/opening.py [--bids 1000] [--size-kb 256] [--batch 100] [--pg-url URL] [--skip-sqlite]
                                      [--no-single]

For each backend (SQLite in a temporary folder; PostgreSQL when ``--pg-url`` or ``SUNSHINE_TEST_POSTGRES_URL``
names a server, in a database created and dropped here) a tender gets ``--bids`` bidders, each sealing one bid of
about ``--size-kb`` as a bidder's machine does, submitted through ``service.submit`` (setup, not timed; the
spike of bench/bidding.py measures submission). The clock is moved past the deadline and the opening started.
Then, with every key in hand, the timed part is the server's work of the opening:

* **batched**: ``opening.reveal_many`` over ``--batch`` reveals per unit of work (one flush of the file store and
  one ledger batch each; the last closes decryption), then the opening record built (``build_record``);
* **one by one** (unless ``--no-single``; a second tender of the same size): ``opening.reveal`` of each bid in
  its own unit of work, as separate reveal requests run, then the record.

Printed: seconds, SQL statements per bid (counted on the engine), the ratio to the reference measured in the
same run — the bare loop of SHA-256 over each ciphertext plus its AES-GCM decryption, nothing else — and
whether every bid opened to the price it was sealed with. Figures only, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
try:
    import sunshine  # noqa: F401
except ImportError:  # running from a checkout without the package installed
    sys.path.insert(0, str(ROOT / "src"))

from rich.table import Table  # noqa: E402
from sqlalchemy import event  # noqa: E402

import bidding as setup  # noqa: E402  (the sealed-bid benchmark's setup: tender, bidders, sealing)

console = setup.console


class StatementCounter:
    """SQL statements the engine sends while ``counting`` is on (executemany counts once)."""

    def __init__(self, engine) -> None:
        self.count = 0
        self.counting = False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args) -> None:
        if self.counting:
            self.count += 1


def prepare(db, officials: dict, bidders: list, args, clock, name: str):
    """A tender with every bidder's sealed bid submitted, its opening started; (tender, bids, numbers)."""
    from sunshine.bidding import opening

    clock.set(datetime.now(UTC))
    tender = setup.make_tender(db, officials, name)
    setup.register(db, tender, bidders)
    bids = setup.seal_bids(tender, bidders, args.size_kb)
    numbers = setup.submit_in_process(db, tender, bids)
    clock.set(tender.deadline + timedelta(seconds=1))
    with db.unit_of_work() as s:
        opening.start_by_staff(s, officials["centre"], tender.project_id)
    return tender, bids, numbers


def record_ready(db, officials: dict, tender) -> dict:
    from sunshine.bidding import opening, opening_record
    from sunshine.trading.models import Project

    with db.unit_of_work(read_only=True) as s:
        project = s.get(Project, tender.project_id)
        return opening_record.build_record(s, project, opening.session_of(s, project.id))


def check(db, tender, bids, numbers, record: dict) -> str:
    from sunshine.bidding import opening
    from sunshine.bidding.models import Bid

    expected = {bid_no: b.price for b, bid_no in zip(bids, numbers, strict=True)}
    with db.unit_of_work(read_only=True) as s:
        rows = s.query(Bid).filter(Bid.bid_no.in_(numbers)).all()
        wrong = [b.bid_no for b in rows if b.decryption != "decrypted" or b.price != expected[b.bid_no]]
        status = opening.session_of(s, tender.project_id).status
    listed = sum(len(section["bids"]) for section in record.get("sections", []))
    if wrong or listed != len(numbers):
        return f"[bold red]{len(wrong)} bid(s) wrong, {listed} in the record[/]"
    return f"all {len(numbers):,} opened to their sealed prices, {listed:,} in the record; session {status}"


def timed_batched(db, counter, officials, args, tender, bids, numbers) -> tuple[float, float, int, str]:
    from sunshine.bidding import envelope, opening

    reveals = [
        opening.Reveal(b.bidder.principal, bid_no, envelope.key_to_text(b.key))
        for b, bid_no in zip(bids, numbers, strict=True)
    ]
    gc.collect()
    counter.count, counter.counting = 0, True
    t0 = time.perf_counter()
    for start in range(0, len(reveals), args.batch):
        with db.unit_of_work() as s:
            outcomes = opening.reveal_many(s, reveals[start : start + args.batch])
            refused = [o for o in outcomes if isinstance(o, Exception)]
            if refused:
                console.print(f"    [red]{len(refused)} refused: {refused[:2]}[/]")
    revealed = time.perf_counter() - t0
    record = record_ready(db, officials, tender)
    total = time.perf_counter() - t0
    counter.counting = False
    return total, revealed, counter.count, check(db, tender, bids, numbers, record)


def timed_single(db, counter, officials, tender, bids, numbers) -> tuple[float, list[float], int, str]:
    from sunshine.bidding import envelope, opening

    keys = [envelope.key_to_text(b.key) for b in bids]
    gc.collect()
    counter.count, counter.counting = 0, True
    each = []
    t0 = time.perf_counter()
    for b, bid_no, key in zip(bids, numbers, keys, strict=True):
        t1 = time.perf_counter()
        with db.unit_of_work() as s:
            opening.reveal(s, b.bidder.principal, bid_no, key)
        each.append(time.perf_counter() - t1)
    record = record_ready(db, officials, tender)
    total = time.perf_counter() - t0
    counter.counting = False
    return total, each, counter.count, check(db, tender, bids, numbers, record)


def run_backend(url: str, backend: str, args) -> setup.Results:
    from sunshine.core.clock import AdjustableClock, use_clock

    out = setup.Results(backend)
    console.rule(f"[bold]{backend}")
    work = Path(tempfile.mkdtemp(prefix="sunshine-bench-opening-"))
    try:
        db = setup.open_database(url, work / "data")
        counter = StatementCounter(db.engine)
        try:
            with use_clock(AdjustableClock(datetime.now(UTC))) as clock:
                officials = setup.make_officials(db)
                bidders = setup.make_bidders(db, args.bids)
                tender, bids, numbers = prepare(db, officials, bidders, args, clock, "滨江路道路改造工程（批量开标）")
                n, kb = len(bids), statistics.fmean(len(b.sealed) for b in bids) / 1024
                total, revealed, statements, status = timed_batched(db, counter, officials, args, tender, bids, numbers)
                bare = setup.bare_decrypt_loop(tender, bids)
                out.add(
                    f"opening {n:,} bids × {kb:,.0f} KB, {args.batch} reveals per unit of work, to the record ready",
                    f"{total:.2f} s",
                    f"[bold]{total / bare:.1f}× the reference[/]; reveals {revealed:.2f} s, record "
                    f"{total - revealed:.2f} s; {statements / n:.1f} SQL statements per bid; {status}",
                )
                out.add(
                    "  reference: bare SHA-256 + AES-GCM decrypt of the same ciphertexts (same run)",
                    f"{bare:.3f} s",
                    f"{setup.ms(bare / n)} per bid",
                )
                if not args.no_single:
                    # the same bidders tender again: a second project of the same size
                    name = "滨江路道路改造工程（逐个解密）"
                    tender, bids, numbers = prepare(db, officials, bidders, args, clock, name)
                    total, each, statements, status = timed_single(db, counter, officials, tender, bids, numbers)
                    bare = setup.bare_decrypt_loop(tender, bids)
                    out.add(
                        f"opening {n:,} bids, each reveal in its own unit of work (separate requests), to the record",
                        f"{total:.2f} s",
                        f"{total / bare:.1f}× its reference ({bare:.3f} s); per reveal p50 "
                        f"{setup.ms(setup.percentile(each, 50))}, p99 {setup.ms(setup.percentile(each, 99))}; "
                        f"{statements / n:.1f} SQL statements per bid; {status}",
                    )
        finally:
            db.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, default=1000, help="sealed bids opened")
    parser.add_argument("--size-kb", type=int, default=256, help="size of each sealed bid")
    parser.add_argument("--batch", type=int, default=100, help="reveals per unit of work in the batched opening")
    parser.add_argument("--pg-url", default=os.environ.get("SUNSHINE_TEST_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--no-single", action="store_true", help="skip the one-reveal-per-unit-of-work opening")
    args = parser.parse_args(argv)
    if args.skip_sqlite and not args.pg_url:
        sys.exit("--skip-sqlite needs --pg-url")
    from sunshine import domains

    domains.install()
    setup.cheap_password_hashing()
    started, load_start = time.perf_counter(), setup.load_now()
    console.print(
        f"[bold]Opening benchmark[/]: {args.bids:,} bids of {args.size_kb} KB, {args.batch} per batch; "
        f"load average {load_start} on {os.cpu_count()} CPUs"
    )
    results = []
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory(prefix="sunshine-bench-sqlite-") as folder:
            results.append(run_backend(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite", args))
    if args.pg_url:
        with setup.postgres_database(args.pg_url) as url:
            results.append(run_backend(url, "PostgreSQL", args))
    table = Table("backend", "measure", "figure", "notes", title="Sunshine opening benchmark", show_lines=True)
    for result in results:
        for measure, figure, note in result.rows:
            table.add_row(result.backend, measure, figure, note)
    console.print(table)
    console.print(
        f"total {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; "
        f"load average at start {load_start}, at end {setup.load_now()}. Figures only: nothing here is asserted."
    )


if __name__ == "__main__":
    main()
