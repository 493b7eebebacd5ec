"""The draw verifier on its own: ``python -m sunshine.draws.verify DRAW.json`` recomputes a draw from its public
record (the JSON of ``GET /api/v1/draws/{code}/record``) and prints the Chinese report; exit 1 on any failed check,
2 when the file cannot be read. It imports the draw engine and nothing else of the platform (no database, no
settings), so it starts in a fraction of the time of the whole command line; ``sunshine draw verify`` prints the
same report through ``check_file``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sunshine.draws import replay


class Unreadable(ValueError):
    """The file is missing or is not a JSON object (the message says which, in Chinese)."""


def load(path: Path) -> dict:
    if not path.exists():
        raise Unreadable(f"文件不存在：{path}")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Unreadable(f"公开记录不是有效的 JSON：{exc}") from None
    if not isinstance(record, dict):
        raise Unreadable("公开记录格式不正确：应为 JSON 对象")
    return record


def check_file(path: Path, console: Console) -> bool:
    """Verify the record in ``path`` and print the report; whether every check passed (``Unreadable`` if the file
    cannot be read)."""
    record = load(path)
    report = replay.verify(record)
    table = Table("检查项", "结果", "说明", title=f"抽取 {escape(str(record.get('code', '')))} 的验证")
    for check in report.checks:
        table.add_row(escape(check.name), "[green]通过[/]" if check.ok else "[red]未通过[/]", escape(check.detail))
    console.print(table)
    if report.ok:
        console.print("[bold green]验证通过[/]：记录中的名单、随机种子、抽取顺序和席位均可由公开数据重新算出。")
        return True
    failed = sum(1 for c in report.checks if not c.ok)
    console.print(f"[bold red]验证未通过[/]：{failed} 项检查不符。")
    return False


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print("用法：python -m sunshine.draws.verify 抽取公开记录.json（/api/v1/draws/{编号}/record）")
        return 0 if args and args[0] in ("-h", "--help") else 2
    try:
        return 0 if check_file(Path(args[0]), Console()) else 1
    except Unreadable as exc:
        Console(stderr=True).print(f"[bold red]错误：[/]{escape(str(exc))}")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
