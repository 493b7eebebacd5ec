"""``sunshine opendata``: bring open data in step with what is published (``sync``), stream releases or records
as gzip JSON Lines to a file or standard output in constant memory (``export``), and make the bulk downloads with
their hashes in the ledger (``dumps``, which the tick runs once a day)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer

from sunshine.cli_support import console, database, fail, require_current_schema

app = typer.Typer(help="数据开放（OCDS）", no_args_is_help=True)


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"日期格式应为 YYYY-MM-DD：{text}") from None


@app.command("sync")
def sync(everything: Annotated[bool, typer.Option("--all", help="重新检查全部公开项目")] = False) -> None:
    """把已公开的交易阶段写成 OCDS 发布（已有的不重复写入）。"""
    from sunshine import domains
    from sunshine.opendata import service

    domains.install()
    db = database()
    require_current_schema(db)
    with db.unit_of_work() as session:
        report = service.sync(session, everything=everything)
    console.print(f"检查了 {report.projects} 个项目，新增 {report.added} 条发布。")


@app.command("export")
def export(
    what: Annotated[Literal["releases", "records"], typer.Argument(help="releases（发布）或 records（记录）")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件（.jsonl.gz）；- 为标准输出")] = Path("-"),
    day: Annotated[str | None, typer.Option(help="只导出这一天（本地日期）进入开放数据的发布")] = None,
) -> None:
    """流式导出 OCDS 发布或记录为 gzip 压缩的 JSON Lines（内存占用与数量无关）。"""
    from sunshine import domains
    from sunshine.opendata import exports

    domains.install()
    db = database()
    require_current_schema(db)
    wanted = _day(day)
    with db.unit_of_work(read_only=True) as session:
        lines = exports.release_lines(session, wanted) if what == "releases" else exports.record_lines(session, wanted)
        if str(output) == "-":
            digest, size, rows = exports.write_jsonl_gz(lines, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as out:
                digest, size, rows = exports.write_jsonl_gz(lines, out)
    print(f"{rows} 条，{size} 字节，SHA-256 {digest}", file=sys.stderr)


@app.command("dumps")
def dumps(day: Annotated[str | None, typer.Option(help="每日文件的日期（默认前一日）")] = None) -> None:
    """生成批量下载文件（发布与记录的每日与全量 JSON Lines，主要数据表的 CSV 与 xlsx），哈希写入全程留痕。"""
    from sunshine import domains
    from sunshine.opendata import exports, service

    domains.install()
    db = database()
    require_current_schema(db)
    with db.unit_of_work() as session:
        service.sync(session)
        made = exports.make_all(session, _day(day))
    for d in made:
        console.print(f"{d.filename}：{d.rows} 条，{d.size} 字节，SHA-256 {d.sha256}，留痕 #{d.ledger_seq}")
    if not made:
        console.print("今日的批量下载文件已生成，无需重复生成。")
