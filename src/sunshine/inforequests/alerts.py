"""The tick's part for information requests, by the server clock and idempotent (run it twice, the
second run changes nothing): corrections not made in time are treated as withdrawn, third-party
opinion periods that ran out end the consultation, tracked deadlines are brought in line with the
history, and reminders before the due date and alerts after it are raised once each (``sunshine.core.alerts``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import calendar, clock
from sunshine.core.formatting import cn_day
from sunshine.inforequests import deadlines, repository, service, states, steps
from sunshine.inforequests.models import InfoRequest


@dataclass
class TickResult:
    withdrawn: list[str] = field(default_factory=list)
    consultations_ended: list[str] = field(default_factory=list)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (tracking number, kind)


_cn = cn_day


def _raise(
    session: Session, req: InfoRequest, kind: str, due: date, message: str, result: TickResult, user_id: int | None
) -> None:
    if service.raise_alert(session, req, kind, due, message, user_id) is not None:
        result.alerts.append((req.tracking_no, kind))


def tick(session: Session) -> TickResult:
    result = TickResult()
    today = clock.today_local()
    open_states = sorted(states.OPEN_STATES - {"new"})
    reqs = list(session.scalars(select(InfoRequest).where(InfoRequest.state.in_(open_states)).order_by(InfoRequest.id)))
    cal = calendar.load(session)  # once per tick: nothing below changes the calendar
    for req in reqs:
        history = repository.events(session, req)
        if req.state == "correction_requested":
            due = steps.correction_due(session, req, history)
            if due is not None and today > due:
                steps.lapse_correction(session, req, due)
                result.withdrawn.append(req.tracking_no)
                continue
        if req.state == "third_party_consultation":
            due = steps.opinion_due(session, req, history)
            if due is not None and today > due:
                steps.lapse_consultation(session, req, due)
                result.consultations_ended.append(req.tracking_no)
                history = repository.events(session, req)
        answer = deadlines.refresh_deadlines(session, req, cal, history)
        pack = repository.pack_of(req)
        if answer.running and answer.due is not None:
            lead = repository.rule_days(pack, "remind_before_due")
            if today > answer.due:
                _raise(
                    session,
                    req,
                    "overdue",
                    answer.due,
                    f"{req.tracking_no} 的答复期限已于{_cn(answer.due)}届满，尚未答复",
                    result,
                    req.department_user_id,
                )
            elif lead is not None and cal.working_days_between(today, answer.due) <= lead:
                left = cal.working_days_between(today, answer.due)
                _raise(
                    session,
                    req,
                    "reminder",
                    answer.due,
                    f"{req.tracking_no} 的答复期限为{_cn(answer.due)}，还剩{left}个工作日",
                    result,
                    req.department_user_id,
                )
        internal = deadlines.open_deadlines(session, req)
        for kind, alert_kind, text in (
            ("route_within", "route_overdue", "尚未转交承办部门"),
            ("review_within", "review_overdue", "承办部门尚未提出答复意见"),
        ):
            row = internal.get(kind)
            if row is not None and today > row.due:
                _raise(
                    session,
                    req,
                    alert_kind,
                    row.due,
                    f"{req.tracking_no} {text}，内部时限已于{_cn(row.due)}届满",
                    result,
                    req.department_user_id if alert_kind == "review_overdue" else None,
                )
    return result
