"""Demo social supervision (社会监督): the centre's recruitment notice; the demo's social supervisor 李秀英
(account ``observer``) applied and was appointed with her work card, a second applicant awaits review, and the county
government's special supervisor (特约监督员, account ``special``) is in office; this week's schedule was sent; 李秀英
chose an upcoming opening; an opinion left at a room was answered and published after the disclosure office's
review, another awaits its answer; an on-application open day takes applications and a designated-project open day
polls the public. Everything through the supervision services. Idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from sunshine.core.auth import ANONYMOUS
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import DEMO_PASSWORD, principal
from sunshine.identity import service as identity
from sunshine.identity.roles import Role
from sunshine.supervision import opendays, opinions, registry, schedule, sessions
from sunshine.supervision.models import Recruitment
from sunshine.venues.models import Booking, Room

SPECIAL = "special"  # the county government's special supervisor (特约监督员), a demo account made here
SPECIAL_NAME = "县政府政务公开特约监督员 何平"
INSTRUCTIONS = (
    "1. 请携带身份证件，于活动开始前15分钟到交易大厅一楼服务台签到；\n"
    "2. 现场请将手机调至静音，未经允许不得拍照、录音、录像；\n"
    "3. 在指定的观摩区域就座，不得进入评标区，不得与投标人、评标专家交谈，不得干预开评标活动；\n"
    "4. 对开评标过程有意见建议的，可扫描场室意见箱二维码或在座谈会上提出，交易中心限时答复。"
)


def account_rows() -> list[tuple[str, str, str]]:
    """The demo account this module makes, for the table of demo accounts."""
    return [(SPECIAL, "社会监督员（特约监督员）", SPECIAL_NAME)]


def load_demo_supervision(session_factory, real_now: datetime) -> int:
    with session_factory() as s:
        if s.scalar(select(Recruitment.id).limit(1)) is not None:
            return 0
    created = 0
    today = real_now.date()
    with use_clock(AdjustableClock(real_now - timedelta(days=20))), session_factory() as s:
        centre = principal(s, "centre")
        rec = registry.publish_recruitment(
            s,
            centre,
            title="关于公开招募公共资源交易社会监督员的公告",
            body=(
                "为增强公共资源交易过程的公开与透明，主动接受社会各界监督，现面向社会公开招募社会监督员20名。"
                "社会监督员经审核聘任后发给工作证，每周收到开评标安排，可自行选择参加开标、评标现场旁听、观察。"
            ),
            kind="social",
            quota=20,
            opens_on=today - timedelta(days=20),
            closes_on=today + timedelta(days=40),
        )
        li = registry.apply(
            s,
            principal(s, "observer"),
            rec.id,
            name="李秀英",
            phone="13805910001",
            employer="示范市第二实验小学 教师",
            statement="长期关注政府采购和工程招标，希望参与监督。",
        )
        registry.appoint(s, centre, li.id, "材料齐全，同意聘任")
        identity.create_user(
            s,
            username=SPECIAL,
            display_name=SPECIAL_NAME,
            password=DEMO_PASSWORD,
            roles=[Role.SOCIAL_SUPERVISOR],
        )
        special = registry.nominate(
            s,
            centre,
            kind="special",
            source="government",
            username=SPECIAL,
            name="何平",
            phone="13805910002",
            employer="县政府政务公开特约监督员",
            statement="县政府政务公开试点特约监督员，参与管理公开、决策公开，评议服务结果。",
        )
        registry.appoint(s, centre, special.id)
        registry.apply(
            s,
            principal(s, "bidder3"),
            rec.id,
            name="陈磊",
            phone="13805910003",
            employer="个体",
            statement="希望了解开评标流程。",
        )
        created += 4
    with use_clock(AdjustableClock(real_now)), session_factory() as s:
        monday = today - timedelta(days=today.weekday())
        schedule.generate(s, monday)  # this week's, as sent last Friday
        created += 1
        upcoming = s.scalar(
            select(Booking)
            .where(Booking.state == "booked", Booking.purpose == "opening", Booking.starts_at > real_now)
            .order_by(Booking.starts_at)
            .limit(1)
        )
        if upcoming is not None:
            sessions.choose(s, principal(s, "observer"), upcoming.id)
            created += 1
        room = s.scalar(select(Room).where(Room.kind == "opening").order_by(Room.id).limit(1))
        answered, _ = opinions.submit(
            s,
            principal(s, "observer"),
            channel="room",
            topic="venue",
            body="第一开标室后排旁听席听不清唱标，建议增加音箱。",
            room_id=room.id if room else None,
        )
        opinions.answer(
            s,
            principal(s, "centre"),
            answered.id,
            text="已在后排增设两只音箱，并在开标前试音。感谢监督。",
            propose_publish=True,
        )
        opinions.review(s, principal(s, "officesigner"), answered.id, publish=True)
        opinions.submit(
            s,
            principal(s, SPECIAL),
            channel="online",
            topic="procedure",
            body="建议在开标记录中注明每份投标文件的解密完成时间。",
        )
        created += 2
        centre = principal(s, "centre")
        day = opendays.announce(
            s,
            centre,
            kind="application",
            title="社会申请式公共资源交易开放日",
            description="现场观摩工程建设项目的电子开标过程，了解评标委员会的产生方式和评标办法，并召开座谈会。",
            instructions=INSTRUCTIONS,
            place="交易大厅二楼第一开标室",
            starts_at=real_now + timedelta(days=14),
            capacity=8,
            apply_until=real_now + timedelta(days=7),
        )
        for i, (name, purpose) in enumerate(
            (("张明", "市民，关心学校建设"), ("刘晓燕", "媒体记者，采访报道"), ("赵强", "法律工作者"))
        ):
            opendays.apply(s, ANONYMOUS, day.id, name=name, phone=f"1390591{i:04d}", purpose=purpose)
        opendays.announce(
            s,
            centre,
            kind="designated",
            title="重点工程项目集中开放日（社会关注度调查中）",
            description="邀请人大代表、政协委员、媒体记者现场观摩重点工程的开评标全过程。",
            instructions=INSTRUCTIONS,
            place="交易中心二楼、四楼",
            starts_at=real_now + timedelta(days=30),
            capacity=20,
            poll=["示范市第一中学教学楼改造工程", "城区道路雨污分流改造工程", "市民公园提升改造工程"],
        )
        created += 2
    return created
