"""Pydantic shapes of platform incidents: what the centre declares and ends, what the supervisory department
confirms, and the incident as read back (the public read leaves out who, by name, did what)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id, IsoDateTime


class IncidentIn(BaseModel):
    kind: str = Field(
        max_length=20,
        description="故障类别：system 系统故障、network 网络中断、ca CA/电子签章故障、power 电力中断、other 其他",
    )
    description: str = Field(max_length=2000, description="故障情况（将向社会公告）")
    started_at: IsoDateTime = Field(description="故障开始时间；不带时区的按北京时间")
    scope: str = Field(
        "platform", max_length=20, description="影响范围：platform 全平台、types 指定交易类型、projects 指定项目"
    )
    transaction_types: list[str] = Field(default_factory=list, max_length=20)
    project_ids: list[Id] = Field(default_factory=list, max_length=500)


class ConfirmIn(BaseModel):
    note: str | None = Field(None, max_length=2000, description="监督部门核实意见")


class EndIn(BaseModel):
    ended_at: IsoDateTime = Field(description="故障排除、平台恢复的时间；不带时区的按北京时间")
    note: str = Field(max_length=2000, description="处置情况（原因、采取的措施；将向社会公告）")


class MovedDate(BaseModel):
    label: str
    before: datetime
    after: datetime


class AffectedOut(BaseModel):
    project_id: int
    project_code: str
    project_name: str
    state_before: str  # the Chinese label of the state it was suspended in
    outcome: str  # Chinese: 暂停中 / 已恢复 / 已另行处理
    days_added: int | None
    moved: list[MovedDate]
    suspended_seq: int | None
    resumed_seq: int | None


class NoticeOut(BaseModel):
    publication_id: int
    title: str
    published_at: datetime | None


class IncidentOut(BaseModel):
    id: int
    code: str
    kind: str
    kind_label: str
    description: str
    scope: str
    scope_label: str
    status: str
    status_label: str
    started_at: datetime
    ended_at: datetime | None
    declared_at: datetime
    confirmed_at: datetime | None
    confirm_note: str | None
    ended_recorded_at: datetime | None
    end_note: str | None
    declared_seq: int
    confirmed_seq: int | None
    ended_seq: int | None
    projects: list[AffectedOut]
    notices: list[NoticeOut]
    declared_by: str | None = None  # staff only
    confirmed_by: str | None = None  # staff only
    ended_by: str | None = None  # staff only
