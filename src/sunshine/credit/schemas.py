"""Pydantic shapes of credit: records and bans as the supervisory department enters them, and as they are
read back (full for the supervisory department; the public publication leaves personal data out)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id, IsoDate


class RecordIn(BaseModel):
    polarity: Literal["good", "bad"]
    subject_type: Literal["organisation", "person"]
    organisation_id: Id | None = None
    person_name: str | None = Field(None, max_length=100)
    person_id_number: str | None = Field(None, max_length=40)
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
    subject_type: str
    organisation_id: int | None
    organisation_name: str | None
    person_name: str | None
    person_id_number: str | None
    behaviour: str
    basis: str
    source: str
    decided_on: date
    effective_from: date
    effective_until: date | None
    published: bool
    created_at: datetime
    ledger_seq: int


class BanIn(BaseModel):
    organisation_id: Id
    region_code: str | None = Field(None, pattern=r"^\d{6}$", description="行政区划代码；不填为不限地区")
    transaction_type: str | None = Field(None, max_length=30, description="交易类型；不填为全部类型")
    starts_on: IsoDate
    ends_on: IsoDate | None = Field(None, description="禁止参与的最后一日；不填为解除前一直有效")
    basis: str = Field(min_length=2, max_length=2000)
    decision_no: str = Field(min_length=2, max_length=100)
    record_id: Id | None = None


class BanOut(BaseModel):
    """A ban as published (信用中国-style): the organisation, the scope, the period and the basis."""

    id: int
    organisation_id: int
    organisation_name: str
    credit_code: str
    scope: str
    region_code: str | None
    transaction_type: str | None
    starts_on: date
    ends_on: date | None
    basis: str
    decision_no: str
    ledger_seq: int
