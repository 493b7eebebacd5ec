"""Platform incidents (平台故障与应急处置, seed 001 5.3 应急处理情形): the operations and their rules.

The centre declares an incident (its kind, start, description and scope); declaring it suspends, through the
kernel's ``suspend`` step, every project in scope whose clock the failure stops — bidding (documents, deadline),
a deadline passed but not yet opened, a running decryption window, an auction or draw under way — and publishes
the incident notice. The supervisory department confirms it; only a confirmed incident can be ended. Ending it
(with the time the platform worked again and what was done) resumes each project still suspended by it: the
announced dates still ahead when the failure began move by the rule ``suspension_extends_schedule`` counted from
that moment, a sealed-bid deadline the clock closed during the failure reopens bidding until the moved deadline,
and an interrupted decryption window or timed round restarts with the time it had left (at least the rule
``incident_restart_minimum``). Each step is one ledger entry; never commits.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine import disclosure
from sunshine.auctions import rounds as auction_rounds
from sunshine.bidding import opening as bidding_opening
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.formatting import local_time
from sunshine.core.labels import TRADING_TYPE_LABELS
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.core.serials import next_serial
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.incidents import notices
from sunshine.incidents.models import Incident, IncidentProject
from sunshine.incidents.schemas import ConfirmIn, EndIn, IncidentIn
from sunshine.ledger import format as fmt
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.trading import lifecycle
from sunshine.trading import service as trading
from sunshine.trading.lifecycle import SEALED_LIFECYCLES, Publication
from sunshine.trading.models import Project, Transition

KINDS = {
    "system": "系统故障",
    "network": "网络中断",
    "ca": "CA/电子签章故障",
    "power": "电力中断",
    "other": "其他突发事件",
}
SCOPES = {"platform": "全平台", "types": "指定交易类型", "projects": "指定项目"}
STATUSES = {
    "declared": "处置中（待监督部门确认）",
    "confirmed": "处置中（监督部门已确认）",
    "ended": "已结束",
}
OUTCOMES = {
    None: "暂停中",
    "resumed": "已恢复",
    "handled_otherwise": "已另行处理（暂停期间已由他人恢复或终止）",
    "settled": "解密时限在故障期间届满，未解密的投标文件视为撤回（《电子招标投标办法》第三十一条）",
}
DECLARERS = frozenset({Role.CENTRE_STAFF})
CONFIRMERS = frozenset({Role.SUPERVISOR})
READERS = DECLARERS | CONFIRMERS
# The states in which a project has a clock the platform runs: bidding, the deadline, the opening or auction.
AFFECTED_STATES = ("notice_published", "bid_closed", "opening")
NOTICE_TRIGGER = "centre.incident"
RESTART_RULE = "incident_restart_minimum"
MAX_TEXT = 2000


class IncidentError(Conflict):
    code = "incident_conflict"
    title = "应急事件当前状态不允许此操作"


class AlreadyEnded(IncidentError):
    code = "incident_already_ended"
    title = "应急事件已经结束"


class AlreadyConfirmed(IncidentError):
    code = "incident_already_confirmed"
    title = "应急事件已经确认"


class NotConfirmed(IncidentError):
    code = "incident_not_confirmed"
    title = "应急事件尚未经监督部门确认"


class ProjectNotAffected(IncidentError):
    code = "incident_project_not_affected"
    title = "该项目不在投标、开标或竞价期间"


class UnknownProject(InvalidInput):
    code = "incident_unknown_project"
    title = "项目不存在"


class BadTime(InvalidInput):
    code = "incident_bad_time"
    title = "时间不符合要求"


# --------------------------------------------------------------------------- small helpers


def _aware(value: datetime) -> datetime:
    from sunshine.config import get_settings

    return value.replace(tzinfo=get_settings().tz) if value.tzinfo is None else value


def _text(value: str | None, field: str, what: str, *, required: bool = True) -> str | None:
    value = (value or "").strip()
    if not value and not required:
        return None
    if len(value) < 2:
        raise InvalidInput(f"请填写{what}（至少 2 个字）", field=field)
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{what}最多 {MAX_TEXT} 个字", field=field)
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise InvalidInput(f"{what}含有不允许的控制字符", field=field)
    return value


def _need(actor: Principal, roles: frozenset[Role], what: str) -> None:
    if not actor.has(*roles):
        raise Forbidden(what)


def _in_range(value: int) -> bool:
    """An id the database can hold (a larger one names nothing, and must not reach the driver)."""
    return 0 < value < 2**31


def _locked(session: Session, incident_id: int) -> Incident:
    found = (
        session.scalar(select(Incident).where(Incident.id == incident_id).with_for_update())
        if _in_range(incident_id)
        else None
    )
    if found is None:
        raise NotFound("应急事件不存在")
    return found


def types_of(incident: Incident) -> list[str]:
    return json.loads(incident.scope_types or "[]")


def scope_label(incident: Incident) -> str:
    types = [TRADING_TYPE_LABELS.get(t, t) for t in types_of(incident)]
    return f"{SCOPES[incident.scope]}（{'、'.join(types)}）" if types else SCOPES[incident.scope]


def restart_minimum(session: Session) -> timedelta:
    pack = rules.resolve(session, "centre.service", clock.today_local())
    return timedelta(seconds=int(pack.rule(RESTART_RULE).value)) if pack.has(RESTART_RULE) else timedelta(0)


# --------------------------------------------------------------------------- which projects it stops


def effect(session: Session, project: Project, since: datetime) -> str | None:
    """What a failure that began at ``since`` does to a project: ``suspend`` when the platform runs a clock of it
    (bidding, a deadline not yet opened, decryption, an auction or a draw under way); ``settle`` when its
    decryption window ran out after the failure began and its record is not yet confirmed (the bids left
    undecrypted count as withdrawn, 第三十一条); None otherwise (an opening whose decryption ended before the
    failure waits for people, not the clock)."""
    if project.state not in AFFECTED_STATES:
        return None
    if project.state == "opening" and project.lifecycle in SEALED_LIFECYCLES:
        opened = bidding_opening.session_of(session, project.id)
        if opened is not None and opened.status == "decrypting":
            return "suspend"
        closed = opened.decryption_closed_at if opened is not None and opened.status == "recording" else None
        return "settle" if closed is not None and closed >= since else None
    return "suspend"


def _chosen_projects(session: Session, project_ids: list[int], since: datetime) -> list[tuple[Project, str]]:
    chosen = []
    for project_id in dict.fromkeys(project_ids):
        project = (
            session.scalar(select(Project).where(Project.id == project_id).with_for_update())
            if _in_range(project_id)
            else None
        )
        if project is None:
            raise UnknownProject(f"项目（编号 {project_id}）不存在", field="project_ids")
        what = effect(session, project, since)
        if what is None:
            raise ProjectNotAffected(
                f"项目 {project.code} 当前为“{lifecycle.state_label(project, project.state)}”，"
                "没有进行中的投标、开标、解密或竞价，不受平台故障影响",
                field="project_ids",
            )
        chosen.append((project, what))
    return chosen


def _affected(session: Session, data: IncidentIn, types: list[str], since: datetime) -> list[tuple[Project, str]]:
    if data.scope == "projects":
        return _chosen_projects(session, data.project_ids, since)
    stmt = select(Project).where(Project.state.in_(AFFECTED_STATES)).order_by(Project.id)
    if data.scope == "types":
        stmt = stmt.where(Project.transaction_type.in_(types))
    found = [(p, effect(session, p, since)) for p in session.scalars(stmt.with_for_update())]
    return [(p, what) for p, what in found if what is not None]


def _check_declaration(data: IncidentIn) -> tuple[datetime, list[str]]:
    if data.kind not in KINDS:
        raise InvalidInput(f"故障类别应为：{'、'.join(KINDS.values())}", field="kind")
    if data.scope not in SCOPES:
        raise InvalidInput(f"影响范围应为：{'、'.join(SCOPES.values())}", field="scope")
    started = _aware(data.started_at)
    if started > clock.now():
        raise BadTime("故障开始时间不能晚于当前时间（以服务器时间为准）", field="started_at")
    types = list(dict.fromkeys(data.transaction_types)) if data.scope == "types" else []
    if data.scope == "types":
        unknown = [t for t in types if t not in TRADING_TYPE_LABELS]
        if not types or unknown:
            raise InvalidInput("请选择受影响的交易类型", field="transaction_types")
    if data.scope == "projects" and not data.project_ids:
        raise InvalidInput("请选择受影响的项目", field="project_ids")
    return started, types


# --------------------------------------------------------------------------- declaring


def declare(session: Session, actor: Principal, data: IncidentIn) -> Incident:
    """交易中心登记平台故障: the incident, the suspension of every project it stops, and its public notice."""
    _need(actor, DECLARERS, "平台故障（应急事件）由交易中心登记")
    started, types = _check_declaration(data)
    description = _text(data.description, "description", "故障情况")
    affected = _affected(session, data, types, started)
    projects = [p for p, what in affected if what == "suspend"]
    settled_projects = [p for p, what in affected if what == "settle"]
    now = clock.now()
    year = now.astimezone(UTC).year
    code = f"YJ{year}-{next_serial(session, f'incident:{year}'):04d}"
    incident = Incident(
        code=code,
        kind=data.kind,
        description=description,
        scope=data.scope,
        scope_types=json.dumps(types),
        status="declared",
        started_at=started,
        declared_by=actor.user_id,
        declared_at=now,
        declared_seq=-1,
    )
    session.add(incident)
    session.flush()
    kind_label = KINDS[data.kind]
    start_text = notices.start_body(
        code=code,
        kind_label=kind_label,
        description=description,
        started_at=started,
        scope=scope_label(incident),
        projects=projects,
        settled=settled_projects,
    )
    for project in projects:
        state_before = project.state
        transition = lifecycle.apply(
            session,
            project,
            "suspend",
            actor,
            reason=f"平台应急事件{code}：{kind_label}（{fmt.iso_utc(started)}起）",
            payload={"incident": code},
            publication=Publication(
                title=notices.suspension_title(project),
                body_html=notices.suspension_body(project, code=code, kind_label=kind_label, started_at=started),
                source_ref=f"incident:{code}",
                author_id=actor.user_id,
                hold="queue",
            ),
        )
        session.add(
            IncidentProject(
                incident_id=incident.id,
                project_id=project.id,
                state_before=state_before,
                suspended_seq=transition.ledger_seq,
            )
        )
    finding = f"平台应急事件{code}：{kind_label}（{local_time(started)}起），解密时限在故障期间届满"
    withdrawn: dict[str, list[str]] = {}
    for project in settled_projects:
        withdrawn[project.code] = bidding_opening.settle_cut_short(session, project, since=started, finding=finding)
        session.add(
            IncidentProject(
                incident_id=incident.id,
                project_id=project.id,
                state_before=project.state,
                outcome="settled",
                moved=json.dumps({}),
            )
        )
    session.flush()
    entry = ledger.append(
        session,
        "incidents:incident:declared",
        f"incident:{code}",
        {
            "kind": data.kind,
            "description": description,
            "started_at": fmt.iso_utc(started),
            "scope": data.scope,
            "transaction_types": types,
            "projects": [p.code for p in projects],
            "withdrawn_bids": withdrawn,  # 第三十一条: windows that ran out during the failure
            "by": actor.user_id,
        },
    )
    incident.declared_seq = entry.seq
    _publish(session, actor, incident, notices.start_title(code, kind_label), start_text, "declared")
    session.flush()
    return incident


def _publish(session: Session, actor: Principal, incident: Incident, title: str, body: str, what: str) -> None:
    """The notice through the disclosure pipeline: owed under the catalog item bound to ``centre.incident``,
    reviewed, published (a text the review holds refuses the step with the reason)."""
    subject = f"incident:{incident.code}"
    disclosure.owe(
        session,
        trigger=NOTICE_TRIGGER,
        subject=subject,
        title=title,
        responsible_org_id=actor.organisation_id,
        event_date=clock.today_local(),
    )
    disclosure.publish_from_step(
        session,
        trigger=NOTICE_TRIGGER,
        subject=subject,
        title=title,
        body_html=body,
        source_ref=f"incident:{incident.code}:{what}",
        author_id=actor.user_id,
    )


# --------------------------------------------------------------------------- confirming


def confirm(session: Session, actor: Principal, incident_id: int, data: ConfirmIn) -> Incident:
    """行政监督部门核实确认: the supervisory department records that the failure is real and its handling proper."""
    _need(actor, CONFIRMERS, "应急事件由行政监督部门核实确认")
    note = _text(data.note, "note", "核实意见", required=False)
    incident = _locked(session, incident_id)
    if incident.status == "ended":
        raise AlreadyEnded("应急事件已经结束，不能再确认")
    if incident.status == "confirmed":
        raise AlreadyConfirmed("该应急事件已经由监督部门确认")
    now = clock.now()
    incident.status, incident.confirmed_by, incident.confirmed_at, incident.confirm_note = (
        "confirmed",
        actor.user_id,
        now,
        note,
    )
    entry = ledger.append(
        session, "incidents:incident:confirmed", f"incident:{incident.code}", {"note": note, "by": actor.user_id}
    )
    incident.confirmed_seq = entry.seq
    session.flush()
    return incident


# --------------------------------------------------------------------------- ending


SCHEDULE = tuple(trading.SCHEDULE_FIELDS)


def _still_suspended_by(session: Session, project: Project, row: IncidentProject) -> bool:
    """The project stands suspended by this incident's own suspend step (nobody resumed or ended it meanwhile)."""
    if project.state != "suspended":
        return False
    last = session.scalar(
        select(Transition.ledger_seq)
        .where(Transition.project_id == project.id, Transition.step == "suspend")
        .order_by(Transition.id.desc())
        .limit(1)
    )
    return last == row.suspended_seq


