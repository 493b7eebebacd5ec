"""Tables of the trading side: projects (交易项目), sections (标段/包), state transitions, notices
(公告) and their attachments, registrations (报名), qualification results (资格审查) and deposits
(保证金)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sunshine.db import Base, UTCDateTime

Money = Numeric(18, 2)


class Project(Base):
    # 交易项目 a project registered for trading (进场登记)
    __tablename__ = "project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # 统一交易标识码
    name: Mapped[str] = mapped_column(String(300))
    transaction_type: Mapped[str] = mapped_column(String(30), index=True)
    method: Mapped[str] = mapped_column(String(40))
    pack_key: Mapped[str] = mapped_column(String(80))
    pack_version: Mapped[str] = mapped_column(String(40))
    lifecycle: Mapped[str] = mapped_column(String(30))
    rules_snapshot: Mapped[str] = mapped_column(Text)  # JSON: the resolved rule pack at registration
    tenderer_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)  # 招标人/采购人/转让方
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)  # 代理机构
    budget: Mapped[Decimal] = mapped_column(Money)  # 预算/估算/挂牌底价（元）
    region_code: Mapped[str] = mapped_column(String(6))
    funding_source: Mapped[str] = mapped_column(String(200))
    evaluation_method: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    green_channel: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # 绿色通道
    green_reason: Mapped[str | None] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(40), index=True)
    state_before_suspension: Mapped[str | None] = mapped_column(String(40))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)  # 流标次数（重新招标时沿用前次项目的次数）
    retender_of_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"))  # 重新招标：前次流标的项目
    catalogue_code: Mapped[str | None] = mapped_column(String(20), index=True)  # 交易目录编码（应进必进）
    catalogue_note: Mapped[str | None] = mapped_column(String(300))  # 目录核对提示（如须附批准文件）
    public_since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first notice published
    docs_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 招标文件发出（发售开始）
    docs_sale_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bid_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # 投标/响应截止，或挂牌截止
    opening_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registered_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    sections: Mapped[list[Section]] = relationship(
        back_populates="project", lazy="raise", order_by="Section.number", cascade="all, delete-orphan"
    )


class Section(Base):
    # 标段/包 a lot of a project, with its own estimate and qualification requirements
    __tablename__ = "project_section"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    estimate: Mapped[Decimal] = mapped_column(Money)
    qualification: Mapped[str] = mapped_column(Text)  # 资格条件
    deposit_amount: Mapped[Decimal | None] = mapped_column(Money)  # 投标保证金金额
    item_classification: Mapped[str | None] = mapped_column(String(20))  # 品目分类代码（trading/classification.py）

    project: Mapped[Project] = relationship(back_populates="sections", lazy="raise")


class Transition(Base):
    # 环节记录 one lifecycle step taken by a project, with its ledger entry
    __tablename__ = "project_transition"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    document_ref: Mapped[str | None] = mapped_column(String(100))  # e.g. notice:12
    ledger_seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Notice(Base):
    # 公告 a notice; corrections are new rows in the same series, never overwrites
    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # tender, prequalification, clarification, amendment, ...
    series_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id"))  # the original notice of a series
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(300))
    body_html: Mapped[str] = mapped_column(Text)  # sanitised rich text
    affects_bids: Mapped[bool] = mapped_column(Boolean, default=False)
    new_bid_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_opening_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    docs_price: Mapped[Decimal | None] = mapped_column(Money)  # 招标文件售价（元）, stated by the first notice
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ledger_seq: Mapped[int] = mapped_column(Integer)

    attachments: Mapped[list[NoticeAttachment]] = relationship(lazy="raise", order_by="NoticeAttachment.id")


class NoticeAttachment(Base):
    # 公告附件 stored in the content-addressed file store under its SHA-256
    __tablename__ = "notice_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))


class Registration(Base):
    # 报名 a bidder's registration for a section, and when it obtained the tender documents
    __tablename__ = "registration"
    __table_args__ = (UniqueConstraint("section_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(40))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    docs_obtained_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    docs_sha256: Mapped[str | None] = mapped_column(String(64))  # which version of the documents
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QualificationResult(Base):
    # 资格审查结果 pre- or post-qualification of one registration
    __tablename__ = "qualification_result"
    __table_args__ = (UniqueConstraint("registration_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(10))  # pre | post
    passed: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Deposit(Base):
    # 投标保证金 a bidder's deposit for a section: bank transfer or electronic guarantee (电子保函)
    __tablename__ = "deposit"
    __table_args__ = (UniqueConstraint("section_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[str] = mapped_column(String(20))  # transfer | guarantee
    status: Mapped[str] = mapped_column(String(20), index=True)  # awaiting | paid | refund_due | refunded
    channel: Mapped[str] = mapped_column(String(40))  # payment channel name
    channel_ref: Mapped[str] = mapped_column(String(100))  # virtual sub-account or guarantee number
    evidence: Mapped[str | None] = mapped_column(Text)  # JSON from the channel
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refund_reason: Mapped[str | None] = mapped_column(String(300))
    refund_due: Mapped[date | None] = mapped_column(Date)
    refund_deadline_id: Mapped[int | None] = mapped_column(ForeignKey("tracked_deadline.id"))
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Message(Base):
    # 站内通知 a notification to an organisation (e.g. the prequalification result)
    __tablename__ = "message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
