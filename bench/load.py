"""Load: pages and the API together, many clients at once, against a real server over the demo data.

    .venv/bin/python bench/load.py [--clients 64] [--seconds 30] [--reference-seconds 10]
                                   [--pg-url URL] [--skip-sqlite] [--base-url URL]
                                   [--server-env SUNSHINE_MAX_CONCURRENT_READS=8 ...]

For each database (SQLite; PostgreSQL too when ``--pg-url`` or ``SUNSHINE_TEST_POSTGRES_URL`` names a
server, in a database ``sunshine_bench_load_<pid>`` created there and dropped afterwards) a fresh database
and data folder are migrated and filled by ``sunshine demo-data``, and ``sunshine serve`` (one worker, the
in-process tick on, as deployed) is started on a free port. Nothing of the setup is timed. Then:

- reference: ``--clients`` clients fetch a static file (``/static/css/sunshine.css``) for
  ``--reference-seconds``: the same HTTP stack and admission bound, no database, no template;
- load: ``--clients`` clients for ``--seconds``, each in a loop over a seeded random mix: public pages
  (``/``, ``/notices``, a project page, a notice page), API reads (project list, a project, notices, the
  ledger head), and authenticated writes (a project registered through the API with a token, and through
  the page form with a signed-in session and its CSRF token). Meanwhile one more client asks ``/healthz``
  every 0.25 s.

Printed per database: requests/s, p50/p95/p99 latency (all, and per kind), errors (an unexpected status
or a failed connection), timeouts (no answer within ``--timeout`` seconds), the slowest ``/healthz``
answer during the load, and the ratios to the reference (throughput, median latency). Figures are
printed, never asserted; client and server share this machine's cores, which the figures include.
``--base-url`` runs the two phases against a server already running over the demo data instead;
``--server-env NAME=VALUE`` (repeatable) sets a setting of the server, e.g. its admission limits.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import _serve
import httpx

DEMO_PASSWORD = "sunshine-demo-2026"  # sunshine.demo.base.DEMO_PASSWORD
WRITER = "agency"  # the demo agency registers projects for its clients
STATIC = "/static/css/sunshine.css"
HEALTH_EVERY = 0.25
SERVER_START_SECONDS = 90
BENCH_DATABASE = f"sunshine_bench_load_{os.getpid()}"


# --------------------------------------------------------------------------------------------------
# The traffic
# --------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw, per kind of request."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    timeouts: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] += 1

    def timeout(self, what: str) -> None:
        with self.lock:
            self.timeouts[what] += 1

    def all(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]


@dataclass(frozen=True)
class Call:
    kind: str  # "page", "api", "write"
    label: str  # the route, for the error counts
    method: str
    path: str
    expect: tuple[int, ...] = (200,)
    json: dict | None = None
    data: dict | None = None
    headers: dict | None = None


@dataclass
class Plan:
    """The mix: what one iteration of a client asks, from the demo data the server holds."""

    project_ids: list[int]
    notice_ids: list[int]
    token: str
    cookies: dict[str, str]
    csrf_token: str
    registration: dict
    write_share: float = 0.06

    def pick(self, rng: random.Random, n: int) -> Call:
        if rng.random() < self.write_share:
            return self._write(rng, n)
        project, notice = rng.choice(self.project_ids), rng.choice(self.notice_ids)
        return rng.choice(
            [
                Call("page", "/", "GET", "/"),
                Call("page", "/notices", "GET", "/notices"),
                Call("page", "/projects/{id}", "GET", f"/projects/{project}"),
                Call("page", "/notices/{id}", "GET", f"/notices/{notice}"),
                Call("api", "/api/v1/projects", "GET", "/api/v1/projects"),
                Call("api", "/api/v1/projects/{id}", "GET", f"/api/v1/projects/{project}"),
                Call("api", "/api/v1/notices", "GET", "/api/v1/notices"),
                Call("api", "/api/v1/ledger/head", "GET", "/api/v1/ledger/head"),
            ]
        )

    def _write(self, rng: random.Random, n: int) -> Call:
        body = dict(self.registration, name=f"压力测试项目{n}")
        if rng.random() < 0.5:
            return Call(
                "write",
                "POST /api/v1/projects",
                "POST",
                "/api/v1/projects",
                (201,),
                json=body,
                headers={"authorization": f"Bearer {self.token}"},
            )
        section = body["sections"][0]
        form = {
            "csrf_token": self.csrf_token,
            "name": body["name"],
            "type_method": f"{body['transaction_type']}:{body['method']}",
            "tenderer_id": str(body["tenderer_id"]),
            "agency_id": str(body["agency_id"] or ""),
            "budget": body["budget"],
            "region_code": body["region_code"],
            "funding_source": body["funding_source"],
            "evaluation_method": body["evaluation_method"],
            "section_name": section["name"],
            "section_estimate": section["estimate"],
            "section_qualification": section["qualification"],
        }
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"cookie": cookie}
        return Call("write", "POST /projects/new", "POST", "/projects/new", (303,), data=form, headers=headers)


def prepare(base: str) -> Plan:
    """Read the demo data the mix needs; sign the writer in (a token for the API, a session for pages)."""
    with httpx.Client(base_url=base, timeout=60) as c:
        projects = c.get("/api/v1/projects").json()
        notices = c.get("/api/v1/notices", params={"limit": 100}).json()["items"]
        token = c.post("/api/v1/auth/token", json={"username": WRITER, "password": DEMO_PASSWORD}).json()
        token = token["access_token"]
        me = c.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).json()
        login = c.get("/login")
        signed_in = c.post(
            "/login",
            data={"username": WRITER, "password": DEMO_PASSWORD, "csrf_token": _csrf(login.text)},
            follow_redirects=False,
        )
        if signed_in.status_code != 303:
            sys.exit(f"signing in as {WRITER} failed: {signed_in.status_code} {signed_in.text[:300]}")
        form_page = c.get("/projects/new")
        cookies = dict(c.cookies.items())
    own = [p for p in projects if me["organisation"] and p["agency_id"] == me["organisation"]["id"]] or projects
    model = own[0]
    registration = {
        "transaction_type": model["transaction_type"],
        "method": model["method"],
        "tenderer_id": model["tenderer_id"],
        "agency_id": model["agency_id"],
        "budget": "1200000.00",
        "region_code": model["region_code"],
        "funding_source": model["funding_source"] or "财政资金",
        "evaluation_method": model["evaluation_method"] or "综合评估法",
        "sections": [{"name": "第一标段", "estimate": "1200000.00", "qualification": "具有相应资质"}],
    }
    return Plan(
        project_ids=[p["id"] for p in projects],
        notice_ids=[n["id"] for n in notices],
        token=token,
        cookies=cookies,
        csrf_token=_csrf(form_page.text),
        registration=registration,
    )


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if not found:
        sys.exit("no CSRF token on the page")
    return found.group(1)


def drive(
    base: str, clients: int, seconds: float, pick: Callable[[random.Random, int], Call], timeout: float
) -> tuple[Tally, float]:
    """``clients`` threads, each with its own connection, asking ``pick``'s calls until ``seconds`` have
    passed; the tally and the elapsed time."""
    tally = Tally()
    start = threading.Barrier(clients + 1)
    counter = iter(range(10**12))
    counter_lock = threading.Lock()

    def client(i: int) -> None:
        rng = random.Random(i)
        with httpx.Client(base_url=base, timeout=timeout, follow_redirects=False) as c:
            start.wait()
            while time.monotonic() < until:
                with counter_lock:
                    n = next(counter)
                call = pick(rng, n)
                began = time.perf_counter()
                try:
                    response = c.request(call.method, call.path, json=call.json, data=call.data, headers=call.headers)
                except httpx.TimeoutException:
                    tally.timeout(call.label)
                    continue
                except httpx.HTTPError as exc:
                    tally.error(f"{call.label}: {type(exc).__name__}")
                    continue
                if response.status_code in call.expect:
                    tally.ok(call.kind, time.perf_counter() - began)
                else:
                    tally.error(f"{call.label}: {response.status_code}")

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    until = time.monotonic() + seconds
    began = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    return tally, time.perf_counter() - began


@contextmanager
def health_watch(base: str, timeout: float) -> Iterator[dict]:
    """Asks ``/healthz`` every ``HEALTH_EVERY`` seconds while the block runs: the answers' latencies and
    the failures."""
    seen: dict = {"latencies": [], "failures": Counter()}
    stop = threading.Event()

    def watch() -> None:
        with httpx.Client(base_url=base, timeout=timeout) as c:
            while not stop.is_set():
                began = time.perf_counter()
                try:
                    response = c.get("/healthz")
                    if response.status_code == 200:
                        seen["latencies"].append(time.perf_counter() - began)
                    else:
                        seen["failures"][str(response.status_code)] += 1
                except httpx.TimeoutException:
                    seen["failures"]["timeout"] += 1
                except httpx.HTTPError as exc:
                    seen["failures"][type(exc).__name__] += 1
                stop.wait(HEALTH_EVERY)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()


# --------------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def report(name: str, clients: int, load: Tally, elapsed: float, health: dict, ref: Tally, ref_elapsed: float) -> None:
    answered = load.all()
    rate = len(answered) / elapsed
    ref_rate = len(ref.all()) / ref_elapsed
    print(f"\n== {name}: {clients} clients, {elapsed:.1f} s of pages, API reads and writes together")
    print(f"  requests answered    {len(answered):,}  ({rate:,.1f}/s)")
    print(
        f"  latency              p50 {ms(percentile(answered, 50))}   p95 {ms(percentile(answered, 95))}"
        f"   p99 {ms(percentile(answered, 99))}   max {ms(max(answered, default=0))}"
    )
    for kind in ("page", "api", "write"):
        values = load.latencies.get(kind, [])
        p50, p95, p99 = (ms(percentile(values, p)) for p in (50, 95, 99))
        print(f"    {kind:<6} {len(values):>7,}  p50 {p50:>9}   p95 {p95:>9}   p99 {p99:>9}")
    print(f"  errors               {sum(load.errors.values())}  {dict(load.errors) or ''}")
    print(f"  timeouts             {sum(load.timeouts.values())}  {dict(load.timeouts) or ''}")
    checks = health["latencies"]
    print(
        f"  /healthz during load {len(checks)} answers, max {ms(max(checks, default=0))},"
        f" p50 {ms(percentile(checks, 50))}; failures {sum(health['failures'].values())}"
        f" {dict(health['failures']) or ''}"
    )
    ref_answered = ref.all()
    print(
        f"  reference ({STATIC} alone, same clients): {ref_rate:,.1f}/s, p50 {ms(percentile(ref_answered, 50))},"
        f" errors {sum(ref.errors.values())}, timeouts {sum(ref.timeouts.values())}"
    )
    print(
        f"  ratio to the reference: throughput {rate / ref_rate:.2f}x,"
        f" median latency {statistics.median(answered) / statistics.median(ref_answered):.1f}x"
        if answered and ref_answered
        else "  ratio to the reference: n/a (no answers)"
    )


def run(base: str, name: str, clients: int, seconds: float, reference_seconds: float, timeout: float) -> None:
    plan = prepare(base)
    static = Call("static", STATIC, "GET", STATIC)
    ref, ref_elapsed = drive(base, clients, reference_seconds, lambda rng, n: static, timeout)
    with health_watch(base, timeout) as health:
        load, elapsed = drive(base, clients, seconds, plan.pick, timeout)
    report(name, clients, load, elapsed, health, ref, ref_elapsed)


# --------------------------------------------------------------------------------------------------
# Databases and the server
# --------------------------------------------------------------------------------------------------


def postgres_database(server_url: str):
    """A fresh ``sunshine_bench_load_<pid>`` on the server of ``server_url``, dropped afterwards."""
    return _serve.postgres_database(server_url, BENCH_DATABASE)


@contextmanager
def demo_server(url: str, folder: Path, extra_env: dict[str, str]) -> Iterator[str]:
    """The database of ``url`` migrated and filled with the demo data, served by ``sunshine serve`` on a
    free port with its in-process tick; its base URL."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SUNSHINE_")},
        "SUNSHINE_DATABASE_URL": url,
        "SUNSHINE_DATA_DIR": str(folder / "data"),
        "SUNSHINE_COOKIE_SECURE": "false",  # plain http on 127.0.0.1
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    }
    command = _serve.sunshine_command()
    for step in (["db", "upgrade"], ["demo-data"]):
        print(f"  sunshine {' '.join(step)} …", flush=True)
        done = subprocess.run([command, *step], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"sunshine {' '.join(step)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    log_path = folder / "server.log"
    try:
        with _serve.serve(env, log_path, SERVER_START_SECONDS) as base:
            yield base
    finally:
        errors = [line for line in log_path.read_text(errors="replace").splitlines() if "Traceback" in line]
        if errors:
            kept = Path(tempfile.gettempdir()) / f"sunshine-bench-load-{os.getpid()}-{folder.name}.log"
            shutil.copy(log_path, kept)
            print(f"  the server logged {len(errors)} tracebacks; its log is kept in {kept}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--reference-seconds", type=float, default=10)
    parser.add_argument("--timeout", type=float, default=30, help="seconds without an answer that count as a timeout")
    parser.add_argument("--pg-url", default=os.environ.get("SUNSHINE_TEST_POSTGRES_URL"), help="PostgreSQL server")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--base-url", help="a server already running over the demo data (no setup)")
    parser.add_argument("--server-env", action="append", default=[], help="NAME=VALUE for the server (repeatable)")
    args = parser.parse_args()
    extra_env = dict(item.split("=", 1) for item in args.server_env)
    if extra_env:
        print(f"server settings: {extra_env}")
    phases = (args.clients, args.seconds, args.reference_seconds, args.timeout)
    print(f"bench/load.py: {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f} at start")
    if args.base_url:
        run(args.base_url, args.base_url, *phases)
        return
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory(prefix="sunshine-load-") as tmp:
            folder = Path(tmp)
            print("SQLite: preparing the demo data (not timed)")
            with demo_server(f"sqlite:///{folder / 'sunshine.db'}", folder, extra_env) as base:
                run(base, "SQLite", *phases)
    if args.pg_url:
        with postgres_database(args.pg_url) as url, tempfile.TemporaryDirectory(prefix="sunshine-load-") as tmp:
            print(f"PostgreSQL: preparing the demo data in {BENCH_DATABASE} (not timed)")
            with demo_server(url, Path(tmp), extra_env) as base:
                run(base, "PostgreSQL", *phases)
    else:
        print("\nPostgreSQL: not run (give --pg-url or SUNSHINE_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
