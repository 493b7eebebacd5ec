"""Demo project archives, run after the awards demo:

- the school's laboratory instruments procurement of the procedure demo failed twice for want of bids; the centre
  archived both failed attempts (流标, their state unchanged) the last working day at 10:00 and 10:20, each with its
  manifest (the notices, the publications, the ledger entries of every step) in the ledger and downloadable;
- the sold land listing of the awards demo stays 合同已签订, its transfer contract signed: the centre's project
  page offers 项目归档 with what the archive will hold, to close it by hand.

Through the service on a clock of its own at fixed hours of a past working day. Idempotent: a project already
archived is left alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from sunshine.archives import service
from sunshine.archives.models import ProjectArchive
from sunshine.config import get_settings
from sunshine.core import calendar
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import principal
from sunshine.demo.evaluation import _local, _working_day
from sunshine.demo.procedure import NAME as LABORATORY
from sunshine.trading.models import Project


def load_demo_archives(session_factory, real_now: datetime) -> int:
    """Archive the failed attempts described above; returns how many were archived (0 on a second load)."""
    with session_factory() as session:
        cal = calendar.load(session)
        archived = select(ProjectArchive.project_id)
        due = session.scalars(
            select(Project.id)
            .where(Project.name == LABORATORY, Project.state == "failed", Project.id.not_in(archived))
            .order_by(Project.id)
        ).all()
    if not due:
        return 0
    day = _working_day(cal, real_now.astimezone(get_settings().tz).date(), 1)
    made = 0
    for i, project_id in enumerate(due):
        with use_clock(AdjustableClock(_local(day, 10, 20 * i))), session_factory() as session:
            try:
                service.archive_project(session, principal(session, "centre"), project_id)
            except service.ArchiveIncomplete:
                session.rollback()  # the demo leaves an incomplete record as it is: the page shows what is missing
                continue
        made += 1
    return made
