"""The section's evaluation declaration (评标办法): the method, the criteria with their ranges, the price weight,
the SME deduction, the number of candidates and the tender's own tie rule, as the tender documents declare them.
The project's agency (or tenderer) sets it before the opening; the method's own ``check`` refuses what the law does
not allow (a price weight below 87号令 第五十五条's minimum, say). The committee evaluates against it, never
against anything typed later.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.evaluation import methods as registry
from sunshine.evaluation.methods.base import Criterion, Declared, Method
from sunshine.evaluation.models import EvaluationDeclaration
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.rules.registry import registry as rules_registry
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Project, Section

#: the states before the opening, in which the tender's declaration may still be set
BEFORE_OPENING = frozenset({"registered", "accepted", "notice_published"})
KINDS = {"price": "价格", "technical": "技术", "commercial": "商务"}
CATEGORIES = {"goods": "货物", "services": "服务", "works": "工程"}


class DeclarationInvalid(InvalidInput):
    code = "evaluation_declaration_invalid"
    title = "评标办法声明不符合规定"


class DeclarationMissing(Conflict):
    code = "evaluation_declaration_missing"
    title = "该标段（包）尚未声明评标办法"


def method(code: str) -> Method:
    """The method registered under ``code``; a code nobody registered answers 422."""
    try:
        return registry.get(code)
    except NotFound:
        raise DeclarationInvalid(f"平台没有代码为“{code}”的评标办法", field="method") from None


def method_of_title(title: str | None) -> Method | None:
    """The method the project's registration names in Chinese (``project.evaluation_method``), if registered."""
    if not title:
        return None
    try:
        return registry.by_title(title)
    except NotFound:
        return None


def rule_values(session: Session, project: Project) -> dict[str, Decimal]:
    """The rules the methods read, id → value: the project's snapshot of its registration day, and a rule added to
    its pack since (the methods' price weights, deduction ranges, candidate counts) from the pack in force today."""
    values: dict[str, Decimal] = {}
    today = rules.resolve(session, project.pack_key, clock.today_local())
    if today is not None:
        values.update({r.id: Decimal(str(r.value)) for r in today.rules})
    values.update({r.id: Decimal(str(r.value)) for r in rules.rules_of(project).rules})
    return values


