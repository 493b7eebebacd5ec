"""Tables of the expert pool (评标专家库): the expert and their specialties, the centre's additions to the specialty
tree, applications for admission, leave periods, declared standing conflicts, suspensions and bans, training and
evaluation records.

Personal data (date of birth, mobile phone, ID number) lives only in ``expert`` and ``expert_application``: it is
never published, never written to the ledger, and only staff of the pool and the expert see it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime

# Expert.status
ACTIVE = "active"  # 在库
SUSPENDED = "suspended"  # 暂停
REMOVED = "removed"  # 清退
EXPIRED = "expired"  # 聘期届满

STATUS_LABELS: dict[str, str] = {ACTIVE: "在库", SUSPENDED: "暂停", REMOVED: "清退", EXPIRED: "聘期届满"}


class Specialty(Base):
    # 专业分类 a code a centre added to the shipped specialty tree (the shipped tree is data: specialties.yaml)
    __tablename__ = "expert_specialty_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    parent_code: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Expert(Base):
    # 评标专家 a person admitted to the pool, with their user account and employer
    __tablename__ = "expert"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # 专家编号, public
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    employer_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(50))  # 职称, e.g. 高级工程师
    title_level: Mapped[str] = mapped_column(String(20))  # service.TITLE_LEVELS
    practice_since: Mapped[int] = mapped_column(Integer)  # 从业起始年份
    education: Mapped[str] = mapped_column(String(20), default="")
    regions: Mapped[str] = mapped_column(String(200), default="")  # region codes, " 350100 350200 " (padded)
    date_of_birth: Mapped[date] = mapped_column(Date)  # personal
    mobile: Mapped[str] = mapped_column(String(20))  # personal
    id_number: Mapped[str] = mapped_column(String(18))  # personal
    email: Mapped[str] = mapped_column(String(100), default="")  # personal
    status: Mapped[str] = mapped_column(String(20), index=True)
    admitted_on: Mapped[date] = mapped_column(Date)
    term_starts_on: Mapped[date] = mapped_column(Date)
    term_ends_on: Mapped[date] = mapped_column(Date, index=True)
    removed_on: Mapped[date | None] = mapped_column(Date)
    removed_reason: Mapped[str | None] = mapped_column(String(500))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("expert_application.id"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)  # 演示数据
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ExpertSpecialty(Base):
    # 评标专业 a specialty an expert is admitted for; exactly one is the main one (主专业)
    __tablename__ = "expert_specialty"
    # a draw reads the holders of a code range from this index alone (experts.poolquery)
    __table_args__ = (
        UniqueConstraint("expert_id", "specialty_code"),
        Index("ix_expert_specialty_code_expert", "specialty_code", "expert_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"), index=True)
    specialty_code: Mapped[str] = mapped_column(String(20), index=True)
    is_main: Mapped[bool] = mapped_column(Boolean, default=False)


class ExpertApplication(Base):
    # 入库申请 an application for admission, by the person or their employer: 待审核 → 待审批 → 已入库 / 不予通过
    __tablename__ = "expert_application"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    state: Mapped[str] = mapped_column(String(20), index=True)  # service.APPLICATION_STATES
    channel: Mapped[str] = mapped_column(String(10))  # self | employer
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)  # the expert's account
    submitted_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    name: Mapped[str] = mapped_column(String(50))
    employer_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(50))
    title_level: Mapped[str] = mapped_column(String(20))
    practice_since: Mapped[int] = mapped_column(Integer)
    education: Mapped[str] = mapped_column(String(20), default="")
    regions: Mapped[str] = mapped_column(String(200), default="")
    specialties: Mapped[str] = mapped_column(String(300))  # codes, main first, " A01 A0101 " (padded)
    date_of_birth: Mapped[date] = mapped_column(Date)  # personal
    mobile: Mapped[str] = mapped_column(String(20))  # personal
    id_number: Mapped[str] = mapped_column(String(18))  # personal
    email: Mapped[str] = mapped_column(String(100), default="")  # personal
    statement: Mapped[str] = mapped_column(Text, default="")  # 个人简历与评标经历
    checks: Mapped[str] = mapped_column(Text, default="[]")  # JSON: the admission rules as checked at review
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class ExpertLeave(Base):
    # 请假 days on which the expert may not be drawn (the expert or the centre marks them)
    __tablename__ = "expert_leave"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # the last day of the leave
    reason: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ExpertConflict(Base):
    # 常设回避单位 an organisation the expert declared a standing conflict with (former employer, relative's firm…)
    __tablename__ = "expert_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    relation: Mapped[str] = mapped_column(String(20))  # service.CONFLICT_RELATIONS
    note: Mapped[str] = mapped_column(String(300), default="")
    declared_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ExpertConduct(Base):
    # 评标行为记录 how an expert behaved at one evaluation (late, absent, improper), recorded after the session by the
    # centre or the tenderer; the pool's office reads it with the expert's other records (it feeds the credit issue)
    __tablename__ = "expert_conduct"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # codes.CONDUCT_KINDS
    note: Mapped[str] = mapped_column(String(1000))
    source: Mapped[str] = mapped_column(String(100))  # where it happened, e.g. "evaluation_session:12"
    project_name: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ExpertTraining(Base):
    # 培训记录 a training the expert attended
    __tablename__ = "expert_training"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool] = mapped_column(Boolean, default=True)  # 考核合格
    certificate_no: Mapped[str] = mapped_column(String(60), default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ExpertEvaluation(Base):
    # 考核评价 the result of one assessment period: a score and a grade, with notes
    __tablename__ = "expert_evaluation"
    __table_args__ = (UniqueConstraint("expert_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))  # e.g. 2026年度
    score: Mapped[int] = mapped_column(Integer)  # 0–100
    grade: Mapped[str] = mapped_column(String(10))  # service.GRADES
    notes: Mapped[str] = mapped_column(String(1000), default="")
    assessed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 考核结果公告
