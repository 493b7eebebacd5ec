"""The expert-pool draw benchmark's world: a real pool written to the database and a committee draw run phase by
phase as the requests would run it (``bench/draws.py --pool N``).

The world: ``N`` experts (accounts, roles, employers, one or two specialties each spread across the shipped tree,
a few on leave, suspended, banned, over age, out of term or with declared conflicts), written with SQLAlchemy core
bulk inserts; a procurement tender (tests' builders: its school, agency, supervisor, centre and bidders) whose
section has 195 more registered bidders, so that 200 organisations — the tenderer, the agency and 198 bidders —
must be avoided, and a tenth of the experts work for one of them.

Each round submits and approves a request for 9 experts from three specialties (3 each, 1 reserve each), then
times: the candidate list (``committees.avoidance.columns``: one SQL statement decides the pool's reasons and the
avoidance rules, ``experts.poolquery``), the whole ``committees.drawing.start_draw`` (list +
``draws.service.prepare`` in one transaction, as the centre's request runs), the ceremony in the draw room through
its API as the participants' browsers run it (sign-in of the three witnesses, the party's commitment, start,
reveal — which draws, records the seats and calls the experts — and the room read with the drawn list in it; each
step timed, no human wait), three declines with their replacements, the public record, ``engine.verify`` and
``sunshine draw verify`` as a citizen runs it, and ``python -m sunshine.draws.verify`` (the verifier alone).
Every round reads the candidate list from the database (nothing is kept between draws). Between rounds the
request is set aside (bookkeeping, untimed).
"""

from __future__ import annotations

import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import insert, select, update

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests' builders make the tender world
    sys.path.insert(0, str(ROOT))

import _draw_series  # noqa: E402

REQUESTED = [("A01", 3), ("A02", 3), ("B01", 3)]  # two second-level engineering codes, one goods code
AVOIDED = 200
EXTRA_BIDDERS = AVOIDED - 5  # the world has a tenderer, an agency and 3 bidders already
CONSTRUCTIONS = ("sunshine-draw-v2", "sunshine-draw-v1")  # the default, and the one before for comparison
EMPLOYERS = 2_000  # organisations the experts work for, the 200 avoided ones among them
CHUNK = 5_000


def _chunks(rows: list[dict]):
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


def _bulk(conn, table, rows: list[dict]) -> None:
    """Insert ``rows`` in executemany batches (ids are read back afterwards by a unique column)."""
    for part in _chunks(rows):
        conn.execute(insert(table), part)


