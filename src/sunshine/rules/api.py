"""JSON routes of the rule packs: anyone may read every pack, its versions and the local overrides shown
next to the statutory values; only the administrator sets or clears an override."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import IsoDate
from sunshine.identity.roles import Role
from sunshine.rules import service
from sunshine.rules.registry import registry
from sunshine.rules.schemas import OverrideIn, PackBrief, PackOut, RuleOut, VersionOut

router = APIRouter(prefix="/api/v1/rules", tags=["规则包"])

KeyPath = Path(..., max_length=100, description="规则包标识，如 engineering.open_tender")
RulePath = Path(..., max_length=100, description="规则编号，如 docs_to_bid_deadline")


def pack_out(session: Session, key: str, on: date) -> PackOut:
    resolved = service.resolve(session, key, on)
    pack = registry().get(key, resolved.version)
    return PackOut.build(pack, resolved, service.override_history(session, key))


@router.get("", response_model=list[PackBrief], summary="全部规则包（今日施行的版本）")
def list_packs(_: Principal = Depends(Access.public())) -> list[PackBrief]:
    reg, today = registry(), clock.today_local()
    out = []
    for key in reg:
        versions = reg.versions(key)
        in_force = [p for p in versions if p.effective_from <= today]
        out.append(PackBrief.of(in_force[-1] if in_force else versions[0], in_force=bool(in_force)))
    return out


@router.get("/{key}", response_model=PackOut, summary="某规则包在某日施行的版本，含本地调整与法定值")
def get_pack(
    key: str = KeyPath,
    on: IsoDate | None = Query(None, description="按该日施行的版本（YYYY-MM-DD），默认今天"),
    session: Session = SessionDep,
    _: Principal = Depends(Access.public()),
) -> PackOut:
    return pack_out(session, key, on or clock.today_local())


@router.get("/{key}/versions", response_model=list[VersionOut], summary="某规则包的全部版本")
def versions(key: str = KeyPath, _: Principal = Depends(Access.public())) -> list[VersionOut]:
    packs = registry().versions(key)
    today = clock.today_local()
    current = [p for p in packs if p.effective_from <= today]
    current_version = current[-1].version if current else None
    return [VersionOut.of(p, p.version == current_version) for p in packs]


@router.put("/{key}/overrides/{rule_id}", response_model=RuleOut, summary="设置本地调整（系统管理员）")
def set_override(
    body: OverrideIn,
    key: str = KeyPath,
    rule_id: str = RulePath,
    session: Session = SessionDep,
    principal: Principal = Depends(Access(Role.ADMIN)),
) -> RuleOut:
    rule = service.set_override(
        session, actor=principal, key=key, rule_id=rule_id, value=body.value, reason=body.reason
    )
    return RuleOut.of(rule)


@router.delete("/{key}/overrides/{rule_id}", response_model=RuleOut, summary="撤销本地调整（系统管理员）")
def clear_override(
    key: str = KeyPath,
    rule_id: str = RulePath,
    session: Session = SessionDep,
    principal: Principal = Depends(Access(Role.ADMIN)),
) -> RuleOut:
    return RuleOut.of(service.clear_override(session, actor=principal, key=key, rule_id=rule_id))
