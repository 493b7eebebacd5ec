"""Local rule packs (地方规则包): a region's rules laid over a national pack. A local rule may only be stricter
than the statute: each of a local pack's ``rules`` that the national pack also holds must keep its unit and bound
and be at least as strict, or the whole folder is refused at load; a local rule looser than the statute in force
is listed under ``superseded`` with the statute that governs (``superseded_by``) and is shown, never applied.

The pack in force for a local key is the national version in force that day with the local rules laid over it
(a national rule made stricter since then wins over the older local value).
"""

from __future__ import annotations

from decimal import Decimal

from sunshine.rules.pack_format import Rule, RulePack, RulePackError


def not_weaker(bound: str, local: Decimal, statutory: Decimal) -> bool:
    """``local`` is at least as strict as ``statutory`` for a rule of ``bound``."""
    if bound == "min":
        return local >= statutory
    if bound == "max":
        return local <= statutory
    return local == statutory


def _base_at(pack: RulePack, base_versions: list[RulePack]) -> RulePack:
    in_force = [p for p in base_versions if p.effective_from <= pack.effective_from]
    return in_force[-1] if in_force else base_versions[0]


def check(pack: RulePack, by_key: dict[str, list[RulePack]]) -> None:
    """Refuse a local pack that does not fit its national pack: unknown base, another type or method, a rule
    weaker than the statute, a superseded rule that is not looser or not in the national pack."""
    file = f"{pack.key}.{pack.version}.yaml"
    versions = by_key.get(pack.extends or "")
    if not versions or versions[0].extends is not None:
        raise RulePackError(file, "extends", f"国家规则包 {pack.extends} 不存在")
    base = _base_at(pack, versions)
    for field in ("transaction_type", "method", "lifecycle"):
        if getattr(pack, field) != getattr(base, field):
            raise RulePackError(file, field, f"地方规则包的 {field} 应与国家规则包 {base.key} 一致")
    for i, rule in enumerate(pack.rules):
        national = base.rule(rule.id)
        if national is None:
            continue  # a rule the national pack does not hold: a local addition
        _same_meaning(file, f"rules[{i}]", rule, national)
        if not not_weaker(rule.bound, rule.value, national.value):
            raise RulePackError(
                file, f"rules[{i}]（规则 {rule.id}）", f"地方规则只能严于法定值（{national.value}），应列入 superseded"
            )
    for i, rule in enumerate(pack.superseded):
        national = base.rule(rule.id)
        if national is None:
            raise RulePackError(file, f"superseded[{i}]（规则 {rule.id}）", f"国家规则包 {base.key} 没有此规则")
        _same_meaning(file, f"superseded[{i}]", rule, national)
        if not_weaker(rule.bound, rule.value, national.value):
            raise RulePackError(
                file, f"superseded[{i}]（规则 {rule.id}）", "此地方规则不宽于法定值，应列入 rules 而非 superseded"
            )


def _same_meaning(file: str, where: str, rule: Rule, national: Rule) -> None:
    if (rule.unit, rule.bound) != (national.unit, national.bound):
        raise RulePackError(
            file, f"{where}（规则 {rule.id}）", f"单位和界限应与国家规则一致（{national.unit}，{national.bound}）"
        )


def merge(local: RulePack, base: RulePack) -> RulePack:
    """The national version ``base`` with ``local``'s rules laid over it; the stricter value of each rule wins."""
    mine = {r.id: r for r in local.rules}
    rules = []
    for rule in base.rules:
        own = mine.pop(rule.id, None)
        rules.append(own if own is not None and not_weaker(rule.bound, own.value, rule.value) else rule)
    rules.extend(mine.values())
    names = {s.name for s in base.sources}
    return base.model_copy(
        update={
            "key": local.key,
            "name": local.name,
            "version": local.version,
            "effective_from": local.effective_from,
            "description": local.description,
            "extends": local.extends,
            "region": local.region,
            "evaluation_methods": local.evaluation_methods or base.evaluation_methods,
            "sources": [*base.sources, *(s for s in local.sources if s.name not in names)],
            "rules": rules,
            "superseded": list(local.superseded),
        }
    )