def build_world(db, n: int) -> SimpleNamespace:
    """The tender, its 200 avoided organisations and ``n`` experts; timed by the caller."""
    from sunshine.credit.models import CreditBan
    from sunshine.experts.models import (
        Expert,
        ExpertConflict,
        ExpertLeave,
        ExpertSpecialty,
    )
    from sunshine.experts.specialties import shipped
    from sunshine.identity import credit_code
    from sunshine.identity.models import Organisation, User, UserRole
    from sunshine.trading.models import Registration
    from tests.committees.builders import procurement

    w = procurement(db, experts=0, deadline_days=21)
    now = datetime.now(UTC)
    with db.engine.begin() as conn:
        conn.execute(
            insert(Organisation),
            [
                {
                    "name": f"基准测试单位{i}",
                    "credit_code": credit_code.complete(f"91350100MB{i:07d}"),
                    "kind": "enterprise",
                    "region_code": "350100",
                    "created_at": now,
                }
                for i in range(EMPLOYERS)
            ],
        )
        orgs = list(
            conn.scalars(
                select(Organisation.id).where(Organisation.name.like("基准测试单位%")).order_by(Organisation.id)
            )
        )
        bidder_user = w.bidders[0].user_id
        conn.execute(
            insert(Registration),
            [
                {
                    "project_id": w.project_id,
                    "section_id": w.section_id,
                    "organisation_id": org,
                    "user_id": bidder_user,
                    "contact_name": "王经理",
                    "contact_phone": "13800138000",
                    "registered_at": now,
                }
                for org in orgs[:EXTRA_BIDDERS]
            ],
        )
        avoided = [w.school, w.agency_org, *w.firms, *orgs[:EXTRA_BIDDERS]]
        employers = avoided + orgs[EXTRA_BIDDERS:]
        _bulk(
            conn,
            User,
            [
                {
                    "username": f"pool-expert-{i}",
                    "display_name": f"专家{i}",
                    "password_hash": "!",
                    "is_active": True,
                    "created_at": now,
                }
                for i in range(n)
            ],
        )
        users = list(conn.scalars(select(User.id).where(User.username.like("pool-expert-%")).order_by(User.id)))
        _bulk(conn, UserRole, [{"user_id": u, "role": "expert"} for u in users])
        rows = []
        for i, user_id in enumerate(users):
            rows.append(
                {
                    "code": f"ZJB{i:07d}",
                    "user_id": user_id,
                    "name": f"专家{i}",
                    "employer_organisation_id": employers[i % len(employers)],
                    "title": "高级工程师",
                    "title_level": "senior",
                    "practice_since": 2000,
                    "education": "",
                    "regions": " 350100 ",
                    "date_of_birth": date(1950, 1, 1) if i % 197 == 0 else date(1960 + i % 30, 1 + i % 12, 1),
                    "mobile": "13905910001",
                    "id_number": "350102197505011234",
                    "email": "",
                    "status": "active",
                    "admitted_on": date(2024, 1, 1),
                    "term_starts_on": date(2024, 1, 1),
                    "term_ends_on": date(2025, 12, 31) if i % 211 == 0 else date(2028, 12, 31),
                    "is_demo": False,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        _bulk(conn, Expert, rows)
        experts = list(conn.scalars(select(Expert.id).where(Expert.code.like("ZJB%")).order_by(Expert.id)))
        leaves = [code for code, _, _ in shipped().entries if len(code) == 5]
        specs = []
        for i, expert_id in enumerate(experts):
            held = [leaves[i % len(leaves)]]
            if i % 3 == 0:
                second = leaves[(i * 7 + 3) % len(leaves)]
                if second != held[0]:
                    held.append(second)
            specs += [{"expert_id": expert_id, "specialty_code": c, "is_main": k == 0} for k, c in enumerate(held)]
        _bulk(conn, ExpertSpecialty, specs)
        today = datetime.now(UTC).date()
        _bulk(
            conn,
            ExpertLeave,
            [
                {
                    "expert_id": e,
                    "starts_on": today - timedelta(days=10),
                    "ends_on": today + timedelta(days=60),
                    "reason": "出差",
                    "created_at": now,
                }
                for e in experts[5::101]
            ],
        )
        _bulk(
            conn,
            CreditBan,  # an expert's suspension or ban: credit's one record of exclusions
            [
                {
                    "expert_id": e,
                    "kind": "ban" if k % 4 == 0 else "suspension",
                    "starts_on": today - timedelta(days=30),
                    "ends_on": None,
                    "basis": "考核不合格",
                    "decision_no": "",
                    "created_at": now,
                    "ledger_seq": 0,
                }
                for k, e in enumerate(experts[7::251])
            ],
        )
        _bulk(
            conn,
            ExpertConflict,
            [
                {
                    "expert_id": e,
                    "organisation_id": avoided[k % len(avoided)],
                    "relation": "former_employer",
                    "note": "",
                    "declared_at": now - timedelta(days=100),
                }
                for k, e in enumerate(experts[11::173])
            ],
        )
    w.avoided = avoided
    w.expert_count = len(experts)
    return w


def _request(db, w, clock):
    from sunshine.committees import service
    from sunshine.committees.service import RequestIn

    data = RequestIn(
        section_id=w.section_id,
        purpose="evaluation",
        specialties=list(REQUESTED),
        reserve=1,
        representatives=0,
        meeting_at=w.deadline + timedelta(days=1),
        place_kind="room",
        place="第三评标室",
    )
    with db.unit_of_work() as s:
        rid = service.submit(s, w.agency, w.project_id, data).id
    with db.unit_of_work() as s:
        row = s.get(service.DrawRequest, rid)
        if row.state == "submitted":
            service.approve(s, w.supervisor, rid)
    return rid


def _set_aside(db, rid: int) -> None:
    """Bookkeeping between rounds: the request leaves the open states so that the next one may be submitted."""
    from sunshine.committees.models import DrawRequest

    with db.unit_of_work() as s:
        s.execute(update(DrawRequest).where(DrawRequest.id == rid).values(state="cancelled"))


def run_round(db, w, clock, data_dir: Path) -> dict[str, float]:
    from sunshine.committees import avoidance, drawing
    from sunshine.committees.models import DrawRequest
    from sunshine.draws import engine, pooldata, record, replay
    from sunshine.draws import service as draws
    from sunshine.trading.models import Project

    t: dict[str, float] = {"reference": _draw_series.reference_read(db, [code for code, _ in REQUESTED])}
    rid = _request(db, w, clock)
    t0 = time.perf_counter()
    with db.unit_of_work(read_only=True) as s:
        row, project = s.get(DrawRequest, rid), s.get(Project, w.project_id)
        cols, statuses = avoidance.columns(s, row, project)
    t["list"] = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    with _draw_series.timed_prepare(t), db.unit_of_work() as s:
        code = drawing.start_draw(s, w.centre, rid).draw_code
    t["start_draw"] = time.perf_counter() - t0
    cpu = time.process_time() - c0
    t.update(ceremony(w, code))
    with db.unit_of_work(read_only=True) as s:  # the draw's own computation at the reveal, from the kept pool
        d = draws.get(s, code)
        pool = pooldata.of(s, d)
        t0, c0 = time.perf_counter(), time.process_time()
        if isinstance(pool, pooldata.PoolV2):
            order = pool.order(d.code, d.seed)
            engine.assign(order, draws.groups_of(d), order.groups)
        else:
            order = engine.order_of_leaves(d.seed, pool.eligible_leaves)
            engine.assign(order, draws.groups_of(d), pool.groups_by_leaf)
        t["order"] = time.perf_counter() - t0
        t["cpu_draw"] = cpu + time.process_time() - c0
    with db.unit_of_work(read_only=True) as s:
        firsts = [x.leaf for x in draws.seats(s, draws.get(s, code)) if x.kind == "seat"][:3]
    t0 = time.perf_counter()
    for leaf in firsts:
        with db.unit_of_work() as s:
            draws.record_outcome(s, w.centre, code, leaf, "declined", "出差")
    t["declines"] = time.perf_counter() - t0
    with db.unit_of_work() as s:
        drawing.disclose_project(s, s.get(Project, w.project_id))
    t0 = time.perf_counter()
    with db.unit_of_work(read_only=True) as s:
        data = record.build(s, draws.get(s, code))
    t["record"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = replay.verify(data)
    t["verify"] = time.perf_counter() - t0
    assert report.ok, [c for c in report.checks if not c.ok]
    path = data_dir / f"{code}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sunshine.cli", "draw", "verify", str(path)], capture_output=True, env=_cli_env()
    )
    t["cli"] = time.perf_counter() - t0
    assert done.returncode == 0, done.stdout.decode()[-2000:]
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sunshine.draws.verify", str(path)], capture_output=True, env=_cli_env()
    )
    t["verifier"] = time.perf_counter() - t0
    assert done.returncode == 0, done.stdout.decode()[-2000:]
    t["pool"] = len(cols)
    t["eligible"] = len(cols) - len(statuses)
    t["drawn"] = sum(1 for x in data["assignment"] if x["kind"] == "seat" and x["state"] == "called")
    _set_aside(db, rid)
    return t


