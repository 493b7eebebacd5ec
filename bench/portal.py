"""The portal at a province's scale: lists, deep pages, search and the home page over HTTP, on both databases.

    .venv/bin/python bench/portal.py [--notices 1000000] [--projects 100000] [--ledger 1000000]
                                     [--requests 200] [--clients 4] [--seconds 5]
                                     [--pg-url URL] [--skip-sqlite] [--keep]

For each database (SQLite; PostgreSQL too when ``--pg-url`` or ``SUNSHINE_TEST_POSTGRES_URL`` names a
server, in a database ``sunshine_bench_portal_<pid>`` created there and dropped afterwards) a fresh database is
migrated and filled by ``sunshine demo-data`` (accounts, organisations, a real ledger), then bulk-loaded
directly, without the services: ``--projects`` public projects (each with the demo's real rule snapshot),
``--notices`` notices with Chinese titles and bodies composed from a trading vocabulary (one in 10,000 names
a 钢箱梁, the rare term), their search entries (words segmented with ``search.segment.tokens`` once per
phrase of the vocabulary and composed, as the whole text segments), and ``--ledger`` more ledger entries
(the log's counter moved with them; the server runs with its tick off, so no head is signed over them).
Nothing of the setup is timed.

Then ``sunshine serve`` and a bare ASGI endpoint (``bench/_bare.py``, uvicorn, one worker, the same way)
are started, and for each case — the notice list's first page, a deep page (by cursor, half-way down), a
filtered list (kind and transaction type), the project list, a common-term and a rare-term search (page and
API), the home page — one client sends ``--requests`` requests (p50/p99 latency) and ``--clients`` clients
send as many as they can for ``--seconds`` (requests/s). Each figure is printed beside its ratio to the
bare endpoint measured the same way in the same run. Figures are printed, never asserted; clients and
servers share this machine's cores.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import _serve
import httpx

ROOT = Path(__file__).resolve().parent
BENCH_DATABASE = f"sunshine_bench_portal_{os.getpid()}"
BATCH = 5000

CITIES = [
    ("350100", "福州市"),
    ("350200", "厦门市"),
    ("350300", "莆田市"),
    ("350400", "三明市"),
    ("350500", "泉州市"),
    ("350600", "漳州市"),
    ("350700", "南平市"),
    ("350800", "龙岩市"),
    ("350900", "宁德市"),
]
DISTRICTS = [
    "鼓楼区",
    "台江区",
    "仓山区",
    "晋安区",
    "长乐区",
    "思明区",
    "湖里区",
    "城厢区",
    "丰泽区",
    "芗城区",
    "延平区",
    "新罗区",
]
SUBJECTS = [
    "第一中学",
    "人民医院",
    "中心小学",
    "市政工程管理处",
    "水利局",
    "交通运输局",
    "城市管理局",
    "自然资源局",
    "卫生健康委员会",
    "公安局",
    "图书馆",
    "体育中心",
    "污水处理厂",
    "高速公路",
    "滨江大道",
    "工业园区",
]
WORKS = [
    ("教学楼维修改造工程", "engineering", "open_tender"),
    ("医疗设备采购项目", "gov_procurement", "open_tender"),
    ("道路提升改造工程", "engineering", "open_tender"),
    ("桥梁维修加固工程", "engineering", "open_tender"),
    ("办公家具采购项目", "gov_procurement", "competitive_consultation"),
    ("物业管理服务采购项目", "gov_procurement", "competitive_negotiation"),
    ("信息化系统建设项目", "gov_procurement", "open_tender"),
    ("绿化养护服务项目", "gov_procurement", "enquiry"),
    ("供水管网改造工程", "engineering", "open_tender"),
    ("国有建设用地使用权挂牌出让", "land", "listing"),
    ("车辆拍卖项目", "state_property", "auction"),
    ("雨污分流改造工程", "engineering", "invited_tender"),
]
KINDS = {
    "open_tender": "tender",
    "invited_tender": "tender",
    "competitive_consultation": "procurement",
    "competitive_negotiation": "procurement",
    "enquiry": "procurement",
    "listing": "listing",
    "auction": "auction",
}
KIND_TITLES = {"tender": "招标公告", "procurement": "采购公告", "listing": "挂牌公告", "auction": "拍卖公告"}
SENTENCES = [
    "本招标项目已由有关部门批准建设，项目业主为{subject}，建设资金来自财政资金，出资比例为百分之百。",
    "招标范围包括施工图范围内的全部土建、安装及附属工程，计划工期一百八十日历天。",
    "投标人须具备建设行政主管部门核发的市政公用工程施工总承包三级及以上资质，并在人员、设备、资金等方面具有相应的施工能力。",
    "本项目采用资格后审方式，评标办法为综合评估法，不接受联合体投标。",
    "凡有意参加投标者，请于公告发布之日起通过公共资源交易平台下载招标文件，招标文件免费提供。",
    "投标文件递交的截止时间为开标时间，投标人应在截止时间前通过电子交易系统递交加密的电子投标文件。",
    "采购需求：详见采购文件第三章，供应商应对全部内容进行响应，不得部分响应。",
    "本项目专门面向中小企业采购，预留份额为百分之四十，残疾人福利性单位视同小型、微型企业。",
    "供应商应当在投标截止时间前交纳投标保证金，保证金以银行转账或电子保函方式提交。",
    "对本次公告内容有异议的，可在规定期限内以书面形式向招标人或采购代理机构提出质疑。",
    "本次挂牌出让的宗地位于{district}，土地用途为商住用地，出让年限为住宅七十年、商业四十年。",
    "竞买人须在挂牌截止前交纳竞买保证金，挂牌期间由出价最高且不低于底价者竞得。",
]
RARE = "项目包含钢箱梁吊装与焊接。"
COMMON_TERM = "工程"
RARE_TERM = "钢箱梁"


def env_for(data_dir: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "SUNSHINE_DATA_DIR": str(data_dir),
        "SUNSHINE_DATABASE_URL": database_url,
        "SUNSHINE_SCHEDULER": "false",
        "SUNSHINE_PASSWORD_HASHING": "insecure-fast-for-tests",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }


def run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


# --------------------------------------------------------------------------------------------------
# The bulk load
# --------------------------------------------------------------------------------------------------


class Phrases:
    """Each fragment of the vocabulary segmented once; a text's words are its fragments' words in order."""

    def __init__(self) -> None:
        from sunshine.search.segment import tokens

        self._tokens = tokens
        self._cache: dict[str, list[str]] = {}

    def words(self, *fragments: str) -> str:
        out: list[str] = []
        for fragment in fragments:
            if fragment not in self._cache:
                self._cache[fragment] = self._tokens(fragment)
            out += self._cache[fragment]
        return " ".join(out)


def bulk_load(database_url: str, *, projects: int, notices: int, ledger: int, seed: int = 20) -> dict:
    """Projects, notices, their search entries and ledger entries straight into the tables; what the cases need."""
    from sqlalchemy import create_engine, func, insert, select, text, update

    from sunshine.ledger.models import LedgerEntry, LedgerState
    from sunshine.search.models import SearchDoc
    from sunshine.trading.models import Notice, Project

    rng = random.Random(seed)
    phrases = Phrases()
    engine = create_engine(database_url)
    sqlite = engine.dialect.name == "sqlite"
    now = datetime.now(UTC)
    start = now - timedelta(days=5 * 365)
    with engine.begin() as conn:
        template = conn.execute(select(Project).where(Project.public_since.is_not(None)).limit(1)).mappings().one()
        author = conn.scalar(select(Notice.author_id).limit(1))
        next_project = (conn.scalar(select(func.max(Project.id))) or 0) + 1
        next_notice = (conn.scalar(select(func.max(Notice.id))) or 0) + 1
        next_doc = (conn.scalar(select(func.max(SearchDoc.id))) or 0) + 1
        seq0 = conn.scalar(select(LedgerState.size).where(LedgerState.id == 1)) or 0

    meta: list[tuple[int, str, str, str, str, Decimal, str, datetime]] = []  # projects
    rows, docs, fts = [], [], []
    t0 = time.monotonic()

    def flush(conn, final: bool = False) -> None:  # noqa: ANN001
        if rows:
            conn.execute(insert(rows[0][0]), [r[1] for r in rows])
            rows.clear()
        if docs:
            conn.execute(insert(SearchDoc), docs)
            if sqlite:
                conn.execute(text("INSERT INTO search_fts(rowid, title_tokens, body_tokens) VALUES (:id, :t, :b)"), fts)
            docs.clear()
            fts.clear()

    with engine.begin() as conn:
        for i in range(projects):
            pid = next_project + i
            region, city = rng.choice(CITIES)
            district, subject = rng.choice(DISTRICTS), rng.choice(SUBJECTS)
            work, ttype, method = rng.choice(WORKS)
            name = f"{city}{district}{subject}{work}"
            budget = Decimal(rng.randrange(50_000, 500_000_000, 1000))
            registered = start + timedelta(seconds=int((now - start).total_seconds() * i / max(projects, 1)))
            values = {k: v for k, v in template.items()}
            values.update(
                id=pid,
                code=f"B{region}{pid:012d}"[:32],
                name=name,
                transaction_type=ttype,
                method=method,
                budget=budget,
                region_code=region,
                green_channel=rng.random() < 0.02,
                state="notice_published",
                public_since=registered,
                registered_at=registered,
                updated_at=registered,
                description=None,
                retender_of_id=None,
            )
            rows.append((Project, values))
            meta.append((pid, name, region, ttype, method, budget, city, registered))
            doc_id = next_doc
            next_doc += 1
            docs.append(
                {
                    "id": doc_id,
                    "key": f"project:{pid}",
                    "kind": "project",
                    "title": name,
                    "body": values["code"],
                    "link": f"/projects/{pid}",
                    "published_at": registered,
                    "transaction_type": ttype,
                    "method": method,
                    "region_code": region,
                    "status": "notice_published",
                    "amount": budget,
                    "title_tokens": phrases.words(city, district, subject, work),
                    "body_tokens": values["code"].lower(),
                }
            )
            fts.append({"id": doc_id, "t": docs[-1]["title_tokens"], "b": docs[-1]["body_tokens"]})
            if len(rows) >= BATCH:
                flush(conn)
        flush(conn)
    print(f"  {projects} projects in {time.monotonic() - t0:.0f} s", flush=True)

    t0 = time.monotonic()
    seq = seq0
    with engine.begin() as conn:
        for i in range(notices):
            nid = next_notice + i
            pid, name, region, ttype, method, budget, city, registered = meta[i % len(meta)]
            kind = KINDS.get(method, "tender")
            published = start + (now - start) * (i / max(notices, 1))
            chosen = rng.sample(SENTENCES, 4)
            body_parts = [s.format(subject=name, district=city) for s in chosen]
            if rng.random() < 0.0001:
                body_parts.append(RARE)
            title = f"{name}{KIND_TITLES[kind]}"
            body = "".join(body_parts)
            rows.append(
                (
                    Notice,
                    {
                        "id": nid,
                        "project_id": pid,
                        "kind": kind,
                        "series_id": None,
                        "version": 1,
                        "title": title,
                        "body_html": "".join(f"<p>{p}</p>" for p in body_parts),
                        "affects_bids": False,
                        "author_id": author,
                        "published_at": published,
                        "ledger_seq": seq0,
                    },
                )
            )
            doc_id = next_doc
            next_doc += 1
            body_text = f"{KIND_TITLES[kind]} {name} {body}"
            docs.append(
                {
                    "id": doc_id,
                    "key": f"notice:{nid}",
                    "kind": "notice",
                    "title": title,
                    "body": body_text[:4000],
                    "link": f"/notices/{nid}",
                    "published_at": published,
                    "transaction_type": ttype,
                    "method": method,
                    "region_code": region,
                    "status": "notice_published",
                    "amount": budget,
                    "title_tokens": phrases.words(name, KIND_TITLES[kind]),
                    "body_tokens": phrases.words(KIND_TITLES[kind], name, *body_parts),
                }
            )
            fts.append({"id": doc_id, "t": docs[-1]["title_tokens"], "b": docs[-1]["body_tokens"]})
            if len(rows) >= BATCH:
                flush(conn)
            if (i + 1) % 100_000 == 0:
                print(f"  {i + 1} notices…", flush=True)
        flush(conn)
    print(f"  {notices} notices with their search entries in {time.monotonic() - t0:.0f} s", flush=True)

    t0 = time.monotonic()
    with engine.begin() as conn:
        batch = []
        for i in range(ledger):
            batch.append(
                {
                    "seq": seq,
                    "kind": "trading:notice:publish",
                    "subject": f"notice:{i}",
                    "payload": "{}",
                    "payload_sha256": "0" * 64,
                    "recorded_at": start + (now - start) * (i / max(ledger, 1)),
                    "leaf_hash": f"{rng.getrandbits(256):064x}",
                }
            )
            seq += 1
            if len(batch) >= BATCH:
                conn.execute(insert(LedgerEntry), batch)
                batch.clear()
        if batch:
            conn.execute(insert(LedgerEntry), batch)
        conn.execute(update(LedgerState).where(LedgerState.id == 1).values(size=seq))
    print(f"  {ledger} ledger entries in {time.monotonic() - t0:.0f} s", flush=True)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
        deep = conn.execute(
            select(Notice.published_at, Notice.id)
            .order_by(Notice.published_at.desc(), Notice.id.desc())
            .offset(notices // 2)
            .limit(1)
        ).one()
    engine.dispose()
    return {"deep": (deep[0], deep[1], notices // 2 // 20 + 1)}


# --------------------------------------------------------------------------------------------------
# The measurement
# --------------------------------------------------------------------------------------------------


def measure(base: str, path: str, *, requests: int, clients: int, seconds: float) -> dict:
    with httpx.Client(base_url=base, timeout=60) as client:
        for _ in range(3):
            answer = client.get(path)
            if answer.status_code != 200:
                sys.exit(f"{path}: {answer.status_code} {answer.text[:500]}")
        times = []
        for _ in range(requests):
            t = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - t)
    times.sort()
    count = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        n = 0
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.monotonic() < stop:
                client.get(path)
                n += 1
        with lock:
            count[0] += n

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "p50": statistics.median(times) * 1000,
        "p99": times[min(len(times) - 1, int(len(times) * 0.99))] * 1000,
        "rps": count[0] / (time.monotonic() - began),
        "bytes": len(answer.content),
    }


@contextmanager
def bare_server(log: Path):
    port = _serve._free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "_bare:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=out,
            preexec_fn=_serve._die_with_parent,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base)
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def cases(deep: tuple) -> list[tuple[str, str]]:
    from sunshine.core.pagination import encode_cursor
    from sunshine.trading.notice_reading import NOTICE_ORDER

    published_at, notice_id, page = deep
    if published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=UTC)
    cursor = encode_cursor(NOTICE_ORDER, [published_at, notice_id], page)
    return [
        ("notices: first page", "/notices"),
        ("notices API: first page", "/api/v1/notices"),
        (f"notices: deep page {page} (cursor)", f"/notices?cursor={cursor}"),
        ("notices: kind + type filter", "/notices?kind=procurement&transaction_type=gov_procurement"),
        ("projects: first page", "/projects"),
        ("projects API: first page", "/api/v1/projects?limit=20"),
        (f"search page: common term {COMMON_TERM}", f"/search?q={COMMON_TERM}"),
        (f"search API: common term {COMMON_TERM}", f"/api/v1/search?q={COMMON_TERM}"),
        (f"search API: rare term {RARE_TERM}", f"/api/v1/search?q={RARE_TERM}"),
        ("search API: common + filters", f"/api/v1/search?q={COMMON_TERM}&region=350200&transaction_type=engineering"),
        ("home page", "/"),
    ]


def bench_database(label: str, database_url: str, data_dir: Path, args: argparse.Namespace) -> None:
    env = env_for(data_dir, database_url)
    sunshine = _serve.sunshine_command()
    t0 = time.monotonic()
    run([sunshine, "db", "upgrade"], env)
    run([sunshine, "demo-data"], env)
    print(f"[{label}] migrated and demo loaded in {time.monotonic() - t0:.0f} s; bulk load:", flush=True)
    os.environ.update({k: v for k, v in env.items() if k.startswith("SUNSHINE_")})
    info = bulk_load(database_url, projects=args.projects, notices=args.notices, ledger=args.ledger)
    with bare_server(data_dir / "bare.log") as bare, _serve.serve(env, data_dir / "serve.log", 120) as base:
        ref = measure(bare, "/", requests=args.requests, clients=args.clients, seconds=args.seconds)
        print(
            f"\n[{label}] {args.notices:,} notices, {args.projects:,} projects, +{args.ledger:,} ledger entries; "
            f"{args.requests} sequential requests, then {args.clients} clients × {args.seconds:.0f} s"
        )
        print(f"{'case':44s} {'p50 ms':>8s} {'p99 ms':>8s} {'req/s':>8s} {'KB':>6s}   ratios to bare: p50, p99, req/s")
        print(f"{'bare ASGI endpoint':44s} {ref['p50']:8.1f} {ref['p99']:8.1f} {ref['rps']:8.0f} {0:6.1f}")
        for name, path in cases(info["deep"]):
            m = measure(base, path, requests=args.requests, clients=args.clients, seconds=args.seconds)
            print(
                f"{name:44s} {m['p50']:8.1f} {m['p99']:8.1f} {m['rps']:8.0f} {m['bytes'] / 1024:6.1f}   "
                f"{m['p50'] / ref['p50']:6.1f}× {m['p99'] / ref['p99']:6.1f}× {m['rps'] / ref['rps']:6.2f}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notices", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--ledger", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--pg-url", default=os.environ.get("SUNSHINE_TEST_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite data folder (to EXPLAIN afterwards)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT.parent / "src"))
    if not args.skip_sqlite:
        folder = Path(tempfile.mkdtemp(prefix="sunshine-bench-portal-"))
        try:
            bench_database("SQLite", f"sqlite:///{folder / 'sunshine.db'}", folder, args)
        finally:
            if args.keep:
                print(f"[SQLite] data kept in {folder}")
            else:
                shutil.rmtree(folder, ignore_errors=True)
    if args.pg_url:
        folder = Path(tempfile.mkdtemp(prefix="sunshine-bench-portal-pg-"))
        try:
            with _serve.postgres_database(args.pg_url, BENCH_DATABASE) as url:
                bench_database("PostgreSQL", url, folder, args)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
