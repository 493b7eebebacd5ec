"""Tables of objections, challenges and complaints: one row per case (who filed what against which project, its
state, answer and decision), the case's history (every step with its day: the clock is computed from it alone) and
the evidence the parties uploaded (kept in the file store, its hash in the ledger)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class ComplaintCase(Base):
    # 异议、质疑或投诉 one case
    __tablename__ = "complaint_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)  # kinds.KINDS
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(Integer)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)  # the complainant
    filed_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_on: Mapped[date] = mapped_column(Date)  # the day the answerer (or department) received it
    knew_on: Mapped[date] = mapped_column(Date)  # 知道或者应当知道其权益受到损害之日
    matter: Mapped[str] = mapped_column(String(20))  # kinds.MATTERS: what the case is about
    respondent: Mapped[str] = mapped_column(String(300))
    contact: Mapped[str] = mapped_column(String(200))
    facts: Mapped[str] = mapped_column(Text)
    request: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)  # 签字或者盖章
    prior_case_id: Mapped[int | None] = mapped_column(Integer)  # the objection or challenge a complaint follows
    prior_result_objection_id: Mapped[int | None] = mapped_column(Integer)  # results' objection it follows
    state: Mapped[str] = mapped_column(String(20), index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    founded: Mapped[bool | None] = mapped_column(Boolean)  # the answer found the objection (challenge) founded
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(20))  # kinds.OUTCOMES (the department's decision)
    remedy: Mapped[str | None] = mapped_column(String(20))  # kinds.REMEDIES
    decision: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    department: Mapped[str | None] = mapped_column(String(30), index=True)  # jurisdiction.DEPARTMENTS: filed to
    suspended_project: Mapped[bool] = mapped_column(Boolean, default=False)  # the project stands suspended by it
    suspended_until: Mapped[date | None] = mapped_column(Date)  # a procurement suspension's last day (≤30 d)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class ComplaintEvent(Base):
    # 办理记录 one step of a case, with the day the clock counts it on
    __tablename__ = "complaint_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(30))  # kinds.STEP_LABELS
    day: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class ComplaintEvidence(Base):
    # 证明材料 a file a party uploaded to the case
    __tablename__ = "complaint_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(20))  # complainant, respondent, department
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(100))
    uploaded_by: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)