CEREMONY = [  # the room's steps as the people in it take them, each its own request (method, path, who)
    ("sign_in_supervisor", "sign-in", "supervisor"),
    ("sign_in_centre", "sign-in", "centre"),
    ("sign_in_agency", "sign-in", "agency"),
    ("commit", "commitment", "supervisor"),
    ("start", "start", "centre"),
    ("reveal", "reveal", "supervisor"),
]


def ceremony(w, code: str) -> dict[str, float]:
    """The witnessed draw through the draw room's API as its participants' browsers run it — three witnesses sign
    in, the supervisor's browser commits, the centre starts (the platform reveals), the supervisor's browser
    reveals (the draw, its seats, the calls to the experts) — and the room as everyone's page then reads it, the
    drawn list in it. Human waits are not in it: each request is sent when the one before has answered. Returns
    the time of each step until its response was sent, the work each ran after it (``<step>_after``: the reveal's
    SMS and voice calls to the gateway) and ``ceremony``, the sum of the answers (first sign-in to drawn list)."""
    from sunshine.draws import engine

    secret = engine.new_secret()
    body = {
        "commitment": {"commitment": engine.commitment(code, f"supervisor:{w.supervisor.user_id}", secret)},
        "reveal": {"secret": secret},
    }
    t: dict[str, float] = {}
    w.client.get(f"/api/v1/draws/{code}/room", headers=w.tokens["centre"])  # the room opened: before the ceremony
    for key, path, who in CEREMONY:
        t0 = time.perf_counter()
        r = w.client.post(f"/api/v1/draws/{code}/{path}", json=body.get(path), headers=w.tokens[who])
        t[key] = w.answered.at - t0  # answered; the work after the response (the calls' deliveries) apart
        t[key + "_after"] = time.perf_counter() - w.answered.at
        assert r.status_code == 200, r.text
    t0 = time.perf_counter()
    room = w.client.get(f"/api/v1/draws/{code}/room", headers=w.tokens["centre"]).json()
    t["room_read"] = time.perf_counter() - t0
    assert room["state"] == "drawn" and room["calls"], room
    t["ceremony"] = sum(t[k] for k, _, _ in CEREMONY) + t["room_read"]
    t["room"] = t["ceremony"]
    return t


