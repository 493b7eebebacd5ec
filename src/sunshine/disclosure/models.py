"""Tables of the disclosure engine: the three-level catalog (公开事项目录) and its revisions, the obligations
lifecycle events create (公开义务), publications with their confidentiality-review findings (保密审查),
the negative list (负面清单). Overdue disclosure raises alerts in the shared table of ``sunshine.core.alerts``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sunshine.core.models import TrackedDeadline
from sunshine.db import Base, UTCDateTime


class CatalogCategory(Base):
    # 公开事项目录一级、二级事项 level 1 (transaction area) and level 2 (scope within it)
    __tablename__ = "disclosure_category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # "GC", "GC.ZB"
    level: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("disclosure_category.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    transaction_type: Mapped[str | None] = mapped_column(String(30))  # level 1 of a trading area
    description: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class CatalogItem(Base):
    # 公开事项（三级） a concrete item with every element of the standard catalog
    __tablename__ = "disclosure_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # "GC.ZB.01"
    category_id: Mapped[int] = mapped_column(ForeignKey("disclosure_category.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # 事项名称
    content: Mapped[str] = mapped_column(Text)  # 公开内容（要素）
    legal_basis: Mapped[str] = mapped_column(Text)  # 公开依据
    time_limit_ref: Mapped[str] = mapped_column(String(120))  # "pack_key/rule_id" into the rule packs
    responsible_body: Mapped[str] = mapped_column(String(200))  # 公开主体
    channels: Mapped[dict[str, Any]] = mapped_column(JSON)  # 公开渠道和载体: {channel: "required"|"optional"}
    audience: Mapped[str] = mapped_column(String(20))  # public 全社会 | specific 特定群体
    mode: Mapped[str] = mapped_column(String(20))  # proactive 主动 | on_request 依申请
    five_category: Mapped[str] = mapped_column(String(20))  # 五公开: decision/execution/management/service/result
    levels: Mapped[list[str]] = mapped_column(JSON)  # 公开层级: province/city/county
    trigger: Mapped[str | None] = mapped_column(String(80), index=True)  # lifecycle step or event that owes it
    methods: Mapped[list[str] | None] = mapped_column(JSON)  # only for these trading methods (None: all)
    condition: Mapped[str | None] = mapped_column(String(40))  # e.g. public_project: only once the project is public
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    effective_from: Mapped[date] = mapped_column(Date)  # in force, as now worded, since
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    category: Mapped[CatalogCategory] = relationship(lazy="raise")


class ItemRevision(Base):
    # 目录修订 a change of an item: effective date, reason, author, before and after
    __tablename__ = "disclosure_item_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("disclosure_item.id"), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None while the effective date is ahead
    ledger_seq: Mapped[int] = mapped_column(Integer)


class Obligation(Base):
    # 公开义务 what a lifecycle event owes to disclose under one catalog item, with its legal due date
    __tablename__ = "disclosure_obligation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("disclosure_item.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(200), index=True)  # "project:<code>", "centre:guide" ...
    title: Mapped[str] = mapped_column(String(300))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    responsible_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    event_date: Mapped[date] = mapped_column(Date)  # the day the information was formed or changed
    rule_ref: Mapped[str] = mapped_column(String(200))  # "pack@version/rule" actually applied
    deadline_id: Mapped[int] = mapped_column(ForeignKey("tracked_deadline.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)  # open | overdue | met
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    met_on: Mapped[date | None] = mapped_column(Date)  # local date of publication
    late: Mapped[bool | None] = mapped_column(Boolean)
    delay_days: Mapped[int | None] = mapped_column(Integer)  # working days after the due date
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)

    item: Mapped[CatalogItem] = relationship(lazy="raise")
    deadline: Mapped[TrackedDeadline] = relationship(lazy="joined", innerjoin=True)

    @property
    def due(self) -> date:
        return self.deadline.due

    @property
    def provisional(self) -> bool:
        return self.deadline.provisional


class Publication(Base):
    # 公开信息 a text under a catalog item: draft → 保密审查 → published → (withdrawn, leaving a tombstone)
    __tablename__ = "disclosure_publication"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("disclosure_item.id"), index=True)
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("disclosure_obligation.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # plain text, or sanitised HTML when body_format == "html"
    body_format: Mapped[str] = mapped_column(String(10), default="text")
    source_ref: Mapped[str | None] = mapped_column(String(100))  # e.g. notice:12 for a trading notice
    status: Mapped[str] = mapped_column(String(20), index=True)  # draft | review | published | withdrawn
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_mode: Mapped[str | None] = mapped_column(String(20))  # manual | automatic
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    channels: Mapped[list[str] | None] = mapped_column(JSON)
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    ledger_seq: Mapped[int | None] = mapped_column(Integer)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    withdrawal_ledger_seq: Mapped[int | None] = mapped_column(Integer)

    item: Mapped[CatalogItem] = relationship(lazy="raise")
    findings: Mapped[list[Finding]] = relationship(lazy="raise", order_by="Finding.id")


class Finding(Base):
    # 审查发现 something a detector flagged; the personal data itself is not kept, only its mask
    __tablename__ = "disclosure_finding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("disclosure_publication.id"), index=True)
    detector: Mapped[str] = mapped_column(String(20))  # id_card | mobile | bank_card | negative_list
    part: Mapped[str] = mapped_column(String(10))  # title | body
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    masked: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    term_id: Mapped[int | None] = mapped_column(ForeignKey("disclosure_negative_term.id"))
    status: Mapped[str] = mapped_column(String(20))  # open | redacted | dismissed
    note: Mapped[str | None] = mapped_column(String(500))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NegativeTerm(Base):
    # 负面清单 a term the disclosure office has declared not to be published
    __tablename__ = "disclosure_negative_term"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(500))  # the category of the negative list and its basis
    added_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    removal_reason: Mapped[str | None] = mapped_column(String(500))
