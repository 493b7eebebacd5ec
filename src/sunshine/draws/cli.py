"""``sunshine draw verify DRAW.json``: recompute a draw from its public record (the JSON of
``GET /api/v1/draws/{code}/record``) and print a Chinese report; exit 1 on any failed check. The report is
``draws.verify``'s, which also runs alone: ``python -m sunshine.draws.verify DRAW.json``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sunshine.cli_support import console, fail

app = typer.Typer(help="公开抽取", no_args_is_help=True)


@app.command("verify")
def verify(file: Annotated[Path, typer.Argument(help="抽取的公开记录（JSON，/api/v1/draws/{编号}/record）")]) -> None:
    """重新计算候选池哈希、名单哈希、各方承诺、随机种子、抽取顺序和席位递补，逐项报告。"""
    from sunshine.draws import verify as verifier

    try:
        ok = verifier.check_file(file, console)
    except verifier.Unreadable as exc:
        raise fail(str(exc)) from None
    if not ok:
        raise typer.Exit(1)
