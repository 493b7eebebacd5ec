"""招标投标情况书面报告 (the written report of the tender): 《中华人民共和国招标投标法》第四十七条 — 依法必须进行招标
的项目， 招标人应当自确定中标人之日起十五日内，向有关行政监督部门提交招标投标情况的书面报告. For every project
whose pack has ``tender_report_within`` (the engineering tenders), the winner's determination (results' step
``determine_winner``, through an after-step hook) starts a tracked deadline; the report is generated from the
project's record (the project, the steps taken with their dates and ledger entries, the registrations and bids,
the winners and their amounts), submitted by the tenderer or its agency (frozen, hashed, in the ledger, late or
not) and acknowledged by the supervisory department; the tick alerts when the deadline passes unsubmitted. Never
commits."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core import alerts, calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, NotFound
from sunshine.core.formatting import local_time, yuan
from sunshine.core.models import TrackedDeadline
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging
from sunshine.performance import visibility as parties
from sunshine.performance.models import TenderReport
from sunshine.rules import service as rules
from sunshine.trading import labels, lifecycle, outcomes, visibility
from sunshine.trading.models import Project, Registration, Transition

RULE = "tender_report_within"
PURPOSE = "performance:tender-report"
BASIS = "《中华人民共和国招标投标法》第四十七条"
MESSAGE_KIND = "performance"


def after_winner(session: Session, event) -> None:  # noqa: ANN001
    """After ``determine_winner``: the 15 days run from the (first) determination of the project's winner."""
    project = event.project
    snapshot = rules.rules_of(project)
    if not snapshot.has(RULE):
        return
    if session.scalar(select(TenderReport.id).where(TenderReport.project_id == project.id)) is not None:
        return
    rule = snapshot.rule(RULE)
    today = clock.today_local()
    deadline = calendar.track(
        session,
        subject=f"project:{project.code}",
        purpose=PURPOSE,
        start=today,
        days=int(rule.value),
        unit=rules.DAY_UNITS[rule.unit],
        rule_ref=f"{project.pack_key}/{RULE}",
    )
    session.add(TenderReport(project_id=project.id, deadline_id=deadline.id, determined_on=today))
    session.flush()


def of_project(session: Session, project_id: int) -> TenderReport | None:
    return session.scalar(select(TenderReport).where(TenderReport.project_id == project_id))


def may_read(actor: Principal, project: Project) -> bool:
    return visibility.is_party(actor, project) or bool(actor.roles & {Role.SUPERVISOR, Role.CENTRE_STAFF})


def may_submit(actor: Principal, project: Project) -> bool:
    return visibility.is_party(actor, project)


def readable(session: Session, actor: Principal, project_id: int) -> tuple[Project, TenderReport]:
    project = visibility.get_visible(session, actor, project_id)
    report = of_project(session, project.id)
    if report is None or not may_read(actor, project):
        raise NotFound("本项目没有招标投标情况书面报告")
    return project, report


def deadline_of(session: Session, report: TenderReport) -> TrackedDeadline | None:
    return session.get(TrackedDeadline, report.deadline_id) if report.deadline_id else None


def generate(session: Session, project: Project) -> str:
    """The report's text from the project's record."""
    ids = {project.tenderer_id, project.agency_id} - {None}
    winners = outcomes.winners(session, project)
    ids |= {w.organisation_id for w in winners}
    names = dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())
    registrations = session.scalar(
        select(func.count()).select_from(Registration).where(Registration.project_id == project.id)
    )
    steps = session.scalars(
        select(Transition).where(Transition.project_id == project.id).order_by(Transition.at, Transition.id)
    ).all()
    sections = {s.id: s for s in project.sections}
    lines = [
        "招标投标情况书面报告",
        f"项目名称：{project.name}",
        f"项目编号：{project.code}",
        f"交易类型及方式：{labels.type_label(project.transaction_type)}，{labels.method_label(project.method)}",
        f"招标人：{names.get(project.tenderer_id, '')}",
        f"招标代理机构：{names.get(project.agency_id, '（自行招标）') if project.agency_id else '（自行招标）'}",
        f"报名（投标）单位数：{registrations}",
        "招标投标过程：",
    ]
    for t in steps:
        title = lifecycle.STEPS[t.step].title if t.step in lifecycle.STEPS else t.step
        lines.append(f"  {local_time(t.at)} {title}（平台存证序号 {t.ledger_seq}）")
    lines.append("中标结果：")
    for w in winners:
        section = sections.get(w.section_id)
        label = f"第{section.number}标段 {section.name}" if section else f"标段 {w.section_id}"
        lines.append(f"  {label}：中标人 {names.get(w.organisation_id, '')}，中标金额人民币{yuan(w.amount)}元")
    lines.append(f"依据{BASIS}，招标人自确定中标人之日起十五日内向有关行政监督部门提交本报告。")
    return "\n".join(lines)


