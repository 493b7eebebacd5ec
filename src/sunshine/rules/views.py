"""Public pages of the rule packs (/rules and /rules/{key}) and the administrator's override forms on them.
Thin: they call the rules service and render."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import SunshineError
from sunshine.core.inputs import IsoDate
from sunshine.identity.roles import Role
from sunshine.rules import service
from sunshine.rules.pack_format import (
    BOUND_LABELS,
    LIFECYCLE_LABELS,
    METHOD_LABELS,
    TRANSACTION_TYPE_LABELS,
    RulePack,
)
from sunshine.rules.registry import registry
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
ADMIN = Depends(Access(Role.ADMIN))


@router.get("/rules", response_class=HTMLResponse)
def rules_index(request: Request, _: Principal = PUBLIC) -> Response:
    reg, today = registry(), clock.today_local()
    groups: dict[str, list] = {t: [] for t in TRANSACTION_TYPE_LABELS}
    for key in reg:
        versions = reg.versions(key)
        in_force = [p for p in versions if p.effective_from <= today]
        pack = in_force[-1] if in_force else versions[0]
        groups[pack.transaction_type].append({"pack": pack, "in_force": bool(in_force), "versions": len(versions)})
    grouped = [(t, TRANSACTION_TYPE_LABELS[t], items) for t, items in groups.items() if items]
    return render(
        request,
        "rules_index.html",
        page_title="规则包",
        groups=grouped,
        method_labels=METHOD_LABELS,
        lifecycle_labels=LIFECYCLE_LABELS,
        today=today,
    )


def _history(session: Session, key: str, pack) -> list[dict]:
    out = []
    for row in service.override_history(session, key):
        rule = pack.rule(row.rule_id)
        out.append(
            {
                "rule_id": row.rule_id,
                "title": rule.title if rule else row.rule_id,
                "value": service.format_value(Decimal(row.value), rule.unit)
                if rule
                else service.plain(Decimal(row.value)),
                "reason": row.reason,
                "set_at": row.set_at,
                "cleared_at": row.cleared_at,
            }
        )
    return out


def _pack_page(
    request: Request,
    session: Session,
    key: str,
    on: date | None,
    principal: Principal,
    *,
    status: int = 200,
    errors: dict | None = None,
    form: dict | None = None,
) -> Response:
    today = clock.today_local()
    on = on or today
    resolved = service.resolve(session, key, on)
    reg = registry()
    pack = reg.in_force(key, on)  # a local pack laid over its national one, as ``resolved``
    current = [p for p in reg.versions(key) if p.effective_from <= today]
    return render(
        request,
        "rules_pack.html",
        status=status,
        page_title=pack.name,
        pack=pack,
        resolved=resolved,
        versions=reg.versions(key),
        current_version=current[-1].version if current else None,
        on=on,
        today=today,
        is_admin=principal.has(Role.ADMIN),
        history=_history(session, key, pack),
        type_label=TRANSACTION_TYPE_LABELS[pack.transaction_type],
        method_label=METHOD_LABELS[pack.method],
        lifecycle_label=LIFECYCLE_LABELS[pack.lifecycle],
        errors=errors or {},
        form=form or {},
        superseded=_superseded(pack, resolved),
    )


def _superseded(pack: RulePack, resolved: service.ResolvedPack) -> list[dict]:
    """A local pack's rules looser than the statute: the local text and the statute that governs, both shown."""
    out = []
    for rule in pack.superseded:
        governing = resolved.rule(rule.id) if resolved.has(rule.id) else None
        local_basis, by = rule.basis.model_dump(exclude_none=True), rule.superseded_by
        assert by is not None  # the pack format requires it of every superseded rule
        out.append(
            {
                "id": rule.id,
                "title": rule.title,
                "local": f"{BOUND_LABELS[rule.bound]} {service.format_value(rule.value, rule.unit)}",
                "local_basis": service.basis_text(local_basis),
                "local_text": local_basis.get("text"),
                "governing": f"{governing.bound_label} {governing.display}" if governing else "",
                "governing_basis": service.basis_text(by.model_dump(exclude_none=True)),
                "governing_text": by.text,
            }
        )
    return out


@router.get("/rules/{key}", response_class=HTMLResponse)
def rules_pack(
    request: Request,
    key: str,
    on: IsoDate | None = Query(None),
    session: Session = SessionDep,
    principal: Principal = PUBLIC,
) -> Response:
    return _pack_page(request, session, key, on, principal)


@router.post("/rules/{key}/overrides/{rule_id}", response_class=HTMLResponse)
def set_override(
    request: Request,
    key: str,
    rule_id: str,
    value: str = Form(""),
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = ADMIN,
) -> Response:
    def refused(session: Session, errors: dict[str, str]) -> Response:
        form = {"rule": rule_id, "value": value, "reason": reason}
        return _pack_page(request, session, key, None, principal, status=400, errors=errors, form=form)

    def field_of(exc: SunshineError) -> str:
        return exc.extra.get("field") if exc.extra.get("field") in ("value", "reason") else "value"

    errors: dict[str, str] = {}
    if not value.strip():
        errors["value"] = "请填写本地值"
    if not reason.strip():
        errors["reason"] = "请填写调整理由（如本地规章或集体决策的文号）"
    if errors:
        return refused(session, errors)
    with refusals_shown_on(lambda s, exc: refused(s, {field_of(exc): exc.detail})):
        rule = service.set_override(session, actor=principal, key=key, rule_id=rule_id, value=value, reason=reason)
    message = f"已将「{rule.title}」本地调整为 {rule.display}（法定 {rule.statutory_display}），已记入留痕"
    flash(request, "success", message)
    return redirect(request, f"/rules/{key}#rule-{rule_id}")


@router.post("/rules/{key}/overrides/{rule_id}/clear")
def clear_override(
    request: Request, key: str, rule_id: str, session: Session = SessionDep, principal: Principal = ADMIN
) -> Response:
    rule = service.clear_override(session, actor=principal, key=key, rule_id=rule_id)
    flash(request, "success", f"已撤销「{rule.title}」的本地调整，恢复法定值 {rule.statutory_display}")
    return redirect(request, f"/rules/{key}#rule-{rule_id}")
