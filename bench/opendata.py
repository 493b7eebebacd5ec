"""Open-data benchmark: OCDS releases and records of N projects, and what exporting them costs.

    python bench/opendata.py [--sizes 10000,50000,100000] [--pg-url URL] [--skip-sqlite] [--no-memory]

For each database (SQLite in a temporary folder, then PostgreSQL with ``--pg-url`` or
``SUNSHINE_TEST_POSTGRES_URL``; the PostgreSQL database is emptied and migrated first), the projects are written
in steps up to each size with SQLAlchemy Core in bulk (``tests/opendata/synthetic.py``: land listings with their
listing notice, a correction, the ended auction, the result and contract announcements, the award letter and the
signed contract: 4 releases each). At each size:

- **sync**: the new projects' releases built from the published stages and stored (``opendata.service.store``);
- **releases export**: every release as gzip JSON Lines to /dev/null (``exports.release_lines``, server-side
  cursor, ``yield_per``), as ``sunshine opendata export releases`` does;
- **records export**: every record written the same way (``exports.record_lines``): its releases and the compiled
  release stored when they were added (``opendata_record``, merged with ``ocdsmerge`` by ``service.store``), assembled
  as text;
- **json reference**: ``json.dumps`` of the same release dicts, and of the same record dicts, in the same run;
  the ratio is reference time / export time (1.0 = as fast as serialising alone);
- **peak memory** of each export (tracemalloc's peak of Python allocations, in a second pass so the timings
  above run without tracing): flat as the count grows when the export streams;
- **statistics**: the public statistics page (``monitoring.statistics.tables`` over ``PUBLIC_TABLES``, as the page
  computes it) ``--stat-runs`` times: p50 and p99 of the page, and the slowest part's p99.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def open_database(url: str, data_dir: Path):
    from sunshine.config import get_settings
    from sunshine.db import Database
    from sunshine.migrate import upgrade

    os.environ["SUNSHINE_DATABASE_URL"] = url
    os.environ["SUNSHINE_DATA_DIR"] = str(data_dir)
    os.environ["SUNSHINE_SCHEDULER"] = "false"
    get_settings.cache_clear()
    db = Database(url)
    upgrade(db.engine)
    return db


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class Null:
    def write(self, b: bytes) -> int:
        return len(b)

    def flush(self) -> None:
        pass


def timed(fn):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def peak(fn) -> float:  # noqa: ANN001
    """Peak MiB of Python allocations while ``fn`` runs."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def export_to_null(db, what: str) -> int:  # noqa: ANN001
    from sunshine.opendata import exports

    with db.unit_of_work(read_only=True) as s:
        lines = exports.release_lines(s) if what == "releases" else exports.record_lines(s)
        return exports.write_jsonl_gz(lines, Null())[2]


def json_reference(db, what: str) -> tuple[float, int]:  # noqa: ANN001
    """Seconds spent in json.dumps alone on the same dicts (built outside the timing), and their count."""
    from sqlalchemy import select

    from sunshine.opendata import reading
    from sunshine.opendata.models import OpenRelease

    spent, n = 0.0, 0
    with db.unit_of_work(read_only=True) as s:
        if what == "releases":
            rows = s.execute(select(OpenRelease.data).order_by(OpenRelease.id).execution_options(yield_per=1000))
            docs = (json.loads(d) for d in rows.scalars())
        else:
            docs = reading.iter_records(s)
        for doc in docs:
            start = time.perf_counter()
            json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            spent += time.perf_counter() - start
            n += 1
    return spent, n


def statistics_page(db, runs: int) -> tuple[float, float, str, float]:  # noqa: ANN001
    """The public statistics page's queries ``runs`` times, as the page computes them (``statistics.tables``: the
    project tables from one scan, the contract tables from one GROUP BY): page p50 and p99 (ms), and the slowest
    of its parts (the two shared queries and the other tables, timed alone) with its p99."""
    from sunshine.monitoring import statistics

    shared = (*statistics.PROJECT_TABLES, *statistics.CONTRACT_TABLES)
    parts = {
        "project cells": lambda s: statistics.project_cells(s, None),
        "contract cells": lambda s: statistics.contract_cells(s, None),
        **{k: (lambda s, fn=fn: fn(s, None)) for k, fn in statistics.PUBLIC_TABLES.items() if fn not in shared},
    }
    page: list[float] = []
    per: dict[str, list[float]] = {k: [] for k in parts}
    with db.unit_of_work(read_only=True) as s:
        for _ in range(runs):
            spent, _ = timed(lambda: statistics.tables(s, statistics.PUBLIC_TABLES, None))  # noqa: B023
            page.append(spent)
            for key, fn in parts.items():
                spent, _ = timed(lambda: fn(s))  # noqa: B023
                per[key].append(spent)

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    slowest = max(per, key=lambda k: pct(per[k], 0.99))
    return pct(page, 0.5), pct(page, 0.99), slowest, pct(per[slowest], 0.99)


