"""Background work: one idempotent ``tick`` run by an in-process scheduler (or ``sunshine tick``).

Each tick is one unit of work. Today it signs a new ledger tree head when the log has grown; later
domains add their time-driven steps (deadlines, reminders, alerts) here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from sunshine.db import Database

log = logging.getLogger("sunshine.tasks")


@dataclass
class TickReport:
    closed: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    decryption_closed: list[str] = field(default_factory=list)
    disclosure_overdue: list[int] = field(default_factory=list)
    catalog_revisions: list[str] = field(default_factory=list)
    mails_queued: list[int] = field(default_factory=list)
    mails_sent: list[int] = field(default_factory=list)
    auctions: list[int] = field(default_factory=list)  # 网上竞价 whose phase changed (ids)
    inforequests: object | None = None  # sunshine.inforequests.alerts.TickResult
    head_size: int | None = None


def tick(db: Database) -> TickReport:
    """Time-driven steps, each in its own unit of work, then a fresh signed head over all of them."""
    from sunshine import domains

    domains.install()
    from sunshine.ledger import service as ledger
    from sunshine.trading import service as trading

    report = TickReport()
    with db.unit_of_work() as session:
        report.closed = trading.close_due(session)
    _openings(db, report)
    with db.unit_of_work() as session:  # 网上竞价: listing to timed round, timed round to result, by the clock
        from sunshine.auctions import rounds

        report.auctions = rounds.finalise_due(session)
    with db.unit_of_work() as session:  # 政务公开: dated catalog revisions take effect; overdue disclosure alerts
        from sunshine.disclosure import catalog_service, obligations

        report.catalog_revisions = catalog_service.apply_due_revisions(session)
        report.disclosure_overdue = obligations.mark_overdue(session)
    with db.unit_of_work() as session:  # subscription digests: queued here, sent once this commits
        from sunshine.channels import service as channels

        report.mails_queued = channels.run_digest(session)
    from sunshine.channels import mail  # and whatever an earlier send left in the outbox

    report.mails_sent = mail.deliver_pending(db.engine).sent
    with db.unit_of_work() as session:  # 依申请公开: lapsed corrections and consultations, reminders, overdue alerts
        from sunshine.inforequests import alerts as inforequests

        report.inforequests = inforequests.tick(session)
    with db.unit_of_work() as session:
        head = ledger.latest_head(session)
        if head is None or head.size < ledger.size(session):
            report.head_size = ledger.sign_head(session).size
    return report


def _openings(db: Database, report: TickReport) -> None:
    """开标 at the deadline, and decryption windows that have run out: one unit of work per project."""
    from sunshine.bidding import opening

    with db.unit_of_work(read_only=True) as session:
        to_open, to_close = opening.due_for_opening(session), opening.due_for_closing(session)
    for project_id, step, out in [(p, opening.start_due, report.opened) for p in to_open] + [
        (p, opening.close_due_decryption, report.decryption_closed) for p in to_close
    ]:
        try:
            with db.unit_of_work() as session:
                code = step(session, project_id)
        except Exception:
            log.exception("opening step %s failed for project %s", step.__name__, project_id)
            continue
        if code:
            out.append(code)


class Scheduler:
    def __init__(self, db: Database, every_seconds: int) -> None:
        self.db = db
        self.every = every_seconds
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.to_thread(tick, self.db)
            except Exception:
                log.exception("tick failed")
            await asyncio.sleep(self.every)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
