"""API shapes of tender documents: templates and their clauses, a project's documents with their steps and the
department's orders, the reviewers' opinions, the holders' acknowledgements of changes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id, IsoDateTime


class ClauseIn(BaseModel):
    key: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=200)
    mandatory: bool = True


class TemplateIn(BaseModel):
    transaction_type: str = Field(max_length=30)
    name: str = Field(min_length=1, max_length=200)
    clauses: list[ClauseIn] = Field(min_length=1, max_length=60)


class ClauseOut(BaseModel):
    key: str
    title: str
    mandatory: bool


class TemplateOut(BaseModel):
    id: int
    transaction_type: str
    transaction_type_label: str
    name: str
    clauses: list[ClauseOut]


class DraftIn(BaseModel):
    template_id: Id
    clauses: dict[str, str] = Field(max_length=60)


class ClauseChangeIn(BaseModel):
    clause: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=4000)


class OpinionIn(BaseModel):
    conclusion: str = Field(max_length=20)  # no_changes 无修改意见 | changes 需修改
    changes: list[ClauseChangeIn] = Field(default=[], max_length=60)
    remarks: str = Field(default="", max_length=4000)


class OrderIn(BaseModel):
    reason: str = Field(min_length=1, max_length=4000)


class ChangeIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    body_html: str = Field(min_length=1, max_length=200000)
    new_bid_deadline: IsoDateTime | None = None


class OrderOut(BaseModel):
    id: int
    reason: str
    after_publication: bool
    ordered_at: datetime
    answered_at: datetime | None
    answered_version: int | None
    notice_id: int | None


class DocumentOut(BaseModel):
    project_id: int
    required: bool
    review_required: bool
    reviewers_seated: int
    missing: list[str]
    id: int | None = None
    template_id: int | None = None
    version: int | None = None
    status: str | None = None
    status_label: str | None = None
    sha256: str | None = None
    clauses: dict[str, str] = {}
    confirmed_at: datetime | None = None
    reviewed_version: int | None = None
    filed_at: datetime | None = None
    orders: list[OrderOut] = []


class ChangeNoticeOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    title: str
    published_at: datetime


class ReceiptOut(BaseModel):
    organisation_id: int
    organisation_name: str
    acknowledged_at: datetime | None


class ChangeStatusOut(BaseModel):
    notice: ChangeNoticeOut
    acknowledged: list[ReceiptOut]
    pending: list[ReceiptOut]


class MyChangeOut(BaseModel):
    notice: ChangeNoticeOut
    project_id: int
    project_name: str
    acknowledged_at: datetime | None


class OpinionOut(BaseModel):
    version: int
    position: int
    leaf: str
    name: str | None  # only where committees' rule shows it
    conclusion: str
    conclusion_label: str
    changes: list[dict]
    remarks: str | None
    submitted_at: datetime
    sha256: str


class ReviewClauseOut(BaseModel):
    key: str
    title: str
    text: str


class ReviewDocumentOut(BaseModel):
    project_id: int
    project_name: str
    version: int | None
    status_label: str | None
    sha256: str | None
    clauses: list[ReviewClauseOut]
    may_submit: bool
    mine: OpinionOut | None
