"""The award letters of a project: one per section and organisation — the 中标通知书 (成交通知书, 成交确认书) to the
section's winner and the 中标结果通知书 to every other registrant — drafted from the kernel's registry of winners,
sealed by the issuing organisation, then issued together by one lifecycle step. A letter's text is frozen at
drafting (it is the sealed canonical document)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime

Money = Numeric(18, 2)


class AwardLetter(Base):
    # 中标（成交）通知书 / 中标结果通知书 one letter to one organisation about one section
    __tablename__ = "award_letter"
    # one current letter per section and addressee; a withdrawn one stays beside its successor (重新评审)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)  # the addressee
    kind: Mapped[str] = mapped_column(String(10))  # award (to the winner) | result (to the others)
    title: Mapped[str] = mapped_column(String(100))  # 中标通知书, 成交通知书, 成交确认书, 中标结果通知书 …
    number: Mapped[str] = mapped_column(String(60), unique=True)  # 文书编号
    body: Mapped[str] = mapped_column(Text)  # the letter's text, frozen at drafting
    amount: Mapped[Decimal | None] = mapped_column(Money)  # the winner's amount (award letters)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))  # the agency, or the tenderer
    drafted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sha256: Mapped[str] = mapped_column(String(64))  # SHA-256 of the canonical letter (seals registry)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # None while a draft
    ledger_seq: Mapped[int | None] = mapped_column(Integer)  # the issuing step's ledger entry
    # withdrawn because a re-evaluation was ordered after it (the result no longer stands): when, why, ledger entry
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_ledger_seq: Mapped[int | None] = mapped_column(Integer)
