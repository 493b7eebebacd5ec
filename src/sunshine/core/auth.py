"""The single authorisation mechanism: who is calling (``Principal``) and which roles a route admits.

Every route takes ``Depends(Access(...))``. API routes authenticate by bearer token only, pages by
the session cookie only, so a page form can never be replayed against the API without a token.
Route-level refusals answer 401/403 (the route itself is public knowledge); object-level refusals
are the services' job and answer 404, so nobody learns that an object they may not see exists.

Sessions expire: a page session after ``session_idle_minutes`` without a request and after ``session_hours``
in any case, an API token after ``api_token_hours``. The idle time is kept without a database write: each
response to a signed-in page request carries a signed activity cookie (``ACTIVITY_COOKIE``: the token's id and
the time, signed with the platform's secret); a request is idle since the later of that time and the last
password entry. A sensitive step takes ``RecentAuth(...)`` instead of ``Access(...)``: the password must
have been entered within ``reauth_minutes``, or the step answers 401 ``reauthentication_required``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.errors import Forbidden, NotAuthenticated, ReauthenticationRequired, SessionExpired
from sunshine.identity.roles import Role

SESSION_COOKIE = "sunshine_session"
ACTIVITY_COOKIE = "sunshine_seen"
WROTE_COOKIE = "sunshine_wrote"  # the primary's WAL position after this browser's last write (read-your-writes)
# Public reads that may come from a read replica (db.Database.unit_of_work(replica=True)): pages and lists anyone
# may read, the search, statistics and open data. Everything else — signed-in work pages, API calls with a token
# (no cookie jar to carry the write mark), every step — reads the primary.
REPLICA_READ_EXACT = frozenset({"/"})
REPLICA_READ_PREFIXES = (
    "/notices",
    "/search",
    "/statistics",
    "/opendata",
    "/api/v1/notices",
    "/api/v1/search",
    "/api/v1/statistics",
    "/api/v1/opendata",
)
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")
REAUTH_PAGE = "/reauth"
REAUTH_API = "/api/v1/auth/token"


@dataclass(frozen=True)
class Principal:
    user_id: int | None = None
    username: str | None = None
    display_name: str = "社会公众"
    roles: frozenset[Role] = field(default_factory=frozenset)
    organisation_id: int | None = None
    csrf_secret: str | None = None
    token_id: int | None = None  # the session or API token the request came with
    authenticated_at: datetime | None = None  # when its holder last entered the password

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


ANONYMOUS = Principal()


def get_session(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed when the route returns, rolled back if it raises.

    It is the request's only one, and it holds at most one connection: the CSRF check, the access policy,
    the route and the page it renders (``web.templating.render`` reads the ledger head through it) all
    share it. It is kept on ``request.state`` while it is open (``request_session``); error pages, drawn
    after it has ended, find none and ask the database nothing. FastAPI runs this generator, like every
    plain ``def`` dependency and route, in the worker threads, never on the event loop.

    With read replicas configured, a public read (``replica_read``) goes to a replica that has replayed this
    browser's last write; a request that wrote marks the browser with the primary's WAL position after its commit
    (``WROTE_COOKIE``, kept ``replica_sticky_seconds``), so its holder always reads what they wrote.
    """
    read_only = request.method in ("GET", "HEAD", "OPTIONS")
    with request_unit_of_work(request, read_only=read_only) as session:
        yield session
    db = request.app.state.db
    if not read_only and db.replicas:
        request.state.wrote_lsn = db.primary_lsn()  # the middleware sets the cookie on the response


def replica_read(request: Request) -> tuple[bool, str | None]:
    """Whether this read may come from a replica, and the WAL position the replica must have replayed."""
    path = request.url.path
    public = path in REPLICA_READ_EXACT or any(path == p or path.startswith(f"{p}/") for p in REPLICA_READ_PREFIXES)
    if request.method not in ("GET", "HEAD") or not public or _bearer_token(request):
        return False, None
    wrote = request.cookies.get(WROTE_COOKIE)
    if wrote is not None and not _LSN.match(wrote):
        return False, None  # a mark we cannot read: the primary, to be safe
    return True, wrote


@contextmanager
def request_unit_of_work(request: Request, *, read_only: bool) -> Iterator[Session]:
    """A unit of work that is, while the block runs, the one ``request_session`` answers for this request."""
    replica, after_lsn = replica_read(request) if read_only else (False, None)
    with request.app.state.db.unit_of_work(read_only=read_only, replica=replica, after_lsn=after_lsn) as session:
        request.state.db_session = session
        try:
            yield session
        finally:
            request.state.db_session = None


def request_session(request: Request) -> Session | None:
    """The request's unit of work while it is open, else None (never opens one)."""
    return getattr(request.state, "db_session", None)


SessionDep = Depends(get_session, scope="function")


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


class TokenResolver(Protocol):
    """Who holds a token of ``kind`` ("api" or "session"); None for an unknown or revoked token; raises
    ``SessionExpired`` / ``TokenExpired`` for one past its lifetime. The identity domain provides it; the
    application factory puts it on ``app.state.resolve_token``."""

    def __call__(self, session: Session, token: str, kind: str) -> Principal | None: ...


