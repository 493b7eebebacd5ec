"""Tables of the working-day calendar (administrator overrides, official years, tracked deadlines) and the
alerts every domain raises (one table, one alert per fact), serial-number counters (``core.serials``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class CalendarOverride(Base):
    # 日历调整 a day declared a holiday or a workday by an administrator
    __tablename__ = "calendar_override"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "holiday" | "workday"
    name: Mapped[str | None] = mapped_column(String(50))
    reason: Mapped[str | None] = mapped_column(String(300))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CalendarYear(Base):
    # 年度放假安排 a year whose official schedule (国务院办公厅通知) has been entered
    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(300))  # e.g. 国办发明电〔2026〕X号
    declared_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TrackedDeadline(Base):
    # 法定期限 a deadline computed from the calendar, recomputed when the calendar changes
    __tablename__ = "tracked_deadline"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    purpose: Mapped[str] = mapped_column(String(200))  # Chinese: what is due, e.g. 答复信息公开申请
    rule_ref: Mapped[str | None] = mapped_column(String(200))
    start: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(10))
    due: Mapped[date] = mapped_column(Date)
    provisional: Mapped[bool] = mapped_column(Boolean)
    basis: Mapped[str] = mapped_column(Text)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Alert(Base):
    # 预警与提醒 an alert or reminder about one fact of one case, raised once (``key``) by a domain's tick or step
    __tablename__ = "alert"
    __table_args__ = (Index("ix_alert_subject", "subject_kind", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # the fact, e.g. disclosure_overdue:obligation:12
    domain: Mapped[str] = mapped_column(String(30), index=True)  # disclosure | inforequests | ...
    kind: Mapped[str] = mapped_column(String(40))  # e.g. disclosure_overdue, reminder, overdue, volume
    subject_kind: Mapped[str] = mapped_column(String(40))  # e.g. disclosure-obligation, inforequest
    subject_id: Mapped[int] = mapped_column(Integer)
    due: Mapped[date | None] = mapped_column(Date)  # the due date the alert is about, if any
    message: Mapped[str] = mapped_column(String(500))
    audience: Mapped[str] = mapped_column(String(200), default="")  # roles that watch it, " a b " (padded)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)  # responsible
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)  # the one who must act
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # handled: the fact is over
    # the tracked legal deadline an overdue alert is about, when a domain raises one: 电子监察's P01 then does not
    # raise a second alert for the same deadline (docs/monitoring.md)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("tracked_deadline.id"), index=True)


class CodeSequence(Base):
    # 流水号 the next serial number of a scope, e.g. a transaction-code scope (region + type + year)
    __tablename__ = "code_sequence"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    next_value: Mapped[int] = mapped_column(Integer)
