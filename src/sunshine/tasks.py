"""Background work: one idempotent ``tick``, and the loop that runs it in whichever process holds the
leader lock (``leader.py``): a server worker's scheduler, or ``sunshine worker``; ``sunshine tick`` runs
one on demand.

Each step of a tick is one unit of work. Today it signs a new ledger tree head when the log has grown; later
domains add their time-driven steps (deadlines, reminders, alerts) here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from dataclasses import dataclass, field, fields

from sunshine.db import Database
from sunshine.leader import LeaderLock

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
    messages_sent: list[int] = field(default_factory=list)  # 短信/语音 handed to the gateway on a retry (ids)
    auctions: list[int] = field(default_factory=list)  # 网上竞价 whose phase changed (ids)
    inforequests: object | None = None  # sunshine.inforequests.alerts.TickResult
    qualification_reminders: list[str] = field(default_factory=list)  # 证书到期提醒 raised (alert keys)
    draws: list[str] = field(default_factory=list)  # 公开抽取 drawn at the end of their reveal window (codes)
    expert_status: list[int] = field(default_factory=list)  # 评标专家状态随暂停、聘期变化 (expert ids)
    expert_term_alerts: list[str] = field(default_factory=list)  # 聘期届满提醒 raised (alert keys)
    expert_calls_expired: list[int] = field(default_factory=list)  # 专家逾期未确认: next in order called (call ids)
    smallworks_determined: list[str] = field(default_factory=list)  # 小额工程抽取结果公示期满 (project codes)
    contracts_overdue: list[str] = field(default_factory=list)  # 合同签订逾期 alerts raised (project codes)
    refunds_overdue: list[int] = field(default_factory=list)  # 保证金退还逾期 alerts raised (deposit ids)
    evaluation_reports_overdue: list[int] = field(default_factory=list)  # 评标报告逾期未送交或未确认 (sessions)
    results_deemed: list[str] = field(default_factory=list)  # 采购人逾期未确定，视为确定第一名 (project codes)
    results_overdue: list[str] = field(default_factory=list)  # 公示、异议答复、结果公告逾期 (alert keys)
    payments_overdue: list[int] = field(default_factory=list)  # 履约付款逾期 alerts raised (milestone ids)
    tender_reports_overdue: list[str] = field(default_factory=list)  # 书面报告逾期 alerts raised (project codes)
    complaints: list[str] = field(default_factory=list)  # 异议、质疑、投诉期限提醒与逾期 (alert keys), 暂停期满恢复
    credit_taken_down: list[int] = field(default_factory=list)  # 行政处罚公示期满撤下 (credit record ids)
    credit_rated: list[str] = field(default_factory=list)  # 上一年度信用评价计算并公布 (periods)
    opendata_releases: list[str] = field(default_factory=list)  # 数据开放: OCDS releases added (release ids)
    opendata_dumps: list[str] = field(default_factory=list)  # 数据开放: bulk downloads made (file names)
    monitoring_alerts: list[str] = field(default_factory=list)  # 电子监察预警 raised (alert keys)
    servicedesk: list[str] = field(default_factory=list)  # 服务台: 催办、督办, surveys, 12345 deliveries, 满意度公布
    governance: list[str] = field(default_factory=list)  # 征求意见期满、舆情回应和整改逾期预警 (codes, alert keys)
    supervision: list[str] = field(default_factory=list)  # 每周监督安排 sent (weeks), 意见与开放日报告逾期 (alert keys)
    head_size: int | None = None

    def summary(self) -> str:
        """What this tick did, for the log: the steps that found work, with counts; empty when none did."""
        done = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list) and value:
                done.append(f"{f.name}={len(value)}")
            elif f.name == "head_size" and value is not None:
                done.append(f"head_size={value}")
        return "：" + " ".join(done) if done else ""


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
    from sunshine.messaging import service as messaging  # SMS and voice calls a failed send left queued

    report.messages_sent = messaging.deliver_pending(db.engine).sent
    with db.unit_of_work() as session:  # 依申请公开: lapsed corrections and consultations, reminders, overdue alerts
        from sunshine.inforequests import alerts as inforequests

        report.inforequests = inforequests.tick(session)
    with db.unit_of_work() as session:  # 资质、人员证书到期提醒: once per fact
        from sunshine.qualifications import reminders

        report.qualification_reminders = reminders.tick(session)
    _draws(db, report)
    with db.unit_of_work() as session:  # 评标专家: status in step with sanctions and terms; term-end reminders
        from sunshine.experts import reminders as expert_reminders

        expert_tick = expert_reminders.tick(session)
        report.expert_status, report.expert_term_alerts = expert_tick.status_changed, expert_tick.term_alerts
    _expert_calls(db, report)
    with db.unit_of_work() as session:  # 小额工程固定价抽取: publicity periods that ran determine the result
        from sunshine.smallworks import service as smallworks

        report.smallworks_determined = smallworks.determine_due(session)
    with db.unit_of_work() as session:  # 评标报告: delivery to the purchaser and its confirmation overdue → alert
        from sunshine.evaluation import report as evaluation_report

        report.evaluation_reports_overdue = evaluation_report.raise_overdue(session)
    with db.unit_of_work() as session:  # 确定中标人: the purchaser silent past its days is deemed to choose the first
        from sunshine.results import publicity as results_publicity
        from sunshine.results import winners as results_winners

        report.results_deemed = results_winners.deem_due(session)
        report.results_overdue = results_publicity.raise_overdue(session)
    with db.unit_of_work() as session:  # 异议、质疑、投诉: reminders, overdue alerts, suspensions that ran out
        from sunshine.complaints import reminders as complaint_reminders

        report.complaints = complaint_reminders.tick(session)
    with db.unit_of_work() as session:  # 合同: the contract deadline from the award letters passed unsigned → alert
        from sunshine.awards import contracts

        report.contracts_overdue = contracts.raise_overdue(session)
    with db.unit_of_work() as session:  # 履约: payments past their time, written reports past their 15 days → alerts
        from sunshine.performance import report as tender_report
        from sunshine.performance import schedule as performance_schedule

        report.payments_overdue = performance_schedule.raise_overdue(session)
        report.tender_reports_overdue = tender_report.raise_overdue(session)
    with db.unit_of_work() as session:  # 保证金: refunds past their due date → one alert each
        from sunshine.trading import deposits

        report.refunds_overdue = deposits.raise_overdue_alerts(session)
    with db.unit_of_work() as session:  # 信用: penalties past their publication period taken down; last year rated
        from sunshine.credit import ratings as credit_ratings
        from sunshine.credit import service as credit

        report.credit_taken_down = credit.take_down_due(session)
        report.credit_rated = credit_ratings.tick(session)
    with db.unit_of_work() as session:  # 数据开放: newly public stages become OCDS releases
        from sunshine.opendata import service as opendata

        report.opendata_releases = opendata.sync(session).release_ids
    with db.unit_of_work() as session:  # 数据开放: the bulk downloads, once a day, their hashes in the ledger
        from sunshine.opendata import exports as opendata_exports

        report.opendata_dumps = [d.filename for d in opendata_exports.daily_due(session)]
    with db.unit_of_work() as session:  # 电子监察: every monitoring rule, each fact raised once; page views written
        from sunshine.monitoring import steps as monitoring

        report.monitoring_alerts = monitoring.tick(session).raised
    with db.unit_of_work() as session:  # 服务台: reminders and escalations of work orders, surveys, 12345, 满意度
        from sunshine.servicedesk import steps as servicedesk

        report.servicedesk = servicedesk.tick(session)
    with db.unit_of_work() as session:  # 政务公开监督: consultations closed, opinion and correction overdue alerts
        from sunshine.governance import tick as governance

        report.governance = governance.tick(session)
    with db.unit_of_work() as session:  # 社会监督: next week's schedule on its day; overdue opinions and reports
        from sunshine.supervision import opendays as supervision_open_days
        from sunshine.supervision import opinions as supervision_opinions
        from sunshine.supervision import polls as supervision_polls
        from sunshine.supervision import schedule as supervision_schedule

        report.supervision = (
            supervision_schedule.tick(session)
            + supervision_opinions.raise_overdue(session)
            + supervision_open_days.raise_overdue_reports(session)
            + supervision_polls.close_due(session)
        )
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


def _draws(db: Database, report: TickReport) -> None:
    """公开抽取 whose reveal window has run out: defaults for the silent parties, then the draw; one unit each."""
    from sunshine.draws import service as draws

    with db.unit_of_work(read_only=True) as session:
        due = draws.due(session)
    for code in due:
        try:
            with db.unit_of_work() as session:
                draws.finish(session, None, code)
        except Exception:
            log.exception("draw %s could not be finished", code)
            continue
        report.draws.append(code)


def _expert_calls(db: Database, report: TickReport) -> None:
    """专家逾期未确认: each unanswered call whose time limit has run out, one unit of work each (the next expert
    in the draw order is called, and told once that unit of work commits)."""
    from sunshine.committees import calling

    with db.unit_of_work(read_only=True) as session:
        due = calling.due_calls(session)
    for call_id in due:
        try:
            with db.unit_of_work() as session:
                expired = calling.expire(session, call_id)
        except Exception:
            log.exception("expert call %s could not be closed", call_id)
            continue
        if expired:
            report.expert_calls_expired.append(call_id)


class Scheduler:
    """The tick loop: every ``every_seconds``, the tick, if this process holds the leader lock (a
    standby tries the lock again on each round, so it takes over within one round of the leader's end).

    Runs inside each server process (the app's lifespan, when ``SUNSHINE_SCHEDULER`` is on) and in
    ``sunshine worker``; the lock makes one of them the leader. ``stop`` lets a tick under way finish,
    then gives the lock up, so the next leader never runs a tick beside it.
    """

    def __init__(self, db: Database, every_seconds: int, lock: LeaderLock) -> None:
        self.db = db
        self.every = every_seconds
        self.lock = lock
        self._task: asyncio.Task | None = None
        self._stopping = asyncio.Event()
        self._leading: bool | None = None  # as of the last round; None before the first

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await asyncio.to_thread(self._round)
            except Exception:
                log.exception("定时任务失败")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.every)

    def _round(self) -> None:
        leading = self.lock.hold()
        if leading != self._leading:
            if leading:
                log.info("本进程成为定时任务主进程，每 %s 秒运行一次定时任务", self.every)
            elif self._leading:
                log.warning("本进程不再持有定时任务主进程锁，转为待命")
            else:
                log.info("定时任务由另一进程运行，本进程待命（每 %s 秒检查一次）", self.every)
            self._leading = leading
        if not leading:
            return
        started = time.monotonic()
        report = tick(self.db)
        log.info("定时任务完成（%.2f 秒）%s", time.monotonic() - started, report.summary())

    async def stop(self) -> None:
        self._stopping.set()
        if self._task:
            await self._task
        await asyncio.to_thread(self.lock.release)


async def run_worker(db: Database, every_seconds: int, lock: LeaderLock) -> None:
    """``sunshine worker``: the tick loop until SIGTERM or SIGINT, then the tick under way finishes and
    the lock is given up."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    scheduler = Scheduler(db, every_seconds, lock)
    log.info("定时任务进程已启动，每 %s 秒一轮", every_seconds)
    scheduler.start()
    await stop.wait()
    log.info("收到停止信号，完成当前定时任务后退出")
    await scheduler.stop()
    log.info("定时任务进程已停止")
