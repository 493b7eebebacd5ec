"""The tick's part for objections, challenges and complaints, idempotent: for every open clock of an open case, a
reminder before its due date (``complaint_remind_before`` working days) and an alert once it has passed, to the
supervisory department (and to the respondent's organisation where it must act); a procurement suspension that
reached its last day (采购法 第五十七条: at most 30 days) ends and the procurement resumes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.complaints import base, clocks, kinds
from sunshine.complaints.models import ComplaintCase
from sunshine.core import alerts, calendar, clock
from sunshine.core.formatting import cn_day
from sunshine.identity.roles import Role
from sunshine.trading.models import Project

AUDIENCE = (Role.SUPERVISOR.value,)


def tick(session: Session) -> list[str]:
    """Alert keys raised (and suspensions ended, as ``resumed:<code>``)."""
    today = clock.today_local()
    cal = calendar.load(session)
    done: list[str] = []
    stmt = select(ComplaintCase).where(
        ComplaintCase.state.in_(sorted(kinds.OPEN_STATES)) | ComplaintCase.suspended_project.is_(True)
    )
    for row in session.scalars(stmt.order_by(ComplaintCase.id)).all():
        project = session.get(Project, row.project_id)
        ran_out = row.suspended_project and row.suspended_until is not None and today > row.suspended_until
        if ran_out and base.resume_project(
            session, row, project, base.SYSTEM, f"暂停期限（至{row.suspended_until.isoformat()}）届满"
        ):
            done.append(f"resumed:{row.code}")
        if row.state not in kinds.OPEN_STATES:
            continue
        lead = clocks.limit(project, "complaint_remind_before").days
        for running in clocks.case_clocks(cal, row.kind, project, base.history(base.events(session, row))):
            if not running.is_open or running.due is None:
                continue
            if today > running.due:
                kind, text = (
                    f"{running.key}_overdue",
                    f"已于{cn_day(running.due)}届满，{running.who}尚未{running.label}",
                )
            elif cal.working_days_between(today, running.due) <= lead:
                kind, text = f"{running.key}_reminder", f"{running.who}应于{cn_day(running.due)}前{running.label}"
            else:
                continue
            # the respondents' limit is also a tracked deadline of the calendar: the alert names it, so that 电子监察
            # (P01) does not raise a second one for the same lateness
            tracked = tracked_respondent(session, row) if running.key == "respondent" else None
            alert = alerts.raise_once(
                session,
                key=f"complaints:{row.code}:{kind}:{running.start.isoformat()}",
                domain="complaints",
                kind=kind,
                subject_kind="complaint",
                subject_id=row.id,
                message=f"“{project.name}”{base.kind_of(row).label}（{row.code}）{text}",
                audience=AUDIENCE,
                organisation_id=project.agency_id or project.tenderer_id,
                due=running.due,
                deadline_id=tracked,
            )
            if alert is not None:
                done.append(alert.key)
    return done


def tracked_respondent(session: Session, row: ComplaintCase) -> int | None:
    """The open tracked deadline of the respondents' statement (``base.track_respondent``), if any."""
    from sunshine.core.models import TrackedDeadline

    return session.scalar(
        select(TrackedDeadline.id).where(
            TrackedDeadline.subject == f"complaint:{row.code}",
            TrackedDeadline.purpose == base.RESPONDENT_DUE,
            TrackedDeadline.is_open.is_(True),
        )
    )
