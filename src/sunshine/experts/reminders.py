"""The pool's tick: statuses brought in step with today's sanctions and terms, and one alert per expert whose
appointment term ends within the window of the rule ``term_end_reminder`` (centre.experts, 平台默认值 60 days),
for the committee office to organise the re-assessment and re-appointment; the expert is told on their
workbench. A re-appointment (new term end) is a new fact and is reminded again. Never commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts, clock
from sunshine.experts import records
from sunshine.experts.models import REMOVED, Expert
from sunshine.experts.pool import PACK
from sunshine.identity.roles import Role
from sunshine.rules import service as rules

KIND = "term_ending"


@dataclass
class TickResult:
    status_changed: list[int] = field(default_factory=list)
    term_alerts: list[str] = field(default_factory=list)


def window_days(session: Session) -> int:
    return int(rules.resolve(session, PACK, clock.today_local()).rule("term_end_reminder").value)


def tick(session: Session) -> TickResult:
    result = TickResult(status_changed=records.refresh_all(session))
    today = clock.today_local()
    last = today + timedelta(days=window_days(session))
    rows = session.execute(
        select(Expert.id, Expert.code, Expert.name, Expert.user_id, Expert.term_ends_on).where(
            Expert.status != REMOVED, Expert.term_ends_on <= last, Expert.term_ends_on >= today - timedelta(days=30)
        )
    ).all()
    for expert_id, code, name, user_id, ends in rows:
        office = alerts.raise_once(
            session,
            key=f"expert_term:{expert_id}:{ends}",
            domain="experts",
            kind=KIND,
            subject_kind="expert",
            subject_id=expert_id,
            message=f"评标专家{name}（{code}）的聘期将于 {ends} 届满，请组织考核并办理续聘或解聘",
            audience=(Role.COMMITTEE_OFFICE,),
            due=ends,
        )
        if office is None:
            continue
        alerts.raise_once(
            session,
            key=f"expert_term_self:{expert_id}:{ends}",
            domain="experts",
            kind=KIND,
            subject_kind="expert",
            subject_id=expert_id,
            message=f"您的评标专家聘期将于 {ends} 届满，届满后不再参加抽取；续聘须经考核合格",
            user_id=user_id,
            due=ends,
        )
        result.term_alerts.append(office.key)
    session.flush()
    return result
