"""Pydantic shapes of the disclosure API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sunshine.core.inputs import Id, IsoDate


class RevisionOut(BaseModel):
    effective_from: date
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    created_at: datetime
    applied_at: datetime | None
    ledger_seq: int


class ItemOut(BaseModel):
    code: str
    name: str = Field(description="事项名称")
    level1: str = Field(description="一级事项")
    level2: str = Field(description="二级事项")
    content: str = Field(description="公开内容（要素）")
    legal_basis: str = Field(description="公开依据")
    time_limit_ref: str = Field(description="规则包中的期限规则“规则包/规则”")
    time_limit: str = Field(description="公开时限（取自规则包）")
    time_limit_basis: str = Field(description="时限依据（取自规则包）")
    responsible_body: str = Field(description="公开主体")
    channels: dict[str, str] = Field(description="公开渠道和载体：required 必选 / optional 可选")
    audience: str = Field(description="public 全社会 / specific 特定群体")
    mode: str = Field(description="proactive 主动公开 / on_request 依申请公开")
    five_category: str = Field(description="五公开：decision/execution/management/service/result")
    levels: list[str] = Field(description="公开层级：province/city/county")
    trigger: str | None = Field(description="产生公开义务的环节或事件")
    methods: list[str] | None = None
    condition: str | None = None
    version: int
    effective_from: date
    url: str
    revisions: list[RevisionOut] | None = None


class ScopeOut(BaseModel):
    code: str
    name: str
    items: list[ItemOut]


class CategoryOut(BaseModel):
    code: str
    name: str
    transaction_type: str | None
    scopes: list[ScopeOut]


class ItemRevisionIn(BaseModel):
    """The elements to change (only those given change), the date they take effect and why."""

    model_config = ConfigDict(extra="forbid")

    effective_from: IsoDate
    reason: str = Field(min_length=2, max_length=500)
    name: str | None = Field(default=None, max_length=200)
    content: str | None = Field(default=None, max_length=4000)
    legal_basis: str | None = Field(default=None, max_length=4000)
    time_limit_ref: str | None = Field(default=None, max_length=120)
    responsible_body: str | None = Field(default=None, max_length=200)
    channels: dict[str, str] | None = None
    audience: str | None = None
    mode: str | None = None
    five_category: str | None = None
    levels: list[str] | None = None
    trigger: str | None = Field(default=None, max_length=80)
    methods: list[str] | None = None
    condition: str | None = None

    def changes(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.model_fields_set if k not in ("effective_from", "reason")}


class ObligationOut(BaseModel):
    id: int
    item_code: str
    item_name: str
    trigger: str
    subject: str
    title: str
    project_id: int | None
    responsible_org_id: int | None
    responsible: str
    event_date: date
    due: date
    provisional: bool
    rule_ref: str
    status: str
    status_label: str
    met_on: date | None
    late: bool | None
    delay_working_days: int | None
    ledger_seq: int


class ObligationIn(BaseModel):
    item_code: str = Field(max_length=20)
    title: str = Field(min_length=2, max_length=300)
    event_date: IsoDate = Field(description="信息形成或者变更之日")
    responsible_org_id: Id | None = None


class FindingOut(BaseModel):
    id: int
    detector: str
    label: str
    part: str
    masked: str
    status: str
    note: str | None


class PublicationOut(BaseModel):
    id: int
    item_code: str
    item_name: str
    subject: str
    title: str
    status: str
    status_label: str
    body: str | None = Field(description="正文；撤回后不再提供，仅保留撤回记录")
    body_format: str
    obligation_id: int | None
    source_ref: str | None
    review_mode: str | None
    published_at: datetime | None
    channels: list[str] | None
    body_sha256: str | None
    ledger_seq: int | None
    proof_url: str | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    held: bool = False
    findings: list[FindingOut] | None = Field(default=None, description="保密审查发现（仅审查人员可见）")


class PublicationListOut(BaseModel):
    items: list[PublicationOut]
    next_cursor: str | None  # the cursor of the next page; None on the last
    total: int  # at most 1000: total_exact is False when there are more
    total_exact: bool
    page: int
    pages: int | None


class PublicationIn(BaseModel):
    title: str = Field(min_length=2, max_length=300)
    body: str = Field(min_length=1, max_length=100_000)
    item_code: str | None = Field(default=None, max_length=20)
    obligation_id: Id | None = None
    submit: bool = Field(default=False, description="起草后立即送审")


class PublicationEditIn(BaseModel):
    title: str = Field(min_length=2, max_length=300)
    body: str = Field(min_length=1, max_length=100_000)


class RedactIn(BaseModel):
    finding_ids: list[Id] | None = Field(default=None, description="缺省时遮蔽全部未处理的发现")


class DismissIn(BaseModel):
    note: str = Field(min_length=2, max_length=500)


class ApproveIn(BaseModel):
    optional_channels: list[str] = Field(default_factory=list, description="另行发布的可选渠道")


class ReasonIn(BaseModel):
    reason: str = Field(min_length=2, max_length=1000)


class NegativeTermIn(BaseModel):
    term: str = Field(min_length=2, max_length=100)
    reason: str = Field(min_length=2, max_length=500)


class NegativeTermOut(BaseModel):
    id: int
    term: str
    reason: str
    added_at: datetime


class AlertOut(BaseModel):
    id: int
    kind: str
    obligation_id: int
    organisation_id: int | None
    message: str
    created_at: datetime
