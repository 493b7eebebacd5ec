"""Tables of contract performance (履约): the securities a contract names (履约担保, 支付担保) and their return,
the payment schedule (milestones and the payments against them), changes (合同变更), acceptances (履约验收) with
their members' signatures, and the written report of the tender to the supervisory department (招标投标情况书面报告)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime

Money = Numeric(18, 2)


class PerformanceSecurity(Base):
    # 履约担保 / 支付担保 of one contract: money through the payment channel, or a guarantee (保函) as a file
    __tablename__ = "performance_security"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("award_contract.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # performance 履约担保 | payment 支付担保
    form: Mapped[str] = mapped_column(String(20))  # money 保证金 | guarantee 保函
    provider_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))  # who gives it
    holder_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))  # who holds it until release
    required: Mapped[Decimal] = mapped_column(Money)  # the amount the contract names
    amount: Mapped[Decimal | None] = mapped_column(Money)  # paid, or the guarantee's amount
    status: Mapped[str] = mapped_column(String(20))  # awaiting | submitted | received | released
    channel: Mapped[str | None] = mapped_column(String(40))
    channel_ref: Mapped[str | None] = mapped_column(String(80))  # the virtual sub-account (money)
    issuer: Mapped[str | None] = mapped_column(String(200))  # 保函: the bank, insurer or guarantor
    number: Mapped[str | None] = mapped_column(String(64))  # 保函编号
    valid_until: Mapped[date | None] = mapped_column(Date)
    file_sha256: Mapped[str | None] = mapped_column(String(64))  # the scanned guarantee in the file store
    file_name: Mapped[str | None] = mapped_column(String(200))
    evidence: Mapped[str | None] = mapped_column(Text)  # JSON: the channel's evidence of payment and refund
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_on: Mapped[date | None] = mapped_column(Date)  # 保函原件退还之日
    return_note: Mapped[str | None] = mapped_column(String(300))  # how the document went back (快递单号、签收人)


class Milestone(Base):
    # one milestone of the contract's payment schedule (付款计划)
    __tablename__ = "performance_milestone"
    __table_args__ = (UniqueConstraint("contract_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("award_contract.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    planned_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    evidence: Mapped[str | None] = mapped_column(Text)  # what was delivered, in the winner's words
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))  # an attached file in the file store
    evidence_name: Mapped[str | None] = mapped_column(String(200))
    pay_deadline_id: Mapped[int | None] = mapped_column(ForeignKey("tracked_deadline.id"))


class MilestonePayment(Base):
    # 支付记录: a payment of the tenderer against one milestone
    __tablename__ = "performance_payment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("performance_milestone.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("award_contract.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100))  # the bank's serial number of the payment
    recorded_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ContractChange(Base):
    # 合同变更: proposed with reasons by one party, agreed (or declined) by the other
    __tablename__ = "performance_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("award_contract.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # additional_purchase | non_substantive
    description: Mapped[str] = mapped_column(Text)
    reasons: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(Money)  # 追加采购金额
    planned_on: Mapped[date | None] = mapped_column(Date)  # 追加部分的计划完成日期
    status: Mapped[str] = mapped_column(String(20))  # proposed | agreed | declined
    proposed_side: Mapped[str] = mapped_column(String(20))  # tenderer | winner
    proposed_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    ledger_seq: Mapped[int | None] = mapped_column(Integer)


class Acceptance(Base):
    # 履约验收: organised by the tenderer/purchaser, its report (验收书) signed by every member on the platform
    __tablename__ = "performance_acceptance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("award_contract.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)  # 1, then 2… after a failed one
    organised_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    organised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(String(200))  # 验收方式
    accepted_on: Mapped[date | None] = mapped_column(Date)  # 验收时间
    result: Mapped[str | None] = mapped_column(String(20))  # passed 合格 | failed 不合格
    findings: Mapped[str | None] = mapped_column(Text)
    report: Mapped[str | None] = mapped_column(Text)  # 验收书 as signed, frozen when the result is recorded
    sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))  # organised | signing | passed | failed
    ledger_seq: Mapped[int | None] = mapped_column(Integer)


class AcceptanceMember(Base):
    # 验收小组成员, each signing the acceptance report on the platform (政府采购法 第四十一条)
    __tablename__ = "performance_acceptance_member"
    __table_args__ = (UniqueConstraint("acceptance_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    acceptance_id: Mapped[int] = mapped_column(ForeignKey("performance_acceptance.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    role: Mapped[str] = mapped_column(String(100))  # 组长、技术人员、使用单位代表、受邀供应商…
    signed_sha256: Mapped[str | None] = mapped_column(String(64))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TenderReport(Base):
    # 招标投标情况书面报告 to the supervisory department (招标投标法 第四十七条)
    __tablename__ = "performance_tender_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), unique=True)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("tracked_deadline.id"))
    determined_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late: Mapped[bool | None] = mapped_column()
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ledger_seq: Mapped[int | None] = mapped_column(Integer)
