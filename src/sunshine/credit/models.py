"""Tables of credit: behaviour records (信用记录: 行政处罚, 不良行为, 表彰, 良好行为) about organisations, experts
and persons with their publication and revocation, bans from taking part (禁止参与) of organisations and experts,
reviews of agencies, bidders and experts by the bodies that worked with them (评价), and the computed credit
ratings (信用评价结果). Personal data of a record about a person stays in its table; experts are never shown
publicly by name."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class CreditRecord(Base):
    # 信用记录 a good (良好) or bad (不良) behaviour record about an organisation, an expert or a person
    __tablename__ = "credit_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    polarity: Mapped[str] = mapped_column(String(10), index=True)  # good | bad
    kind: Mapped[str] = mapped_column(String(20), default="conduct")  # service.KINDS
    subject_type: Mapped[str] = mapped_column(String(20))  # organisation | expert | person
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("expert.id"), index=True)
    person_name: Mapped[str | None] = mapped_column(String(100))  # personal data: never published
    person_id_number: Mapped[str | None] = mapped_column(String(40))  # personal data: never published
    transaction_type: Mapped[str | None] = mapped_column(String(30))  # the trading the decision concerns
    department: Mapped[str | None] = mapped_column(String(200))  # 作出决定的机关
    decision_no: Mapped[str | None] = mapped_column(String(100))  # 决定文号
    behaviour: Mapped[str] = mapped_column(Text)  # what was done
    basis: Mapped[str] = mapped_column(Text)  # 认定依据: the rule and the decision
    source: Mapped[str] = mapped_column(String(200))  # 信息来源, e.g. 行政处罚决定书 文号
    decided_on: Mapped[date] = mapped_column(Date)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)  # None: no end set
    published: Mapped[bool] = mapped_column(Boolean, default=False)  # 公示 (organisations only)
    publish_until: Mapped[date | None] = mapped_column(Date)  # the last day of the publication period
    publication_ref: Mapped[str | None] = mapped_column(String(100))  # the disclosure's source_ref once published
    taken_down_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 公示期满撤下
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    revocation_kind: Mapped[str | None] = mapped_column(String(20))  # revoked | corrected | repaired
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class CreditBan(Base):
    # 禁止参与 an organisation (or an expert) barred from taking part in a scope of trading, from one day to another.
    # The one record of an expert's exclusion from evaluations, whoever decided it: a supervisory department's ban
    # (信用惩戒) or the pool office's 暂停评标/禁止评标 (``experts.records`` writes here); the draw and the pool read it
    __tablename__ = "credit_ban"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("expert.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="ban")  # ban | suspension (暂停评标: an expert only)
    region_code: Mapped[str | None] = mapped_column(String(6))  # None: everywhere; 350000: the province
    transaction_type: Mapped[str | None] = mapped_column(String(30))  # None: every type
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # the last day barred; None: until lifted
    basis: Mapped[str] = mapped_column(Text)  # 依据: the rule and the decision
    decision_no: Mapped[str] = mapped_column(String(100), default="")  # 处理决定文号
    department: Mapped[str | None] = mapped_column(String(200))  # 作出决定的机关
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"))  # the bad record behind it
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 撤销/解除
    lifted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    lift_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class CreditReview(Base):
    # 评价 of an agency, a bidder or an expert by a body that worked with it on a project (招标人评价代理机构…)
    __tablename__ = "credit_review"
    __table_args__ = (UniqueConstraint("project_id", "subject_type", "subject_id", "reviewer_organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(20))  # agency | bidder | expert
    subject_id: Mapped[int] = mapped_column(Integer, index=True)  # organisation id, or expert id
    reviewer_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    reviewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    scores: Mapped[dict] = mapped_column(JSON)  # {criterion: 0..100}
    score: Mapped[int] = mapped_column(Integer)  # the mean of the criteria, rounded
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class CreditRating(Base):
    # 信用评价结果 of one subject for one period, computed by the method in force, published when the period is rated
    __tablename__ = "credit_rating"
    __table_args__ = (UniqueConstraint("period", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(10), index=True)  # "2026"
    subject_type: Mapped[str] = mapped_column(String(20))  # bidder | agency | expert
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    method: Mapped[str] = mapped_column(String(40))  # method key and version
    score: Mapped[str] = mapped_column(String(12))  # Decimal as text, two places
    grade: Mapped[str] = mapped_column(String(2))
    details: Mapped[list] = mapped_column(JSON)  # [{item, name, value, points}]
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)
