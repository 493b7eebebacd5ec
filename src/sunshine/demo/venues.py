"""Demo rooms of the centre (场室) and their bookings, loaded after the trading and committee demos:

- two opening halls, three isolated evaluation rooms (第二评标室 is the one the demo's draw requests name), the
  expert draw room, a negotiation room and the auction hall, with their seats, observer seats and equipment;
- the openings of the demo projects still under way, booked as their notices would have booked them (a project
  whose opening falls outside the opening hours keeps no room: the rule came after it);
- the evaluation rooms of the approved or drawn draw requests that meet in the centre;
- an expert draw and a negotiation the centre books itself;
- the room rules (场室管理制度) drafted by the centre and published by the disclosure office (item ZX.FW.03).

Idempotent: nothing is made when any room exists.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from sunshine.committees import rooms as committee_rooms
from sunshine.committees.models import DrawRequest
from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.errors import SunshineError
from sunshine.demo.base import principal
from sunshine.disclosure import publications
from sunshine.trading.lifecycle import FINAL_STATES
from sunshine.trading.models import Project
from sunshine.venues import regulations, service
from sunshine.venues.models import Room

ROOMS = (
    ("第一开标室", "opening", "交易大厅二楼东侧（公开区）", 80, 40, "电子开标系统、音视频监控、大屏幕、叫号屏"),
    ("第二开标室", "opening", "交易大厅二楼西侧（公开区）", 50, 24, "电子开标系统、音视频监控、大屏幕"),
    ("第一评标室", "evaluation", "四楼评标区（门禁隔离）", 9, 0, "评标终端、音视频监控、手机屏蔽柜、专用通道"),
    ("第二评标室", "evaluation", "四楼评标区（门禁隔离）", 13, 0, "评标终端、音视频监控、手机屏蔽柜、专用通道"),
    ("远程异地评标室", "evaluation", "四楼评标区（门禁隔离）", 9, 0, "远程异地评标系统、评标终端、音视频监控"),
    ("专家抽取室", "draw", "三楼北侧", 10, 6, "专家语音通知系统、音视频监控"),
    ("第一谈判室", "negotiation", "三楼南侧", 12, 0, "录音录像设备、音视频监控"),
    ("拍卖厅", "auction", "交易大厅一楼", 120, 60, "电子竞价系统、大屏幕、音视频监控"),
)

BOOKED_REQUESTS = ("approved", "drawing", "drawn", "appointed")


def _tomorrow(hour: int, minute: int = 0) -> datetime:
    day = clock.today_local() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=get_settings().tz)


def load_demo_venues(session_factory) -> int:
    with session_factory() as session:
        if session.scalar(select(Room.id).limit(1)) is not None:
            return 0
        centre = principal(session, "centre")
        for name, kind, location, capacity, observers, equipment in ROOMS:
            service.create_room(session, centre, service.RoomData(name, kind, location, capacity, observers, equipment))
    created = len(ROOMS)
    with session_factory() as session:
        projects = session.scalars(
            select(Project).where(Project.opening_at.is_not(None), Project.state.not_in(FINAL_STATES))
        )
        for project in projects.all():
            try:
                with session.begin_nested():
                    created += service.book_opening(session, project, project.opening_at) is not None
            except SunshineError:
                continue
    with session_factory() as session:
        for row in session.scalars(select(DrawRequest).where(DrawRequest.state.in_(BOOKED_REQUESTS))).all():
            try:
                with session.begin_nested():
                    committee_rooms.book(session, row, session.get(Project, row.project_id), row.decided_by)
                    created += 1
            except SunshineError:
                continue
    with session_factory() as session:
        centre = principal(session, "centre")
        rooms = {r.name: r.id for r in service.rooms(session)}
        for room, purpose, title, start, end in (
            ("专家抽取室", "draw", "示范市第一中学智慧教室采购项目评标专家抽取", _tomorrow(8, 30), _tomorrow(9, 0)),
            ("第一谈判室", "negotiation", "示范市第一中学物业服务竞争性谈判", _tomorrow(14), _tomorrow(16)),
        ):
            try:
                with session.begin_nested():
                    service.book_manual(session, centre, service.ManualBooking(rooms[room], purpose, title, start, end))
                    created += 1
            except SunshineError:
                continue
    with session_factory() as session:
        pub = regulations.publish_rules(session, principal(session, "centre"))
        publications.approve(session, principal(session, "disclosure"), pub.id)
        created += 1
    return created
