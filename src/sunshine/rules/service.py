"""Rule values as they govern a project: the pack version in force on a date with the centre's stricter
local overrides applied, frozen into a snapshot at registration; the recorded, ledgered overrides; and the
deadline helpers every lifecycle step calls to compute or check a statutory period.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import InvalidInput, NotFound, RuleViolation
from sunshine.core.formatting import cn_day
from sunshine.core.workdays import DeadlineResult
from sunshine.ledger import service as ledger
from sunshine.rules.models import RuleOverride
from sunshine.rules.pack_format import BOUND_LABELS, DAY_UNITS, MAX_DAYS, UNIT_LABELS, LawBasis, Rule, RulePack
from sunshine.rules.registry import registry

SNAPSHOT_FORMAT = 1
MAX_REASON = 500


# --------------------------------------------------------------------------- presentation


def plain(value: Decimal) -> str:
    """``Decimal('20.0000')`` → ``'20'``, ``Decimal('66.67')`` → ``'66.67'`` (never an exponent)."""
    text = format(value.normalize(), "f")
    return text


def format_value(value: Decimal, unit: str) -> str:
    """A value with its unit as a Chinese reader expects: "20 日", "5 个工作日", "2 %", "500,000 元"."""
    number = format(value.normalize(), ",f") if unit == "yuan" else plain(value)
    label = UNIT_LABELS[unit]
    return f"{number} {label}" if label else number


#: the local documents the centre's rules quote, by the number of the file that holds their text
SEED_TITLES = {
    "000": "《公共资源交易开放日活动方案》",
    "001": "《公共资源交易政务公开工作规范》及平台服务管理细则",
    "002": "《义乌市政务公开标准化规范化试点工作公共资源交易领域实施方案》",
    "003": "《政府采购服务实施方案》",
    "004": "青川县公共资源交易服务公开标准化规范化试点（“1113”工作模式）",
}


def basis_text(basis: dict[str, Any]) -> str:
    """One line naming the basis: "《中华人民共和国招标投标法》第二十四条"."""
    if "law" in basis:
        return f"{basis['law']}{basis.get('article') or ''}"
    if "seed" in basis:
        title = SEED_TITLES.get(basis["seed"].split("_", 1)[0], "地方规范性文件")
        return f"{title}（{basis['section']}）"
    return "平台默认值（以地方规则为准）"


def _basis_dict(rule: Rule) -> dict[str, Any]:
    return rule.basis.model_dump(exclude_none=True)


_cn = cn_day


# --------------------------------------------------------------------------- resolved packs


@dataclass(frozen=True)
class ResolvedRule:
    id: str
    title: str
    value: Decimal
    unit: str
    bound: str
    basis_text: str
    statutory_value: Decimal
    override_reason: str | None = None
    basis: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def overridden(self) -> bool:
        return self.override_reason is not None

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]

    @property
    def bound_label(self) -> str:
        return BOUND_LABELS[self.bound]

    @property
    def display(self) -> str:
        return format_value(self.value, self.unit)

    @property
    def statutory_display(self) -> str:
        return format_value(self.statutory_value, self.unit)

    @property
    def is_period(self) -> bool:
        return self.unit in DAY_UNITS

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "value": plain(self.value),
            "unit": self.unit,
            "bound": self.bound,
            "basis_text": self.basis_text,
            "basis": self.basis,
            "statutory_value": plain(self.statutory_value),
            "override_reason": self.override_reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResolvedRule:
        return cls(
            id=data["id"],
            title=data["title"],
            value=Decimal(data["value"]),
            unit=data["unit"],
            bound=data["bound"],
            basis_text=data["basis_text"],
            statutory_value=Decimal(data["statutory_value"]),
            override_reason=data.get("override_reason"),
            basis=dict(data.get("basis") or {}),
        )


@dataclass(frozen=True)
class ResolvedPack:
    key: str
    version: str
    name: str
    lifecycle: str
    transaction_type: str
    method: str
    effective_from: date
    resolved_on: date
    rules: tuple[ResolvedRule, ...]

    def rule(self, rule_id: str) -> ResolvedRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise NotFound(f"规则包 {self.key}（{self.version} 版）没有规则 {rule_id}", field="rule_id")

    def has(self, rule_id: str) -> bool:
        return any(r.id == rule_id for r in self.rules)

    def snapshot(self) -> dict[str, Any]:
        """JSON-safe form (decimals as strings) that a project keeps from its registration on."""
        return {
            "format": SNAPSHOT_FORMAT,
            "key": self.key,
            "version": self.version,
            "name": self.name,
            "lifecycle": self.lifecycle,
            "transaction_type": self.transaction_type,
            "method": self.method,
            "effective_from": self.effective_from.isoformat(),
            "resolved_on": self.resolved_on.isoformat(),
            "rules": [r.as_dict() for r in self.rules],
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> ResolvedPack:
        if data.get("format") != SNAPSHOT_FORMAT:
            raise InvalidInput("规则快照的格式无法识别", field="rules_snapshot")
        return cls(
            key=data["key"],
            version=data["version"],
            name=data["name"],
            lifecycle=data["lifecycle"],
            transaction_type=data["transaction_type"],
            method=data["method"],
            effective_from=date.fromisoformat(data["effective_from"]),
            resolved_on=date.fromisoformat(data["resolved_on"]),
            rules=tuple(ResolvedRule.from_dict(r) for r in data["rules"]),
        )


def _is_stricter(bound: str, local: Decimal, statutory: Decimal) -> bool:
    return (bound == "min" and local > statutory) or (bound == "max" and local < statutory)


def _resolve_rule(rule: Rule, override: RuleOverride | None) -> ResolvedRule:
    value, reason = rule.value, None
    # An override that is no longer stricter (a later version raised the statutory value) gives way.
    if override is not None and _is_stricter(rule.bound, override.value, rule.value):
        value, reason = Decimal(override.value), override.reason
    basis = _basis_dict(rule)
    return ResolvedRule(
        id=rule.id,
        title=rule.title,
        value=value,
        unit=rule.unit,
        bound=rule.bound,
        basis_text=basis_text(basis),
        statutory_value=rule.value,
        override_reason=reason,
        basis=basis,
    )


def resolve_pack(pack: RulePack, overrides: dict[str, RuleOverride], on: date) -> ResolvedPack:
    return ResolvedPack(
        key=pack.key,
        version=pack.version,
        name=pack.name,
        lifecycle=pack.lifecycle,
        transaction_type=pack.transaction_type,
        method=pack.method,
        effective_from=pack.effective_from,
        resolved_on=on,
        rules=tuple(_resolve_rule(r, overrides.get(r.id)) for r in pack.rules),
    )


def resolve(session: Session, key: str, on: date) -> ResolvedPack:
    """The version of ``key`` in force on ``on``, with the centre's active overrides applied."""
    return resolve_pack(registry().in_force(key, on), active_overrides(session, key), on)


