"""Draw benchmark (``make bench-draws``): what one publicly verifiable draw costs, and its replay.

    python bench/draws.py [--sizes 1000,10000,100000] [--pool 100000] [--rounds 3] [--pg-url URL]
                          [--skip-sqlite] [--db-sizes 1000,100000] [--provider module:function]
                          [--draws 20] [--keep FOLDER] [--profile]

Engine (pure, no database): for a list of N candidates — leaves (salt, RFC 8785, SHA-256 each), pool and list
hashes, commitments, seed, Fisher–Yates order, and the calls for 9 seats in 3 groups (3 each, 1 reserve each)
with 3 declines replaced — and the replay a verifier does from the disclosed public record (``engine.verify``:
every leaf recomputed, eligible list, hashes, seed, order, calls). The reference, measured in the same run, is
SHA-256 of the same leaf inputs with ``hashlib`` alone (the floor of any scheme that commits to each entry).

Expert pool (``--pool N``, default 100,000; 0 skips it; ``bench/_expert_pool.py``): a real pool of N experts
written to a fresh database (SQLite, then PostgreSQL with ``--pg-url`` or ``SUNSHINE_TEST_POSTGRES_URL``), 200
organisations to avoid (the tenderer, the agency and the section's bidders), a request for 9 experts from three
specialties; per round, each phase as the requests run it — the candidate list through the avoidance rules,
``start_draw`` (list and ``prepare``), the room, 3 declines replaced, the public record, ``engine.verify`` and
``sunshine draw verify`` — with the median of the rounds; before the rounds ``--draws K`` draws alone (list,
prepare, order and first calls) give p50 and p99 (``bench/_draw_series.py``). The reference of both, read before
each draw in the same run: the requested specialties' (expert, code) rows by the code index with the driver's
cursor, the least any candidate list reads. ``--keep FOLDER`` keeps the built pool (the SQLite file, the PostgreSQL
database ``<--pg-url's database>_pool``) and reuses it; ``--profile`` runs one draw under cProfile first.

Service with synthetic candidates (``--db-sizes``, off by default): ``prepare``, the room and ``record.build``
for lists of the given sizes, candidates from a provider ``provider(session, n) -> list[draws.service.Candidate]``
(``--provider module:function``; the default makes synthetic ones). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
try:
    import sunshine  # noqa: F401
except ImportError:  # running from a checkout without the package installed
    sys.path.insert(0, str(ROOT / "src"))

import _expert_pool  # noqa: E402
import _serve  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from sunshine.draws import engine, replay  # noqa: E402

GROUPS = [
    {"code": "A01", "label": "房屋建筑", "count": 3, "reserve": 1},
    {"code": "A02", "label": "市政工程", "count": 3, "reserve": 1},
    {"code": "B01", "label": "工程造价", "count": 3, "reserve": 1},
]
REASONS = {"on_leave": "休假", "conflict": "与投标人存在利害关系", "suspended": "暂停抽取"}
PURPOSE = "bench_panel"


def synthetic_candidates(session, n: int) -> list:
    """N candidates, deterministic: one or two of the three groups each, about one in six excluded."""
    from sunshine.draws.service import Candidate

    codes = [g["code"] for g in GROUPS]
    out = []
    for i in range(n):
        groups = [codes[i % 3]] if i % 4 else [codes[i % 3], codes[(i + 1) % 3]]
        status = "eligible" if i % 6 else list(REASONS)[i % 3]
        out.append(Candidate(f"expert:{i + 1}", [g for g in codes if g in groups], status))
    return out


def load_provider(spec: str | None) -> Callable:
    if not spec:
        return synthetic_candidates
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _timed(fn, rounds: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:10.1f} ms"


# --------------------------------------------------------------------------------------------------
# Engine
# --------------------------------------------------------------------------------------------------


def engine_draw(code: str, candidates: list) -> dict:
    """The whole construction for one draw; returns the public record as the platform would disclose it."""
    salts = engine.new_salts(len(candidates))  # as ``prepare`` does it: in bulk
    leaves = engine.leaves(code, [(c.ref, salt, c.groups, c.status) for c, salt in zip(candidates, salts, strict=True)])
    rows = list(zip(leaves, candidates, salts, strict=True))
    pool = sorted(leaves)
    pool_h = engine.pool_hash(pool)
    pairs = sorted((lf, c.groups) for lf, c, _ in rows if c.status == engine.ELIGIBLE)
    list_h = engine.list_hash_of_pairs(code, GROUPS, pairs, pool_h)
    eligible = engine.eligible_list(pairs)
    secrets = {"platform": engine.new_secret(), "supervisor:7": engine.new_secret()}
    parties = [
        {
            "party": p,
            "label": p,
            "commitment": engine.commitment(code, p, s),
            "revealed": True,
            "defaulted": False,
            "secret": s,
        }
        for p, s in secrets.items()
    ]
    seed = engine.seed(list_h, secrets)
    order = engine.order_of_leaves(seed, [lf for lf, _ in pairs])
    groups_of = {e["leaf"]: e["groups"] for e in eligible}
    first = engine.assign(order, GROUPS, groups_of)
    declined = [c.leaf for c in first.calls if c.kind == "seat"][:3]
    outcomes = [{"leaf": lf, "outcome": "declined"} for lf in declined]
    final = engine.assign(order, GROUPS, groups_of, outcomes)
    return {
        "version": engine.VERSION,
        "code": code,
        "groups": GROUPS,
        "pool": pool,
        "pool_hash": pool_h,
        "eligible": eligible,
        "list_hash": list_h,
        "parties": parties,
        "beacon": {"source": "", "value": ""},
        "seed": seed,
        "order": order,
        "outcomes": outcomes,
        "assignment": final.as_dicts(),
        "candidates": [
            {"leaf": lf, "ref": c.ref, "salt": salt, "groups": list(c.groups), "status": c.status}
            for lf, c, salt in rows
        ],
        "reasons": REASONS,
        "ledger": [],
    }


def engine_draw_v2(code: str, candidates: list) -> dict:
    """The same draw in construction ``sunshine-draw-v2``: one salted commitment to the pool sorted by ref, the
    order computed only as far as the calls go (``draws.v2``)."""
    from sunshine.draws import pooldata, v2
    from sunshine.draws.types import CandidateColumns

    pool = pooldata.build_columns(engine.new_secret(), CandidateColumns.of(candidates))
    m = len(pool.eligible_index)
    pool_h = v2.pool_hash_of_text(pool.text(code))
    list_h = v2.list_hash(code, GROUPS, pool_h, len(pool), m)
    secrets = {"platform": engine.new_secret(), "supervisor:7": engine.new_secret()}
    parties = [
        {
            "party": p,
            "label": p,
            "commitment": engine.commitment(code, p, s),
            "revealed": True,
            "defaulted": False,
            "secret": s,
        }
        for p, s in secrets.items()
    ]
    seed = engine.seed(list_h, secrets)
    order = pool.order(code, seed)
    first = engine.assign(order, GROUPS, order.groups)
    outcomes = [{"leaf": c.leaf, "outcome": "declined"} for c in first.calls if c.kind == "seat"][:3]
    final = engine.assign(order, GROUPS, order.groups, outcomes)
    return {
        "version": v2.VERSION,
        "code": code,
        "groups": GROUPS,
        "pool_size": len(pool),
        "eligible_count": m,
        "pool_hash": pool_h,
        "list_hash": list_h,
        "parties": parties,
        "beacon": {"source": "", "value": ""},
        "seed": seed,
        "order": order.prefix(),
        "outcomes": outcomes,
        "assignment": final.as_dicts(),
        "salt": pool.salt,
        "candidates": pool.entries(),
        "reasons": REASONS,
        "ledger": [],
    }


def leaf_inputs(record: dict) -> list[bytes]:
    code = record["code"]
    return [
        (
            f"{engine.VERSION}|candidate|"
            + engine.jcs(
                {"draw": code, "ref": c["ref"], "salt": c["salt"], "groups": c["groups"], "status": c["status"]}
            )
        ).encode()
        for c in record["candidates"]
    ]


def bench_engine(sizes: list[int], rounds: int, provider: Callable) -> None:
    print(f"\nEngine (no database), median of {rounds}:")
    print(
        f"{'candidates':>10} {'eligible':>9} {'v2 draw':>13} {'v2 replay':>13} {'v1 draw':>13} {'v1 replay':>13}"
        f" {'reference':>13} {'v2 ×ref':>8} {'v1 ×ref':>8}"
    )
    for n in sizes:
        candidates = provider(None, n)
        code = "CQ20261202BENCH"
        draw2_s, record2 = _timed(lambda c=candidates, k=code: engine_draw_v2(k, c), rounds)
        verify2_s, report2 = _timed(lambda r=record2: replay.verify(r), rounds)
        assert report2.ok, report2.as_dict()
        draw_s, record = _timed(lambda c=candidates, k=code: engine_draw(k, c), rounds)
        verify_s, report = _timed(lambda r=record: replay.verify(r), rounds)
        assert report.ok, report.as_dict()
        inputs = leaf_inputs(record)
        ref_s, _ = _timed(lambda i=inputs: [hashlib.sha256(b).digest() for b in i], rounds)
        print(
            f"{n:>10} {record2['eligible_count']:>9} {ms(draw2_s)} {ms(verify2_s)} {ms(draw_s)} {ms(verify_s)}"
            f" {ms(ref_s)} {draw2_s / ref_s:>7.2f}× {draw_s / ref_s:>7.1f}×"
        )


# --------------------------------------------------------------------------------------------------
# Service, on a database
# --------------------------------------------------------------------------------------------------


def open_database(url: str, data_dir: Path):
    from sunshine.config import get_settings
    from sunshine.db import Database
    from sunshine.ledger.signing import _cached
    from sunshine.migrate import upgrade

    os.environ["SUNSHINE_DATABASE_URL"] = url
    os.environ["SUNSHINE_DATA_DIR"] = str(data_dir)
    os.environ["SUNSHINE_SCHEDULER"] = "false"
    os.environ["SUNSHINE_PASSWORD_HASHING"] = "insecure-fast-for-tests"
    get_settings.cache_clear()
    _cached.cache_clear()
    db = Database(url)
    upgrade(db.engine)
    return db


def _officials(db) -> dict:
    from sunshine.core.auth import Principal
    from sunshine.identity import service as identity
    from sunshine.identity.roles import Role

    out = {}
    with db.unit_of_work() as s:
        for name, role in (("centre", Role.CENTRE_STAFF), ("supervisor", Role.SUPERVISOR)):
            user = identity.create_user(
                s,
                username=f"bench-{name}-{os.getpid()}",
                display_name=name,
                password="bench-password-1234",
                roles=[role],
            )
            s.flush()
            out[name] = Principal(user_id=user.id, username=user.username, display_name=name, roles=frozenset({role}))
    return out


def bench_service(label: str, url: str, sizes: list[int], provider: Callable) -> None:
    from sunshine.draws import purposes, reasons, record
    from sunshine.draws import service as draws

    purposes.register(PURPOSE, "基准测试抽取")
    for code, text in REASONS.items():
        reasons.register(code, text)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(url, Path(folder))
        people = _officials(db)
        party = f"supervisor:{people['supervisor'].user_id}"
        print(f"\nService on {label}:")
        print(f"{'candidates':>10} {'list':>13} {'prepare':>13} {'room+draw':>13} {'record':>13} {'verify':>13}")
        for n in sizes:
            t0 = time.perf_counter()
            with db.unit_of_work(read_only=True) as s:
                candidates = provider(s, n)
            t_list = time.perf_counter() - t0
            t0 = time.perf_counter()
            with db.unit_of_work() as s:
                code = draws.prepare(
                    s,
                    people["centre"],
                    purpose=PURPOSE,
                    title=f"基准测试抽取（{n} 人）",
                    owner=f"bench:{n}",
                    groups=[draws.Group(g["code"], g["label"], g["count"], g["reserve"]) for g in GROUPS],
                    candidates=candidates,
                    parties=[draws.PartySpec(party, "行政监督人员", people["supervisor"].user_id)],
                    witnesses=[draws.WitnessSpec("supervisor", "行政监督部门")],
                    scheduled_at=datetime.now(UTC),
                ).code
            t_prepare = time.perf_counter() - t0
            secret = engine.new_secret()
            t0 = time.perf_counter()
            with db.unit_of_work() as s:
                draws.sign_in(s, people["supervisor"], code)
            with db.unit_of_work() as s:
                draws.commit(s, people["supervisor"], code, engine.commitment(code, party, secret))
            with db.unit_of_work() as s:
                draws.start_reveal(s, people["centre"], code)
            with db.unit_of_work() as s:
                draws.reveal(s, people["supervisor"], code, secret)
            t_room = time.perf_counter() - t0
            with db.unit_of_work() as s:
                draws.disclose(s, code)
            t0 = time.perf_counter()
            with db.unit_of_work(read_only=True) as s:
                data = record.build(s, draws.get(s, code))
            t_record = time.perf_counter() - t0
            t0 = time.perf_counter()
            report = replay.verify(data)
            t_verify = time.perf_counter() - t0
            assert report.ok, report.as_dict()
            print(f"{n:>10} {ms(t_list)} {ms(t_prepare)} {ms(t_room)} {ms(t_record)} {ms(t_verify)}")
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="engine: list sizes")
    parser.add_argument(
        "--db-sizes", default="", help="service with synthetic candidates: list sizes (e.g. 1000,100000)"
    )
    parser.add_argument("--pool", type=int, default=100_000, help="experts in the real pool (0: skip)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg-url", default=os.environ.get("SUNSHINE_TEST_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--provider", default=None, help="module:function giving candidates (session, n)")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="expert pool: keep the built databases in this folder (SQLite file, PostgreSQL database "
        "<the --pg-url database>_pool) and reuse them in later runs",
    )
    parser.add_argument("--profile", action="store_true", help="expert pool: one draw under cProfile first")
    parser.add_argument("--draws", type=int, default=20, help="expert pool: draws alone for p50/p99 (0: none)")
    args = parser.parse_args()
    provider = load_provider(args.provider)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    db_sizes = [int(x) for x in args.db_sizes.split(",") if x]
    print(f"bench/draws.py: {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}")
    bench_engine(sizes, args.rounds, synthetic_candidates)
    if not args.skip_sqlite and db_sizes:
        with tempfile.TemporaryDirectory() as folder:
            bench_service("SQLite", f"sqlite:///{folder}/bench.db", db_sizes, provider)
    if args.pg_url and db_sizes:
        with _serve.postgres_database(args.pg_url, f"sunshine_bench_draws_{os.getpid()}") as url:
            bench_service("PostgreSQL", url, db_sizes, provider)
    keep = args.keep.resolve() if args.keep is not None else None
    if args.pool and not args.skip_sqlite:
        _expert_pool.bench_pool(
            "SQLite",
            lambda d: open_database(f"sqlite:///{d}/pool.db", d),
            args.pool,
            args.rounds,
            keep / "sqlite" if keep else None,
            args.profile,
            args.draws,
        )
    if args.pool and args.pg_url:
        if keep is not None:
            name = make_url(args.pg_url).database + "_pool"
            url = _serve.postgres_kept(args.pg_url, name, fresh=not (keep / "pg" / "world.pickle").exists())
            _expert_pool.bench_pool(
                "PostgreSQL",
                lambda d: open_database(url, d),
                args.pool,
                args.rounds,
                keep / "pg",
                args.profile,
                args.draws,
            )
        else:
            with _serve.postgres_database(args.pg_url, f"sunshine_bench_pool_{os.getpid()}") as url:
                _expert_pool.bench_pool(
                    "PostgreSQL",
                    lambda d: open_database(url, d),
                    args.pool,
                    args.rounds,
                    None,
                    args.profile,
                    args.draws,
                )


if __name__ == "__main__":
    main()
