"""Sealed-bid benchmark: the deadline spike over HTTP, and the opening of 1,000 bids.

    .venv/bin/python bench/bidding.py [--bids 2000] [--concurrency 64] [--size-kb 256] [--open-bids 1000]
                                      [--pg-url URL] [--skip-sqlite] [--quick] [--sqlite-synchronous full,normal]
                                      [--auction] [--auction-seconds 60] [--auction-concurrency N]

Deadline spike: ``--bids`` bidders each submit one sealed bid of ``--size-kb`` over HTTP,
``--concurrency`` at a time, to a real ``sunshine serve`` (a subprocess on a free port, one worker, its
own data folder and database). Printed: bids/s, p50/p99 latency, errors (should be 0), and the ratio to
writing the same bytes durably with ``LocalFileStore.put`` (write, fsync, rename, fsync the folder) at
the same concurrency in the same run: the floor any durable submission has to pay.

Opening: ``--open-bids`` sealed bids of another project are opened in-process after its deadline (an
adjustable clock moved past it): ``opening.start``, then ``opening.reveal`` of each bid in its own unit
of work, as the requests would run (the last one closes decryption). The reference is the bare AES-GCM
decryption plus SHA-256 of the same ciphertexts in a loop.

Auction (``--auction``): a land auction (拍卖) with 200 qualified bidders (registered, deposit lodged),
whose live round starts at the real now, is driven for ``--auction-seconds`` by ``run`` of
``bench/auction_load.py`` with ``--auction-concurrency`` threads (default ``--concurrency``), each
reading the state and bidding the minimum in a loop. Printed: accepted bids/s, whether every
acknowledged bid is listed and the final state is consistent, and the bid latency.

SQLite commit durability (``--sqlite-synchronous``, default ``full``; ``full,normal`` compares them): the
SQLite run is repeated once per level of ``SUNSHINE_SQLITE_SYNCHRONOUS`` (server and in-process alike), and
the spike's bids/s and the opening's reveals/s at ``full`` are printed as a ratio to ``normal``.

Each backend gets a fresh database: SQLite in a temporary folder, and PostgreSQL when ``--pg-url`` (or
``SUNSHINE_TEST_POSTGRES_URL``) names a server: a database ``sunshine_bench_bidding_<pid>`` is created
there and dropped afterwards. The
setup (organisations, users, registrations, tokens, sealing) is not timed; it uses cheap Argon2
parameters and issues API tokens directly instead of logging in. Figures are printed, never asserted;
the client and the server share this machine's cores, which the spike figures include.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
try:
    import sunshine  # noqa: F401
except ImportError:  # running from a checkout without the package installed
    sys.path.insert(0, str(ROOT / "src"))

import _serve  # noqa: E402
import httpx  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

console = Console() if sys.stdout.isatty() else Console(width=150)
BENCH_DATABASE = f"sunshine_bench_bidding_{os.getpid()}"  # its own: two runs at once must not collide
BATCH = 100  # setup rows per unit of work
SERVER_START_SECONDS = 60
AUCTION_BIDDERS = 200


@dataclass
class Results:
    backend: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (measure, figure, note)
    rates: dict[str, float] = field(default_factory=dict)  # per second, for ratios between backends

    def add(self, measure: str, figure: str, note: str = "") -> None:
        self.rows.append((measure, figure, note))
        console.print(f"  [bold]{measure}[/]: {figure}" + (f"  [dim]{note}[/]" if note else ""))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def load_now() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


# --------------------------------------------------------------------------------------------------
# Databases and the data folder
# --------------------------------------------------------------------------------------------------


def postgres_database(server_url: str):
    """A fresh ``sunshine_bench_bidding_<pid>`` on the server of ``server_url``, dropped afterwards."""
    return _serve.postgres_database(server_url, BENCH_DATABASE)


def open_database(url: str, data_dir: Path):
    """The migrated database, with this process's settings pointing at it and at ``data_dir``."""
    from sunshine.config import get_settings
    from sunshine.db import Database
    from sunshine.ledger.signing import _cached
    from sunshine.migrate import upgrade

    os.environ["SUNSHINE_DATABASE_URL"] = url
    os.environ["SUNSHINE_DATA_DIR"] = str(data_dir)
    os.environ["SUNSHINE_SCHEDULER"] = "false"
    get_settings.cache_clear()
    _cached.cache_clear()
    db = Database(url)
    upgrade(db.engine)
    return db


