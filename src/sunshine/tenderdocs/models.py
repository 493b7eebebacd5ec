"""Tables of tender documents: the centre's templates (招标文件范本) with their mandatory clauses, a project's
documents drafted from one, the finance department's orders to change them (责令修改), and the holders'
acknowledgements of clarifications, amendments and changes of time (签收回执)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class TenderTemplate(Base):
    # 招标文件范本 the centre's template per transaction type; clauses: JSON [{key, title, mandatory}]
    __tablename__ = "tender_template"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_type: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(String(200))
    clauses: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TenderDocument(Base):
    # 招标（采购）文件 of one project: drafted → confirmed (采购人审核确认) → filed (备案); change_ordered (责令修改)
    __tablename__ = "tender_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), unique=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("tender_template.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    clauses: Mapped[str] = mapped_column(Text)  # JSON {key: text}
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True)
    drafted_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the drawn experts' opinion recorded
    review_opinion: Mapped[str | None] = mapped_column(Text)
    review_version: Mapped[int | None] = mapped_column(Integer)
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DocumentChangeOrder(Base):
    # 责令修改 the finance department's order to change filed documents, before or after publication
    __tablename__ = "tender_document_order"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("tender_document.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    after_publication: Mapped[bool] = mapped_column(Boolean, default=False)
    ordered_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_version: Mapped[int | None] = mapped_column(Integer)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id"))  # the amendment that carried it


class ChangeAcknowledgement(Base):
    # 签收回执 a holder of the documents acknowledges one clarification, amendment or change of time
    __tablename__ = "notice_acknowledgement"
    __table_args__ = (UniqueConstraint("notice_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class ReviewOpinion(Base):
    # 专家评审意见 one drawn reviewer's own opinion on one version of the documents (seed 003 二（四）)
    __tablename__ = "tender_document_opinion"
    __table_args__ = (UniqueConstraint("document_id", "version", "expert_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("tender_document.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    call_id: Mapped[int] = mapped_column(ForeignKey("committee_call.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)  # server-side only
    conclusion: Mapped[str] = mapped_column(String(20))  # no_changes | changes
    changes: Mapped[str] = mapped_column(Text)  # JSON [{clause, text}] the clauses to change and how
    remarks: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)
