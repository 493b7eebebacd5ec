"""Who manages the people of an organisation.

A market participant (企业、代理机构、招标人/采购人) manages its own people: its administrator (企业管理员) adds
users to the organisation, grants and removes the roles that fit its kind, and deactivates them; it never reaches
another organisation's users and cannot remove its organisation's last active administrator. The platform
administrator manages the platform-side organisations (the centre, the departments) and users without an
organisation, and may only deactivate or reactivate a market participant's user: it never creates a user inside a
market participant and never grants or removes a role of ``ORGANISATION_ROLES`` — so no route lets it act, or make
someone act, for a bidder.

Never commits: the caller's unit of work does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity import service
from sunshine.identity.models import Organisation, OrganisationKind, User, UserRole
from sunshine.identity.roles import ORGANISATION_ROLES, Role
from sunshine.ledger import service as ledger

MARKET_KINDS = frozenset(
    {OrganisationKind.ENTERPRISE.value, OrganisationKind.AGENCY.value, OrganisationKind.PURCHASER.value}
)

# the roles an organisation's administrator may grant, by the organisation's kind
ROLES_BY_KIND: dict[str, tuple[Role, ...]] = {
    OrganisationKind.ENTERPRISE.value: (Role.ENTERPRISE_ADMIN, Role.BIDDER, Role.SIGNER, Role.ORG_VIEWER),
    OrganisationKind.AGENCY.value: (Role.ENTERPRISE_ADMIN, Role.AGENCY, Role.SIGNER, Role.ORG_VIEWER),
    OrganisationKind.PURCHASER.value: (Role.ENTERPRISE_ADMIN, Role.TENDERER, Role.SIGNER, Role.ORG_VIEWER),
}


class OrganisationUsersOnly(Forbidden):
    code = "organisation_users_by_own_admin"
    title = "市场主体的用户和单位内角色只能由该单位的管理员管理"


class RoleNotForOrganisation(InvalidInput):
    code = "role_not_for_organisation"
    title = "该角色不适用于本单位"


class LastOrganisationAdministrator(Conflict):
    code = "last_organisation_administrator"
    title = "本单位须至少保留一名有效的企业管理员"


# Who tells an organisation what changed among its people: the market domain installs the 站内通知 (the inbox lives
# above identity). Each is called with the organisation's id, a subject and a body without personal data.
Notifier = Callable[[Session, int, str, str], None]
_notifiers: list[Notifier] = []


def notifier(fn: Notifier) -> Notifier:
    """Add a way to tell an organisation of a change to its people (idempotent)."""
    if fn not in _notifiers:
        _notifiers.append(fn)
    return fn


def _notify(session: Session, organisation_id: int | None, subject: str, body: str) -> None:
    if organisation_id is None:
        return
    for fn in _notifiers:
        fn(session, organisation_id, subject, body)


def _role_text(roles: Iterable[Role]) -> str:
    return "、".join(r.label for r in sorted({Role(x) for x in roles})) or "（无）"


def is_market_organisation(org: Organisation | None) -> bool:
    return org is not None and org.kind in MARKET_KINDS


# --------------------------------------------------------------------------- the platform administrator


def admin_create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[Role],
    organisation_id: int | None,
) -> User:
    """A user the platform administrator creates: never inside a market participant, never with a role of one."""
    wanted = {Role(r) for r in roles}
    if organisation_id is not None and is_market_organisation(service.get_organisation(session, organisation_id)):
        raise OrganisationUsersOnly(
            "系统管理员不能在企业、代理机构或招标人/采购人单位中创建用户；该单位的用户由其企业管理员添加",
            field="organisation_id",
        )
    if wanted & ORGANISATION_ROLES:
        labels = "、".join(r.label for r in sorted(wanted & ORGANISATION_ROLES))
        raise OrganisationUsersOnly(
            f"系统管理员不能授予单位内角色（{labels}）；这些角色由各单位的企业管理员授予", field="roles"
        )
    return service.create_user(
        session,
        username=username,
        display_name=display_name,
        password=password,
        roles=wanted,
        organisation_id=organisation_id,
    )


def admin_set_roles(session: Session, *, actor: Principal, user_id: int, roles: Iterable[Role]) -> User:
    """The platform administrator changes a platform user's roles: a market participant's user, and any change
    that adds or removes a role of ``ORGANISATION_ROLES``, are refused."""
    user = service.get_user(session, user_id)
    if is_market_organisation(user.organisation):
        raise OrganisationUsersOnly(
            "系统管理员不能更改企业、代理机构或招标人/采购人单位用户的角色，只能停用或启用该用户"
        )
    wanted = {Role(r) for r in roles}
    held = {Role(ur.role) for ur in user.roles}
    if (wanted ^ held) & ORGANISATION_ROLES:
        raise OrganisationUsersOnly("系统管理员不能授予或取消单位内角色（企业管理员、投标经办、签章人等）")
    return service.set_roles(session, actor=actor, user_id=user_id, roles=wanted)


def admin_set_active(session: Session, *, actor: Principal, user_id: int, active: bool) -> User:
    """The platform administrator deactivates or reactivates any user; a market participant is told. Reactivation
    gives back the roles the organisation's administrator had granted, nothing more."""
    user = service.set_active(session, actor=actor, user_id=user_id, active=active)
    if is_market_organisation(user.organisation):
        verb = "启用" if active else "停用"
        _notify(
            session,
            user.organisation_id,
            f"系统管理员{verb}了本单位用户",
            f"系统管理员{verb}了本单位用户账号 {user.username}。",
        )
    return user


