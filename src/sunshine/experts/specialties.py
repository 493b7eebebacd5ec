"""The specialty tree (评标专业分类): the shipped tree (``specialties.yaml``, platform codes under the three
categories of the national classification) plus the codes a centre adds under it. A child's code is its parent's
code and two more digits, so "holds a code under the requested one" is a prefix test."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden, InvalidInput, NotFound
from sunshine.experts import codes
from sunshine.experts.models import Specialty
from sunshine.ledger import service as ledger

TREE_FILE = Path(__file__).parent / "specialties.yaml"
CODE = re.compile(r"^[A-Z](\d{2}){0,3}$")
MAX_DEPTH = 4  # A, A01, A0101, A010101


@dataclass
class Node:
    code: str
    name: str
    parent: str | None
    shipped: bool
    children: list[Node] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 1 + (len(self.code) - 1) // 2

    @property
    def source_label(self) -> str:
        return "平台编码" if self.shipped else "本中心增加"


@dataclass(frozen=True)
class Shipped:
    version: str
    entries: tuple[tuple[str, str, str | None], ...]  # (code, name, parent) in tree order


@functools.cache
def shipped() -> Shipped:
    doc = yaml.safe_load(TREE_FILE.read_text(encoding="utf-8"))
    out: list[tuple[str, str, str | None]] = []

    def walk(nodes: list[dict], parent: str | None) -> None:
        for raw in nodes:
            code, name = str(raw["code"]), str(raw["name"])
            if not CODE.match(code) or (parent and not (code.startswith(parent) and len(code) == len(parent) + 2)):
                raise ValueError(f"specialties.yaml: 编码 {code} 不符合编码规则")
            out.append((code, name, parent))
            walk(raw.get("children") or [], code)

    walk(doc["tree"], None)
    if len({c for c, _, _ in out}) != len(out):
        raise ValueError("specialties.yaml: 编码重复")
    return Shipped(str(doc["version"]), tuple(out))


def nodes(session: Session) -> dict[str, Node]:
    """Every code of the tree (shipped and added), by code, children linked, in tree order."""
    by_code: dict[str, Node] = {}
    for code, name, parent in shipped().entries:
        by_code[code] = Node(code, name, parent, True)
    added = session.scalars(select(Specialty).order_by(Specialty.code)).all()
    for row in added:
        by_code[row.code] = Node(row.code, row.name, row.parent_code, False)
    for node in by_code.values():
        if node.parent and node.parent in by_code:
            by_code[node.parent].children.append(node)
    for node in by_code.values():
        node.children.sort(key=lambda n: n.code)
    return by_code


def roots(session: Session) -> list[Node]:
    return [n for n in nodes(session).values() if n.parent is None]


def flat(session: Session) -> list[Node]:
    """Depth-first, for select lists."""
    out: list[Node] = []

    def walk(items: list[Node]) -> None:
        for n in items:
            out.append(n)
            walk(n.children)

    walk(roots(session))
    return out


def labels(session: Session) -> dict[str, str]:
    return {code: node.name for code, node in nodes(session).items()}


def path_label(all_nodes: dict[str, Node], code: str) -> str:
    """ "工程类 › 市政公用工程 › 城市道路与桥梁" """
    parts = []
    node = all_nodes.get(code)
    while node is not None:
        parts.append(node.name)
        node = all_nodes.get(node.parent) if node.parent else None
    return " › ".join(reversed(parts)) if parts else code


def check_codes(session: Session, values: list[str], *, field: str = "specialties") -> list[str]:
    known = nodes(session)
    out: list[str] = []
    for raw in values:
        code = (raw or "").strip().upper()
        if not code:
            continue
        if code not in known:
            raise InvalidInput(f"评标专业编码 {code} 不存在", field=field)
        if code in out:
            raise InvalidInput(f"评标专业 {known[code].name} 重复", field=field)
        out.append(code)
    return out


def add_child(session: Session, actor: Principal, *, parent_code: str, name: str, note: str = "") -> Specialty:
    """A centre adds a code under an existing one; its code is the parent's and the next free two digits."""
    if not actor.has(*codes.TREE_EDITORS):
        raise Forbidden("只有交易中心或交易管理委员会办公室可以增加评标专业")
    known = nodes(session)
    parent_code = (parent_code or "").strip().upper()
    parent = known.get(parent_code)
    if parent is None:
        raise NotFound("上级专业不存在", field="parent_code")
    if parent.depth >= MAX_DEPTH:
        raise InvalidInput(f"专业分类最多 {MAX_DEPTH} 级，不能在“{parent.name}”下再分", field="parent_code")
    name = (name or "").strip()
    if not 2 <= len(name) <= 50:
        raise InvalidInput("专业名称应为2至50个字", field="name")
    if any(child.name == name for child in parent.children):
        raise InvalidInput(f"“{parent.name}”下已有专业“{name}”", field="name")
    note = (note or "").strip()
    if len(note) > 500:
        raise InvalidInput("说明最多500个字", field="note")
    used = {int(child.code[-2:]) for child in parent.children}
    free = next((n for n in range(1, 100) if n not in used), None)
    if free is None:
        raise InvalidInput(f"“{parent.name}”下的编码已用完", field="parent_code")
    row = Specialty(
        code=f"{parent.code}{free:02d}",
        parent_code=parent.code,
        name=name,
        note=note,
        created_by=actor.user_id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "experts:specialty:added",
        f"specialty:{row.code}",
        {"code": row.code, "parent": parent.code, "name": name, "by": actor.user_id},
    )
    return row
