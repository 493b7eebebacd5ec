"""Tables of the results (中标候选人公示、异议、确定中标人、结果公告): one row per project with the dates its
statutory clocks count from and the tracked deadlines they set, the objections filed during the publicity with
their answers, and the winner determined for each section with the reason and evidence when it is not the first
candidate. Every write also goes to the ledger; reads go through ``results.visibility``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class ProjectResult(Base):
    # 评标结果处理 the project's clocks from the report to the result notice
    __tablename__ = "result_project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), unique=True)
    report_received_on: Mapped[date] = mapped_column(Date)  # the last section's report delivered to the tenderer
    publicity_due_id: Mapped[int | None] = mapped_column(Integer)  # tracked: publish the candidates by
    publicised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    publicity_end_id: Mapped[int | None] = mapped_column(Integer)  # tracked: the publicity period's last day
    decide_due_id: Mapped[int | None] = mapped_column(Integer)  # tracked: determine the winner by (procurement)
    decided_on: Mapped[date | None] = mapped_column(Date)  # every section's winner determined
    notice_due_id: Mapped[int | None] = mapped_column(Integer)  # tracked: publish the result notice by
    notice_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice_until: Mapped[date | None] = mapped_column(Date)  # the notice's period, where the pack sets one
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SectionWinnerDecision(Base):
    # 确定中标人 one section's winner, from the ranked candidates
    __tablename__ = "result_winner"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), unique=True)
    eval_bid_id: Mapped[int] = mapped_column(ForeignKey("evaluation_bid.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    bidder: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    rank: Mapped[int] = mapped_column(Integer)  # the chosen candidate's rank in the report
    reason: Mapped[str | None] = mapped_column(String(30))  # codes.REASONS when not the first candidate
    facts: Mapped[str | None] = mapped_column(Text)
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))  # the file store
    evidence_name: Mapped[str | None] = mapped_column(String(255))
    deemed: Mapped[bool] = mapped_column(default=False)  # 视为确定排名第一的中标候选人 (87号令 第六十八条)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)
