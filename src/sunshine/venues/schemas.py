"""API shapes of the centre's rooms and bookings: a room as the centre enters it and as anyone reads it, a
booking the centre makes, and the public schedule (room, time, project; nothing of the evaluation's committee)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id, IsoDateTime
from sunshine.core.inputs import count as bounded


class RoomIn(BaseModel):
    name: str = Field(max_length=60, description="场室名称，如 第一开标室")
    kind: str = Field(
        max_length=20, description="opening 开标室、evaluation 评标室、draw 抽取室、negotiation 谈判室、auction 拍卖厅"
    )
    location: str = Field(max_length=200, description="楼层与区域")
    capacity: Annotated[int, bounded(1, 2000)] = Field(description="座位数")
    observer_seats: Annotated[int, bounded(0, 2000)] = Field(0, description="旁听席位（评标室为 0）")
    equipment: str = Field("", max_length=500, description="设备，以顿号分隔")
    active: bool = Field(True, description="是否启用")


class RoomOut(BaseModel):
    id: int
    name: str
    kind: str
    kind_label: str
    zone_label: str
    isolated: bool
    location: str
    capacity: int
    observer_seats: int
    equipment: list[str]
    active: bool


class BookingIn(BaseModel):
    room_id: Id = Field(description="场室编号")
    purpose: str = Field(
        max_length=20, description="draw 专家抽取、negotiation 谈判、evaluation 评标、opening 开标、auction 拍卖、other"
    )
    title: str = Field(max_length=300, description="场次名称（在场地安排表公开）")
    starts_at: IsoDateTime = Field(description="开始时间")
    ends_at: IsoDateTime = Field(description="结束时间")
    project_id: Id | None = Field(None, description="所属项目（可选）")
    attendance: int | None = Field(None, ge=0, le=10000, description="预计参会人数（不得超过场室座位数）")
    observers: int | None = Field(None, ge=0, le=10000, description="预计旁听人数（不得超过旁听席位）")


class ReleaseIn(BaseModel):
    reason: str = Field(max_length=500, description="释放理由")


class BookingOut(BaseModel):
    id: int
    room_id: int
    room: str
    room_kind_label: str
    zone_label: str
    purpose: str
    purpose_label: str
    title: str
    project_code: str | None
    starts_at: datetime
    ends_at: datetime
    state: str
    state_label: str


class RulesOut(BaseModel):
    text: str = Field(description="按当前场室和规则包生成的场室管理制度")
    published_id: int | None = Field(description="已发布的场室管理制度（公开信息编号）")
    published_at: datetime | None
    pending_id: int | None = Field(description="在保密审查中的一稿")


class RulesSubmitted(BaseModel):
    publication_id: int
    status: str
