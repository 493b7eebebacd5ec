"""What the bidder's command line prints: the consoles, the one way a command fails, warnings, tables and
the server's timestamps in the display time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sunshine.config import get_settings

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]错误：[/]{escape(message)}")
    return typer.Exit(code)


def warn(message: str) -> None:
    err.print(f"[yellow]注意：[/]{escape(message)}")


def kv_table(title: str) -> Table:
    table = Table(title=title, show_header=False)
    table.add_column("项目", no_wrap=True)
    table.add_column("内容", overflow="fold")
    return table


def local_time(text: str | None) -> str:
    """A server timestamp (ISO 8601, UTC) in the display time zone."""
    if not text:
        return "—"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    tz = get_settings().tz
    label = "北京时间" if tz.key == "Asia/Shanghai" else tz.key
    return f"{moment.astimezone(tz):%Y-%m-%d %H:%M:%S}（{label}）"
