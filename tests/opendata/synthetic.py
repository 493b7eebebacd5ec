"""Synthetic land-listing projects (挂牌出让) with every stage open data publishes, written with SQLAlchemy Core in
bulk: the listing notice, a correction (更正公告) moving the deadline, the ended auction with its buyer, the result
and its public announcement, the 成交确认书 and the transfer contract signed by both parties with its public
announcement. Small bodies, realistic shapes; used by the open-data tests (a handful) and ``bench/opendata.py``
(100,000). Ledger sequence numbers are plausible numbers, not entries of a real log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, insert, select, text

from sunshine.auctions.models import Auction, AuctionBidder
from sunshine.awards.contract_models import AwardContract
from sunshine.awards.models import AwardLetter
from sunshine.disclosure.models import CatalogCategory, CatalogItem, Publication
from sunshine.identity.models import Organisation, User
from sunshine.trading.models import Notice, Project, Section, Transition

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
TABLES = [Organisation, User, CatalogCategory, CatalogItem, Project, Section, Notice, Transition, Publication]
TABLES += [Auction, AuctionBidder, AwardLetter, AwardContract]
SELLER, AGENCY, BUYER, OTHER = "91350100SYNTHSELL1", "91350100SYNTHAGEN2", "91350100SYNTHBUYR3", "91350100SYNTHOTHR4"


def code_of(i: int) -> str:
    return f"350100D9{i:09d}S"


def _basics(conn: Connection) -> dict[str, int]:
    """The organisations, the author and the catalogue item every synthetic project uses (made once)."""
    found = conn.scalar(select(Organisation.id).where(Organisation.credit_code == SELLER))
    if found is None:
        rows = [
            (SELLER, "示范市自然资源和规划局", "purchaser"),
            (AGENCY, "示范产权交易代理有限公司", "agency"),
            (BUYER, "闽江置业有限公司", "supplier"),
            (OTHER, "海西城建开发有限公司", "supplier"),
        ]
        for code, name, kind in rows:
            conn.execute(
                insert(Organisation).values(
                    name=name, credit_code=code, kind=kind, region_code="350100", created_at=START
                )
            )
        conn.execute(
            insert(User).values(
                username="synthetic-author", display_name="合成数据", password_hash="!", created_at=START
            )
        )
        conn.execute(insert(CatalogCategory).values(code="ZZ", level=1, name="合成数据", sort_order=0))
    ids = {
        code: conn.scalar(select(Organisation.id).where(Organisation.credit_code == code))
        for code in (SELLER, AGENCY, BUYER, OTHER)
    }
    ids["user"] = conn.scalar(select(User.id).where(User.username == "synthetic-author"))
    category = conn.scalar(select(CatalogCategory.id).where(CatalogCategory.code == "ZZ"))
    item = conn.scalar(select(CatalogItem.id).where(CatalogItem.code == "ZZ.01"))
    if item is None:
        conn.execute(
            insert(CatalogItem).values(
                code="ZZ.01",
                category_id=category,
                name="合成数据公开事项",
                content="-",
                legal_basis="-",
                time_limit_ref="-",
                responsible_body="-",
                channels={},
                audience="public",
                mode="proactive",
                five_category="result",
                levels=["city"],
                sort_order=0,
                version=1,
                effective_from=START.date(),
                created_at=START,
                updated_at=START,
            )
        )
        item = conn.scalar(select(CatalogItem.id).where(CatalogItem.code == "ZZ.01"))
    ids["item"] = item
    return ids


def _next_id(conn: Connection, model) -> int:  # noqa: ANN001
    return (conn.scalar(select(model.id).order_by(model.id.desc()).limit(1)) or 0) + 1


def generate(conn: Connection, n: int, *, first: int = 1, batch: int = 2000) -> list[int]:
    """Write ``n`` projects (numbered from ``first``) with all their stages; their ids."""
    base = _basics(conn)
    out: list[int] = []
    for start in range(first, first + n, batch):
        out += _batch(conn, base, range(start, min(first + n, start + batch)))
    if conn.dialect.name == "postgresql":  # ids were given explicitly: move the sequences past them
        for model in TABLES:
            table = model.__tablename__
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    return out


def _batch(conn: Connection, base: dict[str, int], numbers: range) -> list[int]:
    ids = {m: _next_id(conn, m) for m in (Project, Section, Notice, Transition, Publication, Auction)}
    ids.update({m: _next_id(conn, m) for m in (AuctionBidder, AwardLetter, AwardContract)})
    rows: dict[type, list[dict]] = {m: [] for m in ids}
    project_ids = []
    for k, i in enumerate(numbers):
        t0 = START + timedelta(minutes=i)
        pid, sid, nid, tid, pub, aid = (
            ids[m] + k for m in (Project, Section, Notice, Transition, Publication, Auction)
        )
        nid, tid, pub = ids[Notice] + 2 * k, ids[Transition] + 5 * k, ids[Publication] + 2 * k
        bidder, letter, contract = ids[AuctionBidder] + k, ids[AwardLetter] + k, ids[AwardContract] + k
        code, budget = code_of(i), Decimal(1_000_000 + (i % 997) * 10_000)
        price = budget + 50_000
        deadline, moved = t0 + timedelta(days=20), t0 + timedelta(days=25)
        ended, published = moved + timedelta(hours=2), moved + timedelta(days=1)
        signed, seq = moved + timedelta(days=8), 10 * i
        project_ids.append(pid)
        rows[Project].append(
            dict(
                id=pid,
                code=code,
                name=f"合成地块{i}号国有建设用地使用权挂牌出让",
                transaction_type="land",
                method="listing",
                pack_key="land.listing",
                pack_version="2026.1",
                lifecycle="listing",
                rules_snapshot="{}",
                tenderer_id=base[SELLER],
                agency_id=base[AGENCY],
                budget=budget,
                region_code="350100",
                funding_source="-",
                green_channel=False,
                state="contracted",
                failed_attempts=0,
                public_since=t0,
                docs_issued_at=t0,
                docs_sale_end=deadline,
                bid_deadline=deadline,
                opening_at=deadline,
                registered_by=base["user"],
                registered_at=t0 - timedelta(days=1),
                updated_at=signed,
            )
        )
        rows[Section].append(dict(id=sid, project_id=pid, number=1, name="地块", estimate=budget, qualification="-"))
        rows[Notice].append(
            dict(
                id=nid,
                project_id=pid,
                kind="listing",
                series_id=None,
                version=1,
                title=f"合成地块{i}号挂牌公告",
                body_html="<p>挂牌出让</p>",
                affects_bids=False,
                new_bid_deadline=None,
                new_opening_at=None,
                author_id=base["user"],
                published_at=t0,
                ledger_seq=seq + 1,
            )
        )
        rows[Notice].append(
            dict(
                id=nid + 1,
                project_id=pid,
                kind="amendment",
                series_id=nid,
                version=2,
                title=f"合成地块{i}号更正公告",
                body_html="<p>挂牌截止时间顺延</p>",
                affects_bids=True,
                new_bid_deadline=moved,
                new_opening_at=moved,
                author_id=base["user"],
                published_at=t0 + timedelta(days=3),
                ledger_seq=seq + 2,
            )
        )
        steps = [
            ("publish_notice", "accepted", "notice_published", t0, seq + 1),
            ("close_bids", "notice_published", "bid_closed", moved, seq + 3),
            ("end_auction", "bid_closed", "result_published", ended, seq + 4),
            ("issue_award_letters", "result_published", "awarded", published, seq + 5),
            ("sign_contract", "awarded", "contracted", signed, seq + 6),
        ]
        for j, (step, before, after, at, s) in enumerate(steps):
            rows[Transition].append(
                dict(
                    id=tid + j,
                    project_id=pid,
                    step=step,
                    from_state=before,
                    to_state=after,
                    actor_id=base["user"],
                    ledger_seq=s,
                    at=at,
                )
            )
        for j, (ref, title, at) in enumerate(
            ((f"auction:{aid}", "成交公示", published), (f"contracts:{code}", "合同公告", signed))
        ):
            rows[Publication].append(
                dict(
                    id=pub + j,
                    item_id=base["item"],
                    subject=f"project:{code}",
                    title=title,
                    body="-",
                    body_format="text",
                    source_ref=ref,
                    status="published",
                    created_at=at,
                    published_at=at,
                )
            )
        rows[Auction].append(
            dict(
                id=aid,
                project_id=pid,
                section_id=sid,
                start_price=budget,
                increment=Decimal(10_000),
                phase="ended",
                bid_count=5,
                current_price=price,
                outcome="sold",
                winner_id=bidder,
                final_price=price,
                ended_at=ended,
                setup_ledger_seq=seq + 3,
                result_ledger_seq=seq + 4,
                created_by=base["user"],
                created_at=moved,
            )
        )
        rows[AuctionBidder].append(
            dict(id=bidder, auction_id=aid, organisation_id=base[BUYER], paddle="A01", assigned_at=moved)
        )
        rows[AwardLetter].append(
            dict(
                id=letter,
                project_id=pid,
                section_id=sid,
                organisation_id=base[BUYER],
                kind="award",
                title="成交确认书",
                number=f"CJ-{code}",
                body="-",
                amount=price,
                issuer_id=base[AGENCY],
                drafted_at=published,
                sha256="0" * 64,
                issued_at=published,
                ledger_seq=seq + 5,
            )
        )
        rows[AwardContract].append(
            dict(
                id=contract,
                project_id=pid,
                section_id=sid,
                letter_id=letter,
                tenderer_id=base[SELLER],
                winner_id=base[BUYER],
                title="转让合同",
                number=f"HT-{code}",
                subject="地块",
                amount=price,
                term="签订后30日内交付",
                payment="一次性付清",
                body="-",
                sha256="1" * 64,
                drafted_at=published,
                tenderer_signed_at=signed - timedelta(hours=1),
                winner_signed_at=signed,
                ledger_seq=seq + 6,
            )
        )
    for model in (
        Project,
        Section,
        Notice,
        Transition,
        Publication,
        Auction,
        AuctionBidder,
        AwardLetter,
        AwardContract,
    ):
        conn.execute(insert(model), rows[model])
    return project_ids
