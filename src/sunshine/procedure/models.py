"""Tables of the procedure before the notice: applications to change the method after failed tenders
(变更采购方式申请), direct awards without tender (依法不招标/直接发包), and the invitation round of a procurement
invitation tender (资格预审后随机抽取并发出投标邀请书)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
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


class InvitationRound(Base):
    # 邀请招标（政府采购）: from the prequalification notice to the invitation letters (87号令第十四条). Opened when
    # the prequalification notice of a project whose pack names ``min_invitees`` is published; while it is not
    # ``invited`` the project's opening is held (the prequalification's deadline is no bid deadline).
    __tablename__ = "procedure_invitation_round"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(20), index=True)  # prequalifying drawing drawn invited failed
    min_invitees: Mapped[int] = mapped_column(Integer)
    prepared_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    prepared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_reason: Mapped[str | None] = mapped_column(Text)


class InvitationDraw(Base):
    # one section's draw of the suppliers to invite among those who passed the prequalification
    __tablename__ = "procedure_invitation_draw"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("procedure_invitation_round.id", ondelete="CASCADE", name="fk_procedure_invitation_draw_round_id"),
        index=True,
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(20))  # prepared drawn failed
    draw_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    qualified_count: Mapped[int] = mapped_column(Integer)
    invite_count: Mapped[int] = mapped_column(Integer)
    failed_reason: Mapped[str | None] = mapped_column(Text)
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Invitation(Base):
    # 投标邀请书: one drawn supplier of one section; the letter is written when the agency sends the invitations
    __tablename__ = "procedure_invitation"
    __table_args__ = (UniqueConstraint("section_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("procedure_invitation_draw.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # place in the draw's order
    letter: Mapped[str | None] = mapped_column(Text)  # the letter's text once sent
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first read by a user of the supplier
