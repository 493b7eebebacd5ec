"""The contract of each awarded section (合同; for land and property the transfer contract 转让合同), drafted
by the tenderer's side from the tender and the winning result, signed on the platform by both parties."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime

Money = Numeric(18, 2)


class AwardContract(Base):
    # 合同 the contract of one awarded section between the tenderer and the winner
    __tablename__ = "award_contract"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    # one contract in force per section; a revoked one (重新评审) stays beside its successor
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), index=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("award_letter.id"))  # the award letter it follows
    tenderer_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))  # 甲方: 招标人/采购人/转让方
    winner_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)  # 乙方
    title: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(60), unique=True)
    subject: Mapped[str] = mapped_column(String(300))  # 标的: the section as tendered
    amount: Mapped[Decimal] = mapped_column(Money)  # 合同金额 = the winner's amount
    term: Mapped[str] = mapped_column(Text)  # 履行期限
    payment: Mapped[str] = mapped_column(Text)  # 付款方式
    performance_security: Mapped[Decimal | None] = mapped_column(Money)  # 履约担保金额
    body: Mapped[str] = mapped_column(Text)  # the contract's text, frozen at drafting
    sha256: Mapped[str] = mapped_column(String(64))
    drafted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    tenderer_signed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    tenderer_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    winner_signed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    winner_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int | None] = mapped_column(Integer)  # the signing step's entry (both signed)
    # 合同备案 (政府采购法 第四十七条): the copy filed with the finance department, and its receipt number
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    filing_ref: Mapped[str | None] = mapped_column(String(100))
    # revoked (撤销合同, 94号令 第三十二条) because a re-evaluation was ordered after the signing, before performance
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_ledger_seq: Mapped[int | None] = mapped_column(Integer)
