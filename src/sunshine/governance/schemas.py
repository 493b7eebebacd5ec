"""Pydantic shapes of disclosure governance: what staff and the public send (consultations, comments, opinion
items, documents, catalogs, inspections) and what they read back. The public shapes leave out who commented
and how to reach them; staff shapes carry the codes with their Chinese labels."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id, IsoDate, Year


class ConsultationIn(BaseModel):
    title: str = Field(max_length=200)
    kind: str = Field(
        max_length=20,
        description="rule_pack 交易规则、service_standard 服务标准、normative 规范性文件、regulation 规章、other 其他",
    )
    draft_text: str = Field(max_length=100_000, description="征求意见稿")
    explanation: str = Field(max_length=20_000, description="起草说明")
    department_org_id: Id | None = None


class OpenIn(BaseModel):
    days: int = Field(ge=1, le=180, description="征求意见期限（日）")
    shortened_reason: str | None = Field(None, max_length=2000, description="期限短于规定时的理由（一并公布）")


class CommentIn(BaseModel):
    body: str = Field(max_length=5000)
    channel: str = Field("online", max_length=20)
    name: str | None = Field(None, max_length=100, description="姓名（不公开，仅用于答复）")
    contact: str | None = Field(None, max_length=100, description="联系方式（不公开，仅用于答复）")


class AnswerCommentIn(BaseModel):
    handling: str = Field(
        max_length=20, description="adopted 采纳、partly 部分采纳、not_adopted 未采纳、explained 已作说明"
    )
    answer: str = Field(max_length=5000)


class ProceedingIn(BaseModel):
    kind: str = Field(max_length=20, description="hearing 听证会、expert_review 专家论证")
    held_on: IsoDate
    place: str = Field(max_length=200)
    participants: str = Field(max_length=2000)
    conclusion: str = Field(max_length=5000)


class AdoptIn(BaseModel):
    adopted_text: str = Field(max_length=100_000)
    summary: str = Field(max_length=20_000, description="意见采纳情况说明")


class CommentOut(BaseModel):
    id: int
    received_at: datetime
    channel_label: str
    text: str  # masked
    handling: str | None
    handling_label: str | None
    answer: str | None


class StaffCommentOut(CommentOut):
    name: str | None
    contact: str | None
    original: str


class ProceedingOut(BaseModel):
    kind_label: str
    held_on: date
    place: str
    participants: str
    conclusion: str


class ConsultationOut(BaseModel):
    id: int
    code: str
    title: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    draft_text: str
    explanation: str
    opens_on: date | None
    closes_on: date | None
    period_days: int | None
    minimum_days: int | None
    shortened_reason: str | None
    adopted_text: str | None
    adopted_on: date | None
    summary: str | None
    tally: dict[str, int]
    comments: list[CommentOut]
    proceedings: list[ProceedingOut]


class StaffConsultationOut(ConsultationOut):
    comments: list[StaffCommentOut]


class OpinionIn(BaseModel):
    source: str = Field(max_length=20, description="desk 服务台工单、opinion_box 意见箱、media 媒体监测、other 其他")
    ref: str | None = Field(None, max_length=100, description="来源记录编号")
    title: str = Field(max_length=200)
    content: str = Field(max_length=20_000)
    outlet: str | None = Field(None, max_length=200, description="出处（媒体、平台）")
    received_on: IsoDate | None = None


class AssessIn(BaseModel):
    risk: str = Field(max_length=10, description="low 低、medium 中、high 高")
    note: str = Field(max_length=5000)
    responsible_org_id: Id | None = None


class DiscussIn(BaseModel):
    held_on: IsoDate
    bodies: str = Field(max_length=1000)
    conclusion: str = Field(max_length=5000)


class OpinionAnswerIn(BaseModel):
    text: str = Field(max_length=10_000)
    public: bool = True


class EvaluateIn(BaseModel):
    effect: str = Field(max_length=20, description="resolved 已平息、eased 趋于缓和、persisting 仍在发酵")
    note: str = Field(max_length=5000)


class OpinionOut(BaseModel):
    id: int
    code: str
    title: str
    source_label: str
    received_on: date
    status: str
    status_label: str
    risk_label: str | None
    limit: str | None
    due: date | None
    answered_on: date | None
    answer: str | None
    late: bool | None
    delay_days: int | None
    effect_label: str | None


class StaffOpinionOut(OpinionOut):
    source: str
    source_ref: str | None
    content: str
    outlet: str | None
    risk_note: str | None
    rule_ref: str | None
    evaluation: str | None
    discussions: list[dict]


class DocumentIn(BaseModel):
    title: str = Field(max_length=200)
    body: str = Field(max_length=100_000)
    attribute: str = Field(max_length=20, description="proactive 主动公开、on_request 依申请公开、withheld 不予公开")
    reason: str = Field(max_length=20_000, description="公开属性的理由（不予公开、依申请公开的须写明依据）")
    item_code: str | None = Field(None, max_length=20, description="主动公开的公开事项编码，默认 ZX.JG.02")


class IssueIn(BaseModel):
    doc_number: str = Field(max_length=60)
    attribute: str = Field(max_length=20)
    note: str | None = Field(None, max_length=2000)


class DocumentOut(BaseModel):
    id: int
    title: str
    doc_number: str | None
    status_label: str
    attribute_label: str
    attribute_reason: str
    final_attribute_label: str | None
    review_note: str | None
    issued_on: date | None
    item_code: str | None
    publication_id: int | None
    obligation_id: int | None


class CatalogIn(BaseModel):
    name: str = Field(max_length=200)
    region_code: str = Field(max_length=12)
    scope: str = Field(max_length=10, description="标准目录的一级编码，如 ZX；ALL 为全部")


class EntryAdaptIn(BaseModel):
    disposition: str = Field(max_length=20, description="kept 保留、adapted 调整、removed 不适用")
    reason: str | None = Field(None, max_length=2000)
    name: str | None = Field(None, max_length=200)
    content: str | None = Field(None, max_length=5000)


class EntryAddIn(BaseModel):
    code: str = Field(max_length=30)
    name: str = Field(max_length=200)
    content: str = Field(max_length=5000)
    legal_basis: str = Field(max_length=2000)
    reason: str = Field(max_length=2000)


class ReviewIn(BaseModel):
    approve: bool
    note: str = Field(max_length=5000)


class EntryOut(BaseModel):
    id: int
    code: str
    base_code: str | None
    disposition_label: str
    name: str
    content: str
    reason: str | None
    claimed_by: str | None
    flagged: bool


class CatalogOut(BaseModel):
    id: int
    name: str
    region_code: str
    scope: str
    status: str
    status_label: str
    review_note: str | None
    entries: list[EntryOut]


class InspectionIn(BaseModel):
    method: str = Field(max_length=20, description="sampling 抽样检查、spot 抽点检查、fixed 定点检查")
    title: str = Field(max_length=200)
    scope: str = Field(max_length=5000)
    period_from: IsoDate
    period_to: IsoDate
    sample_size: int | None = Field(None, ge=1, le=200)
    publication_ids: list[Id] = Field(default_factory=list, max_length=200)
    item_code: str | None = Field(None, max_length=20)


class FindIn(BaseModel):
    aspect: str = Field(max_length=20, description="accuracy 准确性、completeness 完整性、timeliness 及时性")
    description: str = Field(max_length=5000)


class CorrectIn(BaseModel):
    correction: str = Field(max_length=5000)


class CloseIn(BaseModel):
    publish: bool = True


class FindingOut(BaseModel):
    id: int
    publication_id: int | None
    department: str | None
    aspect_label: str
    description: str
    found_on: date
    due: date
    status_label: str
    correction: str | None
    corrected_on: date | None
    late: bool | None
    delay_days: int | None


class InspectionOut(BaseModel):
    id: int
    code: str
    method_label: str
    inspector_label: str
    title: str
    scope: str
    sample_seed: str | None
    period_from: date
    period_to: date
    inspected_on: date
    status_label: str
    published: bool
    items: list[dict]
    findings: list[FindingOut]


class ScoreOut(BaseModel):
    department_org_id: int
    department: str
    year: int
    method_version: str
    timeliness_rate: float | None
    counted: int
    findings: dict
    score: float
    published_at: datetime | None


class YearIn(BaseModel):
    year: Year
