"""Demo of the invitation tender after its prequalification (run after the procedure demo, on a fresh log): the
transport bureau's road maintenance inspection procurement (政府采购邀请招标) publishes its prequalification notice
about a month before the present; three inspection firms apply, the agency records that all three passed, the
applications close, the centre draws the invitees in the draw room (the supervisor's commitment and reveal, the
platform's, the witnesses signed in), and the agency sends the invitation letters with a tender schedule whose bid
deadline lies at least two weeks after the present: the project is back in 投标中 and the invited firms have
their letters in their inboxes. Walked on the demo clock and returned to the present (times at 09:30 Beijing,
periods counted on the centre's working-day calendar), so it never depends on the hour it is loaded. Idempotent:
nothing is made unless the project is still waiting for its first notice."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.clock import AdjustableClock
from sunshine.demo.base import principal
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.procedure import invitations
from sunshine.rules import service as rules
from sunshine.rules.service import rules_of
from sunshine.trading import notices, registrations
from sunshine.trading import service as trading
from sunshine.trading.models import Project, Section

NAME = "示范市交通运输局公路养护检测服务采购"
APPLICANTS = (("bidder", "13905910001"), ("bidder2", "13805910002"), ("bidder3", "13705910003"))


def _at_0930(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=get_settings().tz)


def _after(session, project: Project, rule_id: str, days: int, *, not_before: date | None = None) -> datetime:
    """09:30 on the day after the later of ``days`` calendar days and the pack's period from today (working days
    counted on the centre's calendar, so that a holiday never makes the demo's dates unlawful)."""
    today = clock.today_local()
    due = rules.earliest_after(session, rules_of(project).rule(rule_id), today).due
    return _at_0930(max(due, today + timedelta(days=days), not_before or today) + timedelta(days=1))


def load_demo_invitations(session_factory, demo_clock: AdjustableClock | None) -> int:
    """Create the demo (see the module's description). Returns how many records were made."""
    if demo_clock is None:
        return 0
    with session_factory() as session:
        project = session.scalar(select(Project).where(Project.name == NAME))
        if project is None or project.state != "accepted":
            return 0
        pid = project.id
        section_id = session.scalar(select(Section.id).where(Section.project_id == pid))
        people = {n: principal(session, n) for n in ("agency", "centre", "supervisor", *(a for a, _ in APPLICANTS))}
    back_to = clock.now()
    demo_clock.set(back_to - timedelta(days=30))
    try:
        with session_factory() as session:
            project = session.get(Project, pid)
            sale_end = _after(session, project, "prequal_docs_period", 10)
            deadline = _after(session, project, "prequal_application_period", 12, not_before=sale_end.date())
            notices.publish_first_notice(
                session,
                people["agency"],
                pid,
                kind="prequalification",
                title=f"{NAME}资格预审公告",
                body_html=(
                    f"<h2>{NAME}</h2><p>一、采购方式：邀请招标（先资格预审，再从合格供应商中随机抽取不少于3家发出投标邀请书）。</p>"
                    "<p>二、申请人资格要求：具有公路工程综合类甲级试验检测资质。</p>"
                    "<p>三、资格预审文件：在本平台报名后在线获取，免费。</p>"
                ),
                docs_issued_at=clock.now(),
                docs_sale_end=sale_end,
                bid_deadline=deadline,
            )
        demo_clock.advance(timedelta(days=1))
        regs = []
        for name, phone in APPLICANTS:
            with session_factory() as session:
                who = people[name]
                regs.append(
                    registrations.register_bidder(session, who, pid, section_id, who.display_name[-2:], phone).id
                )
        demo_clock.set(deadline + timedelta(hours=2))  # past the application deadline
        with session_factory() as session:
            trading.close_due(session)
        for reg in regs:
            with session_factory() as session:
                registrations.record_qualification(session, people["agency"], reg, "pre", True, "")
        demo_clock.advance(timedelta(hours=1))
        with session_factory() as session:
            invitations.prepare(session, people["centre"], pid, supervisor_user_id=people["supervisor"].user_id)
            code = session.scalar(
                select(invitations.InvitationDraw.draw_code).where(invitations.InvitationDraw.project_id == pid)
            )
        secret = engine.new_secret()
        with session_factory() as session:
            for who in (people["supervisor"], people["centre"], people["agency"]):
                draws.sign_in(session, who, code)
            party = f"supervisor:{people['supervisor'].user_id}"
            draws.commit(session, people["supervisor"], code, engine.commitment(code, party, secret))
        with session_factory() as session:
            draws.start_reveal(session, people["centre"], code)
        with session_factory() as session:
            draws.reveal(session, people["supervisor"], code, secret)
        demo_clock.advance(timedelta(hours=2))
        with session_factory() as session:
            project = session.get(Project, pid)
            docs_end = _after(session, project, "docs_sale_period", 8)
            bid_deadline = _after(
                session, project, "docs_to_bid_deadline", 20, not_before=back_to.date() + timedelta(days=14)
            )
            invitations.send(
                session,
                people["agency"],
                pid,
                docs_issued_at=clock.now(),
                docs_sale_end=docs_end,
                bid_deadline=bid_deadline,
                note="联系人：福建中正招标代理有限公司 林工，0591-87660000。",
            )
    finally:
        demo_clock.set(max(demo_clock.now(), back_to))
    return 1 + len(regs) + 1
