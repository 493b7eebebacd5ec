"""Demo social supervision (社会监督): the centre's recruitment notice; the demo's social supervisor 李秀英
(account ``observer``) applied and was appointed with her work card, a second applicant awaits review, and the county
government's special supervisor (特约监督员, account ``special``) is in office; this week's schedule was sent; 李秀英
chose an upcoming opening; an opinion left at a room was answered and published after the disclosure office's
review, another awaits its answer; an on-application open day takes applications and a designated-project open day
polls the public; an earlier on-application open day was screened by 政务办 and drawn in public (its record replays,
the applicants entered from paper forms told by SMS); an earlier designated open day's poll closed and the platform
designated the project with most votes. 李秀英's chosen opening also seats her in the opening room (remote
observation). Everything through the supervision services. Idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from sunshine.core.auth import ANONYMOUS
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import DEMO_PASSWORD, principal
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.identity import service as identity
from sunshine.identity.roles import Role
from sunshine.supervision import opendays, opinions, polls, registry, schedule, sessions
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
    created += _drawn_open_day(session_factory, real_now)
    created += _closed_poll(session_factory, real_now)
    return created


APPLICANTS = (
    ("孙丽", "市民，关心学校建设", False),
    ("周涛", "大学生，学习招投标知识", False),
    ("吴敏", "社区工作者", False),
    ("郑华", "媒体记者", False),
    ("冯军", "退休教师", False),
    ("陈静", "律师", False),
    ("褚亮", "企业职工", True),
    ("卫红", "个体经营者", True),
    ("蒋平", "农民工代表", True),
    ("沈洁", "推销产品", False),
)


def _drawn_open_day(session_factory, real_now: datetime) -> int:
    """An on-application open day two days from now: ten applied (three on paper at the counter), 政务办 passed nine,
    and the public draw picked eight; the chosen without an account were told by SMS."""
    with use_clock(AdjustableClock(real_now - timedelta(days=12))), session_factory() as s:
        centre = principal(s, "centre")
        day = opendays.announce(
            s,
            centre,
            kind="application",
            title="第四季度社会申请式开放日（已抽取）",
            description="观摩工程建设项目的电子开标和评标委员会的产生过程，召开座谈会听取意见。",
            instructions=INSTRUCTIONS,
            place="交易大厅二楼第一开标室",
            starts_at=real_now + timedelta(days=2),
            capacity=8,
            apply_until=real_now - timedelta(days=3),
        )
        day_id = day.id
        for i, (name, purpose, offline) in enumerate(APPLICANTS):
            opendays.apply(
                s,
                centre if offline else ANONYMOUS,
                day_id,
                name=name,
                phone=f"1370591{i:04d}",
                purpose=purpose,
                offline=offline,
            )
    with use_clock(AdjustableClock(real_now - timedelta(days=2))):
        with session_factory() as s:
            office = principal(s, "govaffairs")
            for p in opendays.people(s, opendays.get(s, day_id)):
                out = p.purpose == "推销产品"
                opendays.screen(s, office, p.id, passed=not out, note="申请目的与开放日无关" if out else "")
            code = opendays.select_attendees(s, office, day_id).draw_code
        secret = engine.new_secret()
        with session_factory() as s:
            office, centre = principal(s, "govaffairs"), principal(s, "centre")
            draws.sign_in(s, centre, code)
            draws.sign_in(s, office, code)
            draws.commit(s, office, code, engine.commitment(code, f"office:{office.user_id}", secret))
        with session_factory() as s:
            draws.start_reveal(s, principal(s, "centre"), code)
        with session_factory() as s:
            draws.reveal(s, principal(s, "govaffairs"), code, secret)
    return 1


def _closed_poll(session_factory, real_now: datetime) -> int:
    """A designated open day whose public poll closed yesterday: the platform designated the project with most votes."""
    with use_clock(AdjustableClock(real_now - timedelta(days=20))), session_factory() as s:
        day = opendays.announce(
            s,
            principal(s, "centre"),
            kind="designated",
            title="民生工程集中开放日（调查已结束）",
            description="邀请人大代表、政协委员和媒体记者观摩社会关注度调查确定的项目的开评标全过程。",
            instructions=INSTRUCTIONS,
            place="交易中心二楼、四楼",
            starts_at=real_now + timedelta(days=8),
            capacity=20,
            poll=["示范市人民医院门诊楼改造工程", "城北片区老旧小区改造工程", "示范市第三小学新建工程"],
            poll_until=real_now - timedelta(days=1),
        )
        options = polls.options(s, day)
        for i, pick in enumerate([1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1]):
            polls.vote(s, day.id, options[pick].id, f"demo-visitor-{i}")
    with use_clock(AdjustableClock(real_now)), session_factory() as s:
        polls.close_due(s)
    return 1
