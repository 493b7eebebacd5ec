"""The parameters of social supervision read from the rule pack ``centre.supervision`` (terms, the weekly
schedule's day and time, observer seats, the opinion box's limit, open days' numbers), one dataclass per read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.rules import service as rules

PACK = "centre.supervision"


@dataclass(frozen=True)
class Settings:
    term_years: int = 2
    schedule_weekday: int = 5  # 1 Monday … 7 Sunday
    schedule_minute: int = 960
    observers_per_session: int = 2
    opinion_days: int = 10
    application_min: int = 5
    application_max: int = 8
    government_invitees: int = 30
    citizen_percent: Decimal = Decimal("33.3333")
    report_days: int = 2


def read(session: Session) -> Settings:
    pack = rules.resolve(session, PACK, clock.today_local())
    base = Settings()
    if pack is None:
        return base

    def value(rule_id: str, default):
        return type(default)(pack.rule(rule_id).value) if pack.has(rule_id) else default

    return Settings(
        term_years=value("supervisor_term_years", base.term_years),
        schedule_weekday=value("schedule_weekday", base.schedule_weekday),
        schedule_minute=value("schedule_minute", base.schedule_minute),
        observers_per_session=value("observers_per_session", base.observers_per_session),
        opinion_days=value("opinion_answer_days", base.opinion_days),
        application_min=value("application_open_day_min", base.application_min),
        application_max=value("application_open_day_max", base.application_max),
        government_invitees=value("government_open_day_invitees", base.government_invitees),
        citizen_percent=Decimal(pack.rule("government_open_day_citizen_percent").value)
        if pack.has("government_open_day_citizen_percent")
        else base.citizen_percent,
        report_days=value("government_open_day_report_days", base.report_days),
    )
