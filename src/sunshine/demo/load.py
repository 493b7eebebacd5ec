"""The entry point of ``sunshine demo-data``: realistic demo data, area by area, in the order the areas
depend on each other — accounts, then disclosure, policies and information requests, then trading (with the
small-works fixed-price draws walked alongside its current projects), online auctions, the signers' signing keys
and sealed bidding (build1's bids signed), then a platform incident that stopped the tender open for bids, then
the market participants who registered themselves (市场主体库) at every stage of review, and the seals on issued
documents.
Idempotent: a second run changes nothing.

When the log is still empty the loader walks an adjustable clock through the last months, so that
registrations carry plausible dates; otherwise it records at the present time (the log never runs
backwards).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from rich.console import Console
from rich.table import Table

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.db import Database
from sunshine.demo import calling as demo_calling
from sunshine.demo import channels, disclosure, inforequests
from sunshine.demo.accounts import load_accounts
from sunshine.demo.archives import load_demo_archives
from sunshine.demo.auctions import load_demo_auctions
from sunshine.demo.awards import load_demo_awards
from sunshine.demo.base import DEMO_PASSWORD, USERS
from sunshine.demo.bidding import load_demo_bidding
from sunshine.demo.calling import load_demo_calling
from sunshine.demo.committees import load_demo_committees
from sunshine.demo.complaints import load_demo_complaints
from sunshine.demo.credit import account_rows as credit_accounts
from sunshine.demo.credit import load_demo_credit
from sunshine.demo.evaluation import account_rows as evaluation_accounts
from sunshine.demo.evaluation import load_demo_evaluation
from sunshine.demo.experts import ACCOUNT_ROWS as EXPERT_ACCOUNTS
from sunshine.demo.experts import load_demo_experts
from sunshine.demo.governance import load_demo_governance
from sunshine.demo.incidents import load_demo_incidents
from sunshine.demo.invitations import load_demo_invitations
from sunshine.demo.market import PARTICIPANTS, load_demo_market
from sunshine.demo.monitoring import load_demo_monitoring
from sunshine.demo.opendata import load_demo_opendata
from sunshine.demo.performance import load_demo_performance
from sunshine.demo.procedure import load_demo_procedure
from sunshine.demo.qualifications import load_demo_qualifications
from sunshine.demo.reevaluation import load_demo_reevaluation
from sunshine.demo.results import load_demo_results
from sunshine.demo.seals import load_demo_seals
from sunshine.demo.servicedesk import load_demo_servicedesk
from sunshine.demo.signing import load_demo_signing
from sunshine.demo.smallworks import SmallWorksDemo
from sunshine.demo.supervision import account_rows as supervision_accounts
from sunshine.demo.supervision import load_demo_supervision
from sunshine.demo.tenderdocs import load_demo_tenderdocs
from sunshine.demo.trading import load_demo_trading
from sunshine.demo.venues import load_demo_venues
from sunshine.ledger import service as ledger


def _months(real_now: datetime) -> list[tuple[date, date]]:
    """The last twelve calendar months up to yesterday, oldest first, as (first day, last day)."""
    today = real_now.astimezone(get_settings().tz).date()
    first = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    out = []
    while first <= today:
        nxt = (first + timedelta(days=32)).replace(day=1)
        out.append((first, min(nxt - timedelta(days=1), today - timedelta(days=1))))
        first = nxt
    return [(a, b) for a, b in out if a <= b]


def _load_disclosure(db: Database, demo_clock: AdjustableClock | None, real_now: datetime) -> int:
    """The disclosure catalog, policies, and — on a fresh log — a year of proactive disclosure and of
    information requests. The two histories are walked one after the other on the same months; the
    ledger never runs backwards, so the second one's entries carry the later of their own time and
    the log's last time."""
    disclosure.load_catalog(db)
    made = channels.load(db)
    if demo_clock is None:
        return made
    months = _months(real_now)
    year_start = datetime.combine(months[0][0], time(8, 0), get_settings().tz)
    for seed in (disclosure.seed_month, inforequests.seed_month):
        demo_clock.set(year_start)
        for first, last in months:
            seed(db, demo_clock, first, last)
    return made + len(months)


