"""Pydantic shapes of the procedure API: the catalogue, method change applications and direct awards."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id, IsoDateTime
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


# --------------------------------------------------------------------------- invitation tender after prequalification


class InvitationDrawIn(BaseModel):
    supervisor_user_id: Id = Field(description="参加抽取并提交随机数的监督部门人员")
    count: int | None = Field(
        default=None, ge=1, le=100, description="每个标段抽取的受邀供应商数（不少于规则包的最少数）"
    )


class InvitationSendIn(BaseModel):
    docs_issued_at: IsoDateTime | None = Field(default=None, description="招标文件发出（发售开始）时间，默认当前")
    docs_sale_end: IsoDateTime | None = Field(default=None, description="招标文件发售截止时间")
    bid_deadline: IsoDateTime = Field(description="投标截止时间")
    opening_at: IsoDateTime | None = Field(default=None, description="开标时间（与投标截止同一时间的，可不填）")
    note: str | None = Field(default=None, max_length=2000, description="投标邀请书的补充说明")


class InvitationOut(BaseModel):
    id: int
    project_id: int
    project_code: str
    project_name: str
    section_number: int
    section_name: str
    organisation_id: int
    organisation_name: str
    position: int = Field(description="在抽取顺序中的位次")
    sent_at: datetime | None
    read_at: datetime | None
    letter: str | None = Field(description="投标邀请书正文（发出后）")


class InvitationSectionOut(BaseModel):
    section_number: int
    section_name: str
    state: str | None
    state_label: str
    draw_code: str | None
    qualified_count: int | None
    invite_count: int | None
    failed_reason: str | None
    invitations: list[InvitationOut]


class InvitationRoundOut(BaseModel):
    project_id: int
    state: str
    state_label: str
    min_invitees: int
    failed_reason: str | None
    invited_at: datetime | None
    sections: list[InvitationSectionOut]


def invitation_out(inv, project, section, org_name: str) -> InvitationOut:  # noqa: ANN001
    return InvitationOut(
        id=inv.id,
        project_id=project.id,
        project_code=project.code,
        project_name=project.name,
        section_number=section.number,
        section_name=section.name,
        organisation_id=inv.organisation_id,
        organisation_name=org_name,
        position=inv.position,
        sent_at=inv.sent_at,
        read_at=inv.read_at,
        letter=inv.letter,
    )


def invitation_round_out(session, project, row, sections) -> InvitationRoundOut:  # noqa: ANN001
    from sunshine.procedure import invitations

    ids = [inv.organisation_id for _, _, invs in sections for inv in invs]
    names = invitations.organisation_names(session, ids)
    return InvitationRoundOut(
        project_id=project.id,
        state=row.state,
        state_label=invitations.ROUND_STATES[row.state],
        min_invitees=row.min_invitees,
        failed_reason=row.failed_reason,
        invited_at=row.invited_at,
        sections=[
            InvitationSectionOut(
                section_number=s.number,
                section_name=s.name,
                state=d.state if d else None,
                state_label=invitations.DRAW_STATES[d.state] if d else "尚未抽取",
                draw_code=d.draw_code if d else None,
                qualified_count=d.qualified_count if d else None,
                invite_count=d.invite_count if d else None,
                failed_reason=d.failed_reason if d else None,
                invitations=[invitation_out(i, project, s, names.get(i.organisation_id, "")) for i in invs],
            )
            for s, d, invs in sections
        ],
    )