# --------------------------------------------------------------------------- the organisation's own administrator


def _own_organisation(session: Session, actor: Principal) -> Organisation:
    if Role.ENTERPRISE_ADMIN not in actor.roles or actor.organisation_id is None:
        raise Forbidden("只有本单位的企业管理员可以管理本单位用户")
    org = session.get(Organisation, actor.organisation_id)
    if not is_market_organisation(org):
        raise Forbidden("只有企业、代理机构或招标人/采购人单位的管理员可以管理本单位用户")
    return org


def _own_user(session: Session, actor: Principal, org: Organisation, user_id: int) -> User:
    user = session.scalar(select(User).where(User.id == user_id).options(selectinload(User.roles)))
    if user is None or user.organisation_id != org.id:
        raise NotFound("用户不存在")  # another organisation's user does not exist for this administrator
    return user


def grantable(org: Organisation) -> tuple[Role, ...]:
    return ROLES_BY_KIND.get(org.kind, ())


def _checked_roles(org: Organisation, roles: Iterable[Role]) -> set[Role]:
    wanted = {Role(r) for r in roles}
    allowed = set(grantable(org))
    if not wanted:
        raise RoleNotForOrganisation("请至少选择一个角色", field="roles")
    if wanted - allowed:
        labels = "、".join(r.label for r in sorted(wanted - allowed))
        raise RoleNotForOrganisation(
            f"{OrganisationKind(org.kind).label}单位不能授予以下角色：{labels}；可授予："
            + "、".join(r.label for r in sorted(allowed)),
            field="roles",
        )
    return wanted


def _keep_an_org_administrator(session: Session, org: Organisation, user: User) -> None:
    others = session.scalars(
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.organisation_id == org.id,
            UserRole.role == Role.ENTERPRISE_ADMIN.value,
            User.is_active.is_(True),
            User.id != user.id,
        )
        .with_for_update(of=User)
    ).all()
    if not others:
        raise LastOrganisationAdministrator(
            "该用户是本单位唯一有效的企业管理员，不能取消其企业管理员角色或停用；请先为另一名用户授予企业管理员角色"
        )


def _is_active_org_admin(user: User) -> bool:
    return user.is_active and any(ur.role == Role.ENTERPRISE_ADMIN.value for ur in user.roles)


ORG_USER_ORDER = Keyset.of("organisation-users", Key(User.id, False))


def user_page(session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None) -> Page[User]:
    """The users of the actor's own organisation, in the order created, one page at a time."""
    org = _own_organisation(session, actor)
    stmt = select(User).where(User.organisation_id == org.id)
    return paginate(session, stmt, ORG_USER_ORDER, cursor=cursor, limit=limit, options=(selectinload(User.roles),))


def add_user(
    session: Session, actor: Principal, *, username: str, display_name: str, password: str, roles: Iterable[Role]
) -> User:
    org = _own_organisation(session, actor)
    wanted = _checked_roles(org, roles)
    user = service.create_user(
        session, username=username, display_name=display_name, password=password, roles=wanted, organisation_id=org.id
    )
    ledger.append(
        session,
        "identity:organisation:user-added",
        f"organisation:{org.id}",
        {"user": user.id, "roles": sorted(r.value for r in wanted), "by": actor.user_id},
    )
    _notify(
        session, org.id, "本单位新增用户", f"本单位管理员添加了用户账号 {user.username}，角色：{_role_text(wanted)}。"
    )
    return user


def set_user_roles(session: Session, actor: Principal, user_id: int, roles: Iterable[Role]) -> User:
    org = _own_organisation(session, actor)
    user = _own_user(session, actor, org, user_id)
    wanted = _checked_roles(org, roles)
    if _is_active_org_admin(user) and Role.ENTERPRISE_ADMIN not in wanted:
        _keep_an_org_administrator(session, org, user)
    changed = service.set_roles(session, actor=actor, user_id=user.id, roles=wanted)
    _notify(
        session,
        org.id,
        "本单位用户角色变更",
        f"本单位管理员将用户账号 {user.username} 的角色设为：{_role_text(wanted)}。",
    )
    return changed


def set_user_active(session: Session, actor: Principal, user_id: int, active: bool) -> User:
    org = _own_organisation(session, actor)
    user = _own_user(session, actor, org, user_id)
    if not active and _is_active_org_admin(user):
        _keep_an_org_administrator(session, org, user)
    changed = service.set_active(session, actor=actor, user_id=user.id, active=active)
    verb = "启用" if active else "停用"
    _notify(session, org.id, f"本单位用户已{verb}", f"本单位管理员{verb}了用户账号 {user.username}。")
    return changed
