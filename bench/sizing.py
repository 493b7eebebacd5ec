"""Storage per row on PostgreSQL, measured, for sizing a deployment (docs/deployment.md, *Sizing a province*).

    .venv/bin/python bench/sizing.py --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres \
        [--entries 200000] [--demo-url postgresql+psycopg://…/a_database_with_the_demo_data]

1. The ledger, the largest table by count: ``--entries`` entries bulk-loaded (COPY, the bench/ledger.py loader:
   real leaf hashes, perfect-subtree nodes and a signed head every 10,000) into a fresh, migrated database that
   the script creates and drops; then the heap, index and total bytes of ``ledger_entry`` and ``ledger_node`` per
   entry, after VACUUM ANALYZE. The reference is the entries' own bytes (kind, subject, payload, hashes).
2. With ``--demo-url``: for the tables a province's volume is counted in (projects, notices, bids, ledger
   entries, search documents), the rows and the average width of a row as stored (``pg_column_size``) in a
   database holding the demo data, and the average ledger payload there (the bulk-loaded payloads are shorter).

It prints figures only and asserts nothing about them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import create_engine, text  # noqa: E402

TABLES = ("project", "notice", "bid", "ledger_entry", "ledger_node", "search_doc")


def _mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def ledger_bytes(pg_url: str, entries: int) -> None:
    import ledger as ledger_bench  # bench/ledger.py
    from sunshine.migrate import upgrade

    with ledger_bench.postgres_database(pg_url) as url, tempfile.TemporaryDirectory() as folder:
        db = ledger_bench.open_database(url, Path(folder))
        try:
            upgrade(db.engine)
            log = ledger_bench.build_big_log(entries)
            raw = sum(len(r[1]) + len(r[2]) + len(r[3]) + len(r[4]) + len(r[6]) + 8 + 8 for r in log.entry_rows)
            ledger_bench.load_big_log(db, log)
            with db.engine.connect() as conn:
                print(f"ledger: {entries:,} entries bulk-loaded; their own bytes {raw / entries:.0f} B per entry")
                total = 0
                for table in ("ledger_entry", "ledger_node"):
                    heap, index, whole = conn.execute(
                        text("SELECT pg_relation_size(:t), pg_indexes_size(:t), pg_total_relation_size(:t)"),
                        {"t": table},
                    ).one()
                    total += whole
                    print(
                        f"  {table:13} heap {heap / entries:6.0f} B/entry   indexes {index / entries:6.0f} B/entry   "
                        f"total {whole / entries:6.0f} B/entry   ({_mib(whole)})"
                    )
                print(f"  ledger total {total / entries:.0f} B per entry; ratio to the entries' own bytes "
                      f"{total / raw:.2f}×")  # fmt: skip
        finally:
            db.dispose()


def demo_widths(demo_url: str) -> None:
    engine = create_engine(demo_url)
    try:
        with engine.connect() as conn:
            print("demo database: rows, average stored row width (pg_column_size), total relation size")
            for table in TABLES:
                exists = conn.execute(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table}).scalar()
                if not exists:
                    continue
                rows, width = conn.execute(text(f"SELECT count(*), avg(pg_column_size(t.*)) FROM {table} t")).one()
                whole = conn.execute(text("SELECT pg_total_relation_size(:t)"), {"t": table}).scalar()
                print(f"  {table:13} {rows:7,} rows   {float(width or 0):7.0f} B/row   {_mib(whole)}")
            payload = conn.execute(text("SELECT avg(octet_length(payload)) FROM ledger_entry")).scalar()
            print(f"  ledger payload on average {float(payload or 0):.0f} B (demo)")
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", required=True, help="a server URL; the script creates and drops its database")
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--demo-url", help="a database holding the demo data (sunshine demo-data)")
    args = parser.parse_args()
    ledger_bytes(args.pg_url, args.entries)
    if args.demo_url:
        demo_widths(args.demo_url)


if __name__ == "__main__":
    main()
