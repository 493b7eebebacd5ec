"""The disclosure catalog (公开事项目录): loading the shipped YAML into the database (idempotent), reading the
three-level tree, revising an item (a dated, reasoned revision in the ledger, applied now or on its effective
date) and resolving an item's time limit from the rule packs, so that the limit and its basis are written once.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import InvalidInput, NotFound
from sunshine.disclosure import vocab
from sunshine.disclosure.models import CatalogCategory, CatalogItem, ItemRevision
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.rules.pack_format import DAY_UNITS, METHOD_LABELS, TRANSACTION_TYPE_LABELS, Rule
from sunshine.rules.registry import registry

CATALOG_DIR = Path(__file__).parent / "catalog"
FIELDS = (
    "name",
    "content",
    "legal_basis",
    "time_limit_ref",
    "responsible_body",
    "channels",
    "audience",
    "mode",
    "five_category",
    "levels",
    "trigger",
    "methods",
    "condition",
)
FIELD_LABELS = {
    "name": "事项名称",
    "content": "公开内容（要素）",
    "legal_basis": "公开依据",
    "time_limit_ref": "公开时限（规则）",
    "responsible_body": "公开主体",
    "channels": "公开渠道和载体",
    "audience": "公开对象",
    "mode": "公开方式",
    "five_category": "五公开类别",
    "levels": "公开层级",
    "trigger": "触发环节",
    "methods": "适用交易方式",
    "condition": "适用条件",
}
CODE_PATTERN = re.compile(r"^[A-Z]{2}(\.[A-Z]{2}(\.\d{2})?)?$")
TRIGGER_PATTERN = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
MAX_TEXT = 4000
MAX_REASON = 500
MAX_BACKDATE = timedelta(days=366)  # a revision may record a decision taken up to a year ago


class CatalogError(ValueError):
    """The shipped catalog data is inconsistent; says which file, which code and what is wrong."""

    def __init__(self, where: str, code: str, message: str) -> None:
        super().__init__(f"{where} · {code}：{message}")


# --------------------------------------------------------------------------- validation


def check_time_limit(ref: str) -> Rule:
    """``pack_key/rule_id`` must name a "within N days" rule of a shipped pack (its latest version)."""
    pack_key, sep, rule_id = (ref or "").partition("/")
    if not sep or not pack_key or not rule_id:
        raise InvalidInput(
            "公开时限应写作“规则包/规则”，如 disclosure.proactive/publish_within", field="time_limit_ref"
        )
    try:
        latest = registry().versions(pack_key)[-1]
    except NotFound:
        raise InvalidInput(f"规则包 {pack_key} 不存在", field="time_limit_ref") from None
    rule = next((r for r in latest.rules if r.id == rule_id), None)
    if rule is None:
        raise InvalidInput(f"规则包 {pack_key} 没有规则 {rule_id}", field="time_limit_ref")
    if rule.unit not in DAY_UNITS or rule.bound != "max":
        raise InvalidInput(
            f"规则 {ref}（{rule.title}）不是“在若干日内”的期限，不能作为公开时限", field="time_limit_ref"
        )
    return rule


def _text(values: dict[str, Any], name: str, limit: int = MAX_TEXT) -> None:
    value = values.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"请填写{FIELD_LABELS[name]}", field=name)
    if len(value) > limit:
        raise InvalidInput(f"{FIELD_LABELS[name]}最多 {limit} 个字符", field=name)


def check_fields(values: dict[str, Any], transaction_type: str | None) -> None:
    """Every element of a level-3 item; raises InvalidInput naming the field."""
    _text(values, "name", 200)
    _text(values, "content")
    _text(values, "legal_basis")
    _text(values, "responsible_body", 200)
    check_time_limit(values.get("time_limit_ref", ""))
    channels = values.get("channels")
    if not isinstance(channels, dict) or not channels:
        raise InvalidInput("请设置公开渠道和载体", field="channels")
    for key, need in channels.items():
        if key not in vocab.CHANNELS:
            raise InvalidInput(f"未知的公开渠道：{key}", field="channels")
        if need not in vocab.CHANNEL_NEEDS:
            raise InvalidInput(f"渠道 {vocab.CHANNELS[key]} 应为 required（必选）或 optional（可选）", field="channels")
    if "required" not in channels.values():
        raise InvalidInput("至少应有一个必选的公开渠道", field="channels")
    for name, allowed in (
        ("audience", vocab.AUDIENCES),
        ("mode", vocab.MODES),
        ("five_category", vocab.FIVE_CATEGORIES),
    ):
        if values.get(name) not in allowed:
            raise InvalidInput(
                f"{FIELD_LABELS[name]}应为：{'、'.join(f'{k}（{v}）' for k, v in allowed.items())}", field=name
            )
    levels = values.get("levels")
    if not isinstance(levels, list) or not levels or any(level not in vocab.LEVELS for level in levels):
        raise InvalidInput("公开层级应为 province、city、county 中的一个或多个", field="levels")
    if len(set(levels)) != len(levels):
        raise InvalidInput("公开层级不能重复", field="levels")
    trigger = values.get("trigger")
    if trigger is not None and (not isinstance(trigger, str) or not TRIGGER_PATTERN.match(trigger)):
        raise InvalidInput("触发环节应写作 domain.event，如 trading.notice", field="trigger")
    methods = values.get("methods")
    if methods is not None:
        if not isinstance(methods, list) or not methods:
            raise InvalidInput("适用交易方式应为非空列表，或不填（适用全部方式）", field="methods")
        known = {(p.transaction_type, p.method) for key in registry() for p in registry().versions(key)[:1]}
        for method in methods:
            if method not in METHOD_LABELS or (transaction_type and (transaction_type, method) not in known):
                raise InvalidInput(f"交易方式 {method} 不适用于该交易类型", field="methods")
    condition = values.get("condition")
    if condition is not None and condition not in vocab.CONDITIONS:
        raise InvalidInput(f"未知的适用条件：{condition}", field="condition")


# --------------------------------------------------------------------------- the shipped data


@dataclass(frozen=True)
class CategorySpec:
    code: str
    level: int
    parent: str | None
    name: str
    transaction_type: str | None
    description: str | None
    order: int


@dataclass(frozen=True)
class ItemSpec:
    code: str
    category: str
    values: dict[str, Any]
    order: int


@dataclass(frozen=True)
class ShippedCatalog:
    categories: list[CategorySpec]
    items: list[ItemSpec]
    sha256: str


def _item_values(raw: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    merged = {**defaults, **raw}
    channels = {**defaults.get("channels", {}), **(raw.get("channels") or {})}
    return {
        "name": merged.get("name"),
        "content": merged.get("content"),
        "legal_basis": merged.get("basis"),
        "time_limit_ref": merged.get("time_limit"),
        "responsible_body": merged.get("responsible"),
        "channels": channels,
        "audience": merged.get("audience"),
        "mode": merged.get("mode"),
        "five_category": merged.get("five"),
        "levels": list(merged.get("levels") or []),
        "trigger": merged.get("trigger"),
        "methods": list(raw["methods"]) if raw.get("methods") else None,
        "condition": merged.get("condition"),
    }


def parse_dir(folder: Path = CATALOG_DIR) -> ShippedCatalog:
    """Read and validate every ``*.yaml`` of the catalog folder."""
    categories: list[CategorySpec] = []
    items: list[ItemSpec] = []
    digest = hashlib.sha256()
    seen: set[str] = set()
    order = 0
    for path in sorted(folder.glob("*.yaml")):
        data = path.read_bytes()
        digest.update(data)
        doc = yaml.safe_load(data) or {}
        defaults = doc.get("defaults") or {}
        for top in doc.get("categories") or []:
            tt = top.get("transaction_type")
            if tt is not None and tt not in TRANSACTION_TYPE_LABELS:
                raise CatalogError(path.name, top.get("code", "?"), f"未知的交易类型 {tt}")
            order += 1
            _check_code(path.name, top.get("code"), 1, None, seen)
            categories.append(CategorySpec(top["code"], 1, None, top["name"], tt, top.get("description"), order))
            for scope in top.get("scopes") or []:
                order += 1
                _check_code(path.name, scope.get("code"), 2, top["code"], seen)
                categories.append(
                    CategorySpec(scope["code"], 2, top["code"], scope["name"], None, scope.get("description"), order)
                )
                for raw in scope.get("items") or []:
                    order += 1
                    _check_code(path.name, raw.get("code"), 3, scope["code"], seen)
                    values = _item_values(raw, defaults)
                    try:
                        check_fields(values, tt)
                    except InvalidInput as exc:
                        raise CatalogError(path.name, raw["code"], exc.detail) from None
                    items.append(ItemSpec(raw["code"], scope["code"], values, order))
    if not items:
        raise CatalogError(str(folder), "(目录)", "没有任何公开事项")
    return ShippedCatalog(categories, items, digest.hexdigest())


def _check_code(file: str, code: Any, level: int, parent: str | None, seen: set[str]) -> None:
    if not isinstance(code, str) or not CODE_PATTERN.match(code) or code.count(".") != level - 1:
        raise CatalogError(file, str(code), f"第{level}级事项的编码格式不正确")
    if parent is not None and not code.startswith(parent + "."):
        raise CatalogError(file, code, f"编码应以上级编码 {parent}. 开头")
    if code in seen:
        raise CatalogError(file, code, "编码重复")
    seen.add(code)


# --------------------------------------------------------------------------- loading


@dataclass
class LoadReport:
    categories_added: int = 0
    items_added: int = 0
    items_revised: int = 0
    unchanged: int = 0
    sha256: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.categories_added or self.items_added or self.items_revised)

    def __str__(self) -> str:
        return (
            f"公开事项目录：新增分类 {self.categories_added} 个，新增事项 {self.items_added} 项，"
            f"修订 {self.items_revised} 项，未变 {self.unchanged} 项"
        )


def item_values(item: CatalogItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in FIELDS}


def _digest(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def load_catalog(session: Session, *, actor: Principal | None = None, folder: Path = CATALOG_DIR) -> LoadReport:
    """Bring the database in line with the shipped catalog: missing categories and items are added, an item
    whose shipped wording differs becomes a revision (effective today). Running it again changes nothing."""
    shipped = parse_dir(folder)
    report = LoadReport(sha256=shipped.sha256)
    now, today = clock.now(), clock.today_local()
    by_code = {c.code: c for c in session.scalars(select(CatalogCategory))}
    for spec in shipped.categories:
        row = by_code.get(spec.code)
        if row is None:
            row = CatalogCategory(code=spec.code, level=spec.level)
            session.add(row)
            by_code[spec.code] = row
            report.categories_added += 1
        row.name, row.description, row.sort_order = spec.name, spec.description, spec.order
        row.transaction_type = spec.transaction_type
        if spec.parent is not None:
            session.flush()
            row.parent_id = by_code[spec.parent].id
    session.flush()
    items = {i.code: i for i in session.scalars(select(CatalogItem))}
    for spec in shipped.items:
        row = items.get(spec.code)
        if row is None:
            row = CatalogItem(
                code=spec.code,
                category_id=by_code[spec.category].id,
                sort_order=spec.order,
                version=1,
                effective_from=today,
                created_at=now,
                updated_at=now,
                **spec.values,
            )
            session.add(row)
            session.flush()
            ledger.append(
                session,
                "disclosure:catalog:item-added",
                f"disclosure-item:{row.code}",
                {"code": row.code, "name": row.name, "sha256": _digest(spec.values), "by": _by(actor)},
            )
            report.items_added += 1
            continue
        row.sort_order = spec.order
        if item_values(row) == spec.values:
            report.unchanged += 1
            continue
        changes = {k: v for k, v in spec.values.items() if getattr(row, k) != v}
        _revise(session, row, changes, effective_from=today, reason="目录数据文件更新", actor=actor)
        report.items_revised += 1
    if report.changed:
        ledger.append(
            session,
            "disclosure:catalog:loaded",
            "disclosure-catalog",
            {
                "sha256": shipped.sha256,
                "items": len(shipped.items),
                "added": report.items_added,
                "revised": report.items_revised,
                "by": _by(actor),
            },
        )
    session.flush()
    return report


def _by(actor: Principal | None) -> int | None:
    return actor.user_id if actor is not None else None


# --------------------------------------------------------------------------- revisions


def _revise(
    session: Session,
    item: CatalogItem,
    changes: dict[str, Any],
    *,
    effective_from: date,
    reason: str,
    actor: Principal | None,
) -> ItemRevision:
    now = clock.now()
    before = {k: getattr(item, k) for k in changes}
    entry = ledger.append(
        session,
        "disclosure:catalog:revised",
        f"disclosure-item:{item.code}",
        {
            "code": item.code,
            "effective_from": effective_from.isoformat(),
            "reason": reason,
            "before": before,
            "after": changes,
            "by": _by(actor),
        },
    )
    revision = ItemRevision(
        item_id=item.id,
        effective_from=effective_from,
        reason=reason,
        author_id=_by(actor),
        before=before,
        after=changes,
        created_at=now,
        applied_at=None,
        ledger_seq=entry.seq,
    )
    session.add(revision)
    if effective_from <= clock.today_local():
        _apply(item, revision)
    session.flush()
    return revision


def _apply(item: CatalogItem, revision: ItemRevision) -> None:
    for name, value in revision.after.items():
        setattr(item, name, value)
    item.version += 1
    item.effective_from = revision.effective_from
    item.updated_at = clock.now()
    revision.applied_at = clock.now()


def revise_item(
    session: Session,
    actor: Principal,
    code: str,
    changes: dict[str, Any],
    *,
    effective_from: date,
    reason: str,
) -> ItemRevision:
    """修订公开事项: the changed elements, the date they take effect and why. A future date waits for the tick."""
    item = get_item(session, code)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写修订理由（如文件文号或集体决策）", field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"修订理由最多 {MAX_REASON} 个字符", field="reason")
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise InvalidInput(f"不能修订的字段：{'、'.join(sorted(unknown))}", field=sorted(unknown)[0])
    if effective_from < clock.today_local() - MAX_BACKDATE:
        raise InvalidInput("生效日期不能早于一年前", field="effective_from")
    pending = session.scalar(
        select(ItemRevision.id).where(ItemRevision.item_id == item.id, ItemRevision.applied_at.is_(None))
    )
    if pending is not None:
        raise InvalidInput("该事项已有尚未生效的修订，请待其生效后再修订", field="effective_from")
    proposed = {**item_values(item), **changes}
    category = session.get(CatalogCategory, item.category_id)
    top = session.get(CatalogCategory, category.parent_id) if category and category.parent_id else category
    check_fields(proposed, top.transaction_type if top else None)
    real = {k: v for k, v in changes.items() if getattr(item, k) != v}
    if not real:
        raise InvalidInput("没有任何改动", field="reason")
    return _revise(session, item, real, effective_from=effective_from, reason=reason, actor=actor)


def apply_due_revisions(session: Session) -> list[str]:
    """The tick's part: revisions whose effective date has come are applied. Returns the item codes."""
    today = clock.today_local()
    rows = session.scalars(
        select(ItemRevision)
        .where(ItemRevision.applied_at.is_(None), ItemRevision.effective_from <= today)
        .order_by(ItemRevision.id)
    ).all()
    codes = []
    for revision in rows:
        item = session.get(CatalogItem, revision.item_id)
        _apply(item, revision)
        codes.append(item.code)
    session.flush()
    return codes