def _decimal(value: Any, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DeclarationInvalid(f"{label}应为数字", field=field) from None
    if not number.is_finite():
        raise DeclarationInvalid(f"{label}应为数字", field=field)
    return number


def _criteria(items: list[Mapping[str, Any]]) -> tuple[Criterion, ...]:
    out, seen = [], set()
    for i, item in enumerate(items):
        code = str(item.get("code") or "").strip()
        title = str(item.get("title") or "").strip()
        kind = str(item.get("kind") or "")
        if not code or len(code) > 40 or code in seen:
            raise DeclarationInvalid("每个评分因素须有唯一的代码（不超过40字符）", field=f"criteria.{i}.code")
        if not title or len(title) > 100:
            raise DeclarationInvalid("请填写评分因素名称（不超过100字）", field=f"criteria.{i}.title")
        if kind not in KINDS:
            raise DeclarationInvalid("评分因素类别应为价格、技术或商务", field=f"criteria.{i}.kind")
        high = _decimal(item.get("max_score"), f"criteria.{i}.max_score", "分值上限")
        low = _decimal(item.get("min_score", 0), f"criteria.{i}.min_score", "分值下限")
        if not (Decimal(0) <= low < high <= Decimal(100)):
            raise DeclarationInvalid("分值范围应在0至100之间且上限大于下限", field=f"criteria.{i}.max_score")
        seen.add(code)
        out.append(Criterion(code=code, title=title, kind=kind, max_score=high, min_score=low))  # type: ignore[arg-type]
    return tuple(out)


def declared_of(row: EvaluationDeclaration) -> Declared:
    items = json.loads(row.criteria_json or "[]")
    criteria = tuple(
        Criterion(
            code=c["code"],
            title=c["title"],
            kind=c["kind"],
            max_score=Decimal(c["max_score"]),
            min_score=Decimal(c.get("min_score", "0")),
        )
        for c in items
    )
    return Declared(
        method=row.method,
        criteria=criteria,
        price_weight=row.price_weight,
        sme_deduction=row.sme_deduction or Decimal(0),
        candidates=row.candidates,
        tie_break=row.tie_break,
        category=row.category,  # type: ignore[arg-type]
        price_fixed=bool(row.price_fixed),
    )


def of_section(session: Session, section_id: int) -> EvaluationDeclaration | None:
    return session.scalar(select(EvaluationDeclaration).where(EvaluationDeclaration.section_id == section_id))


def required(session: Session, section_id: int) -> EvaluationDeclaration:
    row = of_section(session, section_id)
    if row is None:
        raise DeclarationMissing("该标段（包）的招标文件尚未在平台声明评标办法和评分标准，不能开始评审")
    return row


def _check_joint(session: Session, project: Project, section_id: int, lead_id: int | None) -> None:
    """合并评审: the lead is another section of the project, itself evaluated on its own account (no chains), and
    a section others are evaluated with cannot in turn be evaluated with another."""
    if lead_id is None:
        return
    lead = session.get(Section, lead_id)
    if lead is None or lead.project_id != project.id or lead_id == section_id:
        raise DeclarationInvalid("合并评审的标段（包）应为本项目的另一标段（包）", field="evaluated_with")
    lead_decl = of_section(session, lead_id)
    if lead_decl is not None and lead_decl.evaluated_with is not None:
        raise DeclarationInvalid("请选择合并评审的主标段（包）（其本身不与其他标段合并）", field="evaluated_with")
    led = select(EvaluationDeclaration.id).where(EvaluationDeclaration.evaluated_with == section_id)
    if session.scalar(led.limit(1)) is not None:
        raise DeclarationInvalid("已有标段（包）与本标段合并评审，本标段为主标段", field="evaluated_with")


def declare(
    session: Session,
    actor: Principal,
    section_id: int,
    *,
    method_code: str,
    criteria: list[Mapping[str, Any]],
    price_weight: Any = None,
    sme_deduction: Any = 0,
    candidates: int = 3,
    tie_break: str | None = None,
    category: str | None = None,
    price_fixed: bool = False,
    evaluated_with: int | None = None,
) -> EvaluationDeclaration:
    """Set (or replace, before the opening) the section's declaration, checked by the method. ``evaluated_with``:
    the lead section of the same project this one is evaluated together with (合并评审: one committee, one session)."""
    section = session.get(Section, section_id)
    project = session.get(Project, section.project_id) if section is not None else None
    if project is None or not trading_visibility.is_visible(actor, project):
        raise NotFound("标段（包）不存在")
    if not trading_visibility.is_party(actor, project):
        raise Forbidden("评标办法由招标人（采购人）或其代理机构在招标文件中声明")
    if project.state not in BEFORE_OPENING:
        raise Conflict("开标后不能再声明或修改评标办法")
    chosen = method(method_code)
    named = method_of_title(project.evaluation_method)
    if named is not None and named.code != chosen.code:
        raise DeclarationInvalid(f"项目登记的评标办法为“{project.evaluation_method}”，声明应一致", field="method")
    weight = None if price_weight in (None, "") else _decimal(price_weight, "price_weight", "价格权重")
    deduction = _decimal(sme_deduction or 0, "sme_deduction", "价格扣除比例")
    if category not in (None, *CATEGORIES):
        raise DeclarationInvalid("采购标的类别应为货物、服务或工程", field="category")
    if not 1 <= int(candidates) <= 10:
        raise DeclarationInvalid("推荐的中标候选人数量应为1至10", field="candidates")
    declared = Declared(
        method=chosen.code,
        criteria=_criteria(criteria),
        price_weight=weight,
        sme_deduction=deduction,
        candidates=int(candidates),
        tie_break=(tie_break or None),
        category=category,  # type: ignore[arg-type]
        price_fixed=bool(price_fixed),
    )
    pack = rules_registry().get(project.pack_key, project.pack_version)
    if pack.extends is not None:  # a local pack: its national pack's methods, as in force at registration
        pack = rules_registry().in_force(project.pack_key, project.registered_at.astimezone(get_settings().tz).date())
    allowed = pack.evaluation_methods
    problems = registry.check_allowed(chosen, allowed) if allowed else []
    problems += chosen.check(declared, rule_values(session, project))
    if problems:
        raise DeclarationInvalid("；".join(problems))
    _check_joint(session, project, section_id, evaluated_with)
    row = of_section(session, section_id) or EvaluationDeclaration(project_id=project.id, section_id=section_id)
    row.evaluated_with = evaluated_with
    row.method = chosen.code
    row.criteria_json = json.dumps(
        [
            {
                "code": c.code,
                "title": c.title,
                "kind": c.kind,
                "max_score": str(c.max_score),
                "min_score": str(c.min_score),
            }
            for c in declared.criteria
        ],
        ensure_ascii=False,
    )
    row.price_weight, row.sme_deduction = weight, deduction
    row.candidates, row.tie_break = declared.candidates, declared.tie_break
    row.category, row.price_fixed = category, bool(price_fixed)
    row.set_by, row.set_at = actor.user_id, clock.now()
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "evaluation:declaration:set",
        f"project:{project.code}",
        {
            "section": section.number,
            "method": chosen.code,
            "criteria": [c.code for c in declared.criteria],
            **({"evaluated_with": evaluated_with} if evaluated_with is not None else {}),
        },
    )
    return row
