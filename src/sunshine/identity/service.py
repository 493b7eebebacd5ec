"""Business operations on organisations, users, roles and tokens. Never commits: the caller's unit
of work does."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import (
    AlreadyExists,
    Conflict,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    SessionExpired,
    TokenExpired,
)
from sunshine.core.formatting import local_time
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity import credit_code
from sunshine.identity.models import AuthToken, Organisation, OrganisationKind, TokenKind, User, UserRole
from sunshine.identity.passwords import hash_password, needs_rehash, verify_password, verify_unknown_user
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger

MIN_PASSWORD_LENGTH = 10


def create_organisation(
    session: Session,
    *,
    name: str,
    credit_code_value: str,
    kind: OrganisationKind,
    region_code: str,
    contact_phone: str | None = None,
    address: str | None = None,
) -> Organisation:
    code = credit_code_value.strip().upper()
    if (why := credit_code.problem(code)) is not None:
        raise InvalidInput(why, field="credit_code")
    if not (len(region_code) == 6 and region_code.isdigit()):
        raise InvalidInput("行政区划代码应为6位数字", field="region_code")
    if session.scalar(select(Organisation.id).where(Organisation.credit_code == code)) is not None:
        raise AlreadyExists(f"统一社会信用代码 {code} 已登记")
    org = Organisation(
        name=name.strip(),
        credit_code=code,
        kind=kind.value,
        region_code=region_code,
        contact_phone=contact_phone,
        address=address,
        created_at=clock.now(),
    )
    session.add(org)
    session.flush()
    ledger.append(
        session,
        "identity:organisation:registered",
        f"organisation:{org.id}",
        {"name": org.name, "credit_code": org.credit_code, "kind": org.kind, "region_code": region_code},
    )
    return org


# Conditions the public listing of organisations adds (the market register leaves out participants the centre has
# not yet approved): each returns a SQL condition on ``Organisation``.
_public_filters: list[Callable[[], object]] = []


def public_listing_filter(fn: Callable[[], object]) -> Callable[[], object]:
    if fn not in _public_filters:
        _public_filters.append(fn)
    return fn


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("机构不存在")
    return org


def find_organisation_by_code(session: Session, code: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.credit_code == code.strip().upper()))


def list_organisations(
    session: Session, kind: OrganisationKind | None = None, *, public: bool = False
) -> list[Organisation]:
    stmt = select(Organisation).order_by(Organisation.id)
    if kind is not None:
        stmt = stmt.where(Organisation.kind == kind.value)
    if public:
        stmt = stmt.where(*(f() for f in _public_filters))
    return list(session.scalars(stmt))


ORGANISATION_ORDER = Keyset.of("organisations", Key(Organisation.id, descending=False))


def page_organisations(
    session: Session,
    kind: OrganisationKind | None = None,
    *,
    public: bool = False,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Organisation]:
    """``list_organisations`` one page at a time, in registration order, after ``cursor``."""
    stmt = select(Organisation)
    if kind is not None:
        stmt = stmt.where(Organisation.kind == kind.value)
    if public:
        stmt = stmt.where(*(f() for f in _public_filters))
    return paginate(session, stmt, ORGANISATION_ORDER, cursor=cursor, limit=limit)


def public_counts(session: Session) -> dict[str, int]:
    """How many organisations of each kind the public directories list (the home page's figures)."""
    stmt = select(Organisation.kind, func.count()).where(*(f() for f in _public_filters)).group_by(Organisation.kind)
    return dict(session.execute(stmt).all())


def get_public_organisation(session: Session, organisation_id: int) -> Organisation:
    org = session.scalar(
        select(Organisation).where(Organisation.id == organisation_id, *(f() for f in _public_filters))
    )
    if org is None:
        raise NotFound("机构不存在")
    return org


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[Role],
    organisation_id: int | None = None,
) -> User:
    username = username.strip()
    if not username or len(username) > 64:
        raise InvalidInput("用户名应为1至64个字符", field="username")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"密码至少{MIN_PASSWORD_LENGTH}个字符", field="password")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AlreadyExists(f"用户名 {username} 已被使用")
    if organisation_id is not None:
        get_organisation(session, organisation_id)
    role_set = sorted({Role(r) for r in roles})
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=hash_password(password),
        organisation_id=organisation_id,
        is_active=True,
        created_at=clock.now(),
        roles=[UserRole(role=r.value) for r in role_set],
    )
    session.add(user)
    session.flush()
    ledger.append(
        session,
        "identity:user:created",
        f"user:{user.id}",
        {"username": username, "roles": [r.value for r in role_set], "organisation_id": organisation_id},
    )
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.scalar(
        select(User).where(User.id == user_id).options(selectinload(User.roles), selectinload(User.organisation))
    )
    if user is None:
        raise NotFound("用户不存在")
    return user


def visible_user(session: Session, principal: Principal, user_id: int) -> User:
    """A user's account as ``principal`` may see it: one's own, or any for an administrator.
    Anyone else is told it does not exist."""
    if principal.user_id != user_id and Role.ADMIN not in principal.roles:
        raise NotFound("用户不存在")
    return get_user(session, user_id)


def list_users(session: Session) -> list[User]:
    stmt = select(User).order_by(User.id).options(selectinload(User.roles), selectinload(User.organisation))
    return list(session.scalars(stmt))


