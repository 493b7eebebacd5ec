"""Tables of credit: behaviour records (信用记录, 良好/不良) and bans from taking part (禁止参与). Personal data of a
record about a person stays in this table; only bans and published records about organisations are public."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class CreditRecord(Base):
    # 信用记录 a good (良好) or bad (不良) behaviour record about an organisation or a person
    __tablename__ = "credit_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    polarity: Mapped[str] = mapped_column(String(10), index=True)  # good | bad
    subject_type: Mapped[str] = mapped_column(String(20))  # organisation | person
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    person_name: Mapped[str | None] = mapped_column(String(100))  # personal data: never published
    person_id_number: Mapped[str | None] = mapped_column(String(40))  # personal data: never published
    behaviour: Mapped[str] = mapped_column(Text)  # what was done
    basis: Mapped[str] = mapped_column(Text)  # 认定依据: the rule and the decision
    source: Mapped[str] = mapped_column(String(200))  # 信息来源, e.g. 行政处罚决定书 文号
    decided_on: Mapped[date] = mapped_column(Date)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)  # None: no end set
    published: Mapped[bool] = mapped_column(Boolean, default=False)  # 公示 (organisations only)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class CreditBan(Base):
    # 禁止参与 an organisation barred from taking part in a scope of trading, from one day to another
    __tablename__ = "credit_ban"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    region_code: Mapped[str | None] = mapped_column(String(6))  # None: everywhere; 350000: the province
    transaction_type: Mapped[str | None] = mapped_column(String(30))  # None: every type
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # the last day barred; None: until lifted
    basis: Mapped[str] = mapped_column(Text)  # 依据: the rule and the decision
    decision_no: Mapped[str] = mapped_column(String(100))  # 处理决定文号
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"))  # the bad record behind it
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)
