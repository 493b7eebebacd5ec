"""Pydantic shapes of the market register API. Public shapes carry no personal data."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from sunshine.core.inputs import IsoDate
from sunshine.identity.roles import Role


class FactsOut(BaseModel):
    name: str
    org_type: str
    org_type_label: str
    legal_representative: str
    address: str
    region_code: str
    contact_name: str
    contact_phone: str
    contact_email: str
    bank_name: str
    bank_account_name: str
    bank_account_number: str


class ApplicationOut(BaseModel):
    id: int
    organisation_id: int
    organisation_name: str
    credit_code: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    submissions: int
    submitted_at: datetime
    due: date | None
    overdue: bool
    decided_at: datetime | None
    reasons: str | None
    version: int | None
    facts: FactsOut
    changed: list[str] = Field(default_factory=list, description="变更申请所变更的事项（中文）")
    licence_sha256: str
    licence_filename: str


class ParticipantOut(BaseModel):
    organisation_id: int
    name: str
    credit_code: str
    kind_label: str
    status: str
    status_label: str
    version: int
    facts: FactsOut | None
    applications: list[ApplicationOut]


class DecisionIn(BaseModel):
    decision: str = Field(
        pattern=r"^(approve|return|reject)$", description="approve 通过、return 退回补正、reject 不通过"
    )
    reasons: str = Field(default="", max_length=2000, description="退回补正或不通过的理由")


class StaffOut(BaseModel):
    id: int
    name: str
    qualification: str
    qualification_label: str
    valid_until: date | None


class StaffIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    qualification: str = Field(min_length=1, max_length=30)
    certificate_number: str = Field(min_length=1, max_length=60)
    valid_until: IsoDate | None = None


class DirectoryEntry(BaseModel):
    id: int
    name: str
    credit_code: str
    region_code: str
    status_label: str
    staff: list[StaffOut] = Field(default_factory=list)


class DirectoryPage(BaseModel):
    items: list[DirectoryEntry]
    next_cursor: str | None


class OrgUserOut(BaseModel):
    id: int
    username: str
    display_name: str
    is_active: bool
    roles: list[Role]
    role_labels: list[str]


class OrgUserIn(BaseModel):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    display_name: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=10, max_length=200)
    roles: list[Role] = Field(min_length=1)


class OrgRolesIn(BaseModel):
    roles: list[Role] = Field(min_length=1)


class OrgActiveIn(BaseModel):
    active: bool


class EntrustmentOut(BaseModel):
    id: int
    project_id: int
    tenderer_id: int
    agency_id: int | None
    scope: str
    signed_on: date
    sha256: str
    filename: str
    recorded_at: datetime
