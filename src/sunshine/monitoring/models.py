"""Tables of electronic monitoring (电子监察): the finding behind each monitoring alert (its rule, project and
evidence), the supervisory department's handling of it, the features read from opened bid documents (投标文件
特征码), recordings of the opening, evaluation and draw rooms with their retrieval requests, and portal page-view
counts per path template and day (no personal data), and the red flags' facts of each section kept from one tick to
the next so that the population rules read only what changed.

The alert itself is the shared ``core.models.Alert`` row (domain ``monitoring``); these tables only add to it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.awards.contract_models import AwardContract
from sunshine.bidding.models import Bid
from sunshine.db import Base, UTCDateTime
from sunshine.trading.models import Project, Transition


class AlertFinding(Base):
    # 监察发现 what a rule found: the evidence behind one monitoring alert (which bids, which values)
    __tablename__ = "monitoring_finding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), unique=True)
    rule_id: Mapped[str] = mapped_column(String(40), index=True)
    severity: Mapped[str] = mapped_column(String(10))  # high | medium | low
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    value: Mapped[str | None] = mapped_column(String(40))  # the indicator's value, as a decimal string
    evidence_json: Mapped[str] = mapped_column(Text)  # JSON: the facts the rule read
    restricted_json: Mapped[str | None] = mapped_column(Text)  # hashed identifiers: the supervisor only
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # handling by the supervisory department: None (待处理) | confirmed (确认) | dismissed (排除)
    decision: Mapped[str | None] = mapped_column(String(20), index=True)
    decision_note: Mapped[str | None] = mapped_column(Text)  # the action taken, or the reason for dismissal
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_ledger_seq: Mapped[int | None] = mapped_column(Integer)


class DocumentMark(Base):
    # 投标文件特征码 the author and machine metadata read from one document of an opened bid
    __tablename__ = "monitoring_document_mark"
    __table_args__ = (UniqueConstraint("bid_id", "document_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    document_sha256: Mapped[str] = mapped_column(String(64))
    document_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))  # pdf | docx | xlsx | other
    author: Mapped[str | None] = mapped_column(String(200))
    last_modified_by: Mapped[str | None] = mapped_column(String(200))
    producer: Mapped[str | None] = mapped_column(String(200))  # the application that made the file
    mark: Mapped[str | None] = mapped_column(String(64), index=True)  # SHA-256 of the identifying metadata
    read_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Recording(Base):
    # 音视频记录 a recording of the opening, evaluation or draw room, linked to its session
    __tablename__ = "monitoring_recording"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    room: Mapped[str] = mapped_column(String(20))  # opening | evaluation | draw
    session_ref: Mapped[str] = mapped_column(String(80))  # e.g. opening:3, evaluation:5, draw:CQ2026…
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registered_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class RecordingRequest(Base):
    # 调取申请 a request to retrieve a recording, approved by the department the rules name; each retrieval logged
    __tablename__ = "monitoring_recording_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("monitoring_recording.id", ondelete="CASCADE"), index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending | approved | refused
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    retrievals: Mapped[int] = mapped_column(Integer, default=0)
    last_retrieved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PageView(Base):
    # 门户访问统计 views of one page (its path template, never the address or the visitor) on one day
    __tablename__ = "monitoring_page_view"
    __table_args__ = (UniqueConstraint("day", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    path: Mapped[str] = mapped_column(String(200))
    section: Mapped[str] = mapped_column(String(40), index=True)
    views: Mapped[int] = mapped_column(Integer, default=0)


# statistics group projects by the month they were registered in (GROUP BY over a year of a province's data)
Index("ix_project_registered_at", Project.registered_at)


class Watermark(Base):
    # 巡查进度 how far the tick's evaluation has read (one row per kind of run): the next run evaluates only the
    # projects with something new since then
    __tablename__ = "monitoring_watermark"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)  # tick
    evaluated_until: Mapped[datetime] = mapped_column(UTCDateTime)  # when the last evaluation started
    projects: Mapped[int] = mapped_column(Integer, default=0)  # projects it evaluated


class SectionFact(Base):
    # 标段监察事实 what the red flags read of one section (bids, reviews, winner, classification), as JSON, kept by
    # the tick for the projects with something new since its watermark: the population rules' fences are computed
    # over these rows instead of reading every project of the horizon again
    __tablename__ = "monitoring_section_fact"

    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # the project's, for the horizon
    facts_json: Mapped[str] = mapped_column(Text)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime)


# the tick's incremental evaluation reads the steps and bids since its watermark
Index("ix_project_transition_at", Transition.at)
Index("ix_bid_submitted_at", Bid.submitted_at)
# the statistics page's GROUP BYs read these columns only: index-only scans instead of the wide project rows. On
# SQLite the index also holds the Beijing month (``statistics.month_of``, the same expression), so the grouping by
# type, method, region and month streams through the index without computing a date per row or sorting
Index(
    "ix_project_statistics",
    Project.transaction_type,
    Project.method,
    Project.region_code,
    Project.registered_at,
    Project.state,
    Project.failed_attempts,
    Project.budget,
    Project.public_since,
).ddl_if(dialect="postgresql")
Index(
    "ix_project_statistics_month",
    Project.transaction_type,
    Project.method,
    Project.region_code,
    func.strftime(literal_column("'%Y-%m'"), Project.registered_at, literal_column("'+8 hours'")),
    Project.registered_at,
    Project.state,
    Project.failed_attempts,
    Project.budget,
    Project.public_since,
).ddl_if(dialect="sqlite")
# the signed contracts' days from the first notice, grouped by type, read without touching the project rows
Index("ix_project_type_noticed", Project.transaction_type, Project.public_since).ddl_if(dialect="sqlite")
Index(
    "ix_award_contract_statistics",
    AwardContract.project_id,
    AwardContract.winner_signed_at,
    AwardContract.tenderer_signed_at,
    AwardContract.amount,
    AwardContract.section_id,
)
