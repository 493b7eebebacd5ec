"""Ledger benchmark: append throughput, full-log verification, inclusion-proof latency.

    .venv/bin/python bench/ledger.py [--entries 1000000] [--backend auto|sqlite|postgres] [--pg-url URL]

Every run uses fresh databases: SQLite in a temporary folder, and PostgreSQL (when ``--pg-url`` or
``SUNSHINE_TEST_POSTGRES_URL`` names a server, or ``--backend postgres``) in a database it creates
and drops itself. Each is migrated with ``sunshine.migrate.upgrade``. The script prints figures and
never asserts timings. It does check that every verification it times came back clean, and says
so if one did not.

The large log for the verification and proof timings is bulk-loaded. Rows, perfect-subtree nodes
and signed heads (one every 10,000 entries) are computed here with the same formats and key as the
services. Building it through ``service.append`` would take far too long (see the appends/s
figures). Everything after the load goes through the real code paths.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
try:
    import sunshine  # noqa: F401
except ImportError:  # running from a checkout without the package installed
    sys.path.insert(0, str(ROOT / "src"))

from _hashing import bare_hash_loop, bare_verify_loop  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

console = Console() if sys.stdout.isatty() else Console(width=150)
HEAD_EVERY = 10_000
KIND = "project:notice:published"
BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)
DEFAULT_PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass
class Results:
    backend: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (measure, figure, note)

    def add(self, measure: str, figure: str, note: str = "") -> None:
        self.rows.append((measure, figure, note))
        console.print(f"  [bold]{measure}[/]: {figure}" + (f"  [dim]{note}[/]" if note else ""))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


# --------------------------------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------------------------------


@contextmanager
def sqlite_database(folder: Path) -> Iterator[str]:
    yield f"sqlite:///{folder / 'bench.db'}"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    import psycopg

    server = make_url(server_url)
    name = f"sunshine_bench_{os.getpid()}"
    dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def open_database(url: str, data_dir: Path, *, sqlite_synchronous: str = "full"):
    """The database with this process's settings; SQLite commits at ``sqlite_synchronous`` (the
    platform's setting ``SUNSHINE_SQLITE_SYNCHRONOUS``, FULL by default)."""
    from sunshine.config import get_settings
    from sunshine.db import Database

    os.environ["SUNSHINE_DATABASE_URL"] = url
    os.environ["SUNSHINE_DATA_DIR"] = str(data_dir)
    os.environ["SUNSHINE_SCHEDULER"] = "false"
    os.environ["SUNSHINE_SQLITE_SYNCHRONOUS"] = sqlite_synchronous
    get_settings.cache_clear()
    return Database(url)


def wipe_ledger(db) -> None:
    with db.engine.begin() as conn:
        for table in ("ledger_entry", "ledger_node", "ledger_tree_head"):
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text("UPDATE ledger_state SET size = 0, compact_range = '[]'"))


# --------------------------------------------------------------------------------------------------
# Append throughput
# --------------------------------------------------------------------------------------------------


def payload_for(i: int) -> dict:
    return {"标题": f"第{i}号公告", "项目": "福州市鼓楼区道路改造工程", "金额": 1_000_000 + i, "标段": i % 7}


def append_single(db, count: int, start: int) -> float:
    from sunshine.ledger import service

    t0 = time.perf_counter()
    for i in range(start, start + count):
        with db.unit_of_work() as s:
            service.append(s, KIND, f"project:{i % 997}", payload_for(i))
    return time.perf_counter() - t0


def append_batched(db, count: int, batch: int, start: int) -> float:
    from sunshine.ledger import service

    t0 = time.perf_counter()
    done = 0
    while done < count:
        n = min(batch, count - done)
        with db.unit_of_work() as s:
            for i in range(start + done, start + done + n):
                service.append(s, KIND, f"project:{i % 997}", payload_for(i))
        done += n
    return time.perf_counter() - t0


def append_many_batched(db, count: int, batch: int, start: int) -> float:
    from sunshine.ledger import service

    t0 = time.perf_counter()
    for first in range(start, start + count, batch):
        with db.unit_of_work() as s:
            last = min(first + batch, start + count)
            service.append_many(s, [(KIND, f"project:{i % 997}", payload_for(i)) for i in range(first, last)])
    return time.perf_counter() - t0


