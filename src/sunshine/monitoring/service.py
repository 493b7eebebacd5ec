"""Running the monitoring rules and handling what they find: ``run`` (the tick: every rule over the platform's
recent data) and ``run_project`` (after a step, and after an opening's decryption: the rules of one project) raise
each finding once as a shared alert (``core.alerts``, domain ``monitoring``, watched by the supervisory department)
with its evidence in ``monitoring_finding`` and a ledger entry; ``handle`` is the department's 确认 (with the action
taken) or 排除 (with the reason), one ledger entry without personal data.

Never commits: the caller's unit of work does.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding.models import Bid
from sunshine.core import alerts, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.core.models import Alert
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.monitoring import facts, flags, marks, population, process
from sunshine.monitoring.flags import Finding as Found
from sunshine.monitoring.models import AlertFinding as Finding
from sunshine.monitoring.models import Watermark
from sunshine.monitoring.ruleset import Rule, pack
from sunshine.trading.models import Project, Transition

log = logging.getLogger("sunshine.monitoring")
DOMAIN = "monitoring"
AUDIENCE = (Role.SUPERVISOR,)
HANDLERS = (Role.SUPERVISOR,)  # 行政监督部门 handles monitoring alerts
READERS = (Role.SUPERVISOR, Role.CENTRE_STAFF, Role.ADMIN)  # see alerts and evidence (no restricted identifiers)
DECISIONS = {"confirmed": "确认", "dismissed": "排除"}
NOTE_MAX = 2000
# how far back the tick looks for projects (the windowed rules look at most this far)
HORIZON_DAYS = 400


@dataclass
class RunReport:
    raised: list[str] = field(default_factory=list)  # keys of new alerts
    by_rule: dict[str, int] = field(default_factory=dict)


def _rules() -> dict[str, Rule]:
    return {r.id: r for r in pack().rules if r.computable}


def _periods(projects) -> list[flags.Period]:
    return [
        flags.Period(p.id, p.code, p.name, p.method, p.docs_issued_at or p.public_since, p.bid_deadline)
        for p in projects
        if p.bid_deadline is not None and (p.docs_issued_at or p.public_since) is not None
    ]


def _section_rules(rules: dict[str, Rule], sections, markset, now) -> list[Found]:
    out: list[Found] = []
    table = {
        "R018": lambda r: flags.r018(r, sections, now),
        "R028": lambda r: flags.r028(r, sections),
        "R030": lambda r: flags.r030(r, sections),
        "R035": lambda r: flags.r035(r, sections),
        "R036": lambda r: flags.r036(r, sections),
        "C01": lambda r: flags.c01(r, sections),
        "C02": lambda r: flags.c02(r, sections),
        "C03": lambda r: flags.c03(r, sections, markset),
    }
    for rule_id, fn in table.items():
        if rule_id in rules:
            out += fn(rules[rule_id])
    return out


def _watermark(session: Session) -> Watermark:
    row = session.scalar(select(Watermark).where(Watermark.name == "tick").with_for_update())
    if row is None:
        row = Watermark(name="tick", evaluated_until=datetime(1970, 1, 1, tzinfo=UTC), projects=0)
        session.add(row)
        session.flush()
    return row


def changed_since(session: Session, moment: datetime, horizon: datetime) -> list[int]:
    """Projects registered within the horizon with something new since ``moment``: registered, a step taken or a
    bid sealed (the opening's decryption and every decision are steps, or run the project's rules at once)."""
    recent = Project.registered_at >= horizon
    ids = set(session.scalars(select(Project.id).where(recent, Project.registered_at >= moment)))
    ids |= set(session.scalars(select(Transition.project_id).where(Transition.at >= moment).distinct()))
    ids |= set(session.scalars(select(Bid.project_id).where(Bid.submitted_at >= moment).distinct()))
    if not ids:
        return []
    return list(session.scalars(select(Project.id).where(Project.id.in_(ids), recent).order_by(Project.id)))


def run(session: Session, *, everything: bool = False) -> RunReport:
    """The tick's evaluation, incremental: P01 over the open tracked deadlines (one indexed query); the rules of one
    project (process rules, R003, the section rules) over the projects with something new since the watermark (the
    last run's start, less ``OVERLAP``), whose sections' facts are stored anew; the population rules
    (``population.py``: fences over the horizon's cases) from the stored facts, only when some project changed,
    their findings kept for the changed projects' sections and the organisations that took part in them.
    ``everything``: every project within the horizon (the first run, ``sunshine monitoring run --all``), every
    section's facts stored again. Findings are raised once each whatever runs them (``alerts.raise_once`` on the
    fact's key)."""
    rules = _rules()
    now = clock.now()
    since = now - timedelta(days=HORIZON_DAYS)
    mark = _watermark(session)
    first = mark.evaluated_until.year == 1970
    found: list[Found] = []
    if "P01" in rules:
        found += process.missed_deadlines(session, rules["P01"], clock.today_local())
    if everything or first:
        ids = list(session.scalars(select(Project.id).where(Project.registered_at >= since).order_by(Project.id)))
    else:
        ids = changed_since(session, _aware(mark.evaluated_until) - OVERLAP, since)
    mark.evaluated_until, mark.projects = now, len(ids)
    if not ids:
        return raise_all(session, found)
    changed = list(session.scalars(select(Project).where(Project.id.in_(ids)).order_by(Project.id)))
    changed_sections: list[facts.SectionFacts] = []
    for project in changed:
        found += process.of_project(session, rules, project)
        sections = facts.of_project(session, project)
        population.keep(session, project, sections)
        changed_sections += sections
    if "R003" in rules:
        found += flags.r003(rules["R003"], _periods(changed))
    found += _section_rules(rules, changed_sections, marks.of_projects(session, ids), now)
    population.prune(session, since)
    everyone = population.stored(session, since)
    found += population.evaluate(session, rules, everyone, now, None if everything or first else ids)
    return raise_all(session, found)


# a step committed a little after the moment it recorded is still read: every run looks back this far
OVERLAP = timedelta(minutes=10)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def run_project(session: Session, project: Project) -> RunReport:
    """The rules that read one project only (after one of its steps, or its opening's decryption)."""
    rules = _rules()
    now = clock.now()
    found = process.of_project(session, rules, project)
    if "R003" in rules:
        found += flags.r003(rules["R003"], _periods([project]))
    sections = facts.of_project(session, project)
    population.keep(session, project, sections)  # the population rules' stored facts stay current
    found += _section_rules(rules, sections, marks.of_projects(session, [project.id]), now)
    return raise_all(session, found)


def raise_all(session: Session, found: list[Found]) -> RunReport:
    report = RunReport()
    rules = pack().by_id()
    for f in found:
        rule = rules[f.rule_id]
        key = f"monitoring:{f.key}"
        if len(key) > 200:
            key = "monitoring:" + f.rule_id + ":" + hashlib.sha256(f.key.encode()).hexdigest()
        alert = alerts.raise_once(
            session,
            key=key,
            domain=DOMAIN,
            kind=rule.id,
            subject_kind=f.subject_kind,
            subject_id=f.subject_id,
            message=f"【{rule.title}】{f.message}",
            audience=AUDIENCE,
        )
        if alert is None:
            continue
        entry = ledger.append(
            session,
            "monitoring:alert:raised",
            f"alert:{alert.id}",
            {
                "rule": rule.id,
                "severity": rule.severity,
                "fact": hashlib.sha256(key.encode()).hexdigest(),
                "project": f.evidence.get("project_code"),
            },
        )
        session.add(
            Finding(
                alert_id=alert.id,
                rule_id=rule.id,
                severity=rule.severity,
                project_id=f.project_id,
                value=f.value,
                evidence_json=json.dumps(f.evidence, ensure_ascii=False, default=str),
                restricted_json=json.dumps(f.restricted, ensure_ascii=False) if f.restricted else None,
                found_at=entry.recorded_at,
            )
        )
        report.raised.append(key)
        report.by_rule[rule.id] = report.by_rule.get(rule.id, 0) + 1
    session.flush()
    return report


def after_step(session: Session, event) -> None:
    """After-step hook: the project's own rules, at once. Monitoring never refuses a trading step: a failure here
    is logged and the tick evaluates the same rules again."""
    try:
        with session.begin_nested():
            run_project(session, event.project)
    except Exception:
        log.exception("monitoring rules failed after step %s of project %s", event.step.name, event.project.id)


def after_decryption(session: Session, project: Project) -> None:
    """When an opening's decryption ends: read the opened documents' marks, then the project's rules."""
    try:
        with session.begin_nested():
            marks.extract(session, project)
            run_project(session, project)
    except Exception:
        log.exception("monitoring after the decryption of project %s failed", project.id)


# ---- handling ----


def get(session: Session, alert_id: int) -> tuple[Alert, Finding]:
    row = session.execute(
        select(Alert, Finding).join(Finding, Finding.alert_id == Alert.id).where(Alert.id == alert_id)
    ).first()
    if row is None:
        raise NotFound("监察预警不存在")
    return row[0], row[1]


def handle(session: Session, actor: Principal, alert_id: int, decision: str, note: str) -> tuple[Alert, Finding]:
    """确认 (with the action taken) or 排除 (with the reason): once; the alert is then handled."""
    if decision not in DECISIONS:
        raise InvalidInput("处理结论应为“确认”或“排除”", field="decision")
    note = (note or "").strip()
    if not note:
        what = "采取的处理措施" if decision == "confirmed" else "排除的理由"
        raise InvalidInput(f"请填写{what}", field="note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"处理说明不超过 {NOTE_MAX} 字", field="note")
    alert, finding = get(session, alert_id)
    row = session.scalar(select(Finding).where(Finding.id == finding.id).with_for_update())
    if row.decision is not None:
        raise Conflict(f"该预警已于 {row.decided_at:%Y-%m-%d %H:%M} 处理（{DECISIONS[row.decision]}）")
    entry = ledger.append(
        session,
        f"monitoring:alert:{decision}",
        f"alert:{alert.id}",
        {"rule": row.rule_id, "decision": decision, "note_sha256": hashlib.sha256(note.encode()).hexdigest()},
    )
    now = clock.now()
    row.decision, row.decision_note, row.decided_by, row.decided_at = decision, note, actor.user_id, now
    row.decision_ledger_seq = entry.seq
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = now, actor.user_id
    alert.resolved_at = now
    session.flush()
    return alert, row
