"""``sunshine draw verify DRAW.json``: recompute a draw from its public record (the JSON of
``GET /api/v1/draws/{code}/record``) and print a Chinese report; exit 1 on any failed check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sunshine.cli_support import console, fail

app = typer.Typer(help="公开抽取", no_args_is_help=True)


@app.command("verify")
def verify(file: Annotated[Path, typer.Argument(help="抽取的公开记录（JSON，/api/v1/draws/{编号}/record）")]) -> None:
    """重新计算候选池哈希、名单哈希、各方承诺、随机种子、抽取顺序和席位递补，逐项报告。"""
    from sunshine.draws import engine

    if not file.exists():
        raise fail(f"文件不存在：{file}")
    try:
        record = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"公开记录不是有效的 JSON：{exc}") from None
    if not isinstance(record, dict):
        raise fail("公开记录格式不正确：应为 JSON 对象")
    report = engine.verify(record)
    table = Table("检查项", "结果", "说明", title=f"抽取 {escape(str(record.get('code', '')))} 的验证")
    for check in report.checks:
        table.add_row(escape(check.name), "[green]通过[/]" if check.ok else "[red]未通过[/]", escape(check.detail))
    console.print(table)
    if report.ok:
        console.print("[bold green]验证通过[/]：记录中的名单、随机种子、抽取顺序和席位均可由公开数据重新算出。")
        return
    failed = sum(1 for c in report.checks if not c.ok)
    console.print(f"[bold red]验证未通过[/]：{failed} 项检查不符。")
    raise typer.Exit(1)
