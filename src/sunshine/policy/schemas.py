"""Pydantic shapes of the policy API: policy documents, interpretations and public concerns. The public
shapes of a concern carry no personal data (no name, no contact, not the question as submitted)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from sunshine.core.inputs import IsoDate


class PolicyIn(BaseModel):
    title: str = Field(min_length=2, max_length=300, description="文件名称")
    issuing_body: str = Field(min_length=2, max_length=200, description="制定机关")
    doc_number: str | None = Field(default=None, max_length=100, description="文号，如 财政部令第87号")
    level: str = Field(description="效力级别：law、regulation、rule、local_rule、normative")
    issued_on: IsoDate = Field(description="公布日期")
    effective_on: IsoDate | None = Field(default=None, description="施行日期")
    region_code: str | None = Field(default=None, pattern=r"^[0-9]{6}$", description="地方文件的行政区划代码")
    body_html: str = Field(min_length=1, max_length=500_000, description="全文（HTML，发布前清洗）")
    source_url: str | None = Field(default=None, max_length=500, description="原文链接（http/https）")


class InterpretationIn(BaseModel):
    title: str = Field(min_length=2, max_length=300)
    form: str = Field(default="text", description="解读形式：text、qa、graphic、briefing")
    interpreter: str = Field(min_length=2, max_length=200, description="解读机关或解读人")
    body_html: str = Field(min_length=1, max_length=200_000)


class ConcernIn(BaseModel):
    topic: str = Field(default="other", description="类别：trading、policy、service、disclosure、other")
    question: str = Field(min_length=5, max_length=3000, description="问题（纯文本）")
    asker_name: str | None = Field(default=None, max_length=100, description="称呼（可不填；不公开）")
    contact: str | None = Field(default=None, max_length=200, description="联系方式（可不填；不公开）")
    policy_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="所涉政策文件")


class AnswerIn(BaseModel):
    answer_html: str = Field(min_length=1, max_length=50_000, description="答复内容")
    public_question: str | None = Field(
        default=None, max_length=3000, description="公开时显示的问题（已删去个人信息）；缺省为原问题"
    )
    publish: bool = Field(default=True, description="答复同时公开")


class InterpretationOut(BaseModel):
    id: int
    policy_id: int
    title: str
    form: str
    form_label: str
    interpreter: str
    body_html: str
    published_at: datetime
    ledger_seq: int
    url: str
    policy_url: str


class InterpretationSummary(BaseModel):
    id: int
    title: str
    form_label: str
    interpreter: str
    published_at: datetime
    url: str


class PolicyOut(BaseModel):
    id: int
    title: str
    issuing_body: str
    doc_number: str | None
    level: str
    level_label: str
    issued_on: date
    effective_on: date | None
    region_code: str | None
    source_url: str | None
    attachment_name: str | None
    attachment_sha256: str | None
    published_at: datetime
    ledger_seq: int
    url: str
    interpretations: list[InterpretationSummary]


class PolicyDetail(PolicyOut):
    body_html: str


class PolicyList(BaseModel):
    items: list[PolicyOut]
    next_cursor: str | None  # the cursor of the next page; None on the last
    total: int  # at most 1000: total_exact is False when there are more
    total_exact: bool


class ConcernReceipt(BaseModel):
    id: int
    reference: str
    status: str
    reply_due: date | None
    message: str


class ConcernOut(BaseModel):
    """A published concern: the question as published and the answer; nothing about the asker."""

    id: int
    reference: str
    topic: str
    topic_label: str
    question: str
    answer_html: str
    submitted_at: datetime
    answered_at: datetime
    published_at: datetime
    policy_id: int | None
    ledger_seq: int
    url: str


class ConcernStaffOut(BaseModel):
    id: int
    reference: str
    topic: str
    status: str
    question: str
    asker_name: str | None
    contact: str | None
    submitted_at: datetime
    reply_due: date | None
    answered_at: datetime | None
    published_at: datetime | None


class ConcernList(BaseModel):
    items: list[ConcernOut]
    next_cursor: str | None  # the cursor of the next page; None on the last
    total: int  # at most 1000: total_exact is False when there are more
    total_exact: bool
