"""Demo platform incident: a network outage (网络中断) six hours before the demo was loaded, while the demo
tender open for bids was running. The centre declared it forty minutes after it began, the supervisory
department confirmed it, and the centre ended it once the operator had repaired the line: the tender was
suspended meanwhile and resumed with its bid deadline moved by one day, and the incident and recovery notices
are published (平台运行公告 at /incidents). Everything goes through ``incidents.service`` on a clock walked over
those hours. Idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import principal
from sunshine.demo.bidding import TENDERS
from sunshine.incidents import service
from sunshine.incidents.models import Incident
from sunshine.incidents.schemas import ConfirmIn, EndIn, IncidentIn
from sunshine.trading.models import Project

DESCRIPTION = "电信运营商城域网出口光缆被市政施工挖断，投标人无法访问交易平台、下载招标文件和递交投标文件"
END_NOTE = "运营商已完成光缆抢修，交易平台已切换至双线路接入；经测试，投标文件递交、下载和在线解密均恢复正常"


def load_demo_incidents(session_factory, real_now: datetime) -> int:
    """The demo incident, if there is none yet and the demo tender open for bids exists. Returns 1 if made."""
    open_tender = next(t for t in TENDERS if t.stage == "open").project.name
    with session_factory() as session:
        if session.scalar(select(Incident.id).limit(1)) is not None:
            return 0
        project = session.scalar(select(Project).where(Project.name == open_tender))
        if project is None or project.state != "notice_published":
            return 0
        project_id = project.id
    began = (real_now - timedelta(hours=6)).replace(second=0, microsecond=0)  # after the demo's last bid
    walk = AdjustableClock(began + timedelta(minutes=40))
    with use_clock(walk):
        with session_factory() as session:
            incident = service.declare(
                session,
                principal(session, "centre"),
                IncidentIn(
                    kind="network",
                    description=DESCRIPTION,
                    started_at=began,
                    scope="projects",
                    project_ids=[project_id],
                ),
            )
            incident_id = incident.id
        walk.advance(timedelta(minutes=25))
        with session_factory() as session:
            service.confirm(
                session,
                principal(session, "supervisor"),
                incident_id,
                ConfirmIn(note="经核实，故障系运营商线路中断所致，非投标人原因；同意暂停并在恢复后顺延"),
            )
        walk.advance(timedelta(hours=3))
        with session_factory() as session:
            service.end(
                session,
                principal(session, "centre"),
                incident_id,
                EndIn(ended_at=walk.now() - timedelta(minutes=20), note=END_NOTE),
            )
    return 1