def revisions_of(session: Session, item: CatalogItem) -> list[ItemRevision]:
    stmt = select(ItemRevision).where(ItemRevision.item_id == item.id).order_by(ItemRevision.id.desc())
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------- reading


def get_item(session: Session, code: str) -> CatalogItem:
    item = session.scalar(
        select(CatalogItem).where(CatalogItem.code == code).options(selectinload(CatalogItem.category))
    )
    if item is None:
        raise NotFound(f"公开事项 {code} 不存在")
    return item


@dataclass
class Branch:
    category: CatalogCategory
    children: list[Branch] = field(default_factory=list)
    items: list[CatalogItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items) + sum(c.count for c in self.children)


def tree(session: Session) -> list[Branch]:
    """Level-1 branches in catalog order, each with its level-2 scopes and their items."""
    categories = list(session.scalars(select(CatalogCategory).order_by(CatalogCategory.sort_order)))
    branches = {c.id: Branch(c) for c in categories}
    for c in categories:
        if c.parent_id is not None and c.parent_id in branches:
            branches[c.parent_id].children.append(branches[c.id])
    for item in session.scalars(select(CatalogItem).order_by(CatalogItem.sort_order)):
        if item.category_id in branches:
            branches[item.category_id].items.append(item)
    return [b for b in branches.values() if b.category.level == 1]


