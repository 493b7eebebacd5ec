"""Tables of disclosure governance (政务公开监督管理): public consultations on drafts (征求意见) with their
comments and hearings, public-opinion items (舆情) with their discussions, the disclosure attribute of the
documents the centre drafts (公文公开属性), local catalogs derived from the standard catalog and claimed by
departments (目录编制与领取), inspections with their findings (检查与整改) and department scores (考核).

Personal data of commenters (name, contact) stays in ``gov_comment`` and is never published nor put in the
ledger; every public text is the masked one."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class GovConsultation(Base):
    # 征求意见 a draft decision or rule published for comment, then adopted with the handling summary
    __tablename__ = "gov_consultation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)  # ZQ2026-0001
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # rule_pack | service_standard | normative | regulation | other
    department_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    draft_text: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)  # 起草说明
    status: Mapped[str] = mapped_column(String(20), index=True)  # draft | open | closed | adopted
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    period_days: Mapped[int | None] = mapped_column(Integer)
    minimum_days: Mapped[int | None] = mapped_column(Integer)  # the rule's minimum when opened
    shortened_reason: Mapped[str | None] = mapped_column(Text)  # 缩短期限的说明
    summary: Mapped[str | None] = mapped_column(Text)  # 意见采纳情况说明
    adopted_text: Mapped[str | None] = mapped_column(Text)
    adopted_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_seq: Mapped[int | None] = mapped_column(Integer)
    adopted_seq: Mapped[int | None] = mapped_column(Integer)


class GovComment(Base):
    # 意见 one comment on a consultation; name and contact are kept for the answer only
    __tablename__ = "gov_comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("gov_consultation.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(20))  # online | letter | email | meeting
    commenter_name: Mapped[str | None] = mapped_column(String(100))  # never published
    commenter_contact: Mapped[str | None] = mapped_column(String(100))  # never published
    body: Mapped[str] = mapped_column(Text)  # as received (staff only)
    public_body: Mapped[str] = mapped_column(Text)  # masked: what the summary shows
    handling: Mapped[str | None] = mapped_column(String(20))  # adopted | partly | not_adopted | explained
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GovProceeding(Base):
    # 听证会、专家论证 a hearing or expert review held on a consultation
    __tablename__ = "gov_proceeding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("gov_consultation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # hearing | expert_review
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    participants: Mapped[str] = mapped_column(Text)  # who took part, by capacity (no personal data)
    conclusion: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GovOpinion(Base):
    # 舆情 an item of public opinion: registered, assessed, discussed, answered within its limit, evaluated
    __tablename__ = "gov_opinion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)  # YQ2026-0001
    source: Mapped[str] = mapped_column(String(20), index=True)  # desk | opinion_box | media | other
    source_ref: Mapped[str | None] = mapped_column(String(100))  # the work order / box item / article it came from
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)  # staff only until answered (the answer is what is published)
    outlet: Mapped[str | None] = mapped_column(String(200))  # where it appeared (media monitoring)
    received_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)  # registered | assessed | answered | evaluated
    risk: Mapped[str | None] = mapped_column(String(10))  # low | medium | high
    risk_note: Mapped[str | None] = mapped_column(Text)
    responsible_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    limit_days: Mapped[int | None] = mapped_column(Integer)
    limit_unit: Mapped[str | None] = mapped_column(String(10))  # working | calendar
    rule_ref: Mapped[str | None] = mapped_column(String(120))
    due: Mapped[date | None] = mapped_column(Date, index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answer_public: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_on: Mapped[date | None] = mapped_column(Date)
    late: Mapped[bool | None] = mapped_column(Boolean)
    delay_days: Mapped[int | None] = mapped_column(Integer)
    evaluation: Mapped[str | None] = mapped_column(Text)  # 回应效果评估
    effect: Mapped[str | None] = mapped_column(String(20))  # resolved | eased | persisting
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_seq: Mapped[int | None] = mapped_column(Integer)


class GovDiscussion(Base):
    # 会商研判 a discussion of an opinion item by the responsible bodies
    __tablename__ = "gov_discussion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("gov_opinion.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    bodies: Mapped[str] = mapped_column(Text)  # 参加会商的单位
    conclusion: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GovDocument(Base):
    # 公文 a document the centre drafts, with its disclosure attribute given at drafting and reviewed at issue
    __tablename__ = "gov_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_number: Mapped[str | None] = mapped_column(String(60))  # 文号, given at issue
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    department_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    attribute: Mapped[str] = mapped_column(String(20))  # proactive | on_request | withheld (as drafted)
    attribute_reason: Mapped[str] = mapped_column(Text)
    item_code: Mapped[str | None] = mapped_column(String(20))  # catalog item a proactive one goes under
    status: Mapped[str] = mapped_column(String(20), index=True)  # drafted | issued
    drafted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    final_attribute: Mapped[str | None] = mapped_column(String(20))  # after the review at issue
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    issued_on: Mapped[date | None] = mapped_column(Date)
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("disclosure_publication.id"))
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("disclosure_obligation.id"))
    issued_seq: Mapped[int | None] = mapped_column(Integer)


class GovCatalog(Base):
    # 本地公开事项目录 derived from the standard catalog, submitted and re-checked by the higher office
    __tablename__ = "gov_catalog"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(String(12))
    scope: Mapped[str] = mapped_column(String(20))  # the L1 code derived from, e.g. "ZX", or "ALL"
    status: Mapped[str] = mapped_column(String(20), index=True)  # draft | submitted | returned | approved
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str | None] = mapped_column(Text)
    approved_seq: Mapped[int | None] = mapped_column(Integer)


class GovCatalogEntry(Base):
    # 目录事项 one item of a local catalog: kept, adapted with a reason, or added; claimed by a department
    __tablename__ = "gov_catalog_entry"
    __table_args__ = (UniqueConstraint("catalog_id", "code", name="uq_gov_catalog_entry_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("gov_catalog.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    base_code: Mapped[str | None] = mapped_column(String(20))  # the standard item it derives from (None: added)
    disposition: Mapped[str] = mapped_column(String(20))  # kept | adapted | added | removed
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)  # why adapted, added or removed
    claimed_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GovInspection(Base):
    # 检查 a sampling, spot or fixed check of published items by the office or the third-party evaluator
    __tablename__ = "gov_inspection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)  # JC2026-0001
    method: Mapped[str] = mapped_column(String(20))  # sampling | spot | fixed
    inspector_role: Mapped[str] = mapped_column(String(30))  # disclosure_office | government_affairs | evaluator
    inspector_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text)  # what was inspected and how the sample was chosen
    sample_seed: Mapped[str | None] = mapped_column(String(64))  # sampling: the seed the sample is drawn from
    sample_size: Mapped[int | None] = mapped_column(Integer)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    inspected_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)  # open | closed
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int | None] = mapped_column(Integer)


class GovInspectedItem(Base):
    # 检查样本 a published item inspected (sampled, spotted or fixed) with its result on each aspect
    __tablename__ = "gov_inspected_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("gov_inspection.id"), index=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("disclosure_publication.id"), index=True)
    department_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    checked: Mapped[bool] = mapped_column(Boolean, default=False)


class GovFinding(Base):
    # 检查发现 a problem found on an inspected item, with a correction deadline, tracked to closure
    __tablename__ = "gov_finding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("gov_inspection.id"), index=True)
    inspected_item_id: Mapped[int | None] = mapped_column(ForeignKey("gov_inspected_item.id"))
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("disclosure_publication.id"))
    department_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    aspect: Mapped[str] = mapped_column(String(20))  # accuracy | completeness | timeliness
    description: Mapped[str] = mapped_column(Text)
    found_on: Mapped[date] = mapped_column(Date)
    limit_days: Mapped[int] = mapped_column(Integer)
    rule_ref: Mapped[str] = mapped_column(String(120))
    due: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # open | corrected
    correction: Mapped[str | None] = mapped_column(Text)
    corrected_on: Mapped[date | None] = mapped_column(Date)
    corrected_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    late: Mapped[bool | None] = mapped_column(Boolean)
    delay_days: Mapped[int | None] = mapped_column(Integer)


class GovScore(Base):
    # 考核结果 a department's score for a year by the method kept as data, published by the higher office
    __tablename__ = "gov_score"
    __table_args__ = (UniqueConstraint("year", "department_org_id", name="uq_gov_score_year_department"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    department_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    method_version: Mapped[str] = mapped_column(String(20))
    timeliness_rate: Mapped[float | None] = mapped_column(Float)
    counted: Mapped[int] = mapped_column(Integer)  # obligations counted by the dashboard
    findings: Mapped[str] = mapped_column(Text)  # JSON: counts by aspect, late corrections, open ones
    score: Mapped[float] = mapped_column(Float)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    ledger_seq: Mapped[int | None] = mapped_column(Integer)
