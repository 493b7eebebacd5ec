"""Pydantic shapes of the identity API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from sunshine.core.inputs import Id
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


class RoleOut(BaseModel):
    role: Role
    label: str


class OrganisationBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    credit_code: str
    kind: OrganisationKind
    region_code: str


class OrganisationIn(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    credit_code: str = Field(min_length=18, max_length=18, description="统一社会信用代码")
    kind: OrganisationKind
    region_code: str = Field(pattern=r"^\d{6}$", description="行政区划代码")
    contact_phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=300)


class MeOut(BaseModel):
    id: int
    username: str
    display_name: str
    roles: list[RoleOut]
    organisation: OrganisationBrief | None
    authenticated_at: datetime | None = Field(default=None, description="本令牌最近一次输入密码的时间")
    confirmed_until: datetime | None = Field(
        default=None, description="在此时间前可直接进行递交、撤回、解密投标文件等须确认身份的操作；之后须重新获取令牌"
    )
    server_time: datetime | None = Field(default=None, description="服务器时间")


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    display_name: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=10, max_length=200)
    roles: list[Role] = Field(min_length=1)
    organisation_id: Id | None = None


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    is_active: bool
    roles: list[Role]
    organisation_id: int | None


class RolesIn(BaseModel):
    roles: list[Role]


class ActiveIn(BaseModel):
    active: bool
