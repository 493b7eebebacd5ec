"""Demo of the invitation tender after its prequalification (run after the procedure demo, on a fresh log): the
transport bureau's road maintenance inspection procurement (政府采购邀请招标) publishes its prequalification notice
three weeks before the present; three inspection firms apply, the agency records that all three passed, the
applications close, the centre draws the invitees in the draw room (the supervisor's commitment and reveal, the
platform's, the witnesses signed in), and the agency sends the invitation letters with a tender schedule whose bid
deadline lies about three weeks after the present: the project is back in 投标中 and the invited firms have their
letters in their inboxes. Walked on the demo clock at fixed offsets and returned to the present (times at 09:30
Beijing), so it never depends on the hour it is loaded. Idempotent: nothing is made unless the project is still
waiting for its first notice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from sunshine.core import clock
from sunshine.core.clock import AdjustableClock
from sunshine.demo.base import principal
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.procedure import invitations
from sunshine.trading import notices, registrations
from sunshine.trading import service as trading
from sunshine.trading.models import Project, Section

NAME = "示范市交通运输局公路养护检测服务采购"
APPLICANTS = (("bidder", "13905910001"), ("bidder2", "13805910002"), ("bidder3", "13705910003"))


def _at_0930(days: int) -> datetime:
    return (clock.now() + timedelta(days=days)).replace(hour=1, minute=30, second=0, microsecond=0)


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
    demo_clock.set(back_to - timedelta(days=21))
    try:
        with session_factory() as session:
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
                docs_sale_end=_at_0930(12),
                bid_deadline=_at_0930(14),
            )
        demo_clock.advance(timedelta(days=1))
        regs = []
        for name, phone in APPLICANTS:
            with session_factory() as session:
                who = people[name]
                regs.append(
                    registrations.register_bidder(session, who, pid, section_id, who.display_name[-2:], phone).id
                )
        demo_clock.advance(timedelta(days=13, hours=2))  # past the application deadline
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
            invitations.send(
                session,
                people["agency"],
                pid,
                docs_issued_at=clock.now(),
                docs_sale_end=_at_0930(10),
                bid_deadline=_at_0930(28),
                note="联系人：福建中正招标代理有限公司 林工，0591-87660000。",
            )
    finally:
        demo_clock.set(max(demo_clock.now(), back_to))
    return 1 + len(regs) + 1
