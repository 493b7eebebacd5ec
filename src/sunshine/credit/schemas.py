"""Pydantic shapes of credit: records and bans as the supervisory department enters them, and as they are
read back (full for the supervisory department; the public lookup leaves personal data and experts out);
reviews and ratings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id, IsoDate


class RecordIn(BaseModel):
    polarity: Literal["good", "bad"] | None = None
    kind: Literal["penalty", "handling", "conduct", "commendation"] = "conduct"
    subject_type: Literal["organisation", "expert", "person"]
    organisation_id: Id | None = None
    expert_id: Id | None = None
    person_name: str | None = Field(None, max_length=100)
    person_id_number: str | None = Field(None, max_length=40)
    transaction_type: str | None = Field(None, max_length=30)
    department: str | None = Field(None, max_length=200)
    decision_no: str | None = Field(None, max_length=100)
    behaviour: str = Field(min_length=2, max_length=2000)
    basis: str = Field(min_length=2, max_length=2000)
    source: str = Field(min_length=2, max_length=200)
    decided_on: IsoDate
    effective_from: IsoDate
    effective_until: IsoDate | None = None
    published: bool = False


class RecordOut(BaseModel):
    id: int
    polarity: str
    polarity_label: str
    kind: str
    kind_label: str
    subject_type: str
    organisation_id: int | None
    organisation_name: str | None
    expert_id: int | None
    person_name: str | None
    person_id_number: str | None
    transaction_type: str | None
    department: str | None
    decision_no: str | None
    behaviour: str
    basis: str
    source: str
    decided_on: date
    effective_from: date
    effective_until: date | None
    published: bool
    publish_until: date | None
    publication_ref: str | None
    taken_down_at: datetime | None
    revoked_at: datetime | None
    revocation_kind: str | None
    revocation_reason: str | None
    created_at: datetime
    ledger_seq: int


class RevokeIn(BaseModel):
    kind: Literal["revoked", "corrected", "repaired"]
    reason: str = Field(min_length=2, max_length=2000)


class BanIn(BaseModel):
    organisation_id: Id | None = None
    expert_id: Id | None = None
    region_code: str | None = Field(None, pattern=r"^\d{6}$", description="行政区划代码；不填为不限地区")
    transaction_type: str | None = Field(None, max_length=30, description="交易类型；不填为全部类型")
    starts_on: IsoDate
    ends_on: IsoDate | None = Field(None, description="禁止参与的最后一日；不填为解除前一直有效")
    basis: str = Field(min_length=2, max_length=2000)
    decision_no: str = Field(min_length=2, max_length=100)
    department: str | None = Field(None, max_length=200, description="作出决定的机关")
    record_id: Id | None = None


class LiftIn(BaseModel):
    reason: str = Field(min_length=2, max_length=2000)


class BanOut(BaseModel):
    """A ban as published (信用中国-style): the organisation, the scope, the period and the basis. A ban on an
    expert is shown by the pool's code only, and only to the supervisory department."""

    id: int
    organisation_id: int | None
    organisation_name: str | None
    credit_code: str | None
    expert_id: int | None = None
    scope: str
    region_code: str | None
    transaction_type: str | None
    starts_on: date
    ends_on: date | None
    basis: str
    decision_no: str
    department: str | None = None
    lifted_at: datetime | None = None
    lift_reason: str | None = None
    ledger_seq: int


class ReviewIn(BaseModel):
    project_id: Id
    subject_type: Literal["agency", "bidder", "expert"]
    subject_id: Id
    scores: dict[str, int] = Field(description="各评价项得分（0–100）")
    comment: str | None = Field(None, max_length=2000)


class ReviewOut(BaseModel):
    id: int
    project_id: int
    subject_type: str
    subject_id: int
    scores: dict[str, int]
    score: int
    comment: str
    created_at: datetime
    ledger_seq: int


class RatingLine(BaseModel):
    item: str
    name: str
    value: str
    points: str


class RatingOut(BaseModel):
    period: str
    subject_type: str
    subject_label: str
    subject_id: int
    name: str | None
    credit_code: str | None
    score: str
    grade: str
    grade_label: str
    method: str
    details: list[RatingLine]
    published: bool


class LookupRecord(BaseModel):
    kind_label: str
    polarity_label: str
    behaviour: str
    basis: str
    department: str | None
    decision_no: str | None
    decided_on: date
    publish_until: date | None


class LookupOut(BaseModel):
    """What the public may see of one organisation (信用信息公示): published records within their period, bans in
    force, the published ratings. Never personal data; experts are not looked up."""

    organisation_id: int
    name: str
    credit_code: str
    kind_label: str
    records: list[LookupRecord]
    bans: list[BanOut]
    ratings: list[RatingOut]