def load_demo_data(db: Database, console: Console | None = None) -> Table:
    console = console or Console()
    with db.unit_of_work() as session:
        fresh = ledger.size(session) == 0
    real_now = clock.now()
    start = real_now - timedelta(days=400) if fresh else real_now
    demo_clock = AdjustableClock(start) if fresh else clock.current()
    walk = demo_clock if fresh else None  # the clock the areas may walk, on a fresh log only
    with use_clock(demo_clock):
        created = load_accounts(db, walk)
        created += _load_disclosure(db, walk, real_now)
        if fresh:
            demo_clock.set(real_now - timedelta(days=100))
        created += load_demo_qualifications(db.unit_of_work, real_now)
        smallworks = SmallWorksDemo(db.unit_of_work, walk)  # walked alongside the current trading projects
        created += load_demo_trading(
            db.unit_of_work, walk, real_now, on_current=smallworks.publish, before_present=smallworks.draw
        )
        created += load_demo_auctions(db, walk, real_now)
        created += load_demo_signing(db.unit_of_work, real_now)
        created += load_demo_bidding(db.unit_of_work, real_now)
        created += load_demo_incidents(db.unit_of_work, real_now)
        created += load_demo_market(db.unit_of_work)
        created += load_demo_seals(db.unit_of_work)
        created += load_demo_experts(db.unit_of_work, real_now)
        # expert draw requests: after the expert pool's demo (nothing is drawn from an empty pool)
        created += load_demo_committees(db.unit_of_work)
        created += load_demo_calling(db.unit_of_work)  # the drawn experts' answers: confirmed, declined, pending
        created += load_demo_evaluation(db.unit_of_work, real_now)  # a committee's session under way
        created += load_demo_results(db.unit_of_work, real_now)  # a works tender's publicity, a procurement's result
        created += load_demo_procedure(db.unit_of_work, walk)  # a method change after two failures; a direct award
        created += load_demo_invitations(db.unit_of_work, walk)  # the invited procurement: draw of invitees, letters
        created += load_demo_venues(db.unit_of_work)  # rooms, the openings' and evaluations' bookings, the rules
        created += load_demo_tenderdocs(db.unit_of_work)  # last: the centre's switch holds later procurement notices
        created += load_demo_awards(db.unit_of_work, real_now)  # letters and contracts: the land sold, the school's
        created += load_demo_performance(db.unit_of_work, real_now)  # the school's contract performed and accepted
        created += load_demo_archives(db.unit_of_work, real_now)  # the failed procurement's attempts archived
        created += load_demo_complaints(db.unit_of_work, real_now)  # a challenge, a complaint under way, one awaiting
        created += load_demo_reevaluation(db.unit_of_work, real_now)  # a complaint upheld: the same committee re-scores
        created += load_demo_credit(db.unit_of_work, real_now)  # penalties published and taken down, a ban, ratings
        created += load_demo_opendata(db.unit_of_work)  # last: every published stage as OCDS, the day's downloads
        created += load_demo_monitoring(db.unit_of_work, real_now)  # 电子监察: alerts on the demo data, one handled
        created += load_demo_supervision(db.unit_of_work, real_now)  # 社会监督: supervisors, schedule, open days
        created += load_demo_servicedesk(db.unit_of_work, real_now)  # 服务台: orders, surveys, ratings, 12345
        created += load_demo_governance(db.unit_of_work, real_now)  # 政务公开监督: consultations, opinions, checks
        with db.unit_of_work() as session:
            ledger.sign_head(session)

    table = Table(
        "账号", "角色", "姓名", title=f"示范数据已就绪（新增 {created} 条）。示范账号的密码均为 {DEMO_PASSWORD}"
    )
    for username, name, roles, _ in USERS:
        table.add_row(username, "、".join(r.label for r in roles), name)
    for username, roles_label, name in EXPERT_ACCOUNTS:  # 评标专家库: experts admitted through the procedure
        if username != "expert":  # the account above
            table.add_row(username, roles_label, name)
    for username, label, name in demo_calling.account_rows(db.unit_of_work):  # a drawn expert with an assignment
        table.add_row(username, label, name)
    for username, label, name in evaluation_accounts(db.unit_of_work):  # experts still to score
        table.add_row(username, label, name)
    for username, label, name in credit_accounts():  # the contractor under a ban (its registration refused)
        table.add_row(username, label, name)
    for username, label, name in supervision_accounts():  # the county's special supervisor (特约监督员)
        table.add_row(username, label, name)
    for p in PARTICIPANTS:  # registered themselves (市场主体库), at the stage of review the demo shows
        table.add_row(p.username, "企业管理员（自行注册）", p.admin_name)
    return table
