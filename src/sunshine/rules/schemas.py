"""Pydantic shapes of the rule pack API: the public reading of packs and the administrator's overrides."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from sunshine.rules.models import RuleOverride
from sunshine.rules.pack_format import LIFECYCLE_LABELS, METHOD_LABELS, TRANSACTION_TYPE_LABELS, RulePack
from sunshine.rules.service import ResolvedPack, ResolvedRule, basis_text, format_value, plain


class PackBrief(BaseModel):
    key: str
    name: str
    version: str
    effective_from: date
    lifecycle: str
    lifecycle_label: str
    transaction_type: str
    transaction_type_label: str
    method: str
    method_label: str
    in_force: bool = Field(description="今天是否已施行（尚未施行的规则包列出其最早版本）")

    @classmethod
    def of(cls, pack: RulePack, in_force: bool) -> PackBrief:
        return cls(
            key=pack.key,
            name=pack.name,
            version=pack.version,
            effective_from=pack.effective_from,
            lifecycle=pack.lifecycle,
            lifecycle_label=LIFECYCLE_LABELS[pack.lifecycle],
            transaction_type=pack.transaction_type,
            transaction_type_label=TRANSACTION_TYPE_LABELS[pack.transaction_type],
            method=pack.method,
            method_label=METHOD_LABELS[pack.method],
            in_force=in_force,
        )


class SourceOut(BaseModel):
    name: str
    number: str | None
    effective: date | None


class RuleOut(BaseModel):
    id: str
    title: str
    value: str = Field(description="适用值（有本地调整时为本地值），十进制字符串")
    unit: str
    unit_label: str
    bound: str
    bound_label: str
    display: str = Field(description="如“20 日”“5 个工作日”“2 %”“500,000 元”")
    statutory_value: str
    statutory_display: str
    overridden: bool
    override_reason: str | None
    basis_text: str
    basis: dict[str, Any]

    @classmethod
    def of(cls, rule: ResolvedRule) -> RuleOut:
        return cls(
            id=rule.id,
            title=rule.title,
            value=plain(rule.value),
            unit=rule.unit,
            unit_label=rule.unit_label,
            bound=rule.bound,
            bound_label=rule.bound_label,
            display=rule.display,
            statutory_value=plain(rule.statutory_value),
            statutory_display=rule.statutory_display,
            overridden=rule.overridden,
            override_reason=rule.override_reason,
            basis_text=rule.basis_text,
            basis=rule.basis,
        )


class OverrideOut(BaseModel):
    rule_id: str
    value: str
    reason: str
    set_by: int | None
    set_at: datetime
    cleared_by: int | None
    cleared_at: datetime | None

    @classmethod
    def of(cls, row: RuleOverride) -> OverrideOut:
        return cls(
            rule_id=row.rule_id,
            value=plain(Decimal(row.value)),
            reason=row.reason,
            set_by=row.set_by,
            set_at=row.set_at,
            cleared_by=row.cleared_by,
            cleared_at=row.cleared_at,
        )


class PackOut(PackBrief):
    on: date = Field(description="按该日施行的版本解析")
    description: str | None
    sources: list[SourceOut]
    rules: list[RuleOut]
    overrides: list[OverrideOut] = Field(description="本地调整记录（含已撤销的），最新在前")

    @classmethod
    def build(cls, pack: RulePack, resolved: ResolvedPack, history: list[RuleOverride]) -> PackOut:
        brief = PackBrief.of(pack, in_force=True).model_dump()
        return cls(
            **brief,
            on=resolved.resolved_on,
            description=pack.description,
            sources=[SourceOut(name=s.name, number=s.number, effective=s.effective) for s in pack.sources],
            rules=[RuleOut.of(r) for r in resolved.rules],
            overrides=[OverrideOut.of(h) for h in history],
        )


class StatutoryRuleOut(BaseModel):
    id: str
    title: str
    value: str
    unit: str
    bound: str
    display: str
    basis_text: str
    basis: dict[str, Any]


class VersionOut(BaseModel):
    version: str
    effective_from: date
    name: str
    in_force_today: bool
    description: str | None
    sources: list[SourceOut]
    rules: list[StatutoryRuleOut]

    @classmethod
    def of(cls, pack: RulePack, in_force_today: bool) -> VersionOut:
        rules = []
        for rule in pack.rules:
            basis = rule.basis.model_dump(exclude_none=True)
            rules.append(
                StatutoryRuleOut(
                    id=rule.id,
                    title=rule.title,
                    value=plain(rule.value),
                    unit=rule.unit,
                    bound=rule.bound,
                    display=format_value(rule.value, rule.unit),
                    basis_text=basis_text(basis),
                    basis=basis,
                )
            )
        return cls(
            version=pack.version,
            effective_from=pack.effective_from,
            name=pack.name,
            in_force_today=in_force_today,
            description=pack.description,
            sources=[SourceOut(name=s.name, number=s.number, effective=s.effective) for s in pack.sources],
            rules=rules,
        )


class OverrideIn(BaseModel):
    value: Decimal = Field(
        description="本地值，只能严于法定值（“不少于”只能调高，“不超过”只能调低）",
        allow_inf_nan=False,
        max_digits=18,
        decimal_places=4,
    )
    reason: str = Field(min_length=2, max_length=500, description="调整理由，如本地规章或集体决策的文号")
