"""The shape of a rule pack file, checked when the packs are loaded: a pack that does not fit is refused
with a message naming the file and the field, so a wrong value never reaches a deadline computation.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sunshine.core import labels

Unit = Literal["calendar_days", "working_days", "hours", "minutes", "seconds", "percent", "yuan", "count"]
Bound = Literal["min", "max", "exact"]
TransactionType = Literal[
    "engineering",
    "gov_procurement",
    "state_property",
    "land",
    "mining",
    "soe_procurement",
    "rural_property",
    "emission",
    "disclosure",
    "centre",
]
Method = Literal[
    "open_tender",
    "invited_tender",
    "small_works_draw",
    "competitive_negotiation",
    "competitive_consultation",
    "enquiry",
    "single_source",
    "listing",
    "auction",
    "tender",
    "information_request",
    "information_request_legacy",
    "fees",
    "proactive",
    "licence_penalty",
    "service",
    "expert_pool",
    "venues",
    "supervision",
]
Lifecycle = Literal[
    "tender",
    "negotiation",
    "single_source",
    "listing",
    "auction",
    "draw",
    "information_request",
    "publication",
]

# Labels from the shared vocabulary tables, limited to the codes a rule pack may use.
TRANSACTION_TYPE_LABELS: dict[str, str] = labels.subset(labels.TRANSACTION_TYPE_LABELS, get_args(TransactionType))
METHOD_LABELS: dict[str, str] = labels.subset(labels.METHOD_LABELS, get_args(Method))
LIFECYCLE_LABELS: dict[str, str] = labels.subset(labels.LIFECYCLE_LABELS, get_args(Lifecycle))
UNIT_LABELS: dict[str, str] = {
    "calendar_days": "日",
    "working_days": "个工作日",
    "hours": "小时",
    "minutes": "分钟",
    "seconds": "秒",
    "percent": "%",
    "yuan": "元",
    "count": "",
}
BOUND_LABELS: dict[str, str] = {"min": "不少于", "max": "不超过", "exact": "等于"}
DAY_UNITS = {"calendar_days": "calendar", "working_days": "working"}

#: Largest number of days a rule may hold (the calendar refuses longer periods anyway).
MAX_DAYS = 3650
SEED_FILE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
RULE_ID = r"^[a-z][a-z0-9_]{1,62}$"
KEY = r"^[a-z][a-z_]*\.[a-z][a-z0-9_]*$"
Text = Annotated[str, Field(min_length=1, max_length=500)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """A law, regulation or document a pack relies on: full Chinese name and document number."""

    name: Text  # 《中华人民共和国招标投标法》
    number: Text | None = None  # 国务院令第613号 / 财库〔2014〕214号
    effective: date | None = None


ARTICLE = r"^第[一二三四五六七八九十百零]+条(第[一二三四五六七八九十]+款)?$"


class LawBasis(_Strict):
    law: Text  # must be the name of one of the pack's sources
    article: Annotated[str, Field(pattern=ARTICLE)] | None = None
    text: Text | None = None  # a short quote, or why no article is cited


class SeedBasis(_Strict):
    seed: Annotated[str, Field(pattern=SEED_FILE.pattern)]  # a file of the user's seed documents
    section: Text
    text: Text | None = None


class DefaultBasis(_Strict):
    """No national rule sets a number: the platform's default, which a centre may only make stricter."""

    default: Text  # why there is no statutory value, and where the local rule is to be found


class Rule(_Strict):
    id: Annotated[str, Field(pattern=RULE_ID)]
    title: Text
    value: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)]
    unit: Unit
    bound: Bound
    basis: LawBasis | SeedBasis | DefaultBasis
    # a local rule looser than the statute in force: kept to show its text, the statute named here governs
    superseded_by: LawBasis | None = None

    @model_validator(mode="after")
    def _sensible_value(self) -> Rule:
        whole = self.value == self.value.to_integral_value()
        if self.unit in DAY_UNITS and not whole:
            raise ValueError("日数必须为整数")
        if self.unit in DAY_UNITS and self.value > MAX_DAYS:
            raise ValueError(f"日数不能超过 {MAX_DAYS}")
        if self.unit == "count" and not whole:
            raise ValueError("数量必须为整数")
        if self.unit in ("seconds", "minutes") and not whole:
            raise ValueError("秒数、分钟数必须为整数")
        if self.unit == "percent" and self.value > 100:
            raise ValueError("百分比不能超过 100")
        return self


