"""The monitoring rule pack (``rules.yaml``, or the file the setting ``monitoring_rules`` names,
``SUNSHINE_MONITORING_RULES``): each rule's id,
Chinese title, basis and certainty, severity, the stage it watches and its parameters. Read once per process;
``reload`` after a centre edits its file."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sunshine.config import get_settings

PACK = Path(__file__).with_name("rules.yaml")
SEVERITIES = {"high": "高", "medium": "中", "low": "低"}
WATCHES = {"tick": "定时巡查", "after_step": "环节完成后及定时巡查", "none": "暂不计算"}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    basis: str
    certainty: str
    severity: str
    stage: str
    watches: str
    computable: bool = True
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def severity_label(self) -> str:
        return SEVERITIES[self.severity]

    @property
    def watches_label(self) -> str:
        return WATCHES.get(self.watches, self.watches)

    def param(self, name: str, default: Any = None) -> Any:
        value = self.params.get(name)
        return default if value is None else value


@dataclass(frozen=True)
class RulePack:
    name: str
    version: str
    source: str
    rules: tuple[Rule, ...]

    def get(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}


def _parse(text: str, source: str) -> RulePack:
    data = yaml.safe_load(text)
    rules = []
    for item in data["rules"]:
        if item["severity"] not in SEVERITIES:
            raise ValueError(f"{source}: rule {item['id']} has an unknown severity {item['severity']!r}")
        rules.append(
            Rule(
                id=str(item["id"]),
                title=item["title"],
                basis=item["basis"],
                certainty=str(item.get("certainty", "平台默认值")),
                severity=item["severity"],
                stage=item["stage"],
                watches=item.get("watches", "tick"),
                computable=bool(item.get("computable", True)),
                params=dict(item.get("params") or {}),
            )
        )
    return RulePack(name=data["name"], version=str(data["version"]), source=source, rules=tuple(rules))


@cache
def pack() -> RulePack:
    path = Path(get_settings().monitoring_rules or PACK)
    return _parse(path.read_text(encoding="utf-8"), path.name)


def reload() -> RulePack:
    pack.cache_clear()
    return pack()