# --------------------------------------------------------------------------- overrides


class GovernedByRules(Protocol):
    """Anything registered under a rule pack keeps the resolved rules of its registration day (a project)."""

    rules_snapshot: str


def rules_of(subject: GovernedByRules) -> ResolvedPack:
    """The rule values that govern ``subject``: the snapshot taken when it was registered, so a later change of
    the pack or of a local override never changes the rules of a transaction under way."""
    return ResolvedPack.from_snapshot(json.loads(subject.rules_snapshot))


def active_overrides(session: Session, key: str) -> dict[str, RuleOverride]:
    rows = session.scalars(select(RuleOverride).where(RuleOverride.pack_key == key, RuleOverride.cleared_at.is_(None)))
    return {row.rule_id: row for row in rows}


def override_history(session: Session, key: str) -> list[RuleOverride]:
    """Every override of ``key`` ever set, newest first (cleared ones included)."""
    stmt = select(RuleOverride).where(RuleOverride.pack_key == key).order_by(RuleOverride.id.desc())
    return list(session.scalars(stmt))


def _reference_pack(key: str) -> RulePack:
    """The version an override is judged against: the one in force today, or the first one if none is yet (a local
    pack laid over its national one, so every rule its page shows can be made stricter)."""
    versions = registry().versions(key)
    today = clock.today_local()
    return registry().in_force(key, today if versions[0].effective_from <= today else versions[0].effective_from)


