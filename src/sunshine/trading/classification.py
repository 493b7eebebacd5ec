"""品目分类: what a section (标段/包) buys or builds, as a code of the item classification the centre uses
(``item_classes.yaml``: 《政府采购品目分类目录》, goods A, works B, services C, two digits a level below them; a
centre points ``SUNSHINE_ITEM_CLASSIFICATION`` at its complete catalogue). Entered at registration, published as
OCDS ``items[].classification`` and read by the heterogeneous-supplier red flag (R048)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from sunshine.config import get_settings
from sunshine.core.errors import InvalidInput

CATALOGUE = Path(__file__).with_name("item_classes.yaml")
CODE = re.compile(r"^[A-Z](\d{2}){1,6}$")


@dataclass(frozen=True)
class Catalogue:
    scheme: str  # OCDS itemClassificationScheme code
    title: str
    complete: bool  # every valid code is listed: a code not listed is refused
    classes: dict[str, str]  # code → Chinese name (the top letters and the levels listed)

    def name_of(self, code: str | None) -> str:
        """The name of the code's most specific listed level ('' when none is listed)."""
        if not code:
            return ""
        for end in range(len(code), 0, -1):
            if (name := self.classes.get(code[:end])) is not None:
                return name if end == len(code) else f"{name}类"
        return ""

    def options(self) -> list[tuple[str, str]]:
        """(code, name) of every listed level below the top letters, for the registration form."""
        return sorted((c, n) for c, n in self.classes.items() if len(c) > 1)


@cache
def catalogue() -> Catalogue:
    path = Path(get_settings().item_classification or CATALOGUE)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Catalogue(
        scheme=str(data["scheme"]),
        title=str(data["title"]),
        complete=bool(data.get("complete", False)),
        classes={str(k): str(v) for k, v in (data.get("classes") or {}).items()},
    )


def check(code: str | None, *, section: int) -> str | None:
    """The code in its stored form (upper case, no spaces), or a 422 naming the section; empty means none."""
    value = (code or "").strip().replace(" ", "").upper()
    if not value:
        return None
    cat = catalogue()
    where = f"第{section}标段（包）的品目分类代码“{code}”"
    if not CODE.match(value):
        raise InvalidInput(f"{where}格式不对：应为大类字母加每级两位数字，如 A02010104", field="sections")
    if value[0] not in cat.classes:
        raise InvalidInput(f"{where}的大类不在《{cat.title}》中（{_tops(cat)}）", field="sections")
    if cat.complete and value not in cat.classes:
        raise InvalidInput(f"{where}不在《{cat.title}》中", field="sections")
    return value


def _tops(cat: Catalogue) -> str:
    return "、".join(f"{c} {n}" for c, n in cat.classes.items() if len(c) == 1)


def prefix(code: str, length: int) -> str:
    """The first ``length`` characters of a code: the level the heterogeneous-supplier flag counts."""
    return code[:length]