def cheap_password_hashing() -> None:
    """Argon2 at its smallest cost for the thousands of setup users (nobody logs in with them): the
    setting's test profile, in this process only (the server it starts keeps the standard profile)."""
    from sunshine.config import get_settings

    os.environ["SUNSHINE_PASSWORD_HASHING"] = "insecure-fast-for-tests"
    get_settings.cache_clear()


# --------------------------------------------------------------------------------------------------
# Setup: a tender, bidders registered with the documents, tokens, sealed bids
# --------------------------------------------------------------------------------------------------


@dataclass
class Bidder:
    principal: object  # sunshine.core.auth.Principal
    credit_code: str
    token: str = ""


@dataclass
class Tender:
    project_id: int
    code: str
    section_id: int
    deadline: datetime


@dataclass
class SealedBid:
    bidder: Bidder
    sealed: bytes
    key: bytes
    commitment: str
    price: Decimal
    idempotency_key: str = field(default_factory=lambda: "bench-" + secrets.token_hex(8))


_codes = iter(range(1, 10_000_000))


def _principal(user, roles, organisation_id):
    from sunshine.core.auth import Principal

    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=frozenset(roles),
        organisation_id=organisation_id,
    )


def _org(s, name: str, kind):
    from sunshine.identity import credit_code
    from sunshine.identity import service as identity

    code = credit_code.complete(f"91350100MB{next(_codes):07d}")
    return identity.create_organisation(s, name=name, credit_code_value=code, kind=kind, region_code="350100")


def _user(s, roles, organisation_id=None):
    from sunshine.identity import service as identity

    name = f"bench{next(_codes)}"
    user = identity.create_user(
        s, username=name, display_name=name, password="bench-password-1", roles=roles, organisation_id=organisation_id
    )
    return _principal(user, roles, organisation_id), user


def make_officials(db) -> dict:
    """A school (tenderer), its agency with a user, and a centre staff member."""
    from sunshine.identity.models import OrganisationKind
    from sunshine.identity.roles import Role

    with db.unit_of_work() as s:
        school = _org(s, "示范市第一中学", OrganisationKind.PURCHASER)
        agency_org = _org(s, "福建中正招标代理有限公司", OrganisationKind.AGENCY)
        agency, _ = _user(s, [Role.AGENCY], agency_org.id)
        centre, _ = _user(s, [Role.CENTRE_STAFF])
        return {"school": school.id, "agency_org": agency_org.id, "agency": agency, "centre": centre}


def make_tender(db, officials: dict, name: str) -> Tender:
    """An engineering open tender, accepted by the centre, notice out, deadline 30 days from now."""
    from sunshine.core import clock
    from sunshine.trading import notice_kinds, notices, visibility
    from sunshine.trading import service as trading
    from sunshine.trading.models import Project, Section
    from sunshine.trading.schemas import ProjectIn, SectionIn

    data = ProjectIn(
        name=name,
        transaction_type="engineering",
        method="open_tender",
        tenderer_id=officials["school"],
        agency_id=officials["agency_org"],
        budget=Decimal("5000000.00"),
        region_code="350100",
        funding_source="财政资金",
        evaluation_method="综合评估法",
        sections=[SectionIn(name="第一标段：道路工程", estimate=Decimal("5000000.00"), qualification="具有相应资质")],
    )
    with db.unit_of_work() as s:
        project_id = trading.register(s, officials["agency"], data).id
    with db.unit_of_work() as s:
        trading.accept(s, officials["centre"], project_id)
    now = clock.now()
    with db.unit_of_work() as s:
        project = visibility.get_visible(s, officials["agency"], project_id)
        notices.publish_first_notice(
            s,
            officials["agency"],
            project_id,
            kind=notice_kinds.first_kinds(project)[0],
            title=f"{name}招标公告",
            body_html="<p>招标公告正文：资格条件、获取招标文件的时间和方式。</p>",
            bid_deadline=now + timedelta(days=30),
            docs_issued_at=now,
            docs_sale_end=now + timedelta(days=8),
        )
    with db.unit_of_work() as s:
        project = s.get(Project, project_id)
        section = s.query(Section).filter_by(project_id=project_id).one()
        return Tender(project_id, project.code, section.id, project.bid_deadline)


