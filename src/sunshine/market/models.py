"""Tables of the market participant register (市场主体库): each participant's standing and current registered
facts, its applications (the first registration and every change, each a version), the professional staff of
agencies, and the entrustment agreements (委托代理协议) between tenderers and agencies per project.

An organisation without a ``market_participant`` row was registered by the centre itself (demo data, ``POST
/api/v1/organisations``) and counts as admitted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class Participant(Base):
    # 市场主体 a participant's standing and the facts last approved (or first submitted, before approval)
    __tablename__ = "market_participant"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending, returned, approved, rejected
    org_type: Mapped[str] = mapped_column(String(20))  # 企业类型 / 单位性质 (service.ORG_TYPES)
    legal_representative: Mapped[str] = mapped_column(String(100))
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(40))
    contact_email: Mapped[str] = mapped_column(String(200))
    bank_name: Mapped[str] = mapped_column(String(200))
    bank_account_name: Mapped[str] = mapped_column(String(200))
    bank_account_number: Mapped[str] = mapped_column(String(40))
    licence_sha256: Mapped[str] = mapped_column(String(64))
    licence_filename: Mapped[str] = mapped_column(String(200))
    licence_content_type: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=0)  # number of approved versions
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Application(Base):
    # 登记申请 / 变更申请 one submission of registered facts, reviewed by the centre; approved ones are the versions
    __tablename__ = "market_application"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # registration, change
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending, returned, approved, rejected
    facts: Mapped[str] = mapped_column(Text)  # JSON of the registered facts submitted (service.FACT_LABELS)
    licence_sha256: Mapped[str] = mapped_column(String(64))
    licence_filename: Mapped[str] = mapped_column(String(200))
    licence_content_type: Mapped[str] = mapped_column(String(100))
    submissions: Mapped[int] = mapped_column(Integer, default=1)  # 1 + the resubmissions after a return
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    due: Mapped[date | None] = mapped_column(Date)  # handling limit of the current submission
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reasons: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int | None] = mapped_column(Integer)  # the version number it became, once approved


class StaffMember(Base):
    # 从业人员 an agency's professional (招标师、造价工程师…); the public sees name, qualification and validity
    __tablename__ = "market_staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    qualification: Mapped[str] = mapped_column(String(30))  # service.QUALIFICATIONS
    certificate_number: Mapped[str] = mapped_column(String(60))
    valid_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Entrustment(Base):
    # 委托代理协议 between a project's tenderer and its agency (Project.tenderer_id / Project.agency_id)
    __tablename__ = "market_entrustment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    scope: Mapped[str] = mapped_column(Text)
    signed_on: Mapped[date] = mapped_column(Date)
    file_sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
