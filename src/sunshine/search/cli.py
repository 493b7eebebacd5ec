"""``sunshine search``: rebuild the site search's index from the domains' records (``reindex``) — after
restoring a backup, after a change to the user dictionary, or when pointing the search at another backend
— and say how many entries each kind has (``status``)."""

from __future__ import annotations

from typing import Annotated

import typer

from sunshine.cli_support import console, database, fail, require_current_schema

app = typer.Typer(help="全站检索", no_args_is_help=True)


@app.command("reindex")
def reindex(kind: Annotated[str | None, typer.Option("--kind", help="只重建一类（如 notice、policy）")] = None) -> None:
    """按各来源的记录重建检索索引（每类一个事务；重建期间检索照常可用）。"""
    from sunshine import domains
    from sunshine.search import indexing, sources

    domains.install()
    known = sources.labels()
    if kind is not None and kind not in known:
        raise fail(f"没有这种信息类型：{kind}（可选：{'、'.join(known)}）")
    db = database()
    require_current_schema(db)
    for chosen in [kind] if kind else list(known):
        with db.unit_of_work() as session:
            counts = indexing.reindex(session, chosen)
        console.print(f"{known[chosen]}（{chosen}）：已索引 {counts.get(chosen, 0)} 条")


@app.command("status")
def status() -> None:
    """每类已索引的条目数。"""
    from sunshine import domains
    from sunshine.search import indexing, sources

    domains.install()
    db = database()
    require_current_schema(db)
    with db.unit_of_work(read_only=True) as session:
        counts = indexing.indexed_count(session)
    for kind, label in sources.labels().items():
        console.print(f"{label}（{kind}）：{counts.get(kind, 0)} 条")
