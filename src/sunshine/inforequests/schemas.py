"""Pydantic shapes of information requests: what the public form, the staff forms and the API accept,
and what the API returns (the applicant's view never carries another person's data)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sunshine.core.inputs import Id, IsoDate

Channel = Literal["in_person", "post", "online", "fax"]
ApplicantType = Literal["natural", "commercial", "research", "public_interest", "legal_services", "other_org"]
FormWanted = Literal["paper", "electronic"]
Delivery = Literal["post", "pickup", "email", "online"]
AnswerFormKey = Literal[
    "already_public",
    "disclosed",
    "partly_disclosed",
    "withheld",
    "not_exist",
    "not_held",
    "needs_creation",
    "unclear_after_correction",
    "petition",
    "repeat",
    "publication",
    "excessive",
    "confirm_existing",
    "fee_unpaid",
    "other",
]
ReasonKey = Literal[
    "state_secret",
    "law_prohibits",
    "three_safety",
    "third_party",
    "internal_affairs",
    "process_info",
    "enforcement_file",
    "administrative_query",
]
Note = Annotated[str, Field(max_length=2000)]
PHONE = re.compile(r"^[0-9+\-() ]{5,40}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RequestIn(_In):
    """A request as the applicant gives it (条例第二十九条: name, identity, contact, a description of the
    information, the form wanted). Staff entries add the channel and the dates that fix the receipt."""

    channel: Channel = "online"
    post_signed: bool | None = Field(None, description="邮寄：是否需签收（挂号信、快递为是；平常信函为否）")
    submitted_on: IsoDate | None = Field(None, description="提交或寄出之日（工作人员登记时填写）")
    received_on: IsoDate | None = Field(None, description="收到申请之日：签收或双方确认之日（工作人员登记时填写）")
    applicant_type: ApplicantType
    applicant_name: Annotated[str, Field(min_length=1, max_length=200)]
    id_number: Annotated[str, Field(max_length=40)] | None = None
    contact_phone: Annotated[str, Field(max_length=40)]
    email: Annotated[str, Field(max_length=200)] | None = None
    address: Annotated[str, Field(max_length=300)] | None = None
    description: Annotated[str, Field(min_length=5, max_length=5000)]
    form_wanted: FormWanted = "electronic"
    delivery: Delivery = "online"

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not PHONE.match(value):
            raise ValueError("请填写有效的电话号码，如 13800000000 或 0591-87654321")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not EMAIL.match(value):
            raise ValueError("电子邮箱格式不正确")
        return value or None


class LookupIn(_In):
    tracking: Annotated[str, Field(min_length=1, max_length=60)]
    code: Annotated[str, Field(min_length=1, max_length=20)]


class CorrectionIn(_In):
    day: IsoDate | None = None
    items: Annotated[str, Field(min_length=1, max_length=2000)]
    period_days: Annotated[int, Field(ge=1, le=60)] | None = None


class CorrectedIn(_In):
    day: IsoDate | None = None
    note: Note | None = None


class RouteIn(_In):
    day: IsoDate | None = None
    department_user_id: Id
    note: Note | None = None


class OpinionIn(_In):
    day: IsoDate | None = None
    opinion: Annotated[str, Field(min_length=1, max_length=4000)]
    suggested_form: AnswerFormKey | None = None


class ConsultationIn(_In):
    day: IsoDate | None = None
    party: Literal["third_party", "other_agency"] = "third_party"
    party_name: Annotated[str, Field(min_length=1, max_length=200)]
    matter: Note | None = None


class ConsultationEndIn(_In):
    day: IsoDate | None = None
    outcome: Literal["agrees", "objects", "no_opinion"] = "agrees"
    note: Note | None = None


class ExtendIn(_In):
    day: IsoDate | None = None
    days: Annotated[int, Field(ge=1, le=60)]
    approver: Annotated[str, Field(min_length=1, max_length=100)]
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


class DelayIn(_In):
    day: IsoDate | None = None
    days: Annotated[int, Field(ge=1, le=250)]
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


class AnswerIn(_In):
    day: IsoDate | None = None
    form: AnswerFormKey
    reason: ReasonKey | None = None
    location: Annotated[str, Field(max_length=1000)] | None = None
    holder: Annotated[str, Field(max_length=500)] | None = None
    detail: Annotated[str, Field(max_length=4000)] | None = None
    fee_method: Literal["none", "count", "pages"] = "none"
    pages: Annotated[int, Field(ge=0, le=100000)] | None = None


class CloseIn(_In):
    day: IsoDate | None = None
    note: Note | None = None


class ReviewIn(_In):
    kind: Literal["review", "lawsuit_direct", "lawsuit_after_review"]
    filed_on: IsoDate
    result: Literal["pending", "upheld", "corrected", "other"] = "pending"
    decided_on: IsoDate | None = None
    note: Note | None = None


class RegimeIn(_In):
    regime: Literal["disclosure.gip_2019", "disclosure.seed_legacy"]


# --------------------------------------------------------------------------- out


class ClockOut(BaseModel):
    status: str
    status_label: str
    base: date
    days: int
    extension: int
    due: date | None
    provisional: bool
    counted: int
    basis: str


class EventOut(BaseModel):
    step: str
    title: str
    from_state: str | None
    to_state: str
    day: date
    days: int
    ledger_seq: int


class ReceiptOut(BaseModel):
    id: int
    tracking_no: str
    short_code: str
    code: str = Field(description="查询码：只显示这一次，请妥善保存")
    received_on: date
    receipt_rule: str
    regime: str
    clock: ClockOut


class StatusOut(BaseModel):
    """What the applicant sees with the lookup code."""

    tracking_no: str
    short_code: str
    channel: str
    received_on: date
    state: str
    state_label: str
    clock: ClockOut
    answer_form: str | None
    answer_form_label: str | None
    answered_on: date | None
    fee_amount: Decimal | None
    events: list[EventOut]


class RequestOut(StatusOut):
    """The staff view: the applicant's data and the request's regime."""

    id: int
    applicant_type: str
    applicant_name: str
    contact_phone: str
    email: str | None
    address: str | None
    description: str
    pack_key: str
    pack_version: str
    department_user_id: int | None
    volume_flag: bool
    category: str | None
    next_steps: list[str]


class QueueItemOut(BaseModel):
    id: int
    tracking_no: str
    received_on: date
    state: str
    state_label: str
    due: date | None
    provisional: bool
    overdue: bool
    department_user_id: int | None


class StatsOut(BaseModel):
    months: list[str]
    received: list[int]
    answered: list[int]
    median_days: list[float | None]
    outcomes: dict[str, int]
    total_received: int
    total_answered: int
    median_days_overall: float | None
    on_time_rate: float | None


class ReportOut(BaseModel):
    year: int
    columns: list[str]
    rows: list[dict]
    check: dict
    reviews: dict
    proactive: dict
    fees: dict