def _resume_one(
    session: Session, actor: Principal, incident: Incident, row: IncidentProject, minimum: timedelta
) -> tuple[Project, dict[str, tuple[datetime, datetime]]]:
    project = session.scalar(select(Project).where(Project.id == row.project_id).with_for_update())
    if not _still_suspended_by(session, project, row):
        row.outcome = "handled_otherwise"
        return project, {}
    before = {name: getattr(project, name) for name in SCHEDULE}
    days, _ = trading.schedule_after_suspension(session, project, clock.now(), since=incident.started_at)
    resumed = trading.resume(
        session, actor, project.id, reason=f"平台应急事件{incident.code}结束", since=incident.started_at
    )
    moved = {n: (before[n], getattr(resumed, n)) for n in SCHEDULE if before[n] != getattr(resumed, n)}
    reason = f"平台应急事件{incident.code}（{KINDS[incident.kind]}）"
    if row.state_before == "opening":
        restarted = bidding_opening.restart_decryption(
            session, project, since=incident.started_at, minimum=minimum, reason=reason
        )
        if restarted:
            moved["decryption_ends_at"] = restarted
        rounds = auction_rounds.restart_final_rounds(
            session, project, since=incident.started_at, minimum=minimum, reason=reason
        )
        if rounds:
            moved["auction_ends_at"] = (min(r[1] for r in rounds), max(r[2] for r in rounds))
    row.outcome = "resumed"
    row.resumed_seq = session.scalar(
        select(Transition.ledger_seq)
        .where(Transition.project_id == project.id, Transition.step == "resume")
        .order_by(Transition.id.desc())
        .limit(1)
    )
    row.days_added = days if moved else 0
    row.moved = json.dumps({n: [fmt.iso_utc(a), fmt.iso_utc(b)] for n, (a, b) in moved.items()})
    return project, moved


