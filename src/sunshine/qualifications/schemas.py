"""Pydantic shapes of qualifications: the enterprise's records as written and read back, a section's structured
requirements, and the findings of an assessment. Codes are checked by the service (a clear 422 in Chinese)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id, IsoDate
from sunshine.core.inputs import count as bounded


class CertificateIn(BaseModel):
    kind: str = Field(
        max_length=40, description="资质类别代码，如 building 建筑工程施工总承包、municipal 市政公用工程施工总承包"
    )
    grade: str = Field(max_length=20, description="等级：特级、一级、二级、三级、综合、甲级、乙级、丙级")
    number: str = Field(max_length=60, description="证书编号")
    issuer: str = Field(max_length=200, description="发证机关")
    valid_from: IsoDate
    valid_until: IsoDate
    scope: str = Field("", max_length=2000, description="资质范围")


class PersonIn(BaseModel):
    name: str = Field(max_length=50, description="姓名")
    post: str = Field(max_length=30, description="岗位代码：project_manager 项目经理（注册建造师）等")
    registration_number: str = Field(max_length=40, description="注册编号")
    specialty: str = Field(max_length=30, description="注册专业代码，如 building 建筑工程")
    grade: str = Field(max_length=20, description="注册等级：一级、二级")
    registration_valid_until: IsoDate
    safety_number: str | None = Field(None, max_length=60, description="安全生产考核合格证（B证）编号")
    safety_valid_until: IsoDate | None = None


class PerformanceIn(BaseModel):
    project_name: str = Field(max_length=300)
    client: str = Field(max_length=200, description="建设单位（发包人）")
    specialty: str = Field(max_length=30, description="工程类别代码，如 building 建筑工程")
    amount: Decimal = Field(gt=0, le=Decimal("9999999999999999.99"), decimal_places=2, description="合同金额（元）")
    started_on: IsoDate
    ended_on: IsoDate | None = None
    accepted_on: IsoDate | None = Field(None, description="竣工验收日期；未验收的为在建")
    manager_id: Id | None = Field(None, description="项目经理（本单位人员的编号）；在建项目必填")


class RecordOut(BaseModel):
    kind: str
    kind_label: str
    id: int
    title: str
    detail: str
    valid_until: date | None
    status: str  # 有效 / 即将到期 / 过期 / 在建 / 已完工 / 已注销
    version: int
    file_sha256: str | None = None


class ChangeOut(BaseModel):
    version: int
    action: str
    at: str


class RequirementIn(BaseModel):
    kind: str = Field(max_length=20, description="certificate 资质、person 人员、performance 业绩")
    certificate_kind: str | None = Field(None, max_length=40)
    post: str | None = Field(None, max_length=30)
    specialty: str | None = Field(None, max_length=30)
    min_grade: str | None = Field(None, max_length=20)
    count: Annotated[int, bounded(1, 50)] | None = Field(None, description="业绩：类似项目个数")
    within_years: Annotated[int, bounded(1, 20)] | None = Field(None, description="业绩：近几年内")
    min_amount: Decimal | None = Field(None, ge=0, le=Decimal("9999999999999999.99"), decimal_places=2)


class RequirementOut(BaseModel):
    id: int
    kind: str
    label: str


class FindingOut(BaseModel):
    requirement: str
    met: bool
    records: list[str]
    valid_until: date | None
    note: str


class ConflictOut(BaseModel):
    kind: str
    kind_label: str
    registration_number: str  # masked
    bids: list[str]
    performance_id: int | None
