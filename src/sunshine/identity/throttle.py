"""Login throttling: failed sign-ins are counted per account name and per client address. After a few failures
each further attempt must wait a growing delay (doubling each time); after many, the name or address is locked
for a while. The answer is the same whether the account exists or not — the name is counted either way — so
the throttle tells a guesser nothing. Locks are listed for the administrator, who may lift one, and enter the
ledger under a digest of the key (the public trail records that a lock happened, not whose name it was).

A failed attempt is recorded in the caller's unit of work; the routes therefore answer a failure without
raising, so that the count is committed with the request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import Settings, get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound, SunshineError
from sunshine.core.formatting import local_time
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity.models import LoginThrottle
from sunshine.ledger import service as ledger

MAX_DELAY_SECONDS = 300


class LoginThrottled(SunshineError):
    status = 429
    code = "login_throttled"
    title = "登录尝试过于频繁"


def keys(username: str, address: str | None) -> list[str]:
    """The counters a sign-in attempt touches: its account name (as typed, case-folded) and its address."""
    out = [f"account:{username.strip().casefold()[:150]}"]
    if address:
        out.append(f"address:{address[:150]}")
    return out


def _limit(key: str, settings: Settings) -> int:
    return settings.login_lock_after_account if key.startswith("account:") else settings.login_lock_after_address


def delay_after(failures: int, settings: Settings) -> timedelta:
    """How long after the last failure the next attempt must wait: nothing for the first few, then 1, 2, 4 … s."""
    if failures < settings.login_delay_after:
        return timedelta(0)
    return timedelta(seconds=min(2 ** (failures - settings.login_delay_after), MAX_DELAY_SECONDS))


def check(session: Session, username: str, address: str | None) -> None:
    """Refuse the attempt (429) while any of its counters is locked or still in its delay."""
    settings, now = get_settings(), clock.now()
    rows = list(session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys(username, address)))))
    for row in rows:  # a lock says more than a delay: it is told first
        if row.locked_until is not None and row.locked_until > now:
            raise LoginThrottled(
                f"登录失败次数过多，已暂时锁定，请于 {local_time(row.locked_until)} 后再试；如需帮助请联系系统管理员",
                retry_after=int((row.locked_until - now).total_seconds()) + 1,
            )
    for row in rows:
        wait_until = row.last_failure_at + delay_after(row.failures, settings)
        if wait_until > now:
            raise LoginThrottled(
                f"登录失败次数较多，请 {int((wait_until - now).total_seconds()) + 1} 秒后再试",
                retry_after=int((wait_until - now).total_seconds()) + 1,
            )


def record_failure(session: Session, username: str, address: str | None) -> None:
    settings, now = get_settings(), clock.now()
    for key in keys(username, address):
        row = session.get(LoginThrottle, key, with_for_update=True)
        if row is None:
            row = LoginThrottle(key=key, failures=0, last_failure_at=now)
            session.add(row)
        if row.locked_until is not None and row.locked_until <= now:  # a lock that ran out starts a new count
            row.failures, row.locked_until = 0, None
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= _limit(key, settings) and row.locked_until is None:
            row.locked_until = now + timedelta(minutes=settings.login_lock_minutes)
            ledger.append(
                session,
                "identity:login:locked",
                "login-throttle",
                {"key_sha256": _digest(key), "failures": row.failures, "until": row.locked_until.isoformat()},
            )
    session.flush()


def record_success(session: Session, username: str) -> None:
    """A successful sign-in clears its account's count (the address keeps its own)."""
    row = session.get(LoginThrottle, keys(username, None)[0])
    if row is not None and (row.locked_until is None or row.locked_until <= clock.now()):
        session.delete(row)
        session.flush()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class Lock:
    key: str
    failures: int
    locked_until: datetime

    @property
    def label(self) -> str:
        kind, _, value = self.key.partition(":")
        return f"{'账户名' if kind == 'account' else '来源地址'} {value}"


def locks(session: Session) -> list[Lock]:
    """The locks in force, for the administrator."""
    rows = session.scalars(
        select(LoginThrottle).where(LoginThrottle.locked_until > clock.now()).order_by(LoginThrottle.locked_until)
    )
    return [Lock(r.key, r.failures, r.locked_until) for r in rows]


LOCK_ORDER = Keyset.of("login-locks", Key(LoginThrottle.locked_until, False), Key(LoginThrottle.key, False))


def lock_page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[Lock]:
    """``locks`` one page at a time, the soonest lifted first."""
    stmt = select(LoginThrottle).where(LoginThrottle.locked_until > clock.now())
    page = paginate(session, stmt, LOCK_ORDER, cursor=cursor, limit=limit)
    return Page(
        [Lock(r.key, r.failures, r.locked_until) for r in page.items], page.next_cursor, page.limit, page.number
    )


def lift(session: Session, *, actor: Principal, key: str) -> None:
    """The administrator lifts a lock (e.g. after confirming the account holder by telephone)."""
    row = session.get(LoginThrottle, key)
    if row is None or row.locked_until is None or row.locked_until <= clock.now():
        raise NotFound("没有这项登录锁定")
    session.delete(row)
    payload = {"key_sha256": _digest(key), "by": actor.user_id}
    ledger.append(session, "identity:login:unlocked", "login-throttle", payload)
    session.flush()