class Answered:
    """The application, noting when each response's last byte is handed to the client: what the person in the room
    waits for (work the request runs after its response, such as the calls' SMS, is not in it)."""

    def __init__(self, app) -> None:
        self.app, self.at = app, 0.0

    async def __call__(self, scope, receive, send) -> None:
        async def noted(message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                self.at = time.perf_counter()

        await self.app(scope, receive, noted)


def open_client(db, w) -> None:
    """The application over the benchmark's database, in this process, and the participants' API tokens."""
    from fastapi.testclient import TestClient

    from sunshine.app import create_app
    from sunshine.config import get_settings
    from tests.builders import PASSWORD

    w.answered = Answered(create_app(get_settings(), db, run_scheduler=False))
    w.client = TestClient(w.answered, base_url="https://testserver")
    w.client.__enter__()
    w.tokens = {}
    for who in ("supervisor", "centre", "agency"):
        r = w.client.post("/api/v1/auth/token", json={"username": getattr(w, who).username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        w.tokens[who] = {"Authorization": f"Bearer {r.json()['access_token']}"}


def _cli_env() -> dict[str, str]:
    """The command runs the same sources as the benchmark (those ``sunshine`` was imported from)."""
    import sunshine

    env = dict(os.environ, COLUMNS="200")
    env["PYTHONPATH"] = os.pathsep.join([str(Path(sunshine.__file__).resolve().parents[1]), env.get("PYTHONPATH", "")])
    return env


def references(db, data_dir: Path, record_path: Path | None) -> dict[str, float]:
    """What the same run measures to compare with: a plain SELECT of the pool's rows (experts and specialties),
    and the interpreter starting with the command line imported (the floor of any ``sunshine`` command)."""
    from sunshine.experts.models import Expert, ExpertSpecialty

    t: dict[str, float] = {}
    t0 = time.perf_counter()
    with db.unit_of_work(read_only=True) as s:
        s.execute(select(ExpertSpecialty.expert_id, ExpertSpecialty.specialty_code)).all()
        s.execute(select(Expert.id, Expert.employer_organisation_id, Expert.status)).all()
    t["select"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sunshine.cli"], check=True, env=_cli_env())
    t["cli_start"] = time.perf_counter() - t0
    return t


PHASES = [
    ("list", "list (avoidance)"),
    ("prepare", "prepare"),
    ("start_draw", "list+prepare"),
    ("order", "order+calls"),
    *((key, "  " + key.replace("_", " ")) for key, _, _ in CEREMONY),
    ("room_read", "  room read"),
    ("reveal_after", "  (after reveal)"),
    ("ceremony", "ceremony"),
    ("declines", "3 declines"),
    ("record", "record"),
    ("verify", "engine.verify"),
    ("cli", "CLI verify"),
    ("verifier", "verifier alone"),
]


def _world(db, n: int, keep: Path | None, c) -> tuple[SimpleNamespace, float]:
    """The world of ``n`` experts: built (and, with ``keep``, saved beside the database), or read back from a kept
    one built by an earlier run; the clock is set after the bid deadline and after every draw made before."""
    saved = keep / "world.pickle" if keep is not None else None
    if saved is not None and saved.exists():
        w = pickle.loads(saved.read_bytes())
        if w.expert_count != n:
            raise SystemExit(f"{keep} holds a pool of {w.expert_count} experts, not {n}: another --keep folder")
        c.set(w.clock + timedelta(hours=1))
        return w, 0.0
    t0 = time.perf_counter()
    w = build_world(db, n)
    c.set(w.deadline + timedelta(minutes=5))
    with db.engine.connect() as conn:  # the planner's statistics, as a production database keeps them
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    built = time.perf_counter() - t0
    if saved is not None:
        w.clock = c.now()
        saved.write_bytes(pickle.dumps(w))
    return w, built


def _save_clock(keep: Path | None, w: SimpleNamespace, c) -> None:
    if keep is not None:
        w.clock = c.now()
        (keep / "world.pickle").write_bytes(
            pickle.dumps(
                SimpleNamespace(**{k: v for k, v in vars(w).items() if k not in ("client", "tokens", "answered")})
            )
        )


def bench_pool(
    label: str,
    db_factory,
    n: int,
    rounds: int,
    keep: Path | None = None,
    profile: bool = False,
    draws_n: int = 20,
) -> dict[str, float]:
    """Build the world (or read a kept one: ``keep``, a folder of its own per database) and print the median of
    ``rounds`` rounds, phase by phase; with ``profile``, one more draw under cProfile first; before the rounds,
    ``draws_n`` draws alone with their reference interleaved (``_draw_series``)."""
    from sunshine import domains
    from sunshine.core import clock as clock_module
    from sunshine.core.clock import AdjustableClock
    from sunshine.draws import service as draws_service

    domains.install()
    with (
        tempfile.TemporaryDirectory() as scratch,
        clock_module.use_clock(AdjustableClock(datetime.now(UTC))) as c,
    ):
        folder = str(keep) if keep is not None else scratch
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
        db = db_factory(Path(folder))
        w, built = _world(db, n, keep, c)
        w.requested, w.request, w.set_aside = REQUESTED, _request, _set_aside  # for bench/_draw_series.py
        open_client(db, w)
        if profile:
            _draw_series.profile_draw(db, w, c)
        series = _draw_series.draw_series(db, w, c, draws_n) if draws_n else None
        results: dict[str, list[dict[str, float]]] = {CONSTRUCTIONS[0]: [], CONSTRUCTIONS[1]: []}
        for k in range(rounds):
            for construction in CONSTRUCTIONS if k % 2 == 0 else CONSTRUCTIONS[::-1]:
                draws_service.DEFAULT_CONSTRUCTION = construction
                results[construction].append(run_round(db, w, c, Path(folder)))
                c.advance(timedelta(minutes=1))
        draws_service.DEFAULT_CONSTRUCTION = CONSTRUCTIONS[0]
        w.client.__exit__(None, None, None)
        _save_clock(keep, w, c)
        select_all = statistics.median([references(db, Path(folder), None)["select"] for _ in range(rounds)])
        cli_start = statistics.median([references(db, Path(folder), None)["cli_start"] for _ in range(rounds)])
        db.dispose()
    if series is not None:
        _draw_series.report(series, label)
    meds = {k: {p: statistics.median(r[p] for r in rs) for p in rs[0]} for k, rs in results.items()}
    med = meds[CONSTRUCTIONS[0]]
    ref = statistics.median(r["reference"] for rs in results.values() for r in rs)
    print(
        f"\nExpert pool on {label}: {w.expert_count} experts, {len(w.avoided)} avoided organisations, "
        f"built in {built:.1f} s; request 9 experts from {', '.join(code for code, _ in REQUESTED)} (3 each, "
        f"1 reserve each); candidates {int(med['pool'])}, eligible {int(med['eligible'])}; median of {rounds} "
        f"rounds per construction (alternating); reference (× ref): the requested specialties' rows read by the "
        f"driver before each round, median {ref * 1000:.1f} ms; a plain SELECT of every expert and specialty row "
        f"through SQLAlchemy after the rounds (233,000 rows, no reference for a draw): {select_all * 1000:.1f} ms"
    )
    print(f"  {'phase':<16} {'v2':>10}    {'× ref':>8} {'v1':>10}    {'× ref':>8}")
    for key, name in PHASES:
        cells = "".join(f" {m[key] * 1000:10.1f} ms {m[key] / ref:8.3f}" for m in meds.values())
        print(f"  {name:<16}{cells}")
    print(f"  {'(interpreter + import of the CLI alone: ' + f'{cli_start * 1000:.0f} ms)'}")
    cells = "".join(
        f" {(m['start_draw'] + m['room'] + m['declines']) * 1000:10.1f} ms "
        f"{(m['start_draw'] + m['room'] + m['declines']) / ref:8.3f}"
        for m in meds.values()
    )
    print(f"  {'per draw':<16}{cells}   (list + prepare + room + 3 declines)")
    cells = "".join(
        f" {(m['start_draw'] + m['order']) * 1000:10.1f} ms {(m['start_draw'] + m['order']) / ref:8.3f}"
        for m in meds.values()
    )
    print(f"  {'the draw':<16}{cells}   (list + prepare + order and calls: without the room's signed steps)")
    for key, name in (("list", "list"), ("start_draw", "list+prepare"), ("ceremony", "ceremony")):
        cells = "".join(
            f" {min(r[key] for r in rs) * 1000:10.1f} ms {min(r[key] for r in rs) / ref:8.3f}"
            for rs in results.values()
        )
        print(f"  {name + ' best':<16}{cells}   (the fastest of the {rounds} rounds)")
    cells = "".join(f" {m['cpu_draw'] * 1000:10.1f} ms {'':>8}" for m in meds.values())
    print(f"  {'… CPU time':<16}{cells}   (of this process, time.process_time: what the load inflates least)")
    return med
