"""The process rules: a tracked legal deadline missed (any domain's, read generically from ``core.calendar``'s
tracked deadlines, so a new domain's deadlines are covered as soon as it tracks them), a project's steps out of
order (a transition that does not start where the last one ended: the state was changed outside the kernel), and a
suspended project touched (a step other than resuming or ending it, or a bid sealed, while it stood suspended)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import service as bidding
from sunshine.core.models import Alert, TrackedDeadline
from sunshine.identity.roles import Role
from sunshine.monitoring.flags import Finding
from sunshine.monitoring.ruleset import Rule
from sunshine.trading import lifecycle
from sunshine.trading.models import Project, Transition

# steps that may be taken on a suspended project: those that end or lift the suspension
SUSPENSION_STEPS = frozenset({"suspend", "resume", "terminate"})
LIFTING_STEPS = SUSPENSION_STEPS - {"suspend"}


def domain_alerted():  # noqa: ANN201
    """The condition "the domain owning this deadline has raised its own overdue alert for it, and the supervisory
    department is in its audience": P01 then stays silent (one alert per overdue deadline, the owner's, which says
    what is late in that domain's words and names who must act)."""
    return (
        select(Alert.id)
        .where(
            Alert.deadline_id == TrackedDeadline.id,
            Alert.domain != "monitoring",
            Alert.audience.contains(f" {Role.SUPERVISOR.value} "),
        )
        .exists()
    )


def missed_deadlines(session: Session, rule: Rule, today: date, limit: int = 2000) -> list[Finding]:
    """P01: every open tracked deadline past its due date (and ``grace_days``) that no domain has raised its own
    overdue alert for (``domain_alerted``): the net under the domains, covering any deadline a domain tracks but does
    not watch."""
    grace = int(rule.param("grace_days", 0))
    rows = session.scalars(
        select(TrackedDeadline)
        .where(
            TrackedDeadline.is_open.is_(True),
            TrackedDeadline.due < today - timedelta(days=grace),
            ~domain_alerted(),
        )
        .order_by(TrackedDeadline.due, TrackedDeadline.id)
        .limit(limit)
    ).all()
    codes = {r.subject.removeprefix("project:") for r in rows if r.subject.startswith("project:")}
    projects = (
        dict(session.execute(select(Project.code, Project.id).where(Project.code.in_(codes))).all()) if codes else {}
    )
    out = []
    for row in rows:
        project_id = projects.get(row.subject.removeprefix("project:")) if row.subject.startswith("project:") else None
        out.append(
            Finding(
                rule.id,
                f"P01:deadline:{row.id}:{row.due.isoformat()}",
                f"{row.purpose}的期限已于 {row.due.isoformat()} 届满，仍未办结"
                + (f"（项目 {row.subject.removeprefix('project:')}）" if row.subject.startswith("project:") else ""),
                project_id=project_id,
                subject_kind="tracked_deadline",
                subject_id=row.id,
                value=str((today - row.due).days),
                evidence={
                    "subject": row.subject,
                    "purpose": row.purpose,
                    "rule_ref": row.rule_ref,
                    "start": row.start.isoformat(),
                    "days": row.days,
                    "unit": row.unit,
                    "due": row.due.isoformat(),
                    "days_overdue": (today - row.due).days,
                },
            )
        )
    return out


def _transitions(session: Session, project_id: int) -> list[Transition]:
    return list(session.scalars(select(Transition).where(Transition.project_id == project_id).order_by(Transition.id)))


def out_of_order(rule: Rule, project: Project, transitions: Iterable[Transition]) -> list[Finding]:
    out = []
    previous = None
    for t in transitions:
        if previous is not None and t.from_state != previous.to_state:
            label = lifecycle.state_label(project, previous.to_state)
            out.append(
                Finding(
                    rule.id,
                    f"P02:transition:{t.id}",
                    f"项目 {project.code} 的环节“{t.step}”从“{lifecycle.state_label(project, t.from_state or '')}”"
                    f"开始，而上一环节“{previous.step}”结束于“{label}”",
                    project_id=project.id,
                    subject_id=project.id,
                    evidence={
                        "project_code": project.code,
                        "previous": {"step": previous.step, "to": previous.to_state, "at": previous.at.isoformat()},
                        "this": {"step": t.step, "from": t.from_state, "at": t.at.isoformat(), "seq": t.ledger_seq},
                    },
                )
            )
        previous = t
    return out


def touched_while_suspended(session: Session, rule: Rule, project: Project, transitions: list[Transition]) -> list:
    windows = []
    for i, t in enumerate(transitions):
        if t.to_state == "suspended" and t.from_state != "suspended":
            # the suspension lasts until it is lifted or the project ended: a step recorded on the suspended project
            # (starting in "suspended") is what P03 looks for, not the end of the window
            end = next((u for u in transitions[i + 1 :] if u.step in LIFTING_STEPS), None)
            windows.append((t, end))
    if not windows:
        return []
    out = []
    bids = bidding.sealed_bids(session, project.id)
    for start, end in windows:
        until = end.at if end is not None else None
        for t in transitions:
            if t.at > start.at and (until is None or t.at < until) and t.step not in SUSPENSION_STEPS:
                out.append(
                    Finding(
                        rule.id,
                        f"P03:transition:{t.id}",
                        f"项目 {project.code} 暂停期间记录了环节“{t.step}”",
                        project_id=project.id,
                        subject_id=project.id,
                        evidence={
                            "project_code": project.code,
                            "suspended_at": start.at.isoformat(),
                            "step": t.step,
                            "at": t.at.isoformat(),
                            "seq": t.ledger_seq,
                        },
                    )
                )
        for b in bids:
            if b.submitted_at > start.at and (until is None or b.submitted_at < until):
                out.append(
                    Finding(
                        rule.id,
                        f"P03:bid:{b.id}",
                        f"项目 {project.code} 暂停期间收到投标文件 {b.bid_no}",
                        project_id=project.id,
                        subject_id=project.id,
                        evidence={
                            "project_code": project.code,
                            "suspended_at": start.at.isoformat(),
                            "bid_no": b.bid_no,
                            "submitted_at": b.submitted_at.isoformat(),
                        },
                    )
                )
    return out


def of_project(session: Session, rules: dict[str, Rule], project: Project) -> list[Finding]:
    transitions = _transitions(session, project.id)
    out = []
    if "P02" in rules:
        out += out_of_order(rules["P02"], project, transitions)
    if "P03" in rules:
        out += touched_while_suspended(session, rules["P03"], project, transitions)
    return out