def make_bidders(db, count: int) -> list[Bidder]:
    """``count`` enterprises, each with one bidder user and an API token (issued directly)."""
    from sunshine.identity import service as identity
    from sunshine.identity.models import OrganisationKind, TokenKind
    from sunshine.identity.roles import Role

    bidders: list[Bidder] = []
    while len(bidders) < count:
        with db.unit_of_work() as s:
            for _ in range(min(BATCH, count - len(bidders))):
                n = len(bidders) + 1
                org = _org(s, f"第{n}建设工程有限公司", OrganisationKind.ENTERPRISE)
                principal, user = _user(s, [Role.BIDDER], org.id)
                token, _ = identity.issue_token(s, user, TokenKind.API)
                bidders.append(Bidder(principal, org.credit_code, token))
    return bidders


def register(db, tender: Tender, bidders: list[Bidder]) -> None:
    """报名 and 获取招标文件 for each bidder, ``BATCH`` bidders per unit of work."""
    from sunshine.trading import registrations

    for start in range(0, len(bidders), BATCH):
        with db.unit_of_work() as s:
            for b in bidders[start : start + BATCH]:
                reg = registrations.register_bidder(
                    s, b.principal, tender.project_id, tender.section_id, "王经理", "13800138000"
                )
                registrations.obtain_documents(s, b.principal, reg.id)


def seal_bids(tender: Tender, bidders: list[Bidder], size_kb: int) -> list[SealedBid]:
    """Bids sealed as a bidder's machine seals them; a random document makes each ~``size_kb``."""
    from sunshine.bidding import envelope

    document_bytes = max(0, (size_kb * 1024 - 400) * 3 // 4)  # base64 inside the JSON package
    out = []
    for i, b in enumerate(bidders):
        key = envelope.new_key()
        form = envelope.make_form(Decimal("4000000.00") + i, 365, "合格", "项目经理：王工；承诺按期完工")
        package = envelope.build_package(
            form, [envelope.Document("技术标.bin", "application/octet-stream", os.urandom(document_bytes))]
        )
        sealed = envelope.seal(package, key, envelope.binding(tender.code, 1, b.credit_code))
        out.append(SealedBid(b, sealed, key, envelope.key_commitment(key), form.price))
    return out


# --------------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------------


@contextmanager
def sunshine_serve(url: str, data_dir: Path, log_path: Path) -> Iterator[str]:
    """``sunshine serve`` on a free port of 127.0.0.1 with this database and data folder; its base URL."""
    env = {
        **os.environ,
        "SUNSHINE_DATABASE_URL": url,
        "SUNSHINE_DATA_DIR": str(data_dir),
        "SUNSHINE_SCHEDULER": "false",
    }
    env.pop("SUNSHINE_PASSWORD_HASHING", None)  # the setup's cheap profile is for this process only
    with _serve.serve(env, log_path, SERVER_START_SECONDS) as base:
        yield base


# --------------------------------------------------------------------------------------------------
# Deadline spike
# --------------------------------------------------------------------------------------------------


@dataclass
class Spike:
    seconds: float
    latencies: list[float]
    statuses: Counter
    errors: list[str]


async def _spike(base: str, tender: Tender, bids: list[SealedBid], concurrency: int) -> Spike:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: list[str] = []
    url = f"{base}/api/v1/sections/{tender.section_id}/bids"

    async def one(client: httpx.AsyncClient, bid: SealedBid) -> None:
        headers = {
            "Authorization": f"Bearer {bid.bidder.token}",
            "Content-Type": "application/octet-stream",
            "Idempotency-Key": bid.idempotency_key,
            "Sunshine-Key-Commitment": bid.commitment,
        }
        async with gate:
            t0 = time.perf_counter()
            try:
                r = await client.post(url, content=bid.sealed, headers=headers)
            except httpx.HTTPError as exc:
                statuses["transport error"] += 1
                errors.append(f"{type(exc).__name__}: {exc}")
                return
            latencies.append(time.perf_counter() - t0)
            statuses[r.status_code] += 1
            if r.status_code != 201:
                errors.append(f"{r.status_code}: {r.text[:300]}")

    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(one(client, b) for b in bids))
        seconds = time.perf_counter() - t0
    return Spike(seconds, latencies, statuses, errors)


