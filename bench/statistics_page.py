"""Statistics page on an existing database: the public page's tables as the page computes them
(``monitoring.statistics.tables`` over ``PUBLIC_TABLES``), ``--runs`` times, p50 and p99 per database, and the
ratio of SQLite's p99 to PostgreSQL's measured in the same run (1.0 = as fast).

    python bench/statistics_page.py --sqlite-url sqlite:////path/db.sqlite --pg-url postgresql+psycopg://… [--runs 20]

The databases are read as they are (e.g. the ones ``bench/opendata.py`` fills; no migration is run). The two are
measured alternately, one page each in turn, so that both see the same machine load. Figures are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite-url", required=True)
    parser.add_argument("--pg-url", required=True)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from sqlalchemy import func, select

    from sunshine import domains
    from sunshine.db import Database
    from sunshine.monitoring import statistics
    from sunshine.trading.models import Project

    domains.install()
    databases = {"SQLite": Database(args.sqlite_url), "PostgreSQL": Database(args.pg_url)}
    times: dict[str, list[float]] = {k: [] for k in databases}
    sessions = {k: db.unit_of_work(read_only=True) for k, db in databases.items()}
    opened = {k: cm.__enter__() for k, cm in sessions.items()}
    try:
        counts = {k: s.scalar(select(func.count(Project.id))) for k, s in opened.items()}
        for _ in range(args.runs):
            for name, s in opened.items():
                start = time.perf_counter()
                statistics.tables(s, statistics.PUBLIC_TABLES, None)
                times[name].append(time.perf_counter() - start)
    finally:
        for cm in sessions.values():
            cm.__exit__(None, None, None)
    for name, values in times.items():
        print(
            f"{name:>10}: {counts[name]} projects, {args.runs} pages, "
            f"p50 {pct(values, 0.5):.0f} ms, p99 {pct(values, 0.99):.0f} ms"
        )
    print(f"SQLite p99 / PostgreSQL p99 = {pct(times['SQLite'], 0.99) / pct(times['PostgreSQL'], 0.99):.2f}")


if __name__ == "__main__":
    main()