def _as_decimal(value: Decimal | int | str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput("请输入数值", field="value") from None
    if not number.is_finite():
        raise InvalidInput("请输入数值", field="value")
    return number


def _check_local_value(rule: Rule, value: Decimal) -> None:
    statutory = format_value(rule.value, rule.unit)
    if rule.bound == "exact":
        raise InvalidInput(f"「{rule.title}」为法定固定值（{statutory}），不可本地调整", field="value")
    if value < 0:
        raise InvalidInput("数值不能为负数", field="value")
    whole = value == value.to_integral_value()
    if rule.unit in DAY_UNITS and not whole:
        raise InvalidInput("期间应为整数日", field="value")
    if rule.unit == "count" and not whole:
        raise InvalidInput("数量应为整数", field="value")
    if rule.unit in ("seconds", "minutes") and not whole:
        raise InvalidInput("秒数、分钟数应为整数", field="value")
    if rule.unit in DAY_UNITS and value > MAX_DAYS:
        raise InvalidInput(f"期间不能超过 {MAX_DAYS} 日", field="value")
    if rule.unit == "percent" and value > 100:
        raise InvalidInput("百分比不能超过 100", field="value")
    if value >= Decimal("1e14") or -value.as_tuple().exponent > 4:
        raise InvalidInput("数值过大或小数位数超过 4 位", field="value")
    if not _is_stricter(rule.bound, value, rule.value):
        direction = "高于" if rule.bound == "min" else "低于"
        raise InvalidInput(
            f"本地调整只能严于法定值：「{rule.title}」法定{BOUND_LABELS[rule.bound]} {statutory}，"
            f"本地值应{direction}此值",
            field="value",
        )


def set_override(
    session: Session, *, actor: Principal, key: str, rule_id: str, value: Decimal | int | str, reason: str
) -> ResolvedRule:
    """Make one rule stricter locally, with a recorded reason; replaces an earlier override of that rule."""
    pack = _reference_pack(key)
    rule = pack.rule(rule_id)
    if rule is None:
        raise NotFound(f"规则包 {key} 没有规则 {rule_id}", field="rule_id")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写调整理由（如本地规章或集体决策的文号）", field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"调整理由最多 {MAX_REASON} 个字符", field="reason")
    number = _as_decimal(value)
    _check_local_value(rule, number)
    now = clock.now()
    previous = active_overrides(session, key).get(rule_id)
    if previous is not None:
        previous.cleared_at, previous.cleared_by = now, actor.user_id
        session.flush()  # the partial unique index admits one active row: retire the old one first
    row = RuleOverride(pack_key=key, rule_id=rule_id, value=number, reason=reason, set_by=actor.user_id, set_at=now)
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "rules:override:set",
        f"rule:{key}:{rule_id}",
        {
            "key": key,
            "rule": rule_id,
            "title": rule.title,
            "version": pack.version,
            "value": plain(number),
            "statutory": plain(rule.value),
            "unit": rule.unit,
            "bound": rule.bound,
            "replaces": plain(Decimal(previous.value)) if previous is not None else None,
            "reason": reason,
            "by": actor.user_id,
        },
    )
    return _resolve_rule(rule, row)


