"""Tables of policy disclosure: policy documents (政策文件), their interpretations (政策解读) and public
concerns (回应关切) — a question from the public and the centre's answer, published together."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class PolicyDocument(Base):
    # 政策文件 a law, regulation, rule or normative document the centre publishes with its interpretations
    __tablename__ = "policy_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    issuing_body: Mapped[str] = mapped_column(String(200))  # 制定机关/发布机关
    doc_number: Mapped[str | None] = mapped_column(String(100))  # 文号，如 财政部令第87号
    level: Mapped[str] = mapped_column(String(20), index=True)  # 效力级别: law | regulation | rule | normative | local
    issued_on: Mapped[date] = mapped_column(Date, index=True)  # 公布日期
    effective_on: Mapped[date | None] = mapped_column(Date)  # 施行日期
    region_code: Mapped[str | None] = mapped_column(String(6))  # 行政区划代码 of a local document
    body_html: Mapped[str] = mapped_column(Text)  # sanitised full text
    source_url: Mapped[str | None] = mapped_column(String(500))  # 原文链接
    attachment_name: Mapped[str | None] = mapped_column(String(255))
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))  # in the content-addressed file store
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class Interpretation(Base):
    # 政策解读 an interpretation of one policy document
    __tablename__ = "policy_interpretation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policy_document.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    form: Mapped[str] = mapped_column(String(20))  # 解读形式: text | qa | graphic | briefing
    interpreter: Mapped[str] = mapped_column(String(200))  # 解读机关/解读人
    body_html: Mapped[str] = mapped_column(Text)  # sanitised
    created_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class PublicConcern(Base):
    # 公众关切 a question from the public; public only once the disclosure office publishes it with its answer
    __tablename__ = "public_concern"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(20), index=True)  # trading | policy | service | disclosure | other
    question: Mapped[str] = mapped_column(Text)  # as submitted (plain text); never shown publicly
    asker_name: Mapped[str | None] = mapped_column(String(100))  # personal: staff only
    contact: Mapped[str | None] = mapped_column(String(200))  # personal: staff only
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("policy_document.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), index=True)  # received | answered | published
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reply_deadline_id: Mapped[int | None] = mapped_column(ForeignKey("tracked_deadline.id"))
    public_question: Mapped[str | None] = mapped_column(Text)  # the question as published (personal data removed)
    answer_html: Mapped[str | None] = mapped_column(Text)  # sanitised
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    ledger_seq: Mapped[int | None] = mapped_column(Integer)  # the publication's entry