def file_store_reference(payloads: list[bytes], concurrency: int, root: Path) -> float:
    """Seconds to store ``payloads`` with ``LocalFileStore.put``, ``concurrency`` threads at a time."""
    from sunshine.core.filestore import LocalFileStore

    store = LocalFileStore(root)
    gc.collect()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(store.put, payloads))
    return time.perf_counter() - t0


def bench_spike(db, url: str, data_dir: Path, work: Path, args, officials: dict, out: Results) -> None:
    from sqlalchemy import func, select

    from sunshine.bidding.models import Bid

    t0 = time.perf_counter()
    tender = make_tender(db, officials, "示范市滨江路道路改造工程（投标高峰测试）")
    bidders = make_bidders(db, args.bids)
    register(db, tender, bidders)
    bids = seal_bids(tender, bidders, args.size_kb)
    mean_kb = statistics.fmean(len(b.sealed) for b in bids) / 1024
    console.print(
        f"  [dim]setup: {len(bidders):,} bidders registered with tokens, {len(bids):,} bids sealed "
        f"(mean {mean_kb:,.1f} KB) in {time.perf_counter() - t0:.1f} s[/]"
    )
    with sunshine_serve(url, data_dir, work / "server.log") as base:
        spike = asyncio.run(_spike(base, tender, bids, args.concurrency))
    with db.unit_of_work(read_only=True) as s:
        stored = s.scalar(select(func.count()).select_from(Bid).where(Bid.project_id == tender.project_id))
    n = len(bids)
    errors = n - spike.statuses.get(201, 0)
    rate = n / spike.seconds
    out.rates["spike"] = rate
    p50, p99 = percentile(spike.latencies, 50), percentile(spike.latencies, 99)
    out.add(
        f"deadline spike: {n:,} bids × {mean_kb:,.0f} KB over HTTP, {args.concurrency} at a time",
        f"{rate:,.1f} bids/s",
        f"{spike.seconds:.1f} s; {rate * mean_kb / 1024:,.1f} MB/s; one `sunshine serve` worker",
    )
    out.add(
        "  latency per submission",
        f"p50 {ms(p50)}, p99 {ms(p99)}",
        f"max {ms(max(spike.latencies))}" if spike.latencies else "",
    )
    out.add(
        "  errors",
        f"{errors:,}",
        f"statuses {dict(spike.statuses)}; {stored:,} bid rows stored"
        + (" [red]≠ bids sent[/]" if stored != n else ""),
    )
    for message, count in Counter(" ".join(m.split())[:160] for m in spike.errors).most_common(4):
        console.print(f"    [red]{count} × {message}[/]")
    if errors:
        kept = Path(tempfile.gettempdir()) / f"sunshine-bench-bidding-server-{os.getpid()}-{db.dialect}.log"
        shutil.copy(work / "server.log", kept)
        console.print(f"    [red]server log kept in {kept}[/]")

    reference = file_store_reference([b.sealed for b in bids], args.concurrency, work / "reference-files")
    ref_rate = n / reference
    out.add(
        "  reference: LocalFileStore.put of the same bytes",
        f"{ref_rate:,.1f} puts/s",
        f"{reference:.2f} s; {args.concurrency} threads; write + fsync + rename + fsync folder",
    )
    out.add(
        "  ratio HTTP submission / durable file write",
        f"{spike.seconds / reference:.1f}× the time",
        f"{rate:,.1f} bids/s against {ref_rate:,.1f} puts/s",
    )


