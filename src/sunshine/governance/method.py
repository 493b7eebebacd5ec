"""The scoring method of departments (政务公开考核), kept as data in ``method.yaml`` and applied by one pure
function: timeliness points from the compliance dashboard's on-time rate, plus inspection points less the
deductions for findings (by aspect), late corrections and corrections still open past their deadline."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import yaml

METHOD_FILE = Path(__file__).with_name("method.yaml")
ASPECTS = ("accuracy", "completeness", "timeliness")


@dataclass(frozen=True)
class Method:
    version: str
    name: str
    basis: str
    timeliness_points: Decimal
    no_obligations_share: Decimal
    inspection_points: Decimal
    per_finding: dict[str, Decimal]
    late_correction: Decimal
    open_past_due: Decimal
    rounding: int


@dataclass(frozen=True)
class Facts:
    """What a department's score is computed from."""

    rate: float | None  # on-time rate 0–100 from the dashboard, None when nothing fell due
    findings: dict[str, int]  # by aspect
    late_corrections: int
    open_past_due: int


@cache
def load(path: Path = METHOD_FILE) -> Method:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    per = {a: Decimal(str(raw["inspection"]["per_finding"][a])) for a in ASPECTS}
    return Method(
        version=str(raw["version"]),
        name=raw["name"],
        basis=raw["basis"],
        timeliness_points=Decimal(str(raw["timeliness"]["points"])),
        no_obligations_share=Decimal(str(raw["timeliness"]["no_obligations_share"])),
        inspection_points=Decimal(str(raw["inspection"]["points"])),
        per_finding=per,
        late_correction=Decimal(str(raw["inspection"]["late_correction"])),
        open_past_due=Decimal(str(raw["inspection"]["open_past_due"])),
        rounding=int(raw["rounding"]),
    )


def timeliness_part(method: Method, rate: float | None) -> Decimal:
    share = method.no_obligations_share if rate is None else Decimal(str(rate)) / 100
    return method.timeliness_points * share


def deductions(method: Method, facts: Facts) -> Decimal:
    total = sum((method.per_finding[a] * facts.findings.get(a, 0) for a in ASPECTS), Decimal(0))
    return total + method.late_correction * facts.late_corrections + method.open_past_due * facts.open_past_due


def inspection_part(method: Method, facts: Facts) -> Decimal:
    return max(Decimal(0), method.inspection_points - deductions(method, facts))


def score(method: Method, facts: Facts) -> Decimal:
    """The department's score, 0 to timeliness + inspection points, rounded half up."""
    raw = timeliness_part(method, facts.rate) + inspection_part(method, facts)
    return raw.quantize(Decimal(1).scaleb(-method.rounding), rounding=ROUND_HALF_UP)
