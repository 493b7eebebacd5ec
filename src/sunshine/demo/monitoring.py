"""Demo electronic monitoring (电子监察), run last: the sealed demo bids carry the client addresses and hashed device
identifiers their bidders' machines would have reported — two bidders of one tender sealed from the same office
address and machine — then every monitoring rule runs over the demo data, so the supervisory department finds a few
alerts with their evidence; the supervisor dismisses one with a reason. The centre registered the recording of one
opening, and the portal has a month of page views per path template.

Idempotent: addresses are set only where none is, rules raise each fact once, the handling and the recording are
made only when absent.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from sqlalchemy import select

from sunshine.bidding.models import Bid, OpeningSession
from sunshine.config import get_settings
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import principal
from sunshine.monitoring import recordings, service, usage
from sunshine.monitoring.models import AlertFinding, PageView, Recording

# an MP4 header and a little more: the demo's stand-in for the opening room's recording
DEMO_VIDEO = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"sunshine-demo-opening-recording" * 8
PAGES = {
    "/": 1860,
    "/projects": 940,
    "/projects/{project_id}": 2310,
    "/notices": 1275,
    "/notices/{notice_id}": 1994,
    "/disclosure": 412,
    "/statistics": 233,
    "/draws/{code}": 187,
    "/monitoring/rules": 58,
}


def _device(seed: str) -> str:
    return json.dumps(
        {"machine": hashlib.sha256(f"sunshine-device-v1:demo-machine-{seed}".encode()).hexdigest()}, sort_keys=True
    )


def _origins(session) -> None:
    """Each demo bid without an address gets its bidder's own; in the first project with three or more bidders,
    the second bidder sealed from the first one's office address and machine."""
    bids = session.scalars(select(Bid).where(Bid.client_ip.is_(None)).order_by(Bid.project_id, Bid.id)).all()
    firms: dict[int, list[int]] = {}
    for b in bids:
        if b.organisation_id not in firms.setdefault(b.project_id, []):
            firms[b.project_id].append(b.organisation_id)
    shared = next(((p, orgs[0], orgs[1]) for p, orgs in firms.items() if len(orgs) >= 3), None)
    for b in bids:
        source = b.organisation_id
        if shared is not None and b.project_id == shared[0] and b.organisation_id == shared[2]:
            source = shared[1]
        b.client_ip, b.device_json = f"203.0.113.{source % 250 + 1}", _device(str(source))


def _recording(session, real_now: datetime) -> None:
    if session.scalar(select(Recording.id)) is not None:
        return
    opened = session.scalar(select(OpeningSession).order_by(OpeningSession.id))
    if opened is None:
        return
    centre = principal(session, "centre")
    recordings.register(
        session,
        centre,
        recordings.RecordingIn(
            project_id=opened.project_id,
            room="opening",
            filename="开标室-开标会录像.mp4",
            data=DEMO_VIDEO,
            started_at=opened.started_at,
            ended_at=opened.started_at + timedelta(minutes=50),
        ),
    )


def _page_views(session, real_now: datetime) -> None:
    if session.scalar(select(PageView.id)) is not None:
        return
    today = real_now.astimezone(get_settings().tz).date()
    for back in range(30):
        day = today - timedelta(days=back)
        for path, monthly in PAGES.items():
            n = monthly // 30 + (back * 7 + len(path)) % 9  # a month's views, spread unevenly over its days
            session.add(PageView(day=day, path=path, section=usage.section_of(path), views=n))


def load_demo_monitoring(session_factory, real_now: datetime) -> int:
    with session_factory() as session:
        _origins(session)
    with use_clock(AdjustableClock(real_now)), session_factory() as session:
        raised = service.run(session).raised
        _recording(session, real_now)
        _page_views(session, real_now)
    with use_clock(AdjustableClock(real_now + timedelta(minutes=30))), session_factory() as session:
        pending = session.scalars(
            select(AlertFinding).where(AlertFinding.decision.is_(None)).order_by(AlertFinding.id)
        ).all()
        if pending and not session.scalar(select(AlertFinding.id).where(AlertFinding.decision.is_not(None))):
            target = next((f for f in pending if f.rule_id == "R018"), pending[0])
            service.handle(
                session,
                principal(session, "supervisor"),
                target.alert_id,
                "dismissed",
                "经核查，该项目为专业性较强的设备安装工程，公告期内仅一家单位报名，已按规定重新组织采购，未发现违规情形",
            )
    return len(raised)
