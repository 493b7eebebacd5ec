"""Demo small-works fixed-price draws (小额工程固定价抽取): one project whose draw was made and disclosed a few days
ago (the result in publicity, or determined by the next tick; its public record replayable), and one whose
registration has closed and whose draw waits in the draw room for the witnesses to sign in and the supervisor
to commit. Both go through the services a user's request would, on the demo clock, walked alongside the trading
demo's current projects; the supervisor's secret is generated here as the supervisor's browser would. Without a
walkable clock (a log that already has entries) both stay open for registration."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.clock import AdjustableClock
from sunshine.demo.base import DemoProject, org_ids, principal, register_project
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.smallworks import service as smallworks
from sunshine.trading import notices, registrations, service, visibility
from sunshine.trading.models import Project

FINISHED = DemoProject(
    "engineering.small_works_draw",
    "示范市晋安区新店镇村道安防设施完善工程",
    "transport",
    "268000.00",
    (("村道波形护栏及标志标线施工", "268000.00"),),
    "open",
)
WAITING = DemoProject(
    "engineering.small_works_draw",
    "示范市第一中学围墙及大门改造工程",
    "school",
    "175000.00",
    (("围墙及大门改造施工", "175000.00"),),
    "open",
)
BIDDERS = ("bidder", "bidder2", "bidder3")
PHONES = {"bidder": "13905910001", "bidder2": "13805910002", "bidder3": "13705910003"}


def _publish(session: Session, people, project_id: int, deadline: datetime) -> None:
    project = visibility.get_visible(session, people["agency"], project_id)
    notices.publish_first_notice(
        session,
        people["agency"],
        project_id,
        kind="draw",
        title=f"{project.name}抽取公告",
        body_html=(
            f"<h2>{project.name}</h2><p>统一交易标识码：{project.code}</p>"
            f"<p>一、固定价：{project.sections[0].estimate:,.2f} 元，中选承包人按此价格承包。</p>"
            "<p>二、报名人资格要求：具备相应施工资质，近三年无重大违法记录，未被列入失信名单。</p>"
            "<p>三、抽取方式：报名截止后在本平台公开随机抽取承包人一名、备选承包人一名，监督部门、交易中心和"
            "招标人（代理机构）到场见证，抽取记录和复核数据当场公开。</p>"
            "<p>四、监督部门及电话：示范市公共资源交易监督管理办公室 0591-87110000。</p>"
        ),
        docs_issued_at=clock.now(),
        docs_sale_end=clock.now() + timedelta(days=3),
        bid_deadline=deadline,
    )


def _register(session: Session, people, project_id: int) -> None:
    project = visibility.get_visible(session, people["agency"], project_id)
    for name in BIDDERS:
        bidder = people[name]
        registrations.register_bidder(
            session, bidder, project.id, project.sections[0].id, bidder.display_name[-2:], PHONES[name]
        )


def _deadline(days: int) -> datetime:
    """09:30 Beijing time ``days`` from now (registration runs at least three working days)."""
    return (clock.now() + timedelta(days=days)).replace(hour=1, minute=30, second=0, microsecond=0)


class SmallWorksDemo:
    """The two demo projects, walked alongside the trading demo's current projects: ``publish`` when they begin
    (about two weeks ago: both notices published, three contractors registered the next day), ``draw`` after
    them (registration has closed by then: the first project's draw is made, the second's prepared)."""

    def __init__(self, session_factory, demo_clock: AdjustableClock | None) -> None:
        self.session_factory = session_factory
        self.demo_clock = demo_clock
        self.projects: dict[str, int] = {}

    def publish(self) -> int:
        with self.session_factory() as session:
            if session.scalar(select(func.count()).select_from(Project).where(Project.name == WAITING.name)):
                return 0
            self.people = {n: principal(session, n) for n in ("agency", "centre", "supervisor", *BIDDERS)}
            orgs = org_ids(session)
        for demo in (FINISHED, WAITING):
            self.projects[demo.name] = _new_project(self.session_factory, self.people, orgs, demo)
            with self.session_factory() as session:
                _publish(session, self.people, self.projects[demo.name], _deadline(7))
        if self.demo_clock is not None:
            self.demo_clock.advance(timedelta(hours=20))
        for project_id in self.projects.values():
            with self.session_factory() as session:
                _register(session, self.people, project_id)
        return len(self.projects)

    def draw(self) -> int:
        """Without a walkable clock (or if registration has not closed yet) both projects stay open."""
        if not self.projects:
            return 0
        with self.session_factory() as session:
            deadline = session.get(Project, self.projects[FINISHED.name]).bid_deadline
        if self.demo_clock is None or self.demo_clock.now() < deadline:
            return 0
        _draw(self.session_factory, self.demo_clock, self.people, self.projects[FINISHED.name])
        self.demo_clock.advance(timedelta(hours=1))
        with self.session_factory() as session:  # the room of the second waits for the witnesses
            smallworks.prepare(
                session,
                self.people["centre"],
                self.projects[WAITING.name],
                supervisor_user_id=self.people["supervisor"].user_id,
            )
        return 0


def _new_project(session_factory, people, orgs, demo: DemoProject) -> int:
    with session_factory() as session:
        project_id = register_project(session, people, orgs, demo).id
    with session_factory() as session:
        service.accept(session, people["centre"], project_id)
    return project_id


def _draw(session_factory, demo_clock: AdjustableClock, people, project_id: int) -> None:
    """The centre prepares the draw, the witnesses sign in, the supervisor commits and reveals: drawn and published."""
    with session_factory() as session:
        rows = smallworks.prepare(
            session, people["centre"], project_id, supervisor_user_id=people["supervisor"].user_id
        )
        code = rows[0].draw_code
    demo_clock.advance(timedelta(minutes=10))
    secret = engine.new_secret()  # as the supervisor's browser generates and keeps it
    party = f"supervisor:{people['supervisor'].user_id}"
    with session_factory() as session:
        for who in ("supervisor", "centre", "agency"):
            draws.sign_in(session, people[who], code)
        draws.commit(session, people["supervisor"], code, engine.commitment(code, party, secret))
    demo_clock.advance(timedelta(minutes=5))
    with session_factory() as session:
        draws.start_reveal(session, people["centre"], code)
    demo_clock.advance(timedelta(minutes=2))
    with session_factory() as session:
        draws.reveal(session, people["supervisor"], code, secret)  # the last reveal draws; the result is published