def clear_override(session: Session, *, actor: Principal, key: str, rule_id: str) -> ResolvedRule:
    """Return one rule to its statutory value; the override stays in the history."""
    pack = _reference_pack(key)
    rule = pack.rule(rule_id)
    if rule is None:
        raise NotFound(f"规则包 {key} 没有规则 {rule_id}", field="rule_id")
    row = active_overrides(session, key).get(rule_id)
    if row is None:
        raise NotFound(f"「{rule.title}」没有本地调整", field="rule_id")
    row.cleared_at, row.cleared_by = clock.now(), actor.user_id
    session.flush()
    ledger.append(
        session,
        "rules:override:cleared",
        f"rule:{key}:{rule_id}",
        {
            "key": key,
            "rule": rule_id,
            "title": rule.title,
            "value": plain(Decimal(row.value)),
            "statutory": plain(rule.value),
            "unit": rule.unit,
            "by": actor.user_id,
        },
    )
    return _resolve_rule(rule, None)


# --------------------------------------------------------------------------- deadlines


def _day_unit(rule: ResolvedRule) -> calendar.Unit:
    unit = DAY_UNITS.get(rule.unit)
    if unit is None:
        raise InvalidInput(
            f"「{rule.title}」以{UNIT_LABELS[rule.unit] or '数量'}计，不是按日计算的期间", field="rule", rule=rule.id
        )
    return unit  # type: ignore[return-value]


def earliest_after(session: Session, rule: ResolvedRule, start: date) -> DeadlineResult:
    """The first date a period of ``rule`` days counted from ``start`` has run (start day not counted)."""
    return calendar.compute(session, start, int(rule.value), _day_unit(rule))


def deadline(session: Session, rule: ResolvedRule, start: date) -> DeadlineResult:
    """The last day of a "within N days" period (a ``max`` rule) counted from ``start``."""
    return calendar.compute(session, start, int(rule.value), _day_unit(rule))


def latest_before(session: Session, rule: ResolvedRule, end: date) -> DeadlineResult:
    """The latest date that is still at least ``rule`` days before ``end`` ("不少于N日前")."""
    return calendar.latest_before(session, end, int(rule.value), _day_unit(rule))


def _violation(rule: ResolvedRule, message: str, **extra: Any) -> RuleViolation:
    return RuleViolation(
        f"「{rule.title}」须{rule.bound_label} {rule.display}（依据：{rule.basis_text}"
        f"{'；本地调整：' + rule.override_reason if rule.override_reason else ''}）：{message}",
        rule=rule.id,
        basis=rule.basis_text,
        required=plain(rule.value),
        unit=rule.unit,
        **extra,
    )


def check_min_period(session: Session, rule: ResolvedRule, start: date, end: date) -> None:
    """Refuse ``end`` if fewer than ``rule`` days separate it from ``start``."""
    if rule.bound == "max":
        raise InvalidInput(f"「{rule.title}」是期限上限，不是最短期间", field="rule", rule=rule.id)
    result = earliest_after(session, rule, start)
    if end < result.due:
        raise _violation(
            rule,
            f"自{_cn(start)}起算，最早为{_cn(result.due)}，所定的{_cn(end)}早于此日",
            earliest=result.due.isoformat(),
            start=start.isoformat(),
            end=end.isoformat(),
        )


def check_within(session: Session, rule: ResolvedRule, start: date, end: date) -> None:
    """Refuse ``end`` if it falls after the last day of a "within N days" period from ``start``."""
    if rule.bound == "min":
        raise InvalidInput(f"「{rule.title}」是最短期间，不是期限上限", field="rule", rule=rule.id)
    result = deadline(session, rule, start)
    if end > result.due:
        raise _violation(
            rule,
            f"自{_cn(start)}起算，最迟为{_cn(result.due)}，所定的{_cn(end)}已超过",
            latest=result.due.isoformat(),
            start=start.isoformat(),
            end=end.isoformat(),
        )


__all__ = [
    "ResolvedPack",
    "ResolvedRule",
    "resolve",
    "resolve_pack",
    "set_override",
    "clear_override",
    "active_overrides",
    "override_history",
    "earliest_after",
    "deadline",
    "latest_before",
    "check_min_period",
    "check_within",
    "format_value",
    "basis_text",
    "LawBasis",
]
