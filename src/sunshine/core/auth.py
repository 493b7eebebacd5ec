"""The single authorisation mechanism: who is calling (``Principal``) and which roles a route admits.

Every route takes ``Depends(Access(...))``. API routes authenticate by bearer token only, pages by
the session cookie only, so a page form can never be replayed against the API without a token.
Route-level refusals answer 401/403 (the route itself is public knowledge); object-level refusals
are the services' job and answer 404, so nobody learns that an object they may not see exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from sunshine.core.errors import Forbidden, NotAuthenticated
from sunshine.identity.roles import Role

SESSION_COOKIE = "sunshine_session"


@dataclass(frozen=True)
class Principal:
    user_id: int | None = None
    username: str | None = None
    display_name: str = "社会公众"
    roles: frozenset[Role] = field(default_factory=frozenset)
    organisation_id: int | None = None
    csrf_secret: str | None = None

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
    """
    with request_unit_of_work(request, read_only=request.method in ("GET", "HEAD", "OPTIONS")) as session:
        yield session


@contextmanager
def request_unit_of_work(request: Request, *, read_only: bool) -> Iterator[Session]:
    """A unit of work that is, while the block runs, the one ``request_session`` answers for this request."""
    with request.app.state.db.unit_of_work(read_only=read_only) as session:
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
    """Who holds a token of ``kind`` ("api" or "session"); None for an unknown or expired token. The identity
    domain provides it; the application factory puts it on ``app.state.resolve_token``."""

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
        principal = resolve_token(session, token, "session") if token else None
    request.state.principal = principal or ANONYMOUS
    return request.state.principal


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
            raise NotAuthenticated()
        if not self.admits(principal):
            raise Forbidden()
        return principal

    def __repr__(self) -> str:
        if self.anonymous:
            return "Access.public()"
        if self.any_user:
            return "Access.signed_in()"
        return f"Access({', '.join(sorted(r.value for r in self.roles))})"


class Unidentified(Access):
    """Admits everyone without reading any credential, so it needs no unit of work and no worker thread: for
    ``/healthz``, which must answer promptly however busy the worker threads are. The caller is anonymous."""

    def __init__(self) -> None:
        super().__init__(anonymous=True)

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        return ANONYMOUS
