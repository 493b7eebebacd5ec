"""API shapes of the evaluation: the section's declaration, the session as a member or the staff see it, the
review, question, scoring and signing inputs, the report."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id, IsoDateTime


class CriterionIn(BaseModel):
    code: str = Field(max_length=40, description="评分因素代码")
    title: str = Field(max_length=100, description="评分因素名称")
    kind: str = Field(max_length=20, description="price 价格（平台计算）；technical 技术；commercial 商务")
    max_score: Decimal = Field(ge=0, le=100, description="分值上限")
    min_score: Decimal = Field(Decimal(0), ge=0, le=100, description="分值下限")


class DeclarationIn(BaseModel):
    method: str = Field(max_length=40, description="评标办法代码（平台评标办法目录）")
    criteria: list[CriterionIn] = Field(default_factory=list, max_length=50)
    price_weight: Decimal | None = Field(None, ge=0, le=1, description="价格权重（0.30 即 30%）")
    sme_deduction: Decimal = Field(Decimal(0), ge=0, le=1, description="小微企业价格扣除比例（0.10 即 10%）")
    candidates: int = Field(3, ge=1, le=10, description="推荐的中标候选人数量")
    tie_break: str | None = Field(None, max_length=40, description="法律未规定时招标文件约定的并列处理规则")
    category: str | None = Field(None, max_length=20, description="采购标的类别：goods 货物、services 服务、works 工程")
    price_fixed: bool = Field(False, description="执行统一价格标准，价格不列为评分因素")
    evaluated_with: Id | None = Field(None, description="合并评审：与本项目哪一标段（包）由同一评标委员会一并评审")


class DeclarationOut(BaseModel):
    section_id: int
    method: str
    method_title: str
    criteria: list[dict[str, Any]]
    price_weight: Decimal | None
    sme_deduction: Decimal
    candidates: int
    tie_break: str | None
    category: str | None
    price_fixed: bool
    evaluated_with: int | None = None
    set_at: datetime


class StartSessionIn(BaseModel):
    representatives: list[Id] = Field(default_factory=list, max_length=20, description="招标人（采购人）代表的用户编号")


class ConflictItemIn(BaseModel):
    bid_id: Id = Field(description="参评投标编号（本会议内）")
    conflict: bool
    reason: str | None = Field(None, max_length=40, description="存在利害关系时的关系类型代码")


class ConflictsIn(BaseModel):
    declarations: list[ConflictItemIn] = Field(max_length=200)
    note: str = Field("", max_length=500)


class DeclaredOut(BaseModel):
    member_id: int
    recused: bool = Field(description="声明存在利害关系，已回避（此后不能再查看本次评审）")
    message: str


class VoteIn(BaseModel):
    candidate: Id = Field(description="推选为组长的成员编号")


class ReviewIn(BaseModel):
    stage: str = Field(max_length=20, description="qualification 资格审查；compliance 符合性审查")
    passed: bool
    reason: str | None = Field(None, max_length=40, description="否决（无效）投标的法定情形代码")
    facts: str = Field("", max_length=2000, description="事实和依据")
    sme: bool | None = Field(None, description="符合性审查时核实的小微企业身份")


class QueryIn(BaseModel):
    bid_id: Id
    kind: str = Field(max_length=20, description="clarification 澄清；low_price 异常低价说明")
    question: str = Field(max_length=2000)
    due_at: IsoDateTime = Field(description="答复截止时间")


class JudgementIn(BaseModel):
    accepted: bool
    facts: str = Field(max_length=2000, description="认定的事实和理由")


class ReasonIn(BaseModel):
    reason: str = Field(max_length=2000)


class AnswerIn(BaseModel):
    answer: str = Field(max_length=5000)


class ScoresIn(BaseModel):
    scores: dict[str, dict[str, Decimal]] = Field(description="参评投标编号 → 评分因素代码 → 分数")


class SignIn(BaseModel):
    agree: bool = Field(description="同意；不同意的须书面说明理由")
    dissent: str = Field("", max_length=2000)


class MemberOut(BaseModel):
    id: int
    name: str | None = Field(description="成员姓名：仅评标委员会成员和组织评审的交易中心工作人员可见")
    kind: str
    kind_label: str
    state: str
    chair: bool
    declared: bool
    scores_submitted: bool
    signed: bool
    me: bool
    at_opening: str | None = Field(default=None, description="曾参加开标会的情形（评委不参加开标会）")
    site: str | None = Field(default=None, description="异地评标的交易中心及评标室；空：主场")
    site_centre_id: int | None = Field(default=None, description="异地评标所在交易中心（机构编号）")
    site_signed_in_at: datetime | None = Field(default=None, description="所在交易中心为其签到的时间")


class BidOut(BaseModel):
    id: int
    bidder: str
    price: Decimal
    sme: bool
    qualification: str | None
    compliance: str | None
    rejected_reason: str | None
    rejected_reason_label: str | None
    rejected_facts: str | None


class QueryOut(BaseModel):
    id: int
    bid_id: int
    bidder: str | None = None
    project_name: str | None = None
    kind: str
    kind_label: str
    question: str
    due_at: datetime
    answer: str | None
    answered_at: datetime | None
    verdict: str | None


class SessionOut(BaseModel):
    id: int
    project_id: int
    project_name: str
    section_id: int
    state: str
    state_label: str
    round: int = 1  # 重新评审: the round under way
    method: str
    method_title: str
    chair_id: int | None
    members: list[MemberOut]
    bids: list[BidOut]
    queries: list[QueryOut]
    joint: list[dict[str, Any]] = Field(default_factory=list, description="合并评审的各标段（包）及其评标会议")
    bidders: list[dict[str, Any]] = Field(
        default_factory=list, description="回避声明的投标人（合并评审时跨标段各一次）"
    )
    criteria: list[dict[str, Any]]
    scores: dict[str, dict[str, dict[str, Decimal]]] = Field(description="成员 → 投标 → 因素 → 分数（提交前仅见本人）")
    outcome: dict[str, Any] | None
    failure_reason: str | None
    report_sha256: str | None
    report_ledger_seq: int | None
    delivered_at: datetime | None
    received_at: datetime | None
    sealed_at: datetime | None = None
    seal_sha256: str | None = None


class ReportOut(BaseModel):
    session_id: int
    state: str
    report_sha256: str | None
    report_ledger_seq: int | None
    content: dict[str, Any]
    signatures: list[dict[str, Any]]
    delivered_at: datetime | None
    received_at: datetime | None


class ConductIn(BaseModel):
    kind: str = Field(max_length=20, description="late 迟到；absent 缺席；improper 评标行为不当")
    note: str = Field(max_length=1000, description="情况说明")


class ConductOut(BaseModel):
    id: int
    kind: str
    note: str
    recorded_at: datetime


class ObserverIn(BaseModel):
    user_id: Id
    capacity: Literal["supervisor", "witness", "observer"] = Field(description="行政监督部门、交易中心见证人员或观察员")


class RemarkIn(BaseModel):
    member_id: Id | None = Field(
        default=None, description="发言成员（交易中心记录人员记录时必填；成员记录本人发言时可省略）"
    )
    text: str = Field(min_length=2, max_length=3000, description="发言内容")


class SiteIn(BaseModel):
    site: str = Field(default="", max_length=200, description="异地评标的交易中心及评标室；留空为主场")
    centre_id: Id | None = Field(default=None, description="异地评标所在交易中心（机构编号），其工作人员为成员签到")


class CorrectionIn(BaseModel):
    bid_id: Id
    rule: Literal[
        "summary_prevails",
        "words_prevail",
        "decimal_slip",
        "unit_prices_prevail",
        "works_words_prevail",
        "works_unit_prices_prevail",
    ] = Field(description="修正情形：政府采购按第五十九条；工程招标按招标文件载明的规则（works_…）")
    corrected: Decimal = Field(gt=0, max_digits=18, decimal_places=2, description="修正后的报价（元）")
    facts: str = Field(min_length=4, max_length=2000)
    due_at: IsoDateTime = Field(description="投标人确认截止时间")


class CorrectionAnswerIn(BaseModel):
    confirm: bool = Field(description="确认修正后的报价；不确认的，投标无效")


class AdjustmentIn(BaseModel):
    bid_id: Id
    item: str = Field(min_length=2, max_length=200, description="折算的偏差项")
    amount: Decimal = Field(max_digits=18, decimal_places=2, description="折算金额（元，加价为正、减价为负）")
    facts: str = Field(min_length=4, max_length=2000)
