"""How long a commit on the PostgreSQL primary takes to become visible on a streaming standby: starts a standby of the
server at ``--pg-url`` (tests/standby.py: pg_basebackup, a free port, as root), commits ``--commits`` small rows one
by one into a scratch table, and after each polls the standby until it has replayed the commit's WAL position.
Prints the commit time (the reference, measured in the same run), the time until the standby shows the row, and
their ratio; then drops the table and removes the standby.

    .venv/bin/python bench/replica_lag.py --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for tests/standby.py

from sqlalchemy import create_engine, text  # noqa: E402

from tests.standby import start_standby  # noqa: E402


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", required=True)
    parser.add_argument("--commits", type=int, default=200)
    args = parser.parse_args()
    primary = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    with primary.connect() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS bench_replica_lag (id bigserial PRIMARY KEY, body text)"))
    started = time.perf_counter()
    standby_gen = start_standby(args.pg_url)
    standby = next(standby_gen)
    print(f"standby started in {time.perf_counter() - started:.1f} s (base backup and start)")
    commits, visible = [], []
    try:
        with primary.connect() as conn, standby.engine.connect() as replica:
            for i in range(args.commits):
                t0 = time.perf_counter()
                conn.execute(text("INSERT INTO bench_replica_lag (body) VALUES (:b)"), {"b": f"row {i}" * 20})
                t1 = time.perf_counter()
                lsn = conn.execute(text("SELECT pg_current_wal_lsn()")).scalar()
                query = text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)")
                while not replica.execute(query, {"lsn": str(lsn)}).scalar():
                    time.sleep(0.0005)
                t2 = time.perf_counter()
                commits.append((t1 - t0) * 1000)
                visible.append((t2 - t0) * 1000)
    finally:
        for _ in standby_gen:
            pass
        with primary.connect() as conn:
            conn.execute(text("DROP TABLE IF EXISTS bench_replica_lag"))
        primary.dispose()
    for name, values in (("primary commit (reference)", commits), ("visible on the standby", visible)):
        print(
            f"{name:28} p50 {statistics.median(values):7.2f} ms   p99 {_pct(values, 0.99):7.2f} ms   "
            f"max {max(values):7.2f} ms"
        )
    ratio = statistics.median(visible) / statistics.median(commits)
    print(f"ratio visible/commit (p50): {ratio:.2f}×   commits: {len(commits)}")


if __name__ == "__main__":
    main()
