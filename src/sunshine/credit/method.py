"""The credit evaluation method (信用评价办法) as data, and its pure calculation: ``method.yaml`` holds the items,
their points or weights, the grade thresholds and each one's basis (or 平台默认值 with its reason); ``rate``
applies one subject's counts to a method. No database, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

SUBJECTS = {"bidder": "投标人", "agency": "招标代理机构", "expert": "评标专家"}
TWO = Decimal("0.01")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Strict):
    code: str
    name: str
    group: str
    kind: Literal["deduct", "bonus", "average"]
    per: int = Field(0, ge=0, le=100)
    cap: int = Field(0, ge=0, le=100)
    weight: Decimal = Decimal(0)
    neutral: int = Field(80, ge=0, le=100)
    basis: str


class Method(_Strict):
    name: str
    basis: str
    base: int = Field(ge=0, le=100)
    floor: int = 0
    ceiling: int = 100
    banned_grade: str | None = None
    banned_grade_basis: str | None = None
    items: list[Item]


class Grade(_Strict):
    grade: str
    label: str
    min: int


class Publication(_Strict):
    record_months: int = Field(ge=1, le=120)
    record_months_basis: str
    penalty_basis: str
    good_months: int = Field(ge=1, le=120)
    good_months_basis: str


class Repair(_Strict):
    minimum_months: int = Field(ge=0, le=120)
    basis: str


class Document(_Strict):
    version: str
    publication: Publication
    repair: Repair
    grades: list[Grade]
    grades_basis: str
    methods: dict[Literal["bidder", "agency", "expert"], Method]


@lru_cache(maxsize=1)
def document() -> Document:
    raw = yaml.safe_load((Path(__file__).parent / "method.yaml").read_text(encoding="utf-8"))
    doc = Document.model_validate(raw)
    mins = [g.min for g in doc.grades]
    if mins != sorted(mins, reverse=True) or mins[-1] != 0:
        raise ValueError("method.yaml: grades must go down to 0")
    return doc


def method(subject: str) -> Method:
    return document().methods[subject]  # type: ignore[index]


def version(subject: str) -> str:
    return f"{subject}:{document().version}"


@dataclass(frozen=True)
class Line:
    item: str
    name: str
    value: Decimal  # a count, or an average score
    points: Decimal  # what the item adds (negative: deducted)


@dataclass(frozen=True)
class Result:
    score: Decimal
    grade: str
    lines: list[Line]
    banned: bool


def _points(item: Item, value: Decimal | None) -> Decimal:
    if value is None:  # no review at all: the item neither adds nor takes away
        return Decimal(0)
    if item.kind == "deduct":
        return -min(Decimal(item.cap), Decimal(item.per) * value)
    if item.kind == "bonus":
        return min(Decimal(item.cap), Decimal(item.per) * value)
    return (item.weight * (value - item.neutral)).quantize(TWO, ROUND_HALF_UP)


def grade_of(score: Decimal, grades: list[Grade] | None = None) -> str:
    for g in grades or document().grades:
        if score >= g.min:
            return g.grade
    return (grades or document().grades)[-1].grade


def rate(
    m: Method, values: dict[str, Decimal | None], *, banned: bool = False, grades: list[Grade] | None = None
) -> Result:
    """One subject's score and grade: the base plus each item's points, held in [floor, ceiling]; the grade is the
    first whose threshold the score reaches, or the method's grade for a subject banned during the period."""
    lines = []
    total = Decimal(m.base)
    for item in m.items:
        value = values.get(item.code)
        if value is None and item.kind != "average":
            value = Decimal(0)
        points = _points(item, value)
        total += points
        lines.append(Line(item.code, item.name, value if value is not None else Decimal(0), points))
    score = max(Decimal(m.floor), min(Decimal(m.ceiling), total)).quantize(TWO, ROUND_HALF_UP)
    grade = m.banned_grade if banned and m.banned_grade else grade_of(score, grades)
    return Result(score, grade, lines, banned)


def grade_label(grade: str) -> str:
    return next((g.label for g in document().grades if g.grade == grade), grade)