def resolve_principal(request: Request, session: Session) -> Principal:
    resolve_token: TokenResolver = request.app.state.resolve_token
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    if request.url.path.startswith("/api/"):
        token = _bearer_token(request)
        principal = resolve_token(session, token, "api") if token else None
        if token and principal is None:
            raise NotAuthenticated("访问令牌无效或已过期，请重新获取")
    else:
        token = request.cookies.get(SESSION_COOKIE)
        try:
            principal = resolve_token(session, token, "session") if token else None
            if principal is not None:
                _check_idle(request, principal)
        except SessionExpired as exc:  # the visitor is anonymous now; a route that needs sign-in says why
            request.state.session_expired = exc
            principal = None
        if principal is not None:
            request.state.session_active = principal.token_id  # the response renews the activity cookie
    request.state.principal = principal or ANONYMOUS
    return request.state.principal


def _activity_signer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="session-activity")


def activity_cookie_value(secret_key: str, token_id: int, when: datetime) -> str:
    """The signed activity mark a response to a signed-in page request carries."""
    return _activity_signer(secret_key).dumps([token_id, int(when.timestamp())])


def _last_activity(request: Request, principal: Principal) -> datetime | None:
    """The time of the session's last request as the platform signed it, if the cookie is genuine and is this
    session's; a forged, foreign or missing mark counts for nothing."""
    raw = request.cookies.get(ACTIVITY_COOKIE)
    if not raw:
        return None
    try:
        token_id, stamp = _activity_signer(request.app.state.secret_key).loads(raw)
    except (BadSignature, ValueError, TypeError):
        return None
    if token_id != principal.token_id or not isinstance(stamp, int):
        return None
    return datetime.fromtimestamp(stamp, UTC)


def _check_idle(request: Request, principal: Principal) -> None:
    minutes = request.app.state.settings.session_idle_minutes
    marks = [m for m in (principal.authenticated_at, _last_activity(request, principal)) if m is not None]
    if marks and clock.now() - max(marks) > timedelta(minutes=minutes):
        raise SessionExpired(f"您已超过 {minutes} 分钟未操作，为保护账户安全已自动退出，请重新登录")


class Access:
    """A route's access policy. ``Access.public()`` admits everyone, ``Access(Role.X, ...)`` those roles,
    ``Access.signed_in()`` any signed-in user."""

    def __init__(self, *roles: Role, anonymous: bool = False, any_user: bool = False) -> None:
        self.roles = frozenset(roles)
        self.anonymous = anonymous
        self.any_user = any_user

    @classmethod
    def public(cls, *, identify: bool = True) -> Access:
        """Everyone. ``identify=False``: without even reading who is asking (``/healthz``)."""
        return cls(anonymous=True) if identify else Unidentified()

    @classmethod
    def signed_in(cls) -> Access:
        return cls(any_user=True)

    def admits(self, principal: Principal) -> bool:
        if self.anonymous:
            return True
        if not principal.is_authenticated:
            return False
        return self.any_user or bool(self.roles & principal.roles)

    def __call__(self, request: Request, session: Session = SessionDep) -> Principal:
        principal = resolve_principal(request, session)
        if self.anonymous:
            return principal
        if not principal.is_authenticated:
            raise getattr(request.state, "session_expired", None) or NotAuthenticated()
        if not self.admits(principal):
            raise Forbidden()
        return principal

    def __repr__(self) -> str:
        if self.anonymous:
            return "Access.public()"
        if self.any_user:
            return "Access.signed_in()"
        return f"Access({', '.join(sorted(r.value for r in self.roles))})"


class RecentAuth(Access):
    """A sensitive step's access policy: the roles of ``Access`` and, in addition, the password entered within
    ``max_age`` (by default the setting ``reauth_minutes``). Otherwise 401 ``reauthentication_required``: a page
    sends the visitor to the page that asks for the password again (``REAUTH_PAGE``) and back; an API client
    obtains a fresh token (``REAUTH_API``), whose authentication time is now. Other domains reuse it as it is,
    e.g. ``Depends(RecentAuth(Role.SUPERVISOR))`` on deciding a complaint."""

    def __init__(self, *roles: Role, any_user: bool = False, max_age: timedelta | None = None) -> None:
        super().__init__(*roles, any_user=any_user)
        self.max_age = max_age

    def window(self, request: Request) -> timedelta:
        return self.max_age or timedelta(minutes=request.app.state.settings.reauth_minutes)

    def __call__(self, request: Request, session: Session = SessionDep) -> Principal:
        principal = super().__call__(request, session)
        window = self.window(request)
        if principal.authenticated_at is None or clock.now() - principal.authenticated_at > window:
            minutes = max(1, int(window.total_seconds() // 60))
            raise ReauthenticationRequired(
                f"此操作须在 {minutes} 分钟内输入过密码，请再次输入密码确认身份",
                max_age_seconds=int(window.total_seconds()),
                reauthenticate=REAUTH_API if request.url.path.startswith("/api/") else REAUTH_PAGE,
            )
        return principal

    def __repr__(self) -> str:
        return f"RecentAuth({super().__repr__()})"


class Unidentified(Access):
    """Admits everyone without reading any credential, so it needs no unit of work and no worker thread: for
    ``/healthz``, which must answer promptly however busy the worker threads are. The caller is anonymous."""

    def __init__(self) -> None:
        super().__init__(anonymous=True)

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        return ANONYMOUS
