"""Expiry reminders (证书到期提醒), run by the tick: N days before a certificate, a person's registration or B证
lapses (N: the rule ``qualification_expiry_reminder`` of the centre.service pack, 平台默认值, configurable), the
enterprise gets one alert and one 站内通知 per fact — the record, what lapses and on which day — however often
the tick runs. An edit that moves the date is a new fact and is reminded again. The alert row (no role
audience: it names a person, so no other organisation's workbench may list it) keys the fact; the enterprise
reads the reminder as its 站内通知 and on its records page. Never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts, clock
from sunshine.qualifications import codes
from sunshine.qualifications.models import Certificate, Person
from sunshine.rules import service as rules
from sunshine.trading.models import Message

RULE = "qualification_expiry_reminder"
DEFAULT_DAYS = 30


def window_days(session: Session) -> int:
    pack = rules.resolve(session, "centre.service", clock.today_local())
    return int(pack.rule(RULE).value) if pack.has(RULE) else DEFAULT_DAYS


@dataclass(frozen=True)
class Due:
    kind: str  # certificate | person
    record_id: int
    organisation_id: int
    what: str
    until: date


def _due(session: Session, last: date) -> list[Due]:
    out = []
    stmt = select(Certificate).where(Certificate.retired_at.is_(None), Certificate.valid_until <= last)
    for c in session.scalars(stmt):
        what = f"资质证书“{codes.kind_label(c.kind)}{c.grade}”（证书编号 {c.number}）"
        out.append(Due("certificate", c.id, c.organisation_id, what, c.valid_until))
    for p in session.scalars(select(Person).where(Person.retired_at.is_(None))):
        post = codes.POSTS.get(p.post, p.post)
        if p.registration_valid_until <= last:
            out.append(Due("person", p.id, p.organisation_id, f"{post}{p.name}的注册证书", p.registration_valid_until))
        if p.safety_valid_until is not None and p.safety_valid_until <= last:
            out.append(
                Due(
                    "person",
                    p.id,
                    p.organisation_id,
                    f"{post}{p.name}的安全生产考核合格证（B证）",
                    p.safety_valid_until,
                )
            )
    return out


def tick(session: Session) -> list[str]:
    """Remind what lapses within the window (or has lapsed and was never reminded); the alert keys raised."""
    today = clock.today_local()
    raised = []
    for due in _due(session, today + timedelta(days=window_days(session))):
        lapsed = due.until < today
        key = f"qualification_expiry:{due.kind}:{due.record_id}:{due.what.rpartition('的')[2]}:{due.until}"
        text = (
            f"{due.what}已于 {due.until} 过期，请办理延续并更新记录；过期的记录不能用于报名"
            if lapsed
            else f"{due.what}将于 {due.until} 到期，请及时办理延续并更新记录"
        )
        alert = alerts.raise_once(
            session,
            key=key[:200],
            domain="qualifications",
            kind="expiry",
            subject_kind=f"qualification-{due.kind}",
            subject_id=due.record_id,
            message=text,
            organisation_id=due.organisation_id,
            due=due.until,
        )
        if alert is None:
            continue
        session.add(
            Message(
                organisation_id=due.organisation_id,
                subject="资质证书或人员证书到期提醒",
                body=text,
                link="/my/qualifications",
                created_at=clock.now(),
            )
        )
        raised.append(alert.key)
    session.flush()
    return raised
