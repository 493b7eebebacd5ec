"""The to-do list of a person's workbench (``/me``): what awaits them now, per role. Domains (or the web layer on
their behalf) register providers for a role; the workbench asks every provider of the signed-in person's roles.
A provider answers ``Todo`` items — what is waiting, the page where it is done, and when it is due — reading its
own domain only. Kept apart from the lists of pages a role may open (``web.views.ROLE_TASKS``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.identity.roles import Role


@dataclass(frozen=True)
class Todo:
    title: str  # in Chinese: what awaits, e.g. 确认是否参加评标：某某项目
    href: str  # the page where it is done
    kind: str  # in Chinese: 评标邀请, 观察席, 项目受理 …
    due: datetime | None = None  # when it must be done, if a time limit runs


BEIJING = ZoneInfo("Asia/Shanghai")


def end_of_day(day: date) -> datetime:
    """A time limit counted in days ends with its last day, Beijing time (as UTC)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=BEIJING).astimezone(UTC)


def _sort_key(todo: Todo) -> tuple[bool, datetime]:
    if todo.due is None:
        return True, datetime.max
    due = todo.due.astimezone(UTC) if todo.due.tzinfo else todo.due.replace(tzinfo=UTC)
    return False, due.replace(tzinfo=None)


Provider = Callable[[Session, Principal], list[Todo]]
_providers: list[tuple[Role | None, Provider]] = []


def register(role: Role | None, provider: Provider) -> None:
    """``provider`` lists the to-dos of people holding ``role`` (None: of anyone signed in)."""
    if (role, provider) not in _providers:
        _providers.append((role, provider))


def for_principal(session: Session, principal: Principal, limit: int = 20) -> list[Todo]:
    """Everything awaiting ``principal``, soonest due first (undated after), at most ``limit``."""
    seen: set[Provider] = set()
    out: list[Todo] = []
    for role, provider in _providers:
        if provider in seen or (role is not None and not principal.has(role)):
            continue
        seen.add(provider)
        out.extend(provider(session, principal))
    out.sort(key=_sort_key)
    return out[:limit]
