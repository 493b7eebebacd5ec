"""Tables of the procedure before the notice: applications to change the method after failed tenders
(变更采购方式申请) and direct awards without tender (依法不招标/直接发包)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime

Money = Numeric(18, 2)


class MethodChange(Base):
    # 变更采购方式申请: the purchaser asks the finance department, after the pack's number of failed open
    # tenders, to register the project again under another method (seed 003 七、变更采购方式)
    __tablename__ = "procedure_method_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)  # failed
    method: Mapped[str] = mapped_column(String(40))  # the method asked for
    state: Mapped[str] = mapped_column(String(20), index=True)  # submitted approved refused used
    # the two experts' draw (政府采购: 变更采购方式专家意见); an engineering project has none
    draw_request_id: Mapped[int | None] = mapped_column(ForeignKey("committee_request.id"))
    expert_opinion: Mapped[str] = mapped_column(Text)  # 专家对招标文件没有不合理条款的书面意见
    agency_statement: Mapped[str] = mapped_column(Text)  # 代理机构：招标公告时间及程序符合规定
    request_text: Mapped[str] = mapped_column(Text)  # 采购人申请变更采购方式的书面意见
    materials: Mapped[str] = mapped_column(Text)  # JSON: the notices and the submissions of each failed tender
    applied_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[str | None] = mapped_column(Text)  # 批准文号及意见，或不予批准的理由


class DirectAward(Base):
    # 依法不招标（直接发包）: an engineering project the law allows to award without tender, with its
    # statutory reason, the supervisory department's approval and its disclosure
    __tablename__ = "procedure_direct_award"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    tenderer_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    budget: Mapped[Decimal] = mapped_column(Money)
    funding_source: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(String(6))
    catalogue_code: Mapped[str] = mapped_column(String(20))  # 交易目录编码 the project falls under
    reason: Mapped[str] = mapped_column(String(40))  # the statutory case (REASONS)
    explanation: Mapped[str] = mapped_column(Text)
    contractor: Mapped[str] = mapped_column(String(300))  # 拟直接发包的承包人
    state: Mapped[str] = mapped_column(String(20), index=True)  # submitted | approved | refused
    applied_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[str | None] = mapped_column(Text)
