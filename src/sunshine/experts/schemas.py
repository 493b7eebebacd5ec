"""Pydantic shapes of the expert pool's API. Codes are checked by the services (a clear 422 in Chinese). Personal
fields (date of birth, mobile, e-mail, ID number) are filled only for readers allowed to see them (the expert,
the staff who handle the pool); otherwise they are null."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from sunshine.core.inputs import IsoDate, Year
from sunshine.core.inputs import count as bounded
from sunshine.experts.admission import Facts


class FactsIn(BaseModel):
    name: str = Field(max_length=30, description="姓名")
    title: str = Field(max_length=50, description="职称名称，如 高级工程师")
    title_level: str = Field(
        max_length=20, description="职称等级：senior_full 正高级、senior 副高级、middle 中级、junior 初级、none 无职称"
    )
    practice_since: Year = Field(description="从事相关领域工作的起始年份")
    education: str = Field("", max_length=20, description="学历：doctor、master、bachelor、college、other")
    regions: list[str] = Field(max_length=5, description="可参加评标的地区（6位行政区划代码）")
    specialties: list[str] = Field(max_length=5, description="评标专业编码，第一个为主专业")
    date_of_birth: IsoDate
    mobile: str = Field(max_length=20, description="手机号码（仅用于评标通知，不公开）")
    id_number: str = Field(max_length=18, description="居民身份证号码（不公开）")
    email: str = Field("", max_length=100)
    statement: str = Field("", max_length=3000, description="个人简历与评标经历")

    def facts(self) -> Facts:
        return Facts(**self.model_dump(include=set(FactsIn.model_fields)))


class SelfApplicationIn(FactsIn):
    employer_credit_code: str = Field(max_length=18, description="工作单位的统一社会信用代码")
    username: str = Field("", max_length=64, description="未登录时：新账号的用户名")
    password: str = Field("", max_length=200, description="未登录时：新账号的密码（至少10个字符）")


class EmployerApplicationIn(FactsIn):
    username: str = Field(max_length=64, description="为专家开设的账号用户名")
    password: str = Field(max_length=200, description="初始密码（交专家本人，登录后修改）")


class ReviewIn(BaseModel):
    decision: str = Field(max_length=10, description="pass 通过（报交易管理委员会办公室审批）/ refuse 不予通过")
    note: str = Field("", max_length=1000, description="审核意见；不予通过时必填理由")
    equivalence: str = Field("", max_length=1000, description="职称不符但认定具有同等专业水平的理由")


class DecisionIn(BaseModel):
    decision: str = Field(max_length=10, description="approve 批准入库 / refuse 不予通过")
    note: str = Field("", max_length=1000)


class CheckOut(BaseModel):
    rule: str
    title: str
    required: str
    actual: str
    passed: bool
    basis: str


class ApplicationOut(BaseModel):
    id: int
    code: str
    state: str
    state_label: str
    channel_label: str
    name: str
    employer: str
    title: str
    title_level_label: str
    practice_since: int
    specialties: list[str]
    specialty_labels: list[str]
    regions: list[str]
    submitted_at: datetime
    review_note: str | None
    decision_note: str | None
    checks: list[CheckOut]
    date_of_birth: date | None = None
    mobile: str | None = None
    id_number: str | None = None
    email: str | None = None


class SpecialtyOut(BaseModel):
    code: str
    name: str
    is_main: bool


class ExpertBrief(BaseModel):
    id: int
    code: str
    name: str
    employer: str
    title: str
    title_level_label: str
    status: str
    status_label: str
    term_ends_on: date
    specialties: list[SpecialtyOut]
    is_demo: bool


class ExpertPage(BaseModel):
    items: list[ExpertBrief]
    next_cursor: str | None
    total: int | None
    total_exact: bool


class LeaveIn(BaseModel):
    starts_on: IsoDate
    ends_on: IsoDate
    reason: str = Field(max_length=300)


class LeaveOut(BaseModel):
    id: int
    starts_on: date
    ends_on: date
    reason: str
    cancelled: bool


class ConflictIn(BaseModel):
    credit_code: str = Field(max_length=18, description="回避单位的统一社会信用代码")
    relation: str = Field(max_length=20, description="former_employer、relative、interest、other")
    note: str = Field("", max_length=300)


class ConflictOut(BaseModel):
    id: int
    organisation_id: int
    organisation: str
    relation_label: str
    note: str
    withdrawn: bool


class SanctionIn(BaseModel):
    kind: str = Field(max_length=20, description="suspension 暂停评标 / ban 禁止评标")
    starts_on: IsoDate
    ends_on: IsoDate | None = None
    reason: str = Field(max_length=500)
    decision_no: str = Field("", max_length=100, description="处理决定文号（禁止评标必填）")


class SanctionOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    starts_on: date
    ends_on: date | None
    reason: str
    decision_no: str
    lifted: bool


class ReasonIn(BaseModel):
    reason: str = Field(max_length=500)


class TrainingIn(BaseModel):
    title: str = Field(max_length=200)
    organiser: str = Field(max_length=200)
    held_on: IsoDate
    hours: Annotated[int, bounded(1, 500)] = Field(description="学时")
    passed: bool = True
    certificate_no: str = Field("", max_length=60)


class TrainingOut(BaseModel):
    id: int
    title: str
    organiser: str
    held_on: date
    hours: int
    passed: bool
    certificate_no: str
    self_reported: bool


class EvaluationIn(BaseModel):
    period: str = Field(max_length=4, description="考核年度，如 2026")
    score: Annotated[int, bounded(0, 100)] = Field(description="考核得分 0–100")
    grade: str = Field(max_length=10, description="excellent 优秀、good 合格、basic 基本合格、poor 不合格")
    notes: str = Field("", max_length=1000)


class EvaluationOut(BaseModel):
    id: int
    period: str
    score: int
    grade: str
    grade_label: str
    notes: str
    published: bool


class PublishEvaluationsIn(BaseModel):
    period: str = Field(max_length=4)


class ContactIn(BaseModel):
    mobile: str = Field(max_length=20)
    email: str = Field("", max_length=100)


class ReappointIn(BaseModel):
    note: str = Field("", max_length=1000)


class ExpertOut(ExpertBrief):
    employer_organisation_id: int
    practice_since: int
    education_label: str
    regions: list[str]
    admitted_on: date
    term_starts_on: date
    removed_on: date | None
    removed_reason: str | None
    leaves: list[LeaveOut]
    conflicts: list[ConflictOut]
    sanctions: list[SanctionOut]
    trainings: list[TrainingOut]
    evaluations: list[EvaluationOut]
    date_of_birth: date | None = None
    mobile: str | None = None
    id_number: str | None = None
    email: str | None = None


class SpecialtyIn(BaseModel):
    parent_code: str = Field(max_length=20)
    name: str = Field(max_length=50)
    note: str = Field("", max_length=500)


class TreeNodeOut(BaseModel):
    code: str
    name: str
    parent: str | None
    source: str
    children: list[TreeNodeOut] = []


class SpecialtyCountOut(BaseModel):
    code: str
    name: str
    depth: int
    active: int
    total: int


class StatisticsOut(BaseModel):
    by_specialty: list[SpecialtyCountOut]
    by_status: dict[str, int]
    tree_version: str


class PublishedOut(BaseModel):
    publication_id: int
    kind: str
    title: str
    published_at: datetime | None
    withdrawn: bool
