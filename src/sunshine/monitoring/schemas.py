"""The monitoring API's shapes: rules, alerts with their evidence and handling, the handling request, statistics
tables and recordings."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id, IsoDateTime


class RuleOut(BaseModel):
    id: str
    title: str
    basis: str
    certainty: str
    severity: str
    severity_label: str
    stage: str
    watches: str
    computable: bool
    params: dict[str, Any]


class AlertOut(BaseModel):
    id: int
    rule_id: str
    rule_title: str
    severity: str
    message: str
    project_id: int | None
    subject_kind: str
    subject_id: int
    value: str | None
    found_at: datetime
    evidence: dict[str, Any]
    restricted: dict[str, Any] | None = Field(None, description="哈希化的标识与地址：仅行政监督部门可见")
    decision: str | None
    decision_label: str | None
    decision_note: str | None
    decided_at: datetime | None
    decision_ledger_seq: int | None


class HandlingIn(BaseModel):
    decision: Literal["confirmed", "dismissed"] = Field(description="confirmed 确认 / dismissed 排除")
    note: str = Field(max_length=2000, description="确认时为采取的处理措施，排除时为理由")


class TableOut(BaseModel):
    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    totals: dict[str, Any]
    note: str


class RecordingRegisterIn(BaseModel):
    project_id: Id
    room: Literal["opening", "evaluation", "draw"]
    session_ref: str = Field("", max_length=80, description="评标会编号或抽取编号；开标会可不填")
    filename: str = Field(max_length=255)
    sha256: str = Field(min_length=64, max_length=64, description="录像系统已存入文件库的文件的 SHA-256")
    started_at: IsoDateTime | None = None
    ended_at: IsoDateTime | None = None


class RecordingOut(BaseModel):
    id: int
    project_id: int
    room: str
    session_ref: str
    filename: str
    content_type: str
    size: int
    sha256: str
    started_at: datetime | None
    ended_at: datetime | None
    registered_at: datetime
    ledger_seq: int