def all_items(session: Session) -> list[CatalogItem]:
    return list(session.scalars(select(CatalogItem).order_by(CatalogItem.sort_order)))


@dataclass(frozen=True)
class Limit:
    ref: str
    title: str
    display: str
    basis_text: str
    unit: str

    @property
    def text(self) -> str:
        return f"{self.title}：{self.display}内"


class Limits:
    """Resolves items' time limits from the rule packs in force today, once per pack."""

    def __init__(self, session: Session, on: date | None = None) -> None:
        self.session = session
        self.on = on or clock.today_local()
        self._packs: dict[str, rules.ResolvedPack] = {}

    def of(self, ref: str) -> Limit:
        pack_key, _, rule_id = ref.partition("/")
        if pack_key not in self._packs:
            self._packs[pack_key] = rules.resolve(self.session, pack_key, self.on)
        rule = self._packs[pack_key].rule(rule_id)
        return Limit(ref, rule.title, rule.display, rule.basis_text, rule.unit)


def category_path(session: Session, item: CatalogItem) -> tuple[CatalogCategory, CatalogCategory]:
    """(level 1, level 2) of an item."""
    scope = session.get(CatalogCategory, item.category_id)
    top = session.get(CatalogCategory, scope.parent_id) if scope.parent_id else scope
    return top, scope


def transaction_type_of(session: Session, item: CatalogItem) -> str | None:
    return category_path(session, item)[0].transaction_type
