"""``sunshine archive verify ARCHIVE.zip``: recheck a downloaded project archive — every file's SHA-256 and size
against its manifest, nothing missing or extra — then the manifest's own hash against its ledger entry in this
platform's log (the entry's payload hash, its leaf hash, and its inclusion in the latest signed tree head).
Prints a Chinese report; exits 1 on any failed check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sunshine.cli_support import console, database, fail, require_current_schema

app = typer.Typer(help="项目归档", no_args_is_help=True)


@app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(help="下载的项目档案（zip）")],
    offline: Annotated[bool, typer.Option(help="只核对压缩包本身，不查询全程留痕日志")] = False,
) -> None:
    """逐一重算档案中各文件的 SHA-256，核对归档清单，并核对清单的哈希与留痕记录。"""
    from sunshine.archives import bundle, proof

    if not file.is_file():
        raise fail(f"文件不存在：{file}")
    report = bundle.verify(file)
    checks = list(report.checks)
    project = (report.manifest or {}).get("project", {})
    if report.manifest is not None and not offline:
        db = database()
        require_current_schema(db)
        with db.unit_of_work(read_only=True) as session:
            checks.extend(proof.check(session, str(project.get("code", "")), report.manifest_sha256 or "").checks)
    title = f"项目档案 {escape(str((report.manifest or {}).get('archive', file.name)))} 的验证"
    table = Table("检查项", "结果", "说明", title=title)
    for check in checks:
        table.add_row(escape(check.name), "[green]通过[/]" if check.ok else "[red]未通过[/]", escape(check.detail))
    console.print(table)
    if report.manifest is not None and all(c.ok for c in checks):
        console.print(
            f"[bold green]验证通过[/]：{report.files} 个文件与归档清单一致"
            + ("" if offline else "，清单的哈希与全程留痕日志的记录一致")
            + "。"
        )
        return
    console.print(f"[bold red]验证未通过[/]：{sum(1 for c in checks if not c.ok)} 项检查不符。")
    raise typer.Exit(1)
