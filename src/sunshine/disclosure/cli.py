"""``sunshine disclosure …``: load the shipped disclosure catalog into the database (idempotent)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from sunshine.cli_support import database, fail, require_current_schema

app = typer.Typer(help="政务公开：公开事项目录", no_args_is_help=True)
console = Console()


@app.command("load-catalog")
def load_catalog() -> None:
    """载入（或更新）公开事项目录；可重复运行，内容未变时不做任何改动，变动的事项记为修订并留痕。"""
    from sunshine.disclosure import catalog_service

    db = database()
    require_current_schema(db)
    try:
        with db.unit_of_work() as session:
            report = catalog_service.load_catalog(session)
    except catalog_service.CatalogError as exc:
        raise fail(f"公开事项目录数据有误：{exc}") from None
    console.print(escape(str(report)))