def end(session: Session, actor: Principal, incident_id: int, data: EndIn) -> Incident:
    """交易中心登记故障排除: every project still suspended by the incident resumes with its dates extended; the
    end notice lists the new dates."""
    _need(actor, DECLARERS, "应急事件的结束由交易中心登记")
    note = _text(data.note, "note", "处置情况")
    incident = _locked(session, incident_id)
    if incident.status == "ended":
        raise AlreadyEnded("该应急事件已经结束，不能重复结束")
    if incident.status != "confirmed":
        raise NotConfirmed("应急事件须经行政监督部门核实确认后，方可结束并顺延受影响项目的时间")
    ended = _aware(data.ended_at)
    if ended <= incident.started_at:
        raise BadTime("故障排除时间应晚于故障开始时间", field="ended_at")
    if ended > clock.now():
        raise BadTime("故障排除时间不能晚于当前时间（以服务器时间为准）", field="ended_at")
    minimum = restart_minimum(session)
    rows, summary = [], []
    for row in affected_rows(session, incident):
        if row.outcome is not None:  # settled at the declaration: nothing stood suspended
            continue
        project, moved = _resume_one(session, actor, incident, row, minimum)
        rows.append((project, OUTCOMES[row.outcome], moved))
        summary.append(
            {
                "code": project.code,
                "outcome": row.outcome,
                "moved": {n: [fmt.iso_utc(a), fmt.iso_utc(b)] for n, (a, b) in moved.items()},
            }
        )
    now = clock.now()
    incident.status, incident.ended_at, incident.ended_by = "ended", ended, actor.user_id
    incident.ended_recorded_at, incident.end_note = now, note
    entry = ledger.append(
        session,
        "incidents:incident:ended",
        f"incident:{incident.code}",
        {
            "ended_at": fmt.iso_utc(ended),
            "note": note,
            "projects": summary,
            "by": actor.user_id,
        },
    )
    incident.ended_seq = entry.seq
    kind_label = KINDS[incident.kind]
    body = notices.end_body(
        code=incident.code, kind_label=kind_label, started_at=incident.started_at, ended_at=ended, note=note, rows=rows
    )
    _publish(session, actor, incident, notices.end_title(incident.code, kind_label), body, "ended")
    session.flush()
    return incident