USER_ORDER = Keyset.of("users", Key(User.id, False))


def user_page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[User]:
    """``list_users`` one page at a time."""
    options = (selectinload(User.roles), selectinload(User.organisation))
    return paginate(session, select(User), USER_ORDER, cursor=cursor, limit=limit, options=options)


class LastAdministrator(Conflict):
    code = "last_administrator"
    title = "平台须至少保留一名有效的系统管理员"


def _keep_an_administrator(session: Session, user: User) -> None:
    """Refuse a change that would leave the platform without an active administrator: nobody could then manage
    users, calendars or rule packs. The other administrators' rows are locked, so two administrators removing
    each other at the same moment cannot both succeed."""
    others = session.scalars(
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.ADMIN.value, User.is_active.is_(True), User.id != user.id)
        .with_for_update(of=User)
    ).all()
    if not others:
        raise LastAdministrator(
            "该用户是平台唯一有效的系统管理员，不能取消其系统管理员角色或停用；请先为另一名用户授予系统管理员角色"
        )


def _is_active_admin(user: User) -> bool:
    return user.is_active and any(ur.role == Role.ADMIN.value for ur in user.roles)


def set_roles(session: Session, *, actor: Principal, user_id: int, roles: Iterable[Role]) -> User:
    user = get_user(session, user_id)
    wanted = {Role(r) for r in roles}
    if _is_active_admin(user) and Role.ADMIN not in wanted:
        _keep_an_administrator(session, user)
    user.roles = [ur for ur in user.roles if Role(ur.role) in wanted]
    held = {Role(ur.role) for ur in user.roles}
    user.roles.extend(UserRole(role=r.value) for r in sorted(wanted - held))
    session.flush()
    ledger.append(
        session,
        "identity:user:roles-changed",
        f"user:{user.id}",
        {"roles": sorted(r.value for r in wanted), "by": actor.user_id},
    )
    return user


def set_active(session: Session, *, actor: Principal, user_id: int, active: bool) -> User:
    user = get_user(session, user_id)
    if not active and _is_active_admin(user):
        _keep_an_administrator(session, user)
    user.is_active = active
    if not active:
        _revoke_all(session, user.id)
    ledger.append(
        session, "identity:user:activation-changed", f"user:{user.id}", {"active": active, "by": actor.user_id}
    )
    return user


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()).options(selectinload(User.roles)))
    if user is None:
        verify_unknown_user(password)
        raise InvalidCredentials()
    if not verify_password(user.password_hash, password) or not user.is_active:
        raise InvalidCredentials()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(session: Session, user: User, kind: TokenKind) -> tuple[str, AuthToken]:
    """A new random token for ``user``; only its digest is stored, the raw value is returned once."""
    settings = get_settings()
    hours = settings.session_hours if kind is TokenKind.SESSION else settings.api_token_hours
    raw = secrets.token_urlsafe(32)
    now = clock.now()
    token = AuthToken(
        token_hash=_digest(raw),
        kind=kind.value,
        user_id=user.id,
        csrf_secret=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + timedelta(hours=hours),
        authenticated_at=now,
    )
    session.add(token)
    session.flush()
    return raw, token


def principal_for_token(session: Session, raw: str, kind: str) -> Principal | None:
    row = session.execute(
        select(AuthToken, User)
        .join(User, User.id == AuthToken.user_id)
        .where(AuthToken.token_hash == _digest(raw), AuthToken.kind == kind)
        .options(selectinload(User.roles))
    ).first()
    if row is None:
        return None
    token, user = row
    if token.revoked_at is not None or not user.is_active:
        return None
    if token.expires_at <= clock.now():
        if kind == TokenKind.SESSION.value:
            hours = get_settings().session_hours
            raise SessionExpired(f"登录已超过 {hours} 小时有效期，为保护账户安全已自动退出，请重新登录")
        raise TokenExpired(f"访问令牌已于 {local_time(token.expires_at)} 过期，请重新获取（POST /api/v1/auth/token）")
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=frozenset(Role(r.role) for r in user.roles),
        organisation_id=user.organisation_id,
        csrf_secret=token.csrf_secret,
        token_id=token.id,
        authenticated_at=token.authenticated_at,
    )


def reauthenticate(session: Session, principal: Principal, password: str) -> None:
    """The signed-in user enters the password again before a sensitive step: the token it came with records
    the time (``RecentAuth`` reads it). Wrong password: ``InvalidCredentials``, counted by the caller's
    throttle like a failed sign-in."""
    user = authenticate(session, principal.username or "", password)
    if user.id != principal.user_id:
        raise InvalidCredentials()
    token = session.get(AuthToken, principal.token_id, with_for_update=True)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise InvalidCredentials()
    token.authenticated_at = clock.now()
    session.flush()


def revoke_token(session: Session, raw: str) -> None:
    token = session.scalar(select(AuthToken).where(AuthToken.token_hash == _digest(raw)))
    if token is not None and token.revoked_at is None:
        token.revoked_at = clock.now()


def _revoke_all(session: Session, user_id: int) -> None:
    now = clock.now()
    for token in session.scalars(select(AuthToken).where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))):
        token.revoked_at = now
