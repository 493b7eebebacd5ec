"""Tables of information requests (依申请公开): the request with its frozen regime, its event history
(the source of its answer clock), reviews and lawsuits against answers, the centre's regime setting and the
editable parts of the annual report. The tick's alerts are in the shared table of ``sunshine.core.alerts``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class InfoRequest(Base):
    # 政府信息公开申请 a request for government information; personal data stays in this table only
    __tablename__ = "info_request"
    __table_args__ = (UniqueConstraint("year", "serial"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    tracking_no: Mapped[str] = mapped_column(String(40), unique=True)  # 依申〔2026〕第0012号
    short_code: Mapped[str] = mapped_column(String(16), unique=True)  # YS20260012K, typed at lookup
    code_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the applicant's lookup code
    channel: Mapped[str] = mapped_column(String(20))  # in_person | post | online | fax
    post_signed: Mapped[bool | None] = mapped_column(Boolean)  # 需签收的邮件 (False: 平常信函)
    submitted_on: Mapped[date] = mapped_column(Date)  # the day the applicant handed in or sent it
    received_on: Mapped[date] = mapped_column(Date, index=True)  # 收到申请之日 (条例第三十一条)
    applicant_type: Mapped[str] = mapped_column(String(20), index=True)  # annual-report column
    applicant_name: Mapped[str] = mapped_column(String(200))
    id_number: Mapped[str | None] = mapped_column(String(40))  # 身份证件号码 / 统一社会信用代码
    contact_phone: Mapped[str] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    applicant_key: Mapped[str] = mapped_column(String(64), index=True)  # hash: one applicant's requests
    description: Mapped[str] = mapped_column(Text)  # 所需政府信息的名称、文号或特征性描述
    form_wanted: Mapped[str] = mapped_column(String(20))  # paper | electronic
    delivery: Mapped[str] = mapped_column(String(20))  # post | pickup | email | online
    pack_key: Mapped[str] = mapped_column(String(80))  # the regime, kept from receipt on
    pack_version: Mapped[str] = mapped_column(String(40))
    rules_snapshot: Mapped[str] = mapped_column(Text)  # JSON: the resolved pack at receipt
    state: Mapped[str] = mapped_column(String(40), index=True)
    department_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    volume_flag: Mapped[bool] = mapped_column(Boolean, default=False)  # 条例第三十五条 prompt
    answer_form: Mapped[str | None] = mapped_column(String(30))
    category: Mapped[str | None] = mapped_column(String(40), index=True)  # annual-report leaf
    answer_detail: Mapped[str | None] = mapped_column(Text)  # JSON: location, reason, holder, detail
    answered_on: Mapped[date | None] = mapped_column(Date)
    concluded_on: Mapped[date | None] = mapped_column(Date, index=True)  # answered or treated as withdrawn
    fee_method: Mapped[str | None] = mapped_column(String(10))
    fee_units: Mapped[int | None] = mapped_column(Integer)
    fee_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # None: the public form
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RequestEvent(Base):
    # 办理记录 one step of a request, in order; its day drives the answer clock
    __tablename__ = "info_request_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date)  # the day the step took effect (e.g. correction received)
    days: Mapped[int] = mapped_column(Integer, default=0)  # working days granted (extension, delay, periods)
    data: Mapped[str | None] = mapped_column(Text)  # JSON details for staff and letters (never in the ledger)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    ledger_seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class RequestReview(Base):
    # 行政复议、行政诉讼 a review or lawsuit against the answer to a request (annual report table 四)
    __tablename__ = "info_request_review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # review | lawsuit_direct | lawsuit_after_review
    filed_on: Mapped[date] = mapped_column(Date, index=True)
    result: Mapped[str] = mapped_column(String(20))  # pending | upheld | corrected | other
    decided_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RequestSetting(Base):
    # 依申请公开设置 the centre's choices, e.g. which regime new requests follow
    __tablename__ = "info_request_setting"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    set_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AnnualReportDraft(Base):
    # 年度报告 the parts of a year's report written by the disclosure office (the figures are computed)
    __tablename__ = "annual_report_draft"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    overview: Mapped[str] = mapped_column(Text, default="")  # 一、总体情况
    problems: Mapped[str] = mapped_column(Text, default="")  # 五、存在的主要问题及改进情况
    other: Mapped[str] = mapped_column(Text, default="")  # 六、其他需要报告的事项
    proactive: Mapped[str] = mapped_column(Text, default="{}")  # JSON: figures of table 二 entered by hand
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
