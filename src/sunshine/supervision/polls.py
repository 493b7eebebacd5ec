"""The public poll of a designated open day (社会关注度调查, seed 000 篇一: 通过社会关注度调查确定开放项目): one vote
per visitor until the poll's end time; then the tick closes it and the platform itself designates the project with
most votes — among equals the one proposed first in the notice (the lowest order), a rule anyone can check against
the published counts — records it in the ledger with every option's count and publishes it on the open day's page.
The centre may designate another project only with a reason, which is recorded and published beside the count.
Never commits."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.ledger import service as ledger
from sunshine.supervision import opendays, registry
from sunshine.supervision.models import OpenDay, PollOption, PollVote

TIE_RULE = "得票最多的项目入选；票数相同时，按通告中列出的先后取在先者"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def options(session: Session, day: OpenDay) -> list[PollOption]:
    return list(session.scalars(select(PollOption).where(PollOption.open_day_id == day.id).order_by(PollOption.id)))


def is_open(day: OpenDay) -> bool:
    now = clock.now()
    return (
        day.state == "announced"
        and day.poll_closed_at is None
        and now < day.starts_at
        and (day.poll_until is None or now < day.poll_until)
    )


def vote(session: Session, open_day_id: int, option_id: int, voter_key: str) -> PollOption:
    """社会关注度调查: one vote per visitor (a hash of their browser's key) until the poll's end time."""
    day = opendays.get(session, open_day_id)
    option = session.get(PollOption, option_id)
    if option is None or option.open_day_id != day.id:
        raise NotFound("调查选项不存在")
    if not is_open(day):
        raise Conflict("调查已结束")
    voter = _hash(f"{day.id}|{voter_key}")
    if session.scalar(select(PollVote.id).where(PollVote.open_day_id == day.id, PollVote.voter_hash == voter)):
        raise Conflict("您已参加本次调查")
    session.add(PollVote(open_day_id=day.id, option_id=option.id, voter_hash=voter, voted_at=clock.now()))
    option.votes += 1
    session.flush()
    return option


def winner(rows: list[PollOption]) -> tuple[PollOption, bool]:
    """The option with most votes; among equals the one proposed first (lowest id). Also whether a tie decided."""
    best = max(rows, key=lambda o: (o.votes, -o.id))
    return best, sum(1 for o in rows if o.votes == best.votes) > 1


def close(session: Session, day: OpenDay) -> PollOption:
    """调查结束: the platform designates the project and records the count (one ledger entry)."""
    rows = options(session, day)
    if not rows:
        raise Conflict("该开放日没有社会关注度调查")
    if day.poll_closed_at is not None:
        raise Conflict("调查已结束并已确定项目")
    best, tie = winner(rows)
    day.poll_closed_at = clock.now()
    day.poll_platform_option_id = day.poll_option_id = best.id
    session.flush()
    ledger.append(
        session,
        "supervision:open_day:poll_closed",
        opendays.subject(day),
        {
            "counts": [[o.id, o.votes] for o in rows],
            "designated": best.id,
            "tie": tie,
            "votes": sum(o.votes for o in rows),
        },
    )
    return best


def close_due(session: Session) -> list[str]:
    """Tick: every poll whose end time has come is closed and its project designated (a hundred at a time)."""
    now = clock.now()
    stmt = (
        select(OpenDay)
        .where(
            OpenDay.poll_closed_at.is_(None),
            OpenDay.poll_until.is_not(None),
            OpenDay.poll_until <= now,
        )
        .order_by(OpenDay.id)
        .limit(100)
    )
    out = []
    for day in session.scalars(stmt):
        close(session, day)
        out.append(f"supervision:open-day:{day.id}:poll-closed")
    return out


def override(session: Session, actor: Principal, open_day_id: int, option_id: int, reason: str) -> OpenDay:
    """The centre designates another project than the count did, with a reason that is recorded and published."""
    registry.require_manager(actor)
    day = opendays.get(session, open_day_id)
    if day.poll_closed_at is None:
        raise Conflict("调查结束、平台确定项目后方可调整")
    if day.state not in ("announced", "selected"):
        raise Conflict("开放日已举办，不能再调整项目")
    option = session.get(PollOption, option_id)
    if option is None or option.open_day_id != day.id:
        raise NotFound("调查选项不存在")
    if option.id == day.poll_option_id:
        raise Conflict("该项目已是确定的开放项目")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise InvalidInput("调整平台按得票确定的项目，须写明理由（至少5个字）", field="reason")
    if len(reason) > 1000:
        raise InvalidInput("理由不超过1000字", field="reason")
    before = day.poll_option_id
    day.poll_option_id, day.poll_override_reason = option.id, reason
    day.poll_overridden_by, day.poll_overridden_at = actor.user_id, clock.now()
    session.flush()
    ledger.append(
        session,
        "supervision:open_day:poll_overridden",
        opendays.subject(day),
        {"from": before, "to": option.id, "reason": reason},
    )
    return day


def result(session: Session, day: OpenDay) -> dict | None:
    """The published outcome: each option's count, the platform's designation, and any override with its reason."""
    if day.poll_closed_at is None:
        return None
    rows = {o.id: o for o in options(session, day)}
    platform, chosen = rows.get(day.poll_platform_option_id), rows.get(day.poll_option_id)
    _, tie = winner(list(rows.values()))
    return {
        "closed_at": day.poll_closed_at,
        "platform_choice": platform.label if platform else None,
        "designated": chosen.label if chosen else None,
        "tie": tie,
        "rule": TIE_RULE,
        "overridden": day.poll_overridden_at is not None,
        "override_reason": day.poll_override_reason,
        "overridden_at": day.poll_overridden_at,
    }
