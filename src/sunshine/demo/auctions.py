"""Demo online auctions (网上竞价): a land listing that has finished — listing bids, a timed final round with
late bids extending the clock, the winner and the revealed reserve, the published result — and a land listing
whose listing period is running now, with bids and a secret reserve.

Everything goes through the services a request would use, on the demo clock walked over the last weeks, so
that notices, bids and results sit on the timeline and in the ledger at plausible times.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from sunshine.auctions import bids, conditions, rounds
from sunshine.auctions.models import Auction
from sunshine.config import get_settings
from sunshine.core.clock import AdjustableClock
from sunshine.db import Database
from sunshine.demo.base import REGION, org_ids, principal
from sunshine.trading import deposits, notices, registrations, visibility
from sunshine.trading import service as trading
from sunshine.trading.schemas import ProjectIn, SectionIn


def _at(day: datetime, hour: int) -> datetime:
    """``hour`` o'clock Beijing time on the local date of ``day``."""
    tz = get_settings().tz
    local = day.astimezone(tz)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


class _Demo:
    def __init__(self, db: Database, demo_clock: AdjustableClock) -> None:
        self.db, self.clock = db, demo_clock
        with db.unit_of_work() as s:
            self.people = {n: principal(s, n) for n in ("agency", "centre", "bidder", "bidder2")}
            self.orgs = org_ids(s)

    def project(self, name: str, section: str, estimate: str, *, starts: datetime, deadline: datetime) -> int:
        """Register, accept, set a 20 % 竞买保证金 and publish the listing notice now."""
        agency, centre = self.people["agency"], self.people["centre"]
        data = ProjectIn(
            name=name,
            transaction_type="land",
            method="listing",
            tenderer_id=self.orgs["land_bureau"],
            agency_id=self.orgs["agency1"],
            budget=Decimal(estimate),
            region_code=REGION,
            funding_source="土地出让",
            description=f"{name}。出让方案已经市人民政府批准，采用网上挂牌方式，挂牌截止时有两个以上竞买人报价的进入网上限时竞价。",
            sections=[
                SectionIn(name=section, estimate=Decimal(estimate), qualification="中华人民共和国境内的法人和其他组织")
            ],
        )
        with self.db.unit_of_work() as s:
            project = trading.register(s, agency, data)
            project_id, section_id = project.id, project.sections[0].id
        self.clock.advance(timedelta(hours=3))
        with self.db.unit_of_work() as s:
            trading.accept(s, centre, project_id)
            deposits.set_section_deposit(s, agency, project_id, section_id, (Decimal(estimate) * Decimal("0.2")))
        self.clock.advance(timedelta(hours=2))
        with self.db.unit_of_work() as s:
            notices.publish_first_notice(
                s,
                agency,
                project_id,
                kind="listing",
                title=f"{name}挂牌出让公告",
                body_html=(
                    f"<h2>{name}</h2><p>一、出让地块：{section}。</p>"
                    "<p>二、竞买人资格：中华人民共和国境内的法人和其他组织均可申请参加，申请人可以单独申请，也可以联合申请。</p>"
                    "<p>三、本次出让采用网上挂牌方式，设有保留价；挂牌期间在本平台网上竞价室报价，挂牌截止时有两个以上竞买人"
                    "报价的，进入网上限时竞价，每次有效报价后重新计时。</p>"
                    "<p>四、竞买保证金为起始价的20%，须在挂牌截止前到账。</p>"
                ),
                bid_deadline=deadline,
                docs_issued_at=starts,
                docs_sale_end=deadline - timedelta(days=2),
            )
        return project_id

    def participants(self, project_id: int) -> None:
        """Both demo bidders register; one pays by transfer, the other by electronic guarantee."""
        with self.db.unit_of_work() as s:
            section_id = visibility.get_visible(s, self.people["agency"], project_id).sections[0].id
        for username, method in (("bidder", "transfer"), ("bidder2", "guarantee")):
            bidder = self.people[username]
            self.clock.advance(timedelta(hours=20))
            with self.db.unit_of_work() as s:
                reg = registrations.register_bidder(s, bidder, project_id, section_id, "何丽", "13905910001")
                registrations.obtain_documents(s, bidder, reg.id)
                deposit = deposits.open_deposit(s, bidder, reg.id, method)
                if method == "transfer":
                    deposits.confirm_transfer(s, self.people["centre"], deposit.id, deposit.amount)
                else:
                    deposits.submit_guarantee(
                        s,
                        bidder,
                        deposit.id,
                        f"BH{project_id:04d}{bidder.organisation_id:04d}01",
                        "示范市融资担保有限公司",
                    )

    def auction(self, project_id: int, start: str, increment: str, reserve: str) -> int:
        with self.db.unit_of_work() as s:
            section_id = visibility.get_visible(s, self.people["agency"], project_id).sections[0].id
            return conditions.setup(
                s,
                self.people["agency"],
                project_id,
                section_id,
                start_price=Decimal(start),
                increment=Decimal(increment),
                reserve_price=Decimal(reserve),
            ).id

    def bid(self, auction_id: int, username: str, amount: str, at: datetime) -> None:
        self.clock.set(max(self.clock.now(), at))
        with self.db.unit_of_work() as s:
            bids.place_bid(s, self.people[username], auction_id, Decimal(amount))

    def settle(self, at: datetime) -> None:
        self.clock.set(max(self.clock.now(), at))
        with self.db.unit_of_work() as s:
            rounds.finalise_due(s)


