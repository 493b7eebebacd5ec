"""What a domain above committees adds to the expert's workbench ``/expert``: a registry of task providers (for
example the tender documents awaiting a drawn reviewer's opinion). Committees never imports those domains; they
register here at ``domains.install()``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sunshine.core.auth import Principal


@dataclass(frozen=True)
class Task:
    """One thing awaiting the expert: what it is, the project, and the page where they do it."""

    kind: str  # in Chinese, e.g. 招标文件评审
    title: str
    href: str
    detail: str


Provider = Callable[[Session, Principal], list[Task]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def tasks(session: Session, actor: Principal) -> list[Task]:
    return [task for provider in _providers for task in provider(session, actor)]