def submit(session: Session, actor: Principal, project_id: int) -> TenderReport:
    """The tenderer or its agency submits the generated report to the supervisory department."""
    project, report = readable(session, actor, project_id)
    if not visibility.is_party(actor, project):
        raise Forbidden("书面报告由招标人或其委托的招标代理机构提交")
    if report.submitted_at is not None:
        raise Conflict("书面报告已提交")
    deadline = deadline_of(session, report)
    report.body = generate(session, project)
    report.sha256 = hashlib.sha256(report.body.encode("utf-8")).hexdigest()
    report.submitted_by, report.submitted_at = actor.user_id, clock.now()
    report.late = bool(deadline is not None and clock.today_local() > deadline.due)
    if deadline is not None and deadline.is_open:
        calendar.close(session, deadline.id)
    alerts.resolve(session, subject_kind="project", subject_id=project.id, kind="tender_report_overdue")
    entry = ledger.append(
        session,
        "performance:tender-report:submitted",
        f"project:{project.code}",
        {
            "sha256": report.sha256,
            "due": deadline.due.isoformat() if deadline else None,
            "late": report.late,
            "by": actor.user_id,
        },
    )
    report.ledger_seq = entry.seq
    session.flush()
    for user_id in parties.role_users(session, Role.SUPERVISOR):
        messaging.send(
            session,
            user_id=user_id,
            subject=f"招标投标情况书面报告：{project.name}",
            body=f"{project.name}（{project.code}）的招标人已提交招标投标情况书面报告，请查收。",
            link=f"/projects/{project.id}/tender-report",
            kind=MESSAGE_KIND,
        )
    return report


def acknowledge(session: Session, actor: Principal, project_id: int) -> TenderReport:
    """The supervisory department acknowledges receipt (签收)."""
    if Role.SUPERVISOR not in actor.roles:
        raise Forbidden("书面报告由行政监督部门签收")
    project, report = readable(session, actor, project_id)
    if report.submitted_at is None:
        raise Conflict("招标人尚未提交书面报告")
    if report.acknowledged_at is not None:
        raise Conflict("书面报告已签收")
    report.acknowledged_by, report.acknowledged_at = actor.user_id, clock.now()
    ledger.append(
        session,
        "performance:tender-report:acknowledged",
        f"project:{project.code}",
        {"sha256": report.sha256, "by": actor.user_id},
    )
    session.flush()
    return report


LIST_ORDER = Keyset.of("tender-reports", TenderReport.determined_on, TenderReport.id)


def listing(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[TenderReport, Project, TrackedDeadline | None]]:
    """Every report for the supervisory department and the centre, the latest determinations first, a page at a
    time."""
    if not actor.roles & {Role.SUPERVISOR, Role.CENTRE_STAFF}:
        raise Forbidden("书面报告一览供行政监督部门和交易中心查阅")
    stmt = select(TenderReport, Project).join(Project, Project.id == TenderReport.project_id)
    page = paginate(session, stmt, LIST_ORDER, cursor=cursor, limit=limit)
    rows = [(r, p, deadline_of(session, r)) for r, p in page.items]
    return Page(rows, page.next_cursor, page.limit, page.number)


def raise_overdue(session: Session) -> list[str]:
    """The tick's part: a report past its 15 days unsubmitted raises one alert (tenderer, centre, supervisors)."""
    today = clock.today_local()
    rows = session.scalars(
        select(TrackedDeadline).where(TrackedDeadline.purpose == PURPOSE, TrackedDeadline.is_open.is_(True))
    ).all()
    raised = []
    for deadline in rows:
        if today <= deadline.due:
            continue
        project = session.scalar(select(Project).where(Project.code == deadline.subject.removeprefix("project:")))  # noqa: B005
        if project is None:
            continue
        alert = alerts.raise_once(
            session,
            key=f"performance:tender-report-overdue:{project.id}:{deadline.id}",
            domain="performance",
            kind="tender_report_overdue",
            subject_kind="project",
            subject_id=project.id,
            message=f"{project.name}：招标投标情况书面报告应于{deadline.due.isoformat()}前提交行政监督部门，"
            f"已逾期（依据{BASIS}）",
            audience=(Role.CENTRE_STAFF, Role.SUPERVISOR),
            organisation_id=project.tenderer_id,
            due=deadline.due,
            deadline_id=deadline.id,
        )
        if alert is not None:
            raised.append(project.code)
    return raised
