"""What people see of the calls (专家签到表与专家工作台): the sign-in list of a request — positions, leaf hashes and
states for every reader, names only from the sign-in on to the centre's staff running the session and the committee's
signed-in members, and of all who sat once the results are public — and the expert's own assignments on the
workbench. Reads only; the calls themselves are ``calling.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees import avoidance, visibility
from sunshine.committees.calling import (
    CONFIRMED,
    DECLINE_REASONS,
    PENDING,
    STATES,
    _title,
    calls_of,
    may_sign_in,
    place_text,
    shortfall,
    sign_in_opens_at,
)
from sunshine.committees.calling_models import ExpertCall
from sunshine.committees.composition import PURPOSES
from sunshine.committees.models import DrawRequest
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.experts import service as experts
from sunshine.identity.roles import Role
from sunshine.trading.models import Project


@dataclass(frozen=True)
class ListLine:
    """One call on the sign-in list: position, specialty, leaf and state for every reader; the name only to
    those allowed (see ``sign_in_list``)."""

    id: int
    position: int
    specialty: str
    leaf: str
    state: str
    state_label: str
    signed_in_at: datetime | None
    name: str | None
    may_mark_no_show: bool


@dataclass(frozen=True)
class SignInList:
    request: DrawRequest
    project: Project
    title: str
    lines: list[ListLine]
    names_shown: bool
    short: dict[str, int]
    specialty_labels: dict[str, str]


def _is_member(session: Session, actor: Principal, calls: list[ExpertCall]) -> bool:
    """The actor is an expert of this committee who has signed in."""
    if not actor.has(Role.EXPERT) or actor.user_id is None:
        return False
    expert = experts.expert_of_user(session, actor.user_id)
    return expert is not None and any(c.expert_id == expert.id and c.signed_in_at is not None for c in calls)


def sign_in_list(session: Session, actor: Principal, request_id: int) -> SignInList:
    """The request's calls as its readers see them. Names: of the signed-in experts, to the centre's staff and
    to the committee's signed-in members; of those who sat, to every reader once the results are public.
    Readers: the request's readers (``committees.visibility``) and the committee's own experts."""
    request = session.get(DrawRequest, request_id)
    project = session.get(Project, request.project_id) if request is not None else None
    calls = calls_of(session, request_id) if request is not None else []
    member = _is_member(session, actor, calls)
    if project is None or not (visibility.may_read(actor, project) or member):
        raise NotFound("抽取申请不存在")
    disclosed = request.disclosed_at is not None
    running = actor.has(Role.CENTRE_STAFF) or member
    lines = []
    for c in calls:
        sat = c.state == CONFIRMED
        show = (disclosed and sat) or (running and c.signed_in_at is not None)
        lines.append(
            ListLine(
                id=c.id,
                position=c.position,
                specialty=c.specialty,
                leaf=c.leaf,
                state=c.state,
                state_label=("已签到" if c.signed_in_at else STATES[c.state]),
                signed_in_at=c.signed_in_at,
                name=experts.contact(session, c.expert_id)[0] if show else None,
                may_mark_no_show=(
                    visibility.may_run(actor)
                    and c.state == CONFIRMED
                    and c.signed_in_at is None
                    and not disclosed
                    and clock.now() >= request.meeting_at
                ),
            )
        )
    short = shortfall(session, request)
    codes = sorted({c.specialty for c in calls} | set(short))
    return SignInList(
        request=request,
        project=project,
        title=_title(session, request, project),
        lines=lines,
        names_shown=any(line.name for line in lines),
        short=short,
        specialty_labels=avoidance.specialty_labels(session, codes),
    )


@dataclass(frozen=True)
class Assignment:
    """One of the expert's own calls, as their workbench shows it."""

    call: ExpertCall
    request: DrawRequest
    title: str
    purpose: str
    place: str
    specialty: str
    state_label: str
    seconds_left: int | None  # to answer, while pending
    may_sign_in: bool
    sign_in_opens_at: datetime
    decline_reason: str | None


def assignments(session: Session, actor: Principal) -> list[Assignment]:
    """The expert's own calls, newest first (pending ones with their countdown)."""
    expert = experts.expert_of_user(session, actor.user_id) if actor.user_id else None
    if expert is None:
        return []
    stmt = select(ExpertCall).where(ExpertCall.expert_id == expert.id).order_by(ExpertCall.called_at.desc())
    calls = list(session.scalars(stmt.order_by(ExpertCall.id.desc())))
    labels = avoidance.specialty_labels(session, sorted({c.specialty for c in calls}))
    now = clock.now()
    out = []
    for call in calls:
        request = session.get(DrawRequest, call.request_id)
        project = session.get(Project, request.project_id)
        reason = None
        if call.reason_code:
            reason = DECLINE_REASONS.get(call.reason_code) or avoidance.label(call.reason_code)
        out.append(
            Assignment(
                call=call,
                request=request,
                title=_title(session, request, project),
                purpose=PURPOSES[request.purpose],
                place=place_text(request),
                specialty=labels.get(call.specialty, call.specialty),
                state_label="已签到" if call.signed_in_at else STATES[call.state],
                seconds_left=max(0, int((call.due_at - now).total_seconds())) if call.state == PENDING else None,
                may_sign_in=may_sign_in(session, call, request),
                sign_in_opens_at=sign_in_opens_at(session, request),
                decline_reason=reason,
            )
        )
    return out


def split(items: list[Assignment]) -> tuple[list[Assignment], list[Assignment], list[Assignment]]:
    """(pending answers, confirmed and still ahead, history)."""
    now = clock.now()
    pending = [a for a in items if a.call.state == PENDING]
    ahead = [
        a
        for a in items
        if a.call.state == CONFIRMED
        and a.request.disclosed_at is None
        and a.request.meeting_at > now - timedelta(hours=12)
    ]
    rest = [a for a in items if a not in pending and a not in ahead]
    return pending, ahead, rest
