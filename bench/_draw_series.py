"""The expert-pool benchmark's draws alone (``bench/draws.py --pool N --draws K``): K committee draws one after the
other on the built pool, each timed as the centre's request runs it — the candidate list from the database, the
commitment (``draws.service.prepare``), and the order with its first calls as the reveal computes them — with a
reference read interleaved before each draw, so that both see the same load; and one draw under cProfile
(``--profile``).

The reference is the least any candidate list must read: the (expert, specialty) rows of the requested specialties
and the codes under them, by the index on the code, with the driver's cursor (no ORM, no decision, no join) — the
v2 commitment covers every holder, eligible or not, so every draw reads at least these rows.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select


@contextlib.contextmanager
def timed_prepare(into: dict[str, float]) -> Iterator[None]:
    """While open, ``draws.service.prepare`` as the committees call it is timed into ``into["prepare"]``
    (wall) and ``into["prepare_cpu"]``."""
    from sunshine.committees import drawing

    real = drawing.draws.prepare

    def timed(*args, **kwargs):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            into["prepare"] = time.perf_counter() - t0
            into["prepare_cpu"] = time.process_time() - c0

    drawing.draws.prepare = timed
    try:
        yield
    finally:
        drawing.draws.prepare = real


def reference_read(db, requested: list[str]) -> float:
    """Seconds to read the holders of ``requested`` (and the codes under them): see the module's text."""
    from sunshine.experts import poolquery
    from sunshine.experts.models import ExpertSpecialty
    from sunshine.experts.pool import covers

    t0 = time.perf_counter()
    with db.unit_of_work(read_only=True) as s:
        tree = poolquery.tree_codes(s)
        codes = sorted({c for r in requested for c in tree if covers(c, r)} | set(requested))
        stmt = select(ExpertSpecialty.expert_id, ExpertSpecialty.specialty_code).where(
            ExpertSpecialty.specialty_code.in_(codes)
        )
        result = s.connection().execute(stmt)
        rows = result.cursor.fetchall() if result.cursor is not None else result.all()
    assert rows
    return time.perf_counter() - t0


def one_draw(db, w, clock) -> dict[str, float]:
    """One draw as the centre runs it (list + prepare in ``start_draw``'s transaction), then the order and first
    calls as the reveal computes them (a fresh seed), the request set aside afterwards (untimed). The world ``w``
    brings its requested codes and how to file and set aside a request (``w.requested``, ``w.request``,
    ``w.set_aside``: bench/_expert_pool.py)."""
    REQUESTED, _request, _set_aside = w.requested, w.request, w.set_aside  # noqa: N806

    from sunshine.committees import drawing
    from sunshine.draws import engine, pooldata
    from sunshine.draws import service as draws

    t: dict[str, float] = {"reference": reference_read(db, [code for code, _ in REQUESTED])}
    rid = _request(db, w, clock)
    t0, c0 = time.perf_counter(), time.process_time()
    with timed_prepare(t), db.unit_of_work() as s:
        code = drawing.start_draw(s, w.centre, rid).draw_code
    t["start_draw"] = time.perf_counter() - t0
    t["list"] = t["start_draw"] - t["prepare"]
    cpu = time.process_time() - c0
    with db.unit_of_work(read_only=True) as s:
        d = draws.get(s, code)
        pool = pooldata.of(s, d)  # kept by this process since prepare, as at the reveal
        seed = engine.new_secret()
        t0, c0 = time.perf_counter(), time.process_time()
        order = pool.order(d.code, seed)
        engine.assign(order, draws.groups_of(d), order.groups)
        t["order"] = time.perf_counter() - t0
        t["cpu"] = cpu + time.process_time() - c0
    t["draw"] = t["start_draw"] + t["order"]
    _set_aside(db, rid)
    clock.advance(timedelta(minutes=1))
    return t


def _p(values: list[float], q: int) -> float:
    """The ``q``-th percentile (inclusive method: with fewer than 100 values, p99 is near the largest)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def draw_series(db, w, clock, n: int) -> dict[str, list[float]]:
    """``n`` v2 draws alone (``one_draw``), each part's times (``report`` prints them)."""
    from sunshine.draws import service as draws_service

    draws_service.DEFAULT_CONSTRUCTION = "sunshine-draw-v2"
    one_draw(db, w, clock)  # the first draw of the process compiles the statements: not counted
    runs = [one_draw(db, w, clock) for _ in range(n)]
    return {k: [r[k] for r in runs] for k in runs[0]}


def report(cols: dict[str, list[float]], label: str) -> None:
    """Prints p50, p99 and the minimum of each part of the draws of ``draw_series``, and the ratio to the reference."""
    ref = statistics.median(cols["reference"])
    print(
        f"\nThe draw alone on {label}, {len(cols['draw'])} draws (v2; after one untimed): each the candidate list "
        f"from the database, prepare (commitment), order and first calls; reference read before each draw"
    )
    print(f"  {'':<22} {'p50':>10}    {'p99':>10}    {'min':>10}    {'p50 × ref':>9}")
    for key, name in (
        ("draw", "the draw"),
        ("list", "  candidate list"),
        ("prepare", "  prepare"),
        ("order", "  order+calls"),
        ("cpu", "  CPU of this process"),
        ("reference", "reference read"),
    ):
        v = cols[key]
        print(
            f"  {name:<22} {_p(v, 50) * 1000:10.1f} ms {_p(v, 99) * 1000:10.1f} ms {min(v) * 1000:10.1f} ms "
            f"{_p(v, 50) / ref:9.2f}"
        )
    print(
        "  (reference: the requested specialties' (expert, code) rows by the code index, driver cursor — the least "
        "any candidate list reads)"
    )


def _profiled(title: str, fn) -> object:
    """``fn()`` under cProfile; prints the functions that took the most time, inclusive and own."""
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    result = prof.runcall(fn)
    wall = time.perf_counter() - t0
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(order).print_stats(22)
        text = out.getvalue()
        print(f"\n--- profile: {title}, {wall * 1000:.1f} ms under the profiler, by {order}")
        print(text[text.index("   ncalls") :].rstrip() if "   ncalls" in text else text)
    return result


def profile_draw(db, w, clock) -> None:
    """One v2 draw under cProfile: ``start_draw`` (the candidate list and ``prepare``) and the room's steps as the
    service runs them (sign-ins, commitment, start, reveal with its calls and deliveries)."""
    from sunshine.committees import drawing
    from sunshine.draws import engine
    from sunshine.draws import service as draws

    _request, _set_aside = w.request, w.set_aside
    rid = _request(db, w, clock)

    def start() -> str:
        with db.unit_of_work() as s:
            return drawing.start_draw(s, w.centre, rid).draw_code

    code = _profiled("start_draw (list + prepare)", start)
    party = f"supervisor:{w.supervisor.user_id}"
    secret = engine.new_secret()

    def room() -> None:
        for who in (w.supervisor, w.centre, w.agency):
            with db.unit_of_work() as s:
                draws.sign_in(s, who, code)
        with db.unit_of_work() as s:
            draws.commit(s, w.supervisor, code, engine.commitment(code, party, secret))
        with db.unit_of_work() as s:
            draws.start_reveal(s, w.centre, code)
        with db.unit_of_work() as s:
            draws.reveal(s, w.supervisor, code, secret)

    _profiled("the room (sign-in ×3, commitment, start, reveal)", room)
    _set_aside(db, rid)
    clock.advance(timedelta(minutes=1))