def load_demo_auctions(db: Database, demo_clock: AdjustableClock | None, real_now: datetime) -> int:
    """Create the demo auctions unless there already are some, on a fresh demo (a walkable clock).
    Returns how many auctions were made."""
    if demo_clock is None:
        return 0
    with db.unit_of_work() as s:
        if s.scalar(select(func.count()).select_from(Auction)):
            return 0
    demo = _Demo(db, demo_clock)

    # Finished: published ten weeks ago, listed for twelve days, a timed round with three late bids.
    demo_clock.set(_at(real_now - timedelta(days=70), 9))
    starts = _at(real_now - timedelta(days=45), 9)
    deadline = _at(real_now - timedelta(days=33), 10)
    finished = demo.project(
        "示范市连江县2026-05号地块国有建设用地使用权挂牌出让",
        "连江县2026-05号地块（商服用地，2.6公顷，出让年限40年）",
        "58600000.00",
        starts=starts,
        deadline=deadline,
    )
    demo.participants(finished)
    done = demo.auction(finished, "58600000.00", "500000.00", "60000000.00")
    demo.bid(done, "bidder", "58600000.00", starts + timedelta(days=1, hours=1))
    demo.bid(done, "bidder2", "59100000.00", starts + timedelta(days=3, hours=5))
    demo.bid(done, "bidder", "59600000.00", starts + timedelta(days=8, hours=2))
    demo.settle(deadline + timedelta(seconds=1))  # 挂牌截止: two bidders, so the timed round starts
    demo.bid(done, "bidder2", "60100000.00", deadline + timedelta(minutes=2, seconds=13))
    demo.bid(done, "bidder", "60600000.00", deadline + timedelta(minutes=6, seconds=41))
    demo.bid(done, "bidder2", "61100000.00", deadline + timedelta(minutes=11, seconds=5))
    with db.unit_of_work(read_only=True) as s:
        ends = s.get(Auction, done).ends_at
    demo.settle(ends + timedelta(seconds=1))

    # Live: published 26 days ago, listing since four days ago, open for bids for another nine days.
    demo_clock.set(max(demo_clock.now(), _at(real_now - timedelta(days=26), 9)))
    starts = _at(real_now - timedelta(days=4), 9)
    live = demo.project(
        "示范市闽侯县2026-09号地块国有建设用地使用权挂牌出让",
        "闽侯县2026-09号地块（住宅用地，3.1公顷，出让年限70年）",
        "32000000.00",
        starts=starts,
        deadline=_at(real_now + timedelta(days=9), 10),
    )
    demo.participants(live)
    running = demo.auction(live, "32000000.00", "200000.00", "33000000.00")
    demo.bid(running, "bidder", "32000000.00", starts + timedelta(hours=2))
    demo.bid(running, "bidder2", "32200000.00", starts + timedelta(days=1, hours=4))
    demo.bid(running, "bidder", "32600000.00", starts + timedelta(days=2, hours=6))
    demo_clock.set(max(demo_clock.now(), real_now))
    with db.unit_of_work() as s:
        rounds.finalise_due(s)
    return 2