# --------------------------------------------------------------------------- reading


def get(session: Session, incident_id: int) -> Incident:
    """Incidents are public (the centre's own affairs); the staff read adds who did what."""
    incident = session.get(Incident, incident_id) if _in_range(incident_id) else None
    if incident is None:
        raise NotFound("应急事件不存在")
    return incident


INCIDENT_ORDER = Keyset.of("incidents", Incident.started_at, Incident.id)


def incident_page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[Incident]:
    """The incidents, latest first, one page at a time."""
    return paginate(session, select(Incident), INCIDENT_ORDER, cursor=cursor, limit=limit)


def affected_rows(session: Session, incident: Incident) -> list[IncidentProject]:
    return list(
        session.scalars(
            select(IncidentProject).where(IncidentProject.incident_id == incident.id).order_by(IncidentProject.id)
        )
    )


def affected(session: Session, incident: Incident) -> list[tuple[IncidentProject, Project]]:
    rows = affected_rows(session, incident)
    projects = {p.id: p for p in session.scalars(select(Project).where(Project.id.in_([r.project_id for r in rows])))}
    return [(r, projects[r.project_id]) for r in rows]


def moved_dates(row: IncidentProject) -> list[tuple[str, datetime, datetime]]:
    return [
        (notices.DATE_LABELS.get(name, name), fmt.parse_iso_utc(a), fmt.parse_iso_utc(b))
        for name, (a, b) in json.loads(row.moved or "{}").items()
    ]


def notices_of(session: Session, incident: Incident) -> list:
    """The incident's published notices (start, end), oldest first."""
    from sunshine.disclosure.models import Publication as Published
    from sunshine.disclosure.visibility import public

    return list(
        session.scalars(
            select(Published).where(Published.subject == f"incident:{incident.code}", public()).order_by(Published.id)
        )
    )


def staff_names(session: Session, incident: Incident) -> dict[str, str | None]:
    ids = [incident.declared_by, incident.confirmed_by, incident.ended_by]
    names = {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_([i for i in ids if i])))}
    return {
        "declared_by": names.get(incident.declared_by),
        "confirmed_by": names.get(incident.confirmed_by),
        "ended_by": names.get(incident.ended_by),
    }


def candidates(session: Session) -> list[Project]:
    """Projects an incident beginning now could stop (for the declaration form's list of projects)."""
    rows = session.scalars(select(Project).where(Project.state.in_(AFFECTED_STATES)).order_by(Project.id.desc()))
    return [p for p in rows if effect(session, p, clock.now()) is not None]
