"""``sunshine credit …``: compute (and publish) a period's credit ratings; take down penalties whose
publication period has ended (the tick does both on its own; these run them on demand)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from sunshine.cli_support import database, fail, require_current_schema
from sunshine.core.errors import SunshineError

app = typer.Typer(help="信用：信用评价与行政处罚公示", no_args_is_help=True)
console = Console()


@app.command("rate")
def rate(
    period: Annotated[str, typer.Argument(help="评价期（年份，如 2026）")],
    publish: Annotated[bool, typer.Option("--publish", help="计算后公布投标人和代理机构的结果")] = False,
) -> None:
    """按信用评价办法计算一个年度的信用评价（公布前可重复计算）。"""
    from sunshine import domains
    from sunshine.credit import ratings

    domains.install()
    db = database()
    require_current_schema(db)
    try:
        with db.unit_of_work() as session:
            rated = ratings.rate_period(session, period)
            published = ratings.publish_period(session, period) if publish else 0
    except SunshineError as exc:
        raise fail(exc.detail) from None
    console.print(f"{period}年度：计算 {rated} 个对象" + (f"，公布 {published} 条" if publish else ""))


@app.command("take-down")
def take_down() -> None:
    """撤下公示期满的行政处罚和信用记录（留下撤回说明）。"""
    from sunshine import domains
    from sunshine.credit import service

    domains.install()
    db = database()
    require_current_schema(db)
    with db.unit_of_work() as session:
        done = service.take_down_due(session)
    console.print(f"撤下 {len(done)} 条公示期满的记录")