def bench_appends(db, url: str, data_dir: Path, args, out: Results) -> None:
    from sunshine.ledger import service

    if db.dialect == "sqlite":
        mode = "WAL, synchronous=FULL (the platform's setting): durable, the WAL fsynced at each commit"
    else:
        with db.engine.connect() as conn:
            sync = conn.execute(text("SHOW synchronous_commit")).scalar()
            fsync = conn.execute(text("SHOW fsync")).scalar()
        mode = f"synchronous_commit={sync}, fsync={fsync}" + (
            ": durable (WAL flushed at each commit)" if sync == "on" and fsync == "on" else ": NOT durable"
        )
    seconds = append_single(db, args.single, 0)
    out.add(
        "append, 1 entry per transaction",
        f"{args.single / seconds:,.0f} entries/s",
        f"{args.single:,} commits, {ms(seconds / args.single)} each; {mode}",
    )
    seconds = append_batched(db, args.batched, args.batch_size, args.single)
    out.add(
        f"append, {args.batch_size:,} entries per transaction",
        f"{args.batched / seconds:,.0f} entries/s",
        f"{args.batched:,} entries; {mode}",
    )
    seconds_many = append_many_batched(db, args.batched, args.batch_size, args.single + args.batched)
    out.add(
        f"append_many, {args.batch_size:,} entries per call and transaction",
        f"{args.batched / seconds_many:,.0f} entries/s",
        f"{args.batched:,} entries; {seconds / seconds_many:.1f}x the appends above, one by one in a transaction",
    )
    if db.dialect == "sqlite":
        normal = open_database(url, data_dir, sqlite_synchronous="normal")
        try:
            start = args.single + 2 * args.batched
            seconds = append_single(normal, args.single, start)
            out.add(
                "append, 1 entry per transaction, synchronous=NORMAL (for comparison)",
                f"{args.single / seconds:,.0f} entries/s",
                f"{ms(seconds / args.single)} per commit; NOT durable on power loss (no fsync at commit)",
            )
            seconds = append_batched(normal, args.batched // 5, args.batch_size, start + args.single)
            out.add(
                f"append, {args.batch_size:,} per transaction, synchronous=NORMAL (for comparison)",
                f"{args.batched // 5 / seconds:,.0f} entries/s",
                f"{args.batched // 5:,} entries; not durable on power loss",
            )
        finally:
            normal.dispose()
            open_database(url, data_dir).dispose()  # the settings back at the platform's FULL
    with db.unit_of_work() as s:
        service.sign_head(s)


# --------------------------------------------------------------------------------------------------
# The large log, computed here with the ledger's formats
# --------------------------------------------------------------------------------------------------


@dataclass
class BigLog:
    size: int
    entry_rows: list[tuple]  # (seq, kind, subject, payload, payload_sha256, recorded_at datetime, leaf_hash)
    records: list  # verify.EntryRecord
    leaf_inputs: list[bytes]
    nodes: list[tuple[int, int, str]]
    heads: list[tuple[int, str, datetime, str, str]]
    compact_range: list[str]


def build_big_log(size: int) -> BigLog:
    from sunshine.ledger import format as fmt
    from sunshine.ledger import merkle
    from sunshine.ledger.signing import platform_key
    from sunshine.ledger.verify import EntryRecord

    key = platform_key()
    sha256 = hashlib.sha256
    compact = merkle.CompactRange()
    collect = compact.append_collecting
    rows, records, inputs, nodes, heads = [], [], [], [], []
    seconds_text: dict[int, str] = {}
    for seq in range(size):
        micro = seq * 1000  # one entry per millisecond
        second, fraction = divmod(micro, 1_000_000)
        prefix = seconds_text.get(second)
        if prefix is None:
            prefix = seconds_text[second] = (BASE_TIME + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%S")
        recorded_at = f"{prefix}.{fraction:06d}Z"
        subject = f"project:{seq % 997}"
        # RFC 8785 for this payload (string keys, strings and small integers) is exactly this:
        payload = json.dumps(payload_for(seq), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = sha256(payload.encode()).hexdigest()
        data = fmt.leaf_input(seq, KIND, subject, digest, recorded_at)
        leaf = sha256(b"\x00" + data).digest()
        leaf_hex = leaf.hex()
        for level, index, h in collect(leaf):
            nodes.append((level, index, h.hex()))
        rows.append((seq, KIND, subject, payload, digest, recorded_at, leaf_hex))
        records.append(EntryRecord(seq, KIND, subject, payload, digest, recorded_at, leaf_hex))
        inputs.append(data)
        if (seq + 1) % HEAD_EVERY == 0 or seq + 1 == size:
            root = compact.root().hex()
            signed_at = recorded_at
            signature = key.sign(fmt.head_message(seq + 1, root, signed_at, key.key_id))
            heads.append((seq + 1, root, fmt.parse_iso_utc(signed_at), key.key_id, signature))
    assert fmt.canonical_payload(payload_for(7)).decode() == json.dumps(
        payload_for(7), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return BigLog(size, rows, records, inputs, nodes, heads, [h.hex() for h in compact.hashes])


def _sqlite_time(iso: str) -> str:
    return iso[:10] + " " + iso[11:26]  # SQLAlchemy's SQLite DATETIME text: "YYYY-MM-DD HH:MM:SS.ffffff"


def load_big_log(db, log: BigLog) -> None:
    wipe_ledger(db)
    state = json.dumps(log.compact_range)
    if db.dialect == "sqlite":
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO ledger_entry (seq, kind, subject, payload, payload_sha256, recorded_at, leaf_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(*r[:5], _sqlite_time(r[5]), r[6]) for r in log.entry_rows],
            )
            conn.exec_driver_sql('INSERT INTO ledger_node (level, "index", hash) VALUES (?, ?, ?)', log.nodes)
            conn.exec_driver_sql(
                "INSERT INTO ledger_tree_head (size, root_hash, signed_at, key_id, signature) VALUES (?, ?, ?, ?, ?)",
                [(s, r, t.strftime("%Y-%m-%d %H:%M:%S.%f"), k, g) for s, r, t, k, g in log.heads],
            )
            conn.exec_driver_sql("UPDATE ledger_state SET size = ?, compact_range = ?", (log.size, state))
            conn.exec_driver_sql("ANALYZE")
        return
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        with cur.copy(
            "COPY ledger_entry (seq, kind, subject, payload, payload_sha256, recorded_at, leaf_hash) FROM STDIN"
        ) as copy:
            for r in log.entry_rows:
                copy.write_row((*r[:5], r[5][:26] + "+00", r[6]))
        with cur.copy('COPY ledger_node (level, "index", hash) FROM STDIN') as copy:
            for n in log.nodes:
                copy.write_row(n)
        with cur.copy("COPY ledger_tree_head (size, root_hash, signed_at, key_id, signature) FROM STDIN") as copy:
            for h in log.heads:
                copy.write_row(h)
        cur.execute("UPDATE ledger_state SET size = %s, compact_range = %s", (log.size, state))
        raw.commit()
    finally:
        raw.close()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE ledger_entry"))
        conn.execute(text("VACUUM ANALYZE ledger_node"))


# --------------------------------------------------------------------------------------------------
# Verification and proofs
# --------------------------------------------------------------------------------------------------


def check(report, n: int, what: str) -> str:
    if report.ok and report.entries == n:
        return "clean"
    console.print(
        f"[bold red]{what}: verification reported {len(report.problems)} problem(s), "
        f"{report.entries} entries[/] {report.problems[:3]}"
    )
    return "PROBLEMS REPORTED"


def bench_memory(log: BigLog, rounds: int, out: Results) -> float:
    """bare_hash_loop and verify_log over in-memory records, interleaved, best of ``rounds`` each.

    Interleaving puts both under the same machine load; the best run is the least disturbed one.
    """
    from sunshine.ledger import format as fmt
    from sunshine.ledger.signing import platform_key
    from sunshine.ledger.verify import HeadRecord, verify_log

    key = platform_key()
    heads = [HeadRecord(s, r, fmt.iso_utc(t), k, g) for s, r, t, k, g in log.heads]
    payloads = [r[3].encode() for r in log.entry_rows]
    bare_runs, tree_runs, verify_runs, status = [], [], [], "clean"
    for _ in range(rounds):
        gc.collect()
        tree_runs.append(bare_hash_loop(log.leaf_inputs))
        bare_runs.append(bare_verify_loop(payloads, log.leaf_inputs))
        seconds, report = timed(lambda: verify_log(log.records, heads, key.public_bytes))
        verify_runs.append(seconds)
        status = check(report, log.size, "in memory")
    bare, verify = min(bare_runs), min(verify_runs)
    out.add(
        f"bare_hash_loop, {log.size:,} leaf inputs",
        f"{min(tree_runs):.2f} s",
        f"best of {rounds} (runs: {', '.join(f'{x:.2f}' for x in tree_runs)}); leaf + node hashes only",
    )
    out.add(
        f"bare_verify_loop, {log.size:,} entries",
        f"{bare:.2f} s",
        f"best of {rounds} (runs: {', '.join(f'{x:.2f}' for x in bare_runs)}); the floor every ratio below "
        "refers to: what a verifier must hash (payload digests, leaves, nodes) in the tightest loop",
    )
    out.add(
        f"verify_log, {log.size:,} in-memory EntryRecords",
        f"{verify:.2f} s",
        f"best of {rounds} (runs: {', '.join(f'{x:.2f}' for x in verify_runs)}); "
        f"[bold]{verify / bare:.2f}x bare[/]; {log.size / verify:,.0f} entries/s; {status}",
    )
    return bare


def bench_verify(db, log: BigLog, data_dir: Path, out: Results, bare: float, *, file: bool) -> None:
    from sunshine.ledger.export import ExportFile, iter_db_entries, iter_db_heads, write_export
    from sunshine.ledger.signing import platform_key
    from sunshine.ledger.verify import verify_log

    key = platform_key()
    n = log.size

    def from_db():
        with db.unit_of_work(read_only=True) as s:
            db_heads = list(iter_db_heads(s))
            return verify_log(iter_db_entries(s), db_heads, key.public_bytes)

    seconds, report = timed(from_db)
    out.add(
        f"verify {n:,} entries from the live database",
        f"{seconds:.2f} s",
        f"end to end (query, rows, verify); {seconds / bare:.2f}x bare; {check(report, n, 'database')}",
    )

    path = data_dir / "export.jsonl"

    def export():
        with db.unit_of_work(read_only=True) as s, path.open("w", encoding="utf-8") as fh:
            return write_export(s, key, fh)

    seconds, count = timed(export)
    out.add(f"export {count:,} entries to JSON Lines", f"{seconds:.2f} s", f"{path.stat().st_size / 1e6:,.0f} MB")
    if file:

        def from_file():
            f = ExportFile(path)
            return verify_log(f.entries(), f.heads(), f.public_key)

        seconds, report = timed(from_file)
        out.add(
            f"verify {n:,} entries from the export file",
            f"{seconds:.2f} s",
            f"parse + verify (no database involved); {seconds / bare:.2f}x bare; {check(report, n, 'export file')}",
        )
    path.unlink()


def load_now() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_proofs(db, log: BigLog, args, out: Results) -> None:
    from fastapi.testclient import TestClient

    from sunshine.app import create_app
    from sunshine.config import get_settings
    from sunshine.ledger import merkle, service

    n = log.size
    rng = random.Random(args.seed)
    seqs = [rng.randrange(n) for _ in range(args.proofs)]
    root = bytes.fromhex(log.heads[-1][1])
    times = []
    with db.unit_of_work(read_only=True) as s:
        service.inclusion_proof(s, 0, n)  # warm up
        for seq in seqs:
            t0 = time.perf_counter()
            path = service.inclusion_proof(s, seq, n)
            times.append(time.perf_counter() - t0)
            s.expunge_all()
            leaf = bytes.fromhex(log.entry_rows[seq][6])
            if not merkle.verify_inclusion(leaf, seq, n, [bytes.fromhex(h) for h in path], root):
                console.print(f"[bold red]proof for {seq} does not verify[/]")
    out.add(
        f"inclusion proof via service, tree size {n:,}",
        f"p50 {ms(statistics.median(times))}, p99 {ms(percentile(times, 99))}",
        f"{len(times):,} random entries, all verified against the signed root",
    )

    # The database was migrated at the start of this run; do not re-check (the code may change under us).
    if args.http <= 0:
        return
    app = create_app(get_settings(), db, check_schema=False, run_scheduler=False)
    times = []
    with TestClient(app, base_url="https://testserver") as client:
        client.get(f"/api/v1/ledger/entries/0/proof?tree_size={n}")
        for seq in seqs[: args.http]:
            t0 = time.perf_counter()
            response = client.get(f"/api/v1/ledger/entries/{seq}/proof?tree_size={n}")
            times.append(time.perf_counter() - t0)
            if response.status_code != 200:
                console.print(f"[bold red]HTTP {response.status_code} for {seq}[/]")
    out.add(
        f"inclusion proof via HTTP (TestClient), tree size {n:,}",
        f"p50 {ms(statistics.median(times))}, p99 {ms(percentile(times, 99))}",
        f"{len(times):,} requests, in-process ASGI",
    )


# --------------------------------------------------------------------------------------------------


def run_backend(name: str, url: str, data_dir: Path, log: BigLog, bare: float, args, *, verify_file: bool) -> Results:
    from sunshine.migrate import upgrade

    out = Results(name)
    console.rule(f"[bold]{name}")
    db = open_database(url, data_dir)
    try:
        upgrade(db.engine)
        bench_appends(db, url, data_dir, args, out)
        seconds, _ = timed(lambda: load_big_log(db, log))
        console.print(
            f"  [dim]bulk-loaded {log.size:,} entries, {len(log.nodes):,} nodes, "
            f"{len(log.heads):,} heads in {seconds:.1f} s[/]"
        )
        bench_verify(db, log, data_dir, out, bare, file=verify_file)
        bench_proofs(db, log, args, out)
    finally:
        db.dispose()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="size of the log to verify and prove")
    parser.add_argument(
        "--backend",
        choices=("auto", "sqlite", "postgres"),
        default="auto",
        help="auto: SQLite, plus PostgreSQL when a server URL is known",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("SUNSHINE_TEST_POSTGRES_URL"),
        help="PostgreSQL server (a database there is used only to create and drop the bench's own)",
    )
    parser.add_argument("--single", type=int, default=2_000, help="entries appended one per transaction")
    parser.add_argument("--batched", type=int, default=10_000, help="entries appended in batches")
    parser.add_argument("--batch-size", type=int, default=1_000)
    parser.add_argument("--proofs", type=int, default=1_000, help="inclusion proofs timed through the service")
    parser.add_argument("--http", type=int, default=200, help="inclusion proofs timed through HTTP")
    parser.add_argument("--rounds", type=int, default=3, help="best of how many in-memory verification runs")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    backends = []
    if args.backend in ("auto", "sqlite"):
        backends.append("sqlite")
    if args.backend == "postgres" or (args.backend == "auto" and args.pg_url):
        backends.append("postgres")
    pg_server = args.pg_url or DEFAULT_PG_SERVER

    started = time.perf_counter()
    load_start = load_now()
    console.print(f"load average {load_start} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="sunshine-bench-") as tmp:
        data_dir = Path(tmp)
        os.environ["SUNSHINE_DATA_DIR"] = str(data_dir)
        console.print(
            f"Building a {args.entries:,}-entry log in memory (rows, nodes, a signed head every "
            f"{HEAD_EVERY:,}) with the ledger's formats; bulk-loaded below, since "
            f"{args.entries:,} service.append calls would take far too long."
        )
        seconds, log = timed(lambda: build_big_log(args.entries))
        console.print(f"  [dim]built in {seconds:.1f} s[/]")
        console.print(f"  [dim]average leaf input {sum(map(len, log.leaf_inputs[:1000])) / 1000:.0f} bytes[/]")
        cpu = Results("—")
        console.rule("[bold]CPU only")
        bare = bench_memory(log, args.rounds, cpu)
        results = [cpu]
        for i, backend in enumerate(backends):
            if backend == "sqlite":
                with sqlite_database(data_dir) as url:
                    results.append(run_backend("SQLite", url, data_dir, log, bare, args, verify_file=i == 0))
            else:
                with postgres_database(pg_server) as url:
                    results.append(run_backend("PostgreSQL", url, data_dir, log, bare, args, verify_file=i == 0))

    table = Table("backend", "measure", "figure", "notes", title="Sunshine ledger benchmark", show_lines=True)
    for result in results:
        for measure, figure, note in result.rows:
            table.add_row(result.backend, measure, figure, note)
    console.print(table)
    console.print(
        "Durability: SQLite runs in WAL mode with synchronous=FULL (src/sunshine/db.py, SUNSHINE_SQLITE_SYNCHRONOUS): "
        "the WAL is fsynced at each commit, durable on power loss; NORMAL, measured for comparison, survives a "
        "crash of the process but may lose the last commits on power loss or an OS crash. PostgreSQL "
        "with synchronous_commit=on and fsync=on flushes the WAL at each commit: durable (the platform "
        "switches a session configured with synchronous_commit=off back on)."
    )
    console.print(
        f"total {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs, Python "
        f"{sys.version.split()[0]}; load average at start {load_start}, at end {load_now()}. "
        "Figures only: nothing here is asserted. Other work on the machine inflates every figure."
    )


if __name__ == "__main__":
    main()
