"""What the complaints' use cases share: a case's history (each step one row and one ledger entry, no personal data
in the ledger), its clocks read from that history, the suspension of the project through the kernel's
``suspend``/``resume`` steps, and the messages to the complainant. Never commits."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.complaints import clocks, kinds
from sunshine.complaints.models import ComplaintCase, ComplaintEvent
from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.workdays import WorkCalendar
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging
from sunshine.trading import lifecycle
from sunshine.trading import service as trading
from sunshine.trading.lifecycle import Publication
from sunshine.trading.models import Project

MESSAGE_KIND = "complaint"


def sha(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def log(session: Session, row: ComplaintCase, kind: str, payload: dict) -> int:
    return ledger.append(session, f"complaints:case:{kind}", f"complaint:{row.code}", payload).seq


def record(
    session: Session,
    row: ComplaintCase,
    step: str,
    actor: Principal,
    *,
    day: date | None = None,
    days: int = 0,
    note: str | None = None,
    payload: dict | None = None,
) -> ComplaintEvent:
    """One step of the case: a history row (the clocks read it) and its ledger entry (the note only as a hash)."""
    day = day or clock.today_local()
    seq = log(
        session,
        row,
        step.replace("_", "-"),
        {
            "case": row.code,
            "kind": row.kind,
            "step": step,
            "day": day.isoformat(),
            "days": days,
            "by": actor.user_id,
            "note_sha256": sha(note) if note else None,
            **(payload or {}),
        },
    )
    event = ComplaintEvent(
        case_id=row.id, step=step, day=day, days=days, note=note, actor_id=actor.user_id, at=clock.now(), ledger_seq=seq
    )
    session.add(event)
    session.flush()
    return event


def events(session: Session, row: ComplaintCase) -> list[ComplaintEvent]:
    stmt = select(ComplaintEvent).where(ComplaintEvent.case_id == row.id).order_by(ComplaintEvent.id)
    return list(session.scalars(stmt))


def history(rows: list[ComplaintEvent]) -> list[clocks.Step]:
    return [clocks.Step(e.step, e.day, e.days) for e in rows]


def clocks_of(
    session: Session, row: ComplaintCase, project: Project, cal: WorkCalendar | None = None
) -> list[clocks.Running]:
    return clocks.case_clocks(cal or calendar.load(session), row.kind, project, history(events(session, row)))


def kind_of(row: ComplaintCase) -> kinds.Kind:
    return kinds.KINDS[row.kind]


def tell(session: Session, row: ComplaintCase, project: Project, subject: str, body: str) -> None:
    """The complainant's filer hears of each answer and decision in the platform inbox."""
    messaging.send(
        session,
        user_id=row.filed_by,
        subject=f"“{project.name}”{kind_of(row).label}（{row.code}）{subject}",
        body=body[:2000],
        link=f"/complaints/{row.id}",
        kind=MESSAGE_KIND,
    )


def suspend_project(
    session: Session, row: ComplaintCase, project: Project, actor: Principal, basis: str, until: date | None = None
) -> bool:
    """暂停: the kernel's suspension (the tick takes no time-driven step of a suspended project), published as the
    暂停公告 through the disclosure review. False when the project is not in a state that can be suspended."""
    if project.state not in lifecycle.ACTIVE_STATES or not lifecycle.STEPS["suspend"].allowed_from(project.state):
        return False
    label = kind_of(row).label
    reason = f"因{label}（{row.code}）暂停，{basis}"
    body = (
        f"<p>{project.name}（项目编号{project.code}）因{label}（编号{row.code}）依法暂停"
        f"{'采购' if project.transaction_type == 'gov_procurement' else '招标投标'}活动。</p><p>依据：{basis}。</p>"
        + (f"<p>暂停至{until.isoformat()}止，</p>" if until else "")
        + "<p>恢复时间另行公告；暂停前尚未届满的时间自恢复之日起顺延。</p>"
    )
    lifecycle.apply(
        session,
        project,
        "suspend",
        actor,
        reason=reason,
        payload={"complaint": row.code},
        publication=Publication(
            title=f"{project.name}暂停公告",
            body_html=body,
            source_ref=f"complaint:{row.code}:suspend",
            author_id=actor.user_id,
            hold="queue",
        ),
    )
    row.suspended_project, row.suspended_until = True, until
    record(session, row, "suspended", actor, note=reason)
    return True


def resume_project(session: Session, row: ComplaintCase, project: Project, actor: Principal, why: str) -> bool:
    """恢复 with the suspended days added to the dates still ahead (the kernel's rule); only a suspension of this
    case, and only while the project still stands suspended."""
    if not row.suspended_project:
        return False
    row.suspended_project = False
    if project.state != "suspended":
        return False
    trading.resume(session, actor, project.id, reason=f"{kind_of(row).label}（{row.code}）{why}")
    record(session, row, "resumed", actor, note=why)
    return True


RESPONDENT_DUE = "被投诉人作出书面说明"


def track_respondent(session: Session, row: ComplaintCase, project: Project) -> None:
    """94号令 第二十二条: the respondents' 5 working days from receiving the copy, kept as a tracked deadline of the
    calendar (recomputed when the calendar changes, read by 电子监察) beside the case clock the tick alerts on."""
    lim = clocks.limit(project, "respondent_answer_within")
    calendar.track(
        session,
        subject=f"complaint:{row.code}",
        purpose=RESPONDENT_DUE,
        start=clock.today_local(),
        days=lim.days,
        unit=lim.unit,  # type: ignore[arg-type]
        rule_ref=f"{project.pack_key}:{lim.rule_id}",
    )


def close_tracked(session: Session, row: ComplaintCase) -> None:
    """The case's tracked deadlines end with the step that meets them (or with the case)."""
    from sunshine.core.models import TrackedDeadline

    stmt = select(TrackedDeadline).where(
        TrackedDeadline.subject == f"complaint:{row.code}", TrackedDeadline.is_open.is_(True)
    )
    for deadline in session.scalars(stmt):
        calendar.close(session, deadline.id)


def new_code(session: Session, kind: str) -> str:
    from sunshine.core.serials import next_serial

    prefix, year = kinds.PREFIXES[kind], clock.today_local().year
    return f"{prefix}{year}{next_serial(session, f'complaint:{prefix}:{year}'):05d}"


SYSTEM = trading.SYSTEM
