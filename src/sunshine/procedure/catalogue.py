"""The catalogue of public resource transactions (公共资源交易目录, 应进必进) as data: ``catalogue.yaml`` with
each entry's code (交易目录编码), transaction type, funding, threshold, the methods it may be traded under and its
basis. ``classify`` finds a project's entry; ``check_registration`` is the hook the trading kernel calls at
registration: a project outside the catalogue is refused, a mandatory one under a method its entry does not
allow is refused, or flagged where the entry accepts another method with the department's approval."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import InvalidInput, RuleViolation
from sunshine.trading.labels import method_label, type_label
from sunshine.trading.models import Project

PATH = Path(__file__).with_name("catalogue.yaml")
APPROVED = "经批准变更为"  # the note of a project registered again under an approved change of method


class NotInCatalogue(InvalidInput):
    code = "not_in_catalogue"


class MethodNotInCatalogue(RuleViolation):
    code = "catalogue_method_not_allowed"


@dataclass(frozen=True)
class Entry:
    code: str
    title: str
    transaction_type: str
    funding: str  # state | any
    threshold: Decimal
    mandatory: bool
    methods: tuple[str, ...]
    basis: str
    approval_for_other_methods: bool = False

    @property
    def method_labels(self) -> str:
        return "、".join(method_label(m) for m in self.methods)


@dataclass(frozen=True)
class Catalogue:
    version: str
    basis: str
    entries: tuple[Entry, ...]
    state_funding_words: tuple[str, ...]

    def is_state_funded(self, funding_source: str) -> bool:
        return any(word in funding_source for word in self.state_funding_words)

    def entry(self, code: str) -> Entry | None:
        return next((e for e in self.entries if e.code == code), None)

    def classify(self, transaction_type: str, funding_source: str, budget: Decimal) -> Entry | None:
        """The first entry of the type whose funding and threshold the project meets."""
        state = self.is_state_funded(funding_source)
        for entry in self.entries:
            if entry.transaction_type != transaction_type:
                continue
            if entry.funding == "state" and not state:
                continue
            if budget >= entry.threshold:
                return entry
        return None


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    raw = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    entries = tuple(
        Entry(
            code=e["code"],
            title=e["title"],
            transaction_type=e["transaction_type"],
            funding=e["funding"],
            threshold=Decimal(str(e["threshold"])),
            mandatory=bool(e["mandatory"]),
            methods=tuple(e["methods"]),
            basis=e["basis"],
            approval_for_other_methods=bool(e.get("approval_for_other_methods", False)),
        )
        for e in raw["entries"]
    )
    return Catalogue(
        version=str(raw["version"]),
        basis=raw["basis"]["text"],
        entries=entries,
        state_funding_words=tuple(raw["state_funding_words"]),
    )


def check_registration(session: Session, actor: Principal, project: Project, method_change: str | None) -> None:
    """Classify a registering project (交易目录编码 on the project) or refuse it."""
    entry = catalogue().classify(project.transaction_type, project.funding_source, project.budget)
    if entry is None:
        raise NotInCatalogue(
            f"{type_label(project.transaction_type)}项目（资金来源“{project.funding_source}”，"
            f"预算{project.budget}元）不在公共资源交易目录内，本平台不予登记",
            field="budget",
        )
    project.catalogue_code = entry.code
    if method_change is None and (project.catalogue_note or "").startswith(APPROVED):
        method_change = project.catalogue_note  # a resubmitted retender keeps the approval it was registered with
    project.catalogue_note = None
    if method_change:
        note = (
            method_change
            if method_change.startswith(APPROVED)
            else f"{APPROVED}{method_label(project.method)}：{method_change}"
        )
        project.catalogue_note = note[:300]
        return
    if project.method in entry.methods:
        return
    if entry.approval_for_other_methods:
        project.catalogue_note = (
            f"目录{entry.code}规定采用{entry.method_labels}；采用{method_label(project.method)}须在采购活动开始前"
            "获得财政部门批准，受理时核对批准文件"
        )
        return
    raise MethodNotInCatalogue(
        f"目录{entry.code}（{entry.title}）的项目须以{entry.method_labels}在平台交易，"
        f"不能以{method_label(project.method)}登记（{entry.basis}）",
        field="method",
    )
