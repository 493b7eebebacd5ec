"""What every ``sunshine`` command shares: the consoles, the database of the settings, the check that its
schema is current, and the one way a command fails (a message in red on stderr, then a non-zero exit)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from sunshine.config import get_settings
from sunshine.db import Database

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]错误：[/]{escape(message)}")
    return typer.Exit(code)


def database() -> Database:
    return Database(get_settings().resolved_database_url)


def require_current_schema(db: Database) -> None:
    from sunshine.migrate import pending_message

    message = pending_message(db.engine)
    if message:
        raise fail(message)
