"""Tables of the evaluation (评标/评审): what a section's tender declared about its evaluation, the committee's
session per section, its members with their conflict declarations, votes, scores and signatures, the bids under
review with the statutory reason of each rejection, the questions put to bidders (澄清, 异常低价说明), and the
report whose hash goes to the ledger.

Confidential until the results (《招标投标法》第四十四条): every read goes through
``evaluation.visibility``. ``expert_id`` of a member is kept server-side like the committee's seats.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class EvaluationDeclaration(Base):
    # 评标办法声明 what the tender declared for a section: method, criteria with ranges, price weight, SME deduction
    __tablename__ = "evaluation_declaration"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), unique=True)
    method: Mapped[str] = mapped_column(String(40))  # the method's code in the registry
    criteria_json: Mapped[str] = mapped_column(Text, default="[]")  # [{code,title,kind,max_score,min_score}]
    price_weight: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    sme_deduction: Mapped[Decimal] = mapped_column(Numeric(6, 4), default=Decimal(0))
    candidates: Mapped[int] = mapped_column(Integer, default=3)
    tie_break: Mapped[str | None] = mapped_column(String(40))
    category: Mapped[str | None] = mapped_column(String(20))  # goods | services | works (87号令 第五十五条)
    price_fixed: Mapped[bool] = mapped_column(default=False)  # 执行统一价格标准: price not scored
    # 合并评审: the section (of the same project) this one is evaluated together with, by one committee in one
    # session; None: evaluated on its own, or the lead section of its group (the draw request is the lead's)
    evaluated_with: Mapped[int | None] = mapped_column(Integer)
    set_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EvaluationSession(Base):
    # 评标（评审）会议 one committee at work on one section
    __tablename__ = "evaluation_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), unique=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("committee_request.id"))
    state: Mapped[str] = mapped_column(String(20), index=True)  # forming review scoring signing finished failed
    chair_id: Mapped[int | None] = mapped_column(Integer)  # evaluation_member.id of the elected chair
    started_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome_json: Mapped[str | None] = mapped_column(Text)  # the method's outcome (ranking, ties, deviations)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    report_json: Mapped[str | None] = mapped_column(Text)  # the report members sign, canonical JSON
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    report_ledger_seq: Mapped[int | None] = mapped_column(Integer)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # report delivered to the tenderer/purchaser
    delivered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the purchaser confirmed the report
    deliver_deadline_id: Mapped[int | None] = mapped_column(Integer)  # tracked deadline (core.calendar)
    confirm_deadline_id: Mapped[int | None] = mapped_column(Integer)
    # 就地封存: the archive manifest (every document's SHA-256) sealed when the session ended; nothing changes after
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seal_json: Mapped[str | None] = mapped_column(Text)
    seal_sha256: Mapped[str | None] = mapped_column(String(64))
    seal_ledger_seq: Mapped[int | None] = mapped_column(Integer)
    # 重新评审: the round under way (1 the first evaluation); earlier rounds are kept in evaluation_round
    round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class EvaluationRound(Base):
    # 重新评审 a superseded round of a session: its signed report, outcome, scores and seal as they were, and why the
    # original committee evaluates again (《政府采购货物和服务招标投标管理办法》第六十四条; a complaint's decision)
    __tablename__ = "evaluation_round"
    __table_args__ = (UniqueConstraint("session_id", "round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_session.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)  # the superseded round's number
    report_json: Mapped[str | None] = mapped_column(Text)
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    report_ledger_seq: Mapped[int | None] = mapped_column(Integer)
    outcome_json: Mapped[str | None] = mapped_column(Text)
    scores_json: Mapped[str] = mapped_column(Text, default="[]")  # [{member, bid, criterion, score}]
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seal_sha256: Mapped[str | None] = mapped_column(String(64))
    seal_json: Mapped[str | None] = mapped_column(Text)
    seal_ledger_seq: Mapped[int | None] = mapped_column(Integer)
    # the reopening: why, on what ground, ordered by which case, when, by whom, its ledger entry
    ground: Mapped[str | None] = mapped_column(String(40))  # code of reevaluation.yaml grounds
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(100))  # e.g. complaint:ZT2026-0001
    superseded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    superseded_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    ledger_seq: Mapped[int] = mapped_column(Integer)
    # the round's qualification and compliance reviews as they were ([{bid, qualification, compliance, reason…}])
    reviews_json: Mapped[str | None] = mapped_column(Text)
    # started by the purchaser or its agency (87号令 第六十四条): a changed result is reported to the finance
    # department in writing — owed when the new report changes the candidates, recorded when made
    finance_report_owed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finance_report_text: Mapped[str | None] = mapped_column(Text)
    finance_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finance_reported_by: Mapped[int | None] = mapped_column(Integer)
    finance_report_ledger_seq: Mapped[int | None] = mapped_column(Integer)


class EvaluationMember(Base):
    # 评标委员会成员 one member of the session: a drawn expert who signed in, or a tenderer's representative
    __tablename__ = "evaluation_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_session.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # expert | representative
    call_id: Mapped[int | None] = mapped_column(ForeignKey("committee_call.id"))
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("expert.id"))  # server-side only
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20))  # active | recused
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # conflicts declared for every bidder
    conflict_note: Mapped[str | None] = mapped_column(Text)
    vote_for: Mapped[int | None] = mapped_column(Integer)  # member id voted for as chair
    scores_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signature: Mapped[str | None] = mapped_column(String(20))  # agree | dissent | deemed (refused without reason)
    dissent: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 评委不参加开标会: how this expert was recorded at the section's opening (唱标人, 确认开标记录 …), if at all
    at_opening: Mapped[str | None] = mapped_column(String(60))
    # 异地评标: the centre (and room) the member takes part from; None: the session's own place (the draw request's)
    site: Mapped[str | None] = mapped_column(String(200))
    # the remote centre (organisation of kind centre) named as the site: its own staff sign the member in there
    site_centre_id: Mapped[int | None] = mapped_column(Integer)
    site_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    site_signed_in_by: Mapped[int | None] = mapped_column(Integer)  # app_user.id of the remote centre's staff


class EvaluationConflict(Base):
    # 利害关系声明 a member's declaration for one bidder
    __tablename__ = "evaluation_conflict"
    __table_args__ = (UniqueConstraint("member_id", "bid_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("evaluation_member.id", ondelete="CASCADE"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("evaluation_bid.id", ondelete="CASCADE"))
    conflict: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(String(40))  # code of evaluation.codes.CONFLICTS
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EvaluationBid(Base):
    # 参评投标 a bid opened for the section, as the committee reviews it
    __tablename__ = "evaluation_bid"
    __table_args__ = (UniqueConstraint("session_id", "bid_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_session.id", ondelete="CASCADE"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    bidder: Mapped[str] = mapped_column(String(300))
    price: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    sme: Mapped[bool] = mapped_column(default=False)  # small or micro enterprise (declared in the bid)
    qualification: Mapped[str | None] = mapped_column(String(20))  # passed | rejected (资格审查)
    compliance: Mapped[str | None] = mapped_column(String(20))  # passed | rejected (符合性审查)
    rejected_reason: Mapped[str | None] = mapped_column(String(40))  # code of evaluation.codes
    rejected_facts: Mapped[str | None] = mapped_column(Text)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EvaluationQuery(Base):
    # 澄清 / 异常低价说明 a written question the committee puts to a bidder, with its deadline and the answer
    __tablename__ = "evaluation_query"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_session.id", ondelete="CASCADE"), index=True)
    eval_bid_id: Mapped[int] = mapped_column(ForeignKey("evaluation_bid.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # clarification | low_price
    question: Mapped[str] = mapped_column(Text)
    asked_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verdict: Mapped[str | None] = mapped_column(String(20))  # accepted | rejected (low price)


class EvaluationScore(Base):
    # 评分 one member's score of one bid on one criterion
    __tablename__ = "evaluation_score"
    __table_args__ = (UniqueConstraint("member_id", "eval_bid_id", "criterion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("evaluation_member.id", ondelete="CASCADE"), index=True)
    eval_bid_id: Mapped[int] = mapped_column(ForeignKey("evaluation_bid.id", ondelete="CASCADE"))
    criterion: Mapped[str] = mapped_column(String(40))
    score: Mapped[Decimal] = mapped_column(Numeric(8, 2))


class EvaluationRemark(Base):
    # 会议记录 one member's remark in the session, minuted as said and confirmed by that member only
    __tablename__ = "evaluation_remark"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_session.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("evaluation_member.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EvaluationCorrection(Base):
    # 报价修正 the committee's arithmetic correction of a quoted price (87号令 第五十九条), confirmed by the bidder
    __tablename__ = "evaluation_correction"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_session.id", ondelete="CASCADE"), index=True)
    eval_bid_id: Mapped[int] = mapped_column(ForeignKey("evaluation_bid.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(30))  # code of evaluation.pricing.RULE_LABELS
    original: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    corrected: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    facts: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(String(20))  # confirmed | declined | lapsed
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EvaluationAdjustment(Base):
    # 量化折算 one quantified adjustment of a bid's evaluated price (经评审的最低投标价法), in yuan, with its facts
    __tablename__ = "evaluation_adjustment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_session.id", ondelete="CASCADE"), index=True)
    eval_bid_id: Mapped[int] = mapped_column(ForeignKey("evaluation_bid.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    facts: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