class RulePack(_Strict):
    key: Annotated[str, Field(pattern=KEY, max_length=100)]
    transaction_type: TransactionType
    method: Method
    name: Text
    version: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}[a-z0-9.-]*$", max_length=40)]
    effective_from: date
    lifecycle: Lifecycle
    description: Annotated[str, Field(max_length=2000)] | None = None
    # the evaluation methods (评标/评审办法) a tender under this pack may declare: codes of
    # ``sunshine.evaluation.methods`` modules; empty where nothing is evaluated
    evaluation_methods: list[Annotated[str, Field(pattern=RULE_ID)]] = []
    # a local pack: the key of the national pack whose rules it makes stricter (the registry checks that each
    # of its ``rules`` is at least as strict as the national one and merges them); ``region`` names its area
    extends: Annotated[str, Field(pattern=KEY, max_length=100)] | None = None
    region: Text | None = None
    # a local pack: the administrative division codes (行政区划代码, 6 digits, matched exactly) of the projects that
    # get it at registration instead of the national pack (``Registry.for_type_method``); empty: chosen by no region
    regions: list[Annotated[str, Field(pattern=r"^\d{6}$")]] = []
    sources: Annotated[list[Source], Field(min_length=1)]
    rules: Annotated[list[Rule], Field(min_length=1)]
    # local rules looser than the statute in force, each with ``superseded_by``: shown, never applied
    superseded: list[Rule] = []

    @model_validator(mode="after")
    def _consistent(self) -> RulePack:
        if self.key.split(".", 1)[0] != self.transaction_type:
            raise ValueError(f"key 应以交易类型 {self.transaction_type} 开头")
        if not self.version.startswith(self.effective_from.isoformat()):
            raise ValueError(f"version 应以施行日期 {self.effective_from.isoformat()} 开头")
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"规则编号 {rule.id} 重复")
            seen.add(rule.id)
        names = {s.name for s in self.sources}
        if len(names) != len(self.sources):
            raise ValueError("sources 中有重复的名称")
        for rule in [*self.rules, *self.superseded]:
            if isinstance(rule.basis, LawBasis) and rule.basis.law not in names:
                raise ValueError(f"规则 {rule.id} 的依据 {rule.basis.law} 未列入 sources")
            if rule.superseded_by is not None and rule.superseded_by.law not in names:
                raise ValueError(f"规则 {rule.id} 的取代依据 {rule.superseded_by.law} 未列入 sources")
        for rule in self.rules:
            if rule.superseded_by is not None:
                raise ValueError(f"规则 {rule.id} 已被取代，应列入 superseded 而非 rules")
        for rule in self.superseded:
            if rule.superseded_by is None:
                raise ValueError(f"superseded 中的规则 {rule.id} 须写明取代它的法定依据（superseded_by）")
            if rule.id in seen:
                raise ValueError(f"规则 {rule.id} 不能同时列入 rules 与 superseded")
        if (self.superseded or self.region or self.regions) and self.extends is None:
            raise ValueError("只有地方规则包（extends）可以有 region 和 superseded")
        if self.extends is not None and self.extends.split(".", 1)[0] != self.transaction_type:
            raise ValueError(f"extends 应为同一交易类型 {self.transaction_type} 的规则包")
        return self

    @property
    def transaction_type_label(self) -> str:
        return TRANSACTION_TYPE_LABELS[self.transaction_type]

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]

    @property
    def lifecycle_label(self) -> str:
        return LIFECYCLE_LABELS[self.lifecycle]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


class RulePackError(ValueError):
    """A pack file that cannot be used; the message names the file and the field."""

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file, self.field, self.message = file, field, message
        super().__init__(f"规则包文件 {file} 无效：{field}：{message}")


def _location(loc: tuple[Any, ...], data: Any) -> str:
    """``rules[3].unit (docs_to_bid_deadline)`` — the path of a field, with the rule id when there is one."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]" if parts else f"[{part}]"
        elif part in ("LawBasis", "SeedBasis", "DefaultBasis") or str(part).startswith(("function-", "union[")):
            continue  # pydantic's names for union members, not fields of the file
        else:
            parts.append(str(part))
    text = ".".join(parts) or "(整个文件)"
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        with contextlib.suppress(KeyError, IndexError, TypeError):
            text += f"（规则 {data['rules'][loc[1]]['id']}）"
    return text


_MESSAGES = {
    "extra_forbidden": "不允许的字段",
    "missing": "缺少必填字段",
    "literal_error": "取值不在允许范围内",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_type": "应为日期 YYYY-MM-DD",
    "string_pattern_mismatch": "格式不正确",
    "greater_than_equal": "不能为负数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "too_short": "不能为空",
}


def parse_pack(text: str, file: str) -> RulePack:
    """Validate one pack file's text; ``file`` is its name, used in the error message."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else "(整个文件)"
        raise RulePackError(file, where, "不是有效的 YAML") from None
    if not isinstance(data, dict):
        raise RulePackError(file, "(整个文件)", "应为一个映射（key: value）")
    try:
        pack = RulePack.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        kind = first.get("type", "")
        message = _MESSAGES.get(kind, first.get("msg", "取值无效"))
        if kind == "literal_error" and "expected" in (first.get("ctx") or {}):
            message = f"取值应为 {first['ctx']['expected']}"
        elif kind == "value_error":
            message = str(first["ctx"]["error"]) if first.get("ctx") else first.get("msg", "取值无效")
        raise RulePackError(file, _location(tuple(first.get("loc", ())), data), message) from None
    expected = f"{pack.key}.{pack.version}.yaml"
    if Path(file).name != expected:
        raise RulePackError(file, "key/version", f"文件名应为 {expected}")
    return pack
