"""Pydantic shapes of the procedure API: the catalogue, method change applications and direct awards."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id
from sunshine.procedure import direct_award, method_change
from sunshine.procedure.catalogue import Entry
from sunshine.procedure.models import DirectAward, MethodChange
from sunshine.trading.labels import method_label, type_label


class EntryOut(BaseModel):
    code: str = Field(description="交易目录编码")
    title: str
    transaction_type: str
    transaction_type_label: str
    funding: str = Field(description="state 国有资金；any 不限")
    threshold: Decimal = Field(description="金额门槛（元，含本数）")
    mandatory: bool = Field(description="应进必进")
    methods: list[str]
    method_labels: list[str]
    basis: str


def entry_out(entry: Entry) -> EntryOut:
    return EntryOut(
        code=entry.code,
        title=entry.title,
        transaction_type=entry.transaction_type,
        transaction_type_label=type_label(entry.transaction_type),
        funding=entry.funding,
        threshold=entry.threshold,
        mandatory=entry.mandatory,
        methods=list(entry.methods),
        method_labels=[method_label(m) for m in entry.methods],
        basis=entry.basis,
    )


class CatalogueOut(BaseModel):
    version: str
    basis: str
    entries: list[EntryOut]


class MethodChangeIn(BaseModel):
    method: str = Field(description="申请变更后的采购方式，如 competitive_negotiation")
    draw_request_id: Id | None = Field(
        default=None, description="本项目“变更采购方式专家意见”的专家抽取申请（已抽取；政府采购项目必填）"
    )
    expert_opinion: str = Field(min_length=10, max_length=5000, description="两名以上抽取专家对招标文件的书面意见")
    agency_statement: str = Field(
        min_length=10, max_length=5000, description="代理机构关于招标公告时间及程序符合规定的书面意见"
    )
    request_text: str = Field(min_length=10, max_length=5000, description="采购人申请变更采购方式的书面意见")


class DecisionIn(BaseModel):
    approve: bool
    decision: str = Field(min_length=2, max_length=2000, description="批准文号及意见，或不予批准的理由")


class MethodChangeOut(BaseModel):
    id: int
    project_id: int
    project_code: str
    from_method_label: str
    method: str
    method_label: str
    state: str
    state_label: str
    draw_request_id: int | None
    expert_opinion: str
    agency_statement: str
    request_text: str
    materials: list[dict]
    applied_at: datetime
    decided_at: datetime | None
    decision: str | None


def method_change_out(row: MethodChange, project) -> MethodChangeOut:
    return MethodChangeOut(
        id=row.id,
        project_id=row.project_id,
        project_code=project.code,
        from_method_label=method_label(project.method),
        method=row.method,
        method_label=method_label(row.method),
        state=row.state,
        state_label=method_change.STATES[row.state],
        draw_request_id=row.draw_request_id,
        expert_opinion=row.expert_opinion,
        agency_statement=row.agency_statement,
        request_text=row.request_text,
        materials=json.loads(row.materials),
        applied_at=row.applied_at,
        decided_at=row.decided_at,
        decision=row.decision,
    )


class DirectAwardIn(BaseModel):
    name: str = Field(min_length=4, max_length=300)
    tenderer_id: Id = Field(description="招标人")
    budget: Decimal = Field(gt=0, max_digits=16, decimal_places=2, description="估算价（元）")
    funding_source: str = Field(min_length=2, max_length=200)
    region_code: str = Field(pattern=r"^\d{6}$")
    reason: str = Field(description="不招标的法定情形：" + "、".join(direct_award.REASONS))
    explanation: str = Field(min_length=10, max_length=5000, description="情况说明")
    contractor: str = Field(min_length=2, max_length=300, description="拟直接发包的承包人")


class DirectAwardOut(BaseModel):
    id: int
    name: str
    tenderer_id: int
    budget: Decimal
    funding_source: str
    catalogue_code: str
    reason: str
    reason_label: str
    reason_basis: str
    explanation: str
    contractor: str
    state: str
    state_label: str
    applied_at: datetime
    decided_at: datetime | None
    decision: str | None


def direct_award_out(row: DirectAward) -> DirectAwardOut:
    label, basis = direct_award.REASONS.get(row.reason, (row.reason, ""))
    return DirectAwardOut(
        id=row.id,
        name=row.name,
        tenderer_id=row.tenderer_id,
        budget=row.budget,
        funding_source=row.funding_source,
        catalogue_code=row.catalogue_code,
        reason=row.reason,
        reason_label=label,
        reason_basis=basis,
        explanation=row.explanation,
        contractor=row.contractor,
        state=row.state,
        state_label=direct_award.STATES[row.state],
        applied_at=row.applied_at,
        decided_at=row.decided_at,
        decision=row.decision,
    )