# --------------------------------------------------------------------------------------------------
# Opening
# --------------------------------------------------------------------------------------------------


def submit_in_process(db, tender: Tender, bids: list[SealedBid]) -> list[str]:
    """The bids go in through ``service.submit`` (not timed here: the spike measures submission)."""
    from sunshine.bidding import service

    numbers = []
    for start in range(0, len(bids), BATCH):
        with db.unit_of_work() as s:
            for b in bids[start : start + BATCH]:
                done = service.submit(
                    s,
                    b.bidder.principal,
                    tender.section_id,
                    b.sealed,
                    key_commitment=b.commitment,
                    idempotency_key=b.idempotency_key,
                )
                numbers.append(done.bid.bid_no)
    return numbers


def bare_decrypt_loop(tender: Tender, bids: list[SealedBid]) -> float:
    """Seconds for SHA-256 of each ciphertext plus its AES-GCM decryption, nothing else."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from sunshine.bidding import envelope

    head = len(envelope.MAGIC)
    items = [(b.sealed, b.key, envelope.binding(tender.code, 1, b.bidder.credit_code)) for b in bids]
    gc.collect()
    t0 = time.perf_counter()
    for sealed, key, aad in items:
        hashlib.sha256(sealed).hexdigest()
        AESGCM(key).decrypt(sealed[head : head + envelope.NONCE_BYTES], sealed[head + envelope.NONCE_BYTES :], aad)
    return time.perf_counter() - t0


def bench_opening(db, args, officials: dict, bidders: list[Bidder], clock, out: Results) -> None:
    from sunshine.bidding import envelope, opening
    from sunshine.trading.models import Project

    tender = make_tender(db, officials, "示范市滨江路道路改造工程（开标测试）")
    register(db, tender, bidders)
    bids = seal_bids(tender, bidders, args.size_kb)
    numbers = submit_in_process(db, tender, bids)
    mean_kb = statistics.fmean(len(b.sealed) for b in bids) / 1024

    clock.set(tender.deadline + timedelta(seconds=1))
    gc.collect()
    t0 = time.perf_counter()
    with db.unit_of_work() as s:
        opening.start_by_staff(s, officials["centre"], tender.project_id)
    started = time.perf_counter() - t0
    each = []
    for b, bid_no in zip(bids, numbers, strict=True):
        t1 = time.perf_counter()
        with db.unit_of_work() as s:
            bid = opening.reveal(s, b.bidder.principal, bid_no, envelope.key_to_text(b.key))
            if bid.price != b.price:
                console.print(f"    [red]{bid_no} opened to {bid.price}, sealed with {b.price}[/]")
        each.append(time.perf_counter() - t1)
    total = time.perf_counter() - t0
    with db.unit_of_work(read_only=True) as s:
        status = opening.session_of(s, tender.project_id).status
        project_state = s.get(Project, tender.project_id).state
    n = len(bids)
    out.rates["reveal"] = n / total
    out.add(
        f"opening: {n:,} bids × {mean_kb:,.0f} KB, start + reveal each in its own unit of work",
        f"{total:.2f} s",
        f"{ms(total / n)} per bid; session {status}, project {project_state}",
    )
    out.add("  start (开标)", ms(started), "close_bidding + open_bids, every bid set pending")
    out.add(
        "  reveal per bid (check key, read, decrypt, verify, store documents, ledger, commit)",
        f"p50 {ms(percentile(each, 50))}, p99 {ms(percentile(each, 99))}",
        f"first 100: {ms(statistics.fmean(each[:100]))} mean, last 100: {ms(statistics.fmean(each[-100:]))} mean; "
        "the last reveal closes decryption",
    )
    bare = bare_decrypt_loop(tender, bids)
    out.add(
        "  reference: bare SHA-256 + AES-GCM decrypt of the same ciphertexts",
        f"{bare:.3f} s",
        f"{ms(bare / n)} per bid; the opening takes {total / bare:,.0f}× that",
    )


# --------------------------------------------------------------------------------------------------
# Auction
# --------------------------------------------------------------------------------------------------


def prepare_auction(db, officials: dict, bidders: list[Bidder], clock) -> int:
    """A land-use-right auction (拍卖) whose live round starts at the real now, with ``bidders`` qualified.

    The land pack wants the notice out three weeks before the auction, so the notice is published, the
    bidders registered (deposit lodged by electronic guarantee) and the auction set up through
    ``auctions.conditions.setup`` with the in-process clock set that far back; the server, on the real
    clock, then finds the timed round running (300 s, extended by each bid)."""
    from sunshine.auctions import conditions
    from sunshine.identity.models import OrganisationKind
    from sunshine.trading import deposits, notices, registrations
    from sunshine.trading import service as trading
    from sunshine.trading.models import Section
    from sunshine.trading.schemas import ProjectIn, SectionIn

    opening_at = datetime.now(UTC) + timedelta(seconds=2)
    deadline = opening_at - timedelta(hours=1)
    published = deadline - timedelta(days=21)
    clock.set(published)
    with db.unit_of_work() as s:
        bureau = _org(s, "示范市自然资源和规划局", OrganisationKind.DEPARTMENT).id
    name = "示范市马尾区2026-07号地块国有建设用地使用权拍卖出让"
    data = ProjectIn(
        name=name,
        transaction_type="land",
        method="auction",
        tenderer_id=bureau,
        agency_id=officials["agency_org"],
        budget=Decimal("10000000.00"),
        region_code="350100",
        funding_source="财政资金",
        evaluation_method="价高者得",
        sections=[SectionIn(name="马尾区2026-07号地块", estimate=Decimal("10000000.00"), qualification="竞买人资格")],
    )
    with db.unit_of_work() as s:
        project_id = trading.register(s, officials["agency"], data).id
    with db.unit_of_work() as s:
        trading.accept(s, officials["centre"], project_id)
    with db.unit_of_work() as s:
        section_id = s.query(Section).filter_by(project_id=project_id).one().id
        deposits.set_section_deposit(s, officials["agency"], project_id, section_id, Decimal("2000000.00"))
    with db.unit_of_work() as s:
        notices.publish_first_notice(
            s,
            officials["agency"],
            project_id,
            kind="auction",
            title=f"{name}公告",
            body_html="<p>出让地块的位置、面积、用途、起始价、竞买保证金及竞买人资格条件。</p>",
            bid_deadline=deadline,
            docs_issued_at=published,
            docs_sale_end=deadline - timedelta(days=1),
            opening_at=opening_at,
        )
    for start in range(0, len(bidders), BATCH):
        with db.unit_of_work() as s:
            for i, b in enumerate(bidders[start : start + BATCH], start):
                reg = registrations.register_bidder(s, b.principal, project_id, section_id, "王经理", "13905910001")
                deposit = deposits.open_deposit(s, b.principal, reg.id, "guarantee")
                deposits.submit_guarantee(s, b.principal, deposit.id, f"BH-BENCH-{i:06d}", "示范市融资担保有限公司")
    with db.unit_of_work() as s:
        auction = conditions.setup(
            s,
            officials["agency"],
            project_id,
            section_id,
            start_price=Decimal("10000000.00"),
            increment=Decimal("10000.00"),
            reserve_price=Decimal("10500000.00"),
        )
        auction_id = auction.id
    clock.set(datetime.now(UTC))
    return auction_id


def _wait_until_accepting(base: str, auction_id: int, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        state = httpx.get(f"{base}/api/v1/auctions/{auction_id}", timeout=10).json()
        if state.get("accepting_bids") or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def bench_auction(db, url: str, data_dir: Path, work: Path, args, officials: dict, clock, out: Results) -> None:
    """``AUCTION_BIDDERS`` qualified bidders drive a live auction for ``--auction-seconds`` through
    ``bench/auction_load.py`` (``run(base_url, auction_id, tokens, seconds, concurrency) -> dict``): one
    thread per bidder by default, each reading the state and bidding the minimum in a loop."""
    import auction_load  # bench/auction_load.py

    t0 = time.perf_counter()
    bidders = make_bidders(db, AUCTION_BIDDERS)  # tokens issued at the real now: the server checks them
    auction_id = prepare_auction(db, officials, bidders, clock)
    console.print(
        f"  [dim]setup: auction {auction_id} with {len(bidders)} qualified bidders "
        f"in {time.perf_counter() - t0:.1f} s[/]"
    )
    concurrency = args.auction_concurrency or args.concurrency
    with sunshine_serve(url, data_dir, work / "auction-server.log") as base:
        state = _wait_until_accepting(base, auction_id)
        if not state.get("accepting_bids"):
            out.add("auction", "not run", f"the auction does not accept bids: {state.get('phase_label', state)}")
            return
        try:
            result = auction_load.run(base, auction_id, [b.token for b in bidders], args.auction_seconds, concurrency)
        except httpx.HTTPError as exc:  # its final consistency read can time out behind a backlog
            out.add("auction", "[red]failed[/]", f"auction_load.run raised {type(exc).__name__}: {exc}")
            return
    latency = result["bid_latency_ms"]
    out.add(
        f"auction: {result['bidders']} qualified bidders, {concurrency} threads, {result['seconds']:.0f} s",
        f"{result['accepted_per_second']:,.1f} bids/s accepted",
        f"{result['accepted']:,} accepted of {result['attempts']:,} attempts "
        f"({result['attempts_per_second']:,.1f}/s); refused {result['refused']:,} {result['refused_by_code']}",
    )
    new = result["bids_after"] - result["bids_before"]
    out.add(
        "  none lost, final state consistent",
        "yes" if result["consistent"] and new == result["accepted"] else "[red]NO[/]",
        f"{new:,} bids listed for {result['accepted']:,} acknowledged; final price {result['final_price']}; "
        + ("; ".join(result["problems"]) or "sequence without gaps, amounts increasing, price = last bid"),
    )
    out.add(
        "  bid latency",
        f"p50 {latency['p50']} ms, p95 {latency['p95']} ms",
        f"max {latency['max']} ms; errors {result['errors']} {result['errors_by_kind'] or ''}; "
        f"rejected {result['rejected']} {result['rejected_by_code'] or ''}; "
        f"stopped because {result['stopped_because'] or 'time was up'}",
    )


# --------------------------------------------------------------------------------------------------


def run_backend(url: str, backend: str, args) -> Results:
    from sunshine.core.clock import AdjustableClock, use_clock

    out = Results(backend)
    console.rule(f"[bold]{backend}")
    work = Path(tempfile.mkdtemp(prefix="sunshine-bench-bidding-"))
    try:
        data_dir = work / "data"
        db = open_database(url, data_dir)
        try:
            # the server runs on the system clock: the tenders are published at the real now
            with use_clock(AdjustableClock(datetime.now(UTC))) as clock:
                officials = make_officials(db)
                bench_spike(db, url, data_dir, work, args, officials, out)
                if args.auction:  # before the opening, which moves the clock 30 days on
                    clock.set(datetime.now(UTC))
                    bench_auction(db, url, data_dir, work, args, officials, clock, out)
                clock.set(datetime.now(UTC))
                bidders = make_bidders(db, args.open_bids)
                bench_opening(db, args, officials, bidders, clock, out)
        finally:
            db.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, default=2000, help="bidders in the deadline spike")
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight at once")
    parser.add_argument("--size-kb", type=int, default=256, help="size of each sealed bid")
    parser.add_argument("--open-bids", type=int, default=1000, help="bids opened in the opening benchmark")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("SUNSHINE_TEST_POSTGRES_URL"),
        help=f"PostgreSQL server (its database is used only to create and drop {BENCH_DATABASE})",
    )
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--sqlite-synchronous",
        type=lambda v: [x.strip() for x in v.split(",")],
        default=["full"],
        help="SQLite commit levels to run, comma-separated: full (the platform's default), normal",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 200 bids, 100 opened, 10 s of auction")
    parser.add_argument("--auction", action="store_true", help="also drive an auction (bench/auction_load.py)")
    parser.add_argument("--auction-seconds", type=int, default=60)
    parser.add_argument(
        "--auction-concurrency",
        type=int,
        default=0,
        help="auction threads (default: --concurrency)",
    )
    args = parser.parse_args(argv)
    if not set(args.sqlite_synchronous) <= {"full", "normal"}:
        sys.exit("--sqlite-synchronous takes full, normal or full,normal")
    if args.quick:
        args.bids, args.open_bids, args.auction_seconds = min(args.bids, 200), min(args.open_bids, 100), 10
    if args.skip_sqlite and not args.pg_url:
        sys.exit("--skip-sqlite needs --pg-url")
    from sunshine import domains

    domains.install()  # every domain's lifecycle steps, as the command line and the app install them
    cheap_password_hashing()
    started, load_start = time.perf_counter(), load_now()
    console.print(
        f"[bold]Sealed-bid benchmark[/]: {args.bids:,} bids of {args.size_kb} KB, {args.concurrency} at a time; "
        f"{args.open_bids:,} opened; load average {load_start} on {os.cpu_count()} CPUs"
    )
    results = []
    if not args.skip_sqlite:
        for level in args.sqlite_synchronous:
            os.environ["SUNSHINE_SQLITE_SYNCHRONOUS"] = level  # the server's and this process's settings
            with tempfile.TemporaryDirectory(prefix="sunshine-bench-sqlite-") as folder:
                name = f"SQLite synchronous={level.upper()}"
                results.append(run_backend(f"sqlite:///{Path(folder) / 'bench.db'}", name, args))
        os.environ.pop("SUNSHINE_SQLITE_SYNCHRONOUS")
    if args.pg_url:
        with postgres_database(args.pg_url) as url:
            results.append(run_backend(url, "PostgreSQL", args))

    table = Table("backend", "measure", "figure", "notes", title="Sunshine sealed-bid benchmark", show_lines=True)
    for result in results:
        for measure, figure, note in result.rows:
            table.add_row(result.backend, measure, figure, note)
    console.print(table)
    levels = {r.backend: r.rates for r in results}
    full, normal = levels.get("SQLite synchronous=FULL"), levels.get("SQLite synchronous=NORMAL")
    if full and normal:
        console.print(
            "[bold]SQLite FULL / NORMAL[/]: "
            + "; ".join(
                f"{what} {full[what]:,.1f}/s against {normal[what]:,.1f}/s = {full[what] / normal[what]:.2f}×"
                for what in ("spike", "reveal")
                if what in full and what in normal
            )
        )
    console.print(
        "Durability: every sealed bid is fsynced to the file store before its row is written, and the receipt "
        "is answered after the commit. SQLite runs in WAL mode with synchronous=FULL by default "
        "(SUNSHINE_SQLITE_SYNCHRONOUS; src/sunshine/db.py): the WAL is fsynced at each commit, so a receipted "
        "bid survives a power cut; NORMAL survives only a crash of the process. PostgreSQL: sessions never "
        "commit with synchronous_commit=off, so the WAL is flushed at each commit (docs/durability.md)."
    )
    console.print(
        f"total {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; "
        f"load average at start {load_start}, at end {load_now()}. Figures only: nothing here is asserted."
    )


if __name__ == "__main__":
    main()
