"""All rule packs shipped with Sunshine, loaded and validated once, and the choice of the version in force
on a given date: a project follows the version in force when it was registered, so a later version never
moves a running project's deadlines.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import date
from pathlib import Path

from sunshine.core.errors import InvalidInput, NotFound
from sunshine.rules import local
from sunshine.rules.pack_format import METHOD_LABELS, TRANSACTION_TYPE_LABELS, RulePack, RulePackError, parse_pack

PACKS_DIR = Path(__file__).parent / "packs"


class Registry:
    """Every version of every pack, by key, oldest first."""

    def __init__(self, packs: list[RulePack]) -> None:
        by_key: dict[str, list[RulePack]] = defaultdict(list)
        for pack in packs:
            by_key[pack.key].append(pack)
        self._by_key = {k: sorted(v, key=lambda p: p.effective_from) for k, v in sorted(by_key.items())}
        self._by_type_method = {
            (v[0].transaction_type, v[0].method): k for k, v in self._by_key.items() if v[0].extends is None
        }

    def keys(self) -> list[str]:
        return list(self._by_key)

    def __iter__(self):
        return iter(list(self._by_key))

    def versions(self, key: str) -> list[RulePack]:
        try:
            return list(self._by_key[key])
        except KeyError:
            raise NotFound(f"规则包 {key} 不存在", field="key") from None

    def get(self, key: str, version: str) -> RulePack:
        for pack in self.versions(key):
            if pack.version == version:
                return pack
        raise NotFound(f"规则包 {key} 没有 {version} 版本", field="version")

    def in_force(self, key: str, on: date) -> RulePack:
        """The latest version whose effective date is on or before ``on``; for a local pack, laid over the national
        version in force that day (``rules.local``)."""
        found = self._own_in_force(key, on)
        if found.extends is not None:
            return local.merge(found, self._own_in_force(found.extends, on))
        return found

    def _own_in_force(self, key: str, on: date) -> RulePack:
        versions = self.versions(key)
        in_force = [p for p in versions if p.effective_from <= on]
        if not in_force:
            first = versions[0]
            since = first.effective_from.isoformat()
            raise InvalidInput(
                f"{on.isoformat()} 时{first.name}（{key}）尚无施行的版本，最早的版本自 {since} 起施行", field="on"
            )
        return in_force[-1]

    def current(self, on: date | None = None, *, local: bool = False) -> list[RulePack]:
        """The version of each pack in force on ``on`` (today by default); packs not yet in force are left out,
        and local packs (laid over a national one, never chosen by type and method) unless ``local``."""
        from sunshine.core import clock

        on = on or clock.today_local()
        return [
            self.in_force(k, on)
            for k, versions in self._by_key.items()
            if versions[0].effective_from <= on and (local or versions[0].extends is None)
        ]

    def for_type_method(self, transaction_type: str, method: str, on: date, region_code: str | None = None) -> RulePack:
        """The pack a project of this type and method registered on ``on`` follows: the local pack in force that
        day whose ``regions`` name the project's region, laid over the national pack; else the national pack."""
        key = self._by_type_method.get((transaction_type, method))
        if key is None:
            type_label = TRANSACTION_TYPE_LABELS.get(transaction_type, transaction_type)
            method_label = METHOD_LABELS.get(method, method)
            raise InvalidInput(f"{type_label}没有“{method_label}”方式的规则包", field="method")
        if region_code:
            for local_key, versions in self._by_key.items():
                if versions[0].extends != key or versions[0].effective_from > on:
                    continue
                if region_code in self._own_in_force(local_key, on).regions:
                    return self.in_force(local_key, on)
        return self.in_force(key, on)


def load_dir(folder: Path) -> Registry:
    """Validate every ``*.yaml`` in ``folder`` and check the packs fit together."""
    packs: list[RulePack] = []
    for path in sorted(folder.glob("*.yaml")):
        packs.append(parse_pack(path.read_text(encoding="utf-8"), path.name))
    if not packs:
        raise RulePackError(str(folder), "(目录)", "没有任何规则包文件")
    _check_together(packs)
    registry = Registry(packs)
    for key in registry:
        for pack in registry.versions(key):
            if pack.extends is not None:
                local.check(pack, registry._by_key)
    return registry


def _check_together(packs: list[RulePack]) -> None:
    first_of_key: dict[str, RulePack] = {}
    key_of_type_method: dict[tuple[str, str], str] = {}
    seen_dates: set[tuple[str, date]] = set()
    for pack in packs:
        file = f"{pack.key}.{pack.version}.yaml"
        if (pack.key, pack.effective_from) in seen_dates:
            raise RulePackError(file, "effective_from", f"{pack.key} 已有同一日施行的版本")
        seen_dates.add((pack.key, pack.effective_from))
        first = first_of_key.setdefault(pack.key, pack)
        for field in ("transaction_type", "method", "lifecycle"):
            if getattr(pack, field) != getattr(first, field):
                raise RulePackError(file, field, f"同一规则包的各版本 {field} 必须一致（{getattr(first, field)}）")
        if pack.extends is not None:
            continue  # a local pack shares its national pack's type and method
        owner = key_of_type_method.setdefault((pack.transaction_type, pack.method), pack.key)
        if owner != pack.key:
            raise RulePackError(file, "method", f"交易类型与方式已由规则包 {owner} 使用")


@functools.cache
def registry() -> Registry:
    """The shipped packs, loaded once per process."""
    return load_dir(PACKS_DIR)


def rule_ref_label(ref: str | None) -> str:
    """``disclosure.licence_penalty@2019-05-15/publish_within`` → 《行政许可和行政处罚公开》（2019-05-15 版）：
    自作出行政决定之日起上网公开 — a rule reference as people read it (the version is optional)."""
    if not ref:
        return ""
    head, _, rule_id = ref.partition("/")
    key, _, version = head.partition("@")
    try:
        packs = registry().versions(key)
    except NotFound:
        return "规则包所定时限"
    pack = next((p for p in packs if p.version == version), packs[-1])
    rule = pack.rule(rule_id)
    edition = f"（{pack.version} 版）" if version else ""
    return f"《{pack.name}》{edition}" + (f"：{rule.title}" if rule else "")
