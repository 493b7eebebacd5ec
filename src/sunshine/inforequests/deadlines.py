"""The answer clock of an information request, read from its events, and the tracked deadlines kept in
step with it (the answer period, the applicant's correction period, a third party's opinion period and
the internal routing and review periods of the regime in force).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts, calendar
from sunshine.core.models import TrackedDeadline
from sunshine.core.workdays import WorkCalendar
from sunshine.inforequests import states
from sunshine.inforequests.models import InfoRequest, RequestEvent
from sunshine.inforequests.repository import ALERT_SUBJECT, data_of, events, last, pack_of, rule_days, subject_of
from sunshine.inforequests.timing import AnswerClock, ClockEvent, answer_clock

#: Steps whose day moves the answer clock, and the clock event each one is.
CLOCK_STEPS = {
    "receive": "received",
    "request_correction": "correction_requested",
    "record_correction": "corrected",
    "start_consultation": "consultation_started",
    "end_consultation": "consultation_ended",
    "lapse_consultation": "consultation_ended",
    "extend": "extended",
    "volume_delay": "extended",
}


def clock_events(history: Sequence[RequestEvent]) -> list[ClockEvent]:
    return [ClockEvent(CLOCK_STEPS[e.step], e.day, e.days) for e in history if e.step in CLOCK_STEPS]


def clock_of(req: InfoRequest, history: Sequence[RequestEvent], cal: WorkCalendar) -> AnswerClock:
    pack = pack_of(req)
    return answer_clock(cal, int(pack.rule("answer_within").value), clock_events(history))


def current_clock(session: Session, req: InfoRequest, cal: WorkCalendar | None = None) -> AnswerClock:
    return clock_of(req, events(session, req), cal or calendar.load(session))


@dataclass(frozen=True)
class Wanted:
    start: date
    days: int
    purpose: str


def wanted_deadlines(req: InfoRequest, history: Sequence[RequestEvent], answer: AnswerClock) -> dict[str, Wanted]:
    """The deadlines an open request should have tracked now, by the rule id that sets each."""
    if req.state in states.CONCLUDED_STATES:
        return {}
    pack = pack_of(req)
    tag = f"（{req.tracking_no}）"
    wanted: dict[str, Wanted] = {}
    if answer.running and answer.anchor is not None and answer.remaining is not None:
        text = "答复政府信息公开申请" + ("（已延长）" if answer.extension else "")
        wanted["answer_within"] = Wanted(answer.anchor, answer.remaining, text + tag)
    if req.state == "correction_requested":
        notice = last(history, "request_correction")
        if notice is not None:
            wanted["correction_period_default"] = Wanted(notice.day, notice.days, "申请人补正期限" + tag)
    if req.state == "third_party_consultation":
        started = last(history, "start_consultation")
        days = rule_days(pack, "third_party_opinion_within")
        if started is not None and days is not None and data_of(started).get("party") == "third_party":
            wanted["third_party_opinion_within"] = Wanted(started.day, days, "第三方提出意见" + tag)
    route_days = rule_days(pack, "route_within")
    if req.state in ("received", "corrected") and route_days is not None:
        base = last(history, "record_correction", "receive")
        wanted["route_within"] = Wanted(base.day, route_days, "转交承办部门（内部时限）" + tag)
    review_days = rule_days(pack, "review_within")
    if req.state in ("routed", "resumed", "extended") and review_days is not None and req.department_user_id:
        routed = last(history, "route")
        if routed is not None and last(history, "route", "department_opinion") is routed:
            wanted["review_within"] = Wanted(routed.day, review_days, "承办部门提出答复意见（内部时限）" + tag)
    return wanted


def open_deadlines(session: Session, req: InfoRequest) -> dict[str, TrackedDeadline]:
    rows = session.scalars(
        select(TrackedDeadline).where(TrackedDeadline.subject == subject_of(req), TrackedDeadline.is_open.is_(True))
    )
    return {(row.rule_ref or "").rpartition(":")[2]: row for row in rows}


def open_deadlines_for(session: Session, reqs: Sequence[InfoRequest]) -> dict[int, dict[str, TrackedDeadline]]:
    by_subject = {subject_of(r): r.id for r in reqs}
    out: dict[int, dict[str, TrackedDeadline]] = defaultdict(dict)
    if not by_subject:
        return out
    rows = session.scalars(
        select(TrackedDeadline).where(TrackedDeadline.subject.in_(list(by_subject)), TrackedDeadline.is_open.is_(True))
    )
    for row in rows:
        out[by_subject[row.subject]][(row.rule_ref or "").rpartition(":")[2]] = row
    return out


def refresh_deadlines(
    session: Session,
    req: InfoRequest,
    cal: WorkCalendar,
    history: Sequence[RequestEvent] | None = None,
    current: dict[str, TrackedDeadline] | None = None,
) -> AnswerClock:
    """Keep the tracked deadlines of ``req`` equal to what its history asks for now: a deadline that is
    no longer wanted (or now counts differently) is closed, a missing one is tracked. Idempotent."""
    history = events(session, req) if history is None else history
    answer = clock_of(req, history, cal)
    wanted = wanted_deadlines(req, history, answer)
    current = open_deadlines(session, req) if current is None else current
    for kind, row in current.items():
        want = wanted.get(kind)
        if want is None or (row.start, row.days) != (want.start, want.days):
            calendar.close(session, row.id)
    for kind, want in wanted.items():
        row = current.get(kind)
        if row is not None and (row.start, row.days) == (want.start, want.days):
            continue
        calendar.track(
            session,
            subject=subject_of(req),
            purpose=want.purpose,
            start=want.start,
            days=want.days,
            unit="working",
            rule_ref=f"{req.pack_key}:{kind}",
        )
    if req.state in states.CONCLUDED_STATES:  # answered, withdrawn or closed: its alerts are handled
        alerts.resolve(session, subject_kind=ALERT_SUBJECT, subject_id=req.id)
    session.flush()
    return answer