def clone_releases(db, template: list[int], first: int, last: int) -> float:  # noqa: ANN001
    """Releases of projects ``first``..``last`` as copies of those built for the projects numbered ``template``
    (the same shapes: only the codes, the ids and the project differ), written with Core in bulk."""
    from sqlalchemy import insert, select

    from sunshine.opendata import ocds
    from sunshine.opendata.models import OpenRecord, OpenRelease
    from tests.opendata import synthetic

    start = time.perf_counter()
    with db.engine.begin() as conn:
        records = {
            r["project_id"]: r
            for r in conn.execute(select(OpenRecord).where(OpenRecord.project_id.in_(template))).mappings()
        }
        compiled = []
        for i in range(first, last + 1):
            r = records[template[i % len(template)]]
            old, new = synthetic.code_of(r["project_id"]), synthetic.code_of(i)
            text = r["compiled"].replace(old, new)
            compiled.append(
                dict(
                    ocid=r["ocid"].replace(old, new),
                    project_id=i,
                    compiled=text,
                    sha256=ocds.sha256(text),
                    releases=r["releases"],
                    updated_at=r["updated_at"],
                )
            )
            if len(compiled) >= 4000:
                conn.execute(insert(OpenRecord), compiled)
                compiled.clear()
        if compiled:
            conn.execute(insert(OpenRecord), compiled)
        rows = conn.execute(select(OpenRelease).where(OpenRelease.project_id.in_(template))).mappings().all()
        by_project: dict[int, list] = {}
        for r in rows:
            by_project.setdefault(r["project_id"], []).append(r)
        batch = []
        for i in range(first, last + 1):
            source = template[i % len(template)]
            old, new = synthetic.code_of(source), synthetic.code_of(i)
            for r in by_project[source]:
                data = r["data"].replace(old, new)
                batch.append(
                    dict(
                        release_id=r["release_id"].replace(old, new),
                        ocid=r["ocid"].replace(old, new),
                        project_id=i,
                        stage=r["stage"],
                        tag=r["tag"],
                        date=r["date"],
                        ledger_seq=r["ledger_seq"],
                        data=data,
                        sha256=ocds.sha256(data),
                        created_at=r["created_at"],
                    )
                )
            if len(batch) >= 8000:
                conn.execute(insert(OpenRelease), batch)
                batch.clear()
        if batch:
            conn.execute(insert(OpenRelease), batch)
    return time.perf_counter() - start


def run(label: str, url: str, sizes: list[int], memory: bool, build: int, records_max: int, stat_runs: int) -> None:
    from sunshine import domains
    from sunshine.opendata import service
    from tests.opendata import synthetic

    domains.install()
    data_dir = Path(tempfile.mkdtemp(prefix="opendata-bench-"))
    db = open_database(url, data_dir)
    print(f"\n== {label} ==")
    header = (
        f"{'projects':>9} {'write s':>8} {'sync s':>8} {'releases':>9} {'rel s':>7} {'rel json s':>10} "
        f"{'ratio':>6} {'rel MiB':>8} {'rec s':>7} {'rec json s':>10} {'ratio':>6} {'rec MiB':>8} "
        f"{'stat p50 ms':>11} {'stat p99 ms':>11}  slowest table p99"
    )
    print(header)
    done = 0
    for size in sizes:
        with db.engine.begin() as conn:
            t_write, ids = timed(lambda: synthetic.generate(conn, size - done, first=done + 1))  # noqa: B023
        built = [i for i in ids if i <= build]
        with db.unit_of_work() as s:
            t_sync, added = timed(lambda: service.store(s, built))  # noqa: B023
        if built:
            print(f"   sync: {len(built)} projects built in {t_sync:.1f} s ({1000 * t_sync / len(built):.1f} ms each)")
        if ids and ids[-1] > build:
            t_clone = clone_releases(db, list(range(1, min(build, 1000) + 1)), max(done, build) + 1, size)
            print(f"   releases of projects {max(done, build) + 1}..{size} copied in {t_clone:.1f} s")
        done = size
        t_rel, n_rel = timed(lambda: export_to_null(db, "releases"))
        j_rel, _ = json_reference(db, "releases")
        m_rel = peak(lambda: export_to_null(db, "releases")) if memory else float("nan")
        assert n_rel == 4 * size, n_rel
        rec = "        -          -      -        -"
        if size <= records_max:
            t_rec, n_rec = timed(lambda: export_to_null(db, "records"))
            j_rec, _ = json_reference(db, "records")
            m_rec = peak(lambda: export_to_null(db, "records")) if memory else float("nan")
            assert n_rec == size, n_rec
            rec = f"{t_rec:>7.1f} {j_rec:>10.1f} {j_rec / t_rec:>6.2f} {m_rec:>8.1f}"
        p50, p99, slowest, slow99 = statistics_page(db, stat_runs)
        print(
            f"{size:>9} {t_write:>8.1f} {t_sync:>8.1f} {n_rel:>9} {t_rel:>7.1f} {j_rel:>10.1f} {j_rel / t_rel:>6.2f} "
            f"{m_rel:>8.1f} {rec} {p50:>11.0f} {p99:>11.0f}  {slowest} {slow99:.0f} ms",
            flush=True,
        )
    db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--pg-url", default=os.environ.get("SUNSHINE_TEST_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--build", type=int, default=2000, help="projects whose releases sync builds (the rest copied)")
    parser.add_argument("--records-max", type=int, default=10**9, help="export records only up to this size")
    parser.add_argument("--stat-runs", type=int, default=20, help="times the statistics page is computed per size")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    if not args.skip_sqlite:
        folder = Path(tempfile.mkdtemp(prefix="opendata-bench-db-"))
        run(
            "SQLite",
            f"sqlite:///{folder / 'bench.db'}",
            sizes,
            not args.no_memory,
            args.build,
            args.records_max,
            args.stat_runs,
        )
    if args.pg_url:
        reset_postgres(args.pg_url)
        run("PostgreSQL", args.pg_url, sizes, not args.no_memory, args.build, args.records_max, args.stat_runs)


if __name__ == "__main__":
    main()
