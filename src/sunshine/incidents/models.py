"""Tables of platform incidents: the incident as declared, confirmed and ended, and each project it affected
with what was done to it (suspended, resumed, the dates before and after)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class Incident(Base):
    # 平台应急事件 a failure of the platform itself (system, network, CA, power ...), declared by the centre
    __tablename__ = "platform_incident"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # YJ2026-0001
    kind: Mapped[str] = mapped_column(String(20))  # system | network | ca | power | other
    description: Mapped[str] = mapped_column(Text)  # what failed, as the public notice says it
    scope: Mapped[str] = mapped_column(String(20))  # platform | types | projects
    scope_types: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of transaction types (scope types)
    status: Mapped[str] = mapped_column(String(20), index=True)  # declared | confirmed | ended
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when the failure began
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the platform worked again
    declared_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    declared_seq: Mapped[int] = mapped_column(Integer)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirm_note: Mapped[str | None] = mapped_column(Text)  # the supervisory department's opinion
    confirmed_seq: Mapped[int | None] = mapped_column(Integer)
    ended_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    ended_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_note: Mapped[str | None] = mapped_column(Text)  # 处置情况: cause found, what was done
    ended_seq: Mapped[int | None] = mapped_column(Integer)


class IncidentProject(Base):
    # 受影响项目 a project the incident suspended, and how it came back
    __tablename__ = "platform_incident_project"
    __table_args__ = (UniqueConstraint("incident_id", "project_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("platform_incident.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    state_before: Mapped[str] = mapped_column(String(40))  # the state it was suspended in
    suspended_seq: Mapped[int | None] = mapped_column(Integer)  # the ledger entry of its suspend step
    # resumed | handled_otherwise (resumed or terminated by someone else meanwhile) at the end; settled at the
    # declaration (its decryption window had run out during the failure: nothing to suspend)
    outcome: Mapped[str | None] = mapped_column(String(20))
    resumed_seq: Mapped[int | None] = mapped_column(Integer)
    days_added: Mapped[int | None] = mapped_column(Integer)
    moved: Mapped[str | None] = mapped_column(Text)  # JSON {field: [before, after]} of the announced dates
