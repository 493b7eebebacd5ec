"""API shapes of expert draw requests and committees: what the agency or tenderer asks for, the supervisor's
decision, and the request as read back — seats as positions and hashes, names only after the results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id, IsoDateTime
from sunshine.core.inputs import count as bounded

SpecialtyCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")]


class SpecialtyIn(BaseModel):
    code: SpecialtyCode = Field(description="专家专业分类代码")
    count: Annotated[int, bounded(1, 50)] = Field(description="该专业抽取人数")


class AppointeeIn(BaseModel):
    expert_id: Id = Field(description="直接确定的专家编号")
    specialty: SpecialtyCode = Field(description="该专家在委员会中的专业")


class RequestIn(BaseModel):
    section_id: Id = Field(description="标段编号")
    purpose: str = Field(
        "evaluation",
        max_length=30,
        description="用途：evaluation 组建评标委员会、doc_review 招标文件审查、method_opinion 变更采购方式专家意见",
    )
    kind: str = Field(
        "draw", max_length=20, description="draw 随机抽取；appointment 直接确定专家（须说明理由并经核准）"
    )
    specialties: list[SpecialtyIn] = Field(default_factory=list, max_length=20, description="各专业及人数（随机抽取）")
    appointees: list[AppointeeIn] = Field(default_factory=list, max_length=50, description="直接确定的专家")
    reserve: Annotated[int, bounded(0, 20)] = Field(0, description="每个专业的备选专家人数")
    representatives: Annotated[int, bounded(0, 20)] = Field(0, description="招标人（采购人）代表人数")
    meeting_at: IsoDateTime = Field(description="评标（评审）时间；不带时区的按北京时间")
    place_kind: str = Field("room", max_length=10, description="room 本中心评标室；remote 异地评标")
    place: str = Field(max_length=200, description="评标室名称，或异地评标的主场交易中心名称")
    reason: str | None = Field(None, max_length=2000, description="直接确定专家的理由")


class StartIn(BaseModel):
    scheduled_at: IsoDateTime | None = Field(None, description="预定抽取时间；缺省为立即")
    supervisor_user_id: Id | None = Field(
        None, description="无须核准的申请：到场监督并提交随机数的行政监督部门人员的用户编号"
    )


class ReturnIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="退回理由")


class SpecialtyOut(BaseModel):
    code: str
    label: str
    count: int


class SeatOut(BaseModel):
    position: int
    specialty: str
    reserve: bool
    leaf: str | None = Field(description="候选人的承诺哈希（抽取记录中可核对）")
    state: str
    state_label: str
    name: str | None = Field(None, description="专家姓名：结果公告后方公开")


class RequestOut(BaseModel):
    id: int
    project_id: int
    project_code: str
    section_id: int
    kind: str
    kind_label: str
    purpose: str
    purpose_label: str
    state: str
    state_label: str
    specialties: list[SpecialtyOut]
    experts: int
    reserve: int
    representatives: int
    committee_size: int
    meeting_at: datetime
    place_kind: str
    place_kind_label: str
    place: str
    reason: str | None
    return_reason: str | None
    requested_at: datetime
    decided_at: datetime | None
    draw_code: str | None
    draw_url: str | None
    room_url: str | None
    drawn_at: datetime | None
    disclosed_at: datetime | None
    seats: list[SeatOut]


class RequestsOut(BaseModel):
    project_id: int
    approval_required: bool
    draw_after_bid_deadline: bool
    doc_review_required: bool
    requests: list[RequestOut]
