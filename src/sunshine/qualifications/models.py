"""Tables of qualifications (资质、人员、业绩): what an enterprise keeps about itself, the history of every change,
the structured requirements of a section, and the warnings kept at registration for the opening and evaluation.

Personal data stays minimal: a person is kept by name, post and professional registration (no ID number, no phone);
pages mask the registration numbers, the ledger carries neither names nor numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class Certificate(Base):
    # 资质证书 a qualification certificate of an enterprise; a retired one stays for the history
    __tablename__ = "qualification_certificate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # codes.CERTIFICATE_KINDS
    grade: Mapped[str] = mapped_column(String(20))  # codes.GRADES
    number: Mapped[str] = mapped_column(String(60))
    issuer: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    scope: Mapped[str] = mapped_column(Text, default="")
    file_sha256: Mapped[str | None] = mapped_column(String(64))  # the scanned copy in the file store
    file_name: Mapped[str | None] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(Integer, default=1)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Person(Base):
    # 人员 a key person of an enterprise: a project manager (注册建造师) with the B证 (安全生产考核合格证)
    __tablename__ = "qualification_person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    post: Mapped[str] = mapped_column(String(30))  # codes.POSTS
    registration_number: Mapped[str] = mapped_column(String(40), index=True)  # 注册编号
    specialty: Mapped[str] = mapped_column(String(30))  # codes.SPECIALTIES
    grade: Mapped[str] = mapped_column(String(20))  # 一级/二级
    registration_valid_until: Mapped[date] = mapped_column(Date, index=True)
    safety_number: Mapped[str | None] = mapped_column(String(60))  # 安全生产考核合格证（B证）编号
    safety_valid_until: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Performance(Base):
    # 业绩 a past (or unfinished: 在建, no acceptance yet) project of an enterprise
    __tablename__ = "qualification_performance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    project_name: Mapped[str] = mapped_column(String(300))
    client: Mapped[str] = mapped_column(String(200))
    specialty: Mapped[str] = mapped_column(String(30))  # the kind of works, for "similar projects"
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)  # 竣工验收; None: 在建
    proof_sha256: Mapped[str | None] = mapped_column(String(64))  # 验收证明
    proof_name: Mapped[str | None] = mapped_column(String(255))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("qualification_person.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RecordChange(Base):
    # 变更记录 every add, edit and retirement of a record, with the record as it stood after it (the enterprise's)
    __tablename__ = "qualification_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    record_kind: Mapped[str] = mapped_column(String(20))  # certificate | person | performance
    record_id: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # added | edited | retired
    snapshot: Mapped[str] = mapped_column(Text)  # JSON
    by_user: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Requirement(Base):
    # 资格条件 one structured requirement of a section (certificate, person or performance)
    __tablename__ = "qualification_requirement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # certificate | person | performance
    certificate_kind: Mapped[str | None] = mapped_column(String(40))
    post: Mapped[str | None] = mapped_column(String(30))
    specialty: Mapped[str | None] = mapped_column(String(30))
    min_grade: Mapped[str | None] = mapped_column(String(20))
    count: Mapped[int | None] = mapped_column(Integer)  # performance: how many similar projects
    within_years: Mapped[int | None] = mapped_column(Integer)
    min_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))


class RegistrationWarning(Base):
    # 资格预警 a record valid at registration that lapses before the bid deadline: shown to the bidder, kept for
    # the opening and evaluation
    __tablename__ = "qualification_warning"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("qualification_requirement.id", ondelete="CASCADE"))
    record_kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    valid_until: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
