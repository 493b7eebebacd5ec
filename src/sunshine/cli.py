"""The ``sunshine`` command line: serve, worker, migrate, demo data, ledger export/verify, calendar, tick, bid,
draw verify, backup and restore."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sunshine.archives import cli as archives_cli
from sunshine.cli_support import console, database, err, fail, require_current_schema
from sunshine.client.app import app as bid_app
from sunshine.config import get_settings
from sunshine.credit import cli as credit_cli
from sunshine.db import Database
from sunshine.disclosure import cli as disclosure_cli
from sunshine.draws import cli as draws_cli
from sunshine.opendata import cli as opendata_cli
from sunshine.search import cli as search_cli

app = typer.Typer(help="阳光交易 Sunshine：公共资源交易与政务公开平台", no_args_is_help=True)
db_app = typer.Typer(help="数据库", no_args_is_help=True)
ledger_app = typer.Typer(help="全程留痕日志", no_args_is_help=True)
calendar_app = typer.Typer(help="工作日历与法定期限", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(ledger_app, name="ledger")
app.add_typer(calendar_app, name="calendar")
app.add_typer(disclosure_cli.app, name="disclosure")
app.add_typer(bid_app, name="bid")
app.add_typer(draws_cli.app, name="draw")
app.add_typer(archives_cli.app, name="archive")
app.add_typer(credit_cli.app, name="credit")
app.add_typer(opendata_cli.app, name="opendata")
app.add_typer(search_cli.app, name="search")


@app.callback()
def load_domains() -> None:
    """阳光交易 Sunshine：公共资源交易与政务公开平台"""
    from sunshine import domains

    domains.install()


WORKER_HEALTHCHECK_SECONDS = 30


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="服务进程数；定时任务只在持锁的一个进程中运行")] = 1,
    proxy_headers: Annotated[
        bool, typer.Option(help="采用受信任反向代理所传的 X-Forwarded-For / X-Forwarded-Proto（客户端地址与 https）")
    ] = True,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            envvar="SUNSHINE_FORWARDED_ALLOW_IPS",
            help="受信任的反向代理地址或网段，逗号分隔（* 为任何来源，仅限只能经代理访问时）",
        ),
    ] = "127.0.0.1",
) -> None:
    """启动网站与开放接口。"""
    import uvicorn

    from sunshine.ledger.signing import platform_key
    from sunshine.logs import log_config

    settings = get_settings()
    db = database()
    require_current_schema(db)  # here, with its message, before any worker process starts
    db.dispose()
    # Created once here: worker processes starting together would each generate a different one.
    settings.resolved_secret_key()
    platform_key()
    console.print(f"阳光交易已启动：[bold]http://{host}:{port}[/]（{workers} 个服务进程）")
    uvicorn.run(
        "sunshine.app:create_app",  # each worker process builds the app from the SUNSHINE_* environment
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        # a worker must answer the parent's health ping within this, from its start (a loaded machine
        # takes several seconds to import the app; uvicorn's 5 s would kill and restart it endlessly)
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        log_config=log_config(),
        log_level="info",
    )


@app.command()
def worker() -> None:
    """运行定时任务进程：每 SUNSHINE_TICK_SECONDS 秒一轮。

    仅当本进程持有主进程锁时运行定时任务，否则待命，主进程结束后接替；收到 SIGTERM 或 SIGINT 时完成当前任务后退出。
    """
    import asyncio

    from sunshine import logs
    from sunshine.leader import leader_lock
    from sunshine.ledger.signing import platform_key
    from sunshine.tasks import run_worker

    settings = get_settings()
    db = database()
    require_current_schema(db)
    logs.configure()
    platform_key()
    try:
        asyncio.run(run_worker(db, settings.tick_seconds, leader_lock(settings)))
    finally:
        db.dispose()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """把数据库迁移到当前版本。"""
    from sunshine.migrate import upgrade

    settings = get_settings()
    db = database()
    upgrade(db.engine)
    console.print(f"数据库已是当前版本：{db.engine.url.render_as_string(hide_password=True)}")
    del settings


@app.command("demo-data")
def demo_data() -> None:
    """载入示范数据（可重复运行，不会重复写入）。"""
    from sunshine.demo import load_demo_data

    db = database()
    require_current_schema(db)
    summary = load_demo_data(db, console=console)
    console.print(summary)


@app.command()
def tick() -> None:
    """运行一次定时任务（签名树头、期限提醒等），可由外部调度器调用。

    与定时任务主进程（sunshine worker 或启用定时任务的服务进程）互斥：有主进程在运行时不运行，报错退出。
    """
    from sunshine.leader import leader_lock
    from sunshine.tasks import tick as run_tick

    db = database()
    require_current_schema(db)
    lock = leader_lock(get_settings())
    if not lock.hold():
        raise fail(
            "定时任务正由另一进程（sunshine worker，或启用了定时任务的服务进程）按时运行，本次未运行；"
            "该进程每 SUNSHINE_TICK_SECONDS 秒运行一次"
        )
    try:
        report = run_tick(db)
    finally:
        lock.release()
    console.print(f"定时任务完成：{report}")


@ledger_app.command("export")
def ledger_export(file: Annotated[Path, typer.Argument(help="导出文件（JSON Lines）")]) -> None:
    """导出全部留痕记录与签名树头。"""
    from rich.progress import Progress

    from sunshine.ledger import service
    from sunshine.ledger.export import write_export
    from sunshine.ledger.signing import platform_key

    db = database()
    require_current_schema(db)
    with (
        db.unit_of_work(read_only=True) as session,
        file.open("w", encoding="utf-8") as out,
        Progress(console=err) as progress,
    ):
        task = progress.add_task("导出留痕记录", total=service.size(session))
        count = write_export(session, platform_key(), out, progress=lambda n: progress.advance(task, n))
    console.print(f"已导出 {count} 条记录到 {file}")


@ledger_app.command("verify")
def ledger_verify(
    file: Annotated[Path | None, typer.Argument(help="导出文件；缺省时校验当前数据库")] = None,
    key: Annotated[
        str | None,
        typer.Option(
            help="信任的平台公钥：Base64（/api/v1/ledger/key 的 public_key）或 PEM 文件路径；"
            "缺省时使用导出文件首行所载公钥，并提示核对其密钥标识"
        ),
    ] = None,
) -> None:
    """重新计算全部哈希与树根，逐一核对签名树头，报告任何篡改。"""
    from sunshine.ledger.verify import verify_log

    if file is not None:
        from sunshine.ledger.export import ExportFile

        if not file.exists():
            raise fail(f"文件不存在：{file}")
        try:
            export = ExportFile(file)
            trusted = _trusted_key(key) if key else export.public_key
            report = verify_log(export.entries(), export.heads(), trusted)
        except (ValueError, KeyError) as exc:
            raise fail(f"导出文件无法读取：{exc}") from None
    else:
        from sunshine.ledger.export import iter_db_entries, iter_db_heads
        from sunshine.ledger.signing import platform_key

        db = database()
        require_current_schema(db)
        with db.unit_of_work(read_only=True) as session:
            report = verify_log(iter_db_entries(session), list(iter_db_heads(session)), platform_key().public_bytes)
    if report.ok:
        console.print(
            f"[bold green]校验通过[/]：{report.entries} 条记录，{report.heads} 个签名树头，树根 {report.root}"
        )
        if file is not None and not key:
            import hashlib

            console.print(
                f"签名公钥取自导出文件本身（密钥标识 {hashlib.sha256(export.public_key).hexdigest()}）；"
                "请与平台公布的密钥标识核对，或以 --key 指定信任的公钥。"
            )
        return
    table = Table("类型", "序号", "说明", title=f"发现 {len(report.problems)} 处问题")
    for problem in report.problems:
        table.add_row(problem.kind, "" if problem.seq is None else str(problem.seq), problem.message)
    console.print(table)
    raise typer.Exit(1)


def _trusted_key(value: str) -> bytes:
    """A raw Ed25519 public key from Base64 or from a PEM file."""
    import base64
    import binascii

    from cryptography.hazmat.primitives import serialization

    path = Path(value)
    try:
        if path.exists():
            public = serialization.load_pem_public_key(path.read_bytes())
            return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        raw = base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error, TypeError) as exc:
        raise fail(f"无法读取公钥：{exc}") from None
    if len(raw) != 32:
        raise fail("公钥应为32字节的 Ed25519 公钥")
    return raw


def _admin_actor(db: Database, username: str | None):
    from sunshine.core.auth import Principal
    from sunshine.identity import service as identity
    from sunshine.identity.models import User
    from sunshine.identity.roles import Role

    if username is None:
        return Principal(username="cli", display_name="命令行")
    with db.unit_of_work(read_only=True) as session:
        from sqlalchemy import select

        user_id = session.scalar(select(User.id).where(User.username == username))
        if user_id is None:
            raise fail(f"用户 {username} 不存在")
        user = identity.get_user(session, user_id)
        roles = frozenset(Role(r.role) for r in user.roles)
    if Role.ADMIN not in roles:
        raise fail(f"用户 {username} 不是系统管理员")
    return Principal(user_id=user.id, username=user.username, display_name=user.display_name, roles=roles)


def _print_changes(changes) -> None:
    if not changes:
        console.print("没有需要重新计算的期限")
        return
    table = Table("期限", "对象", "原截止日", "新截止日", "暂定", title=f"重新计算了 {len(changes)} 个期限")
    for c in changes:
        table.add_row(
            escape(c.purpose),
            escape(c.subject),
            c.old_due.isoformat(),
            c.new_due.isoformat(),
            "是" if c.new_provisional else "否",
        )
    console.print(table)


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"日期格式应为 YYYY-MM-DD：{value}") from None


@calendar_app.command("set")
def calendar_set(
    day: Annotated[str, typer.Argument(help="日期 YYYY-MM-DD")],
    kind: Annotated[str, typer.Argument(help="holiday（休息日）或 workday（工作日）")],
    name: Annotated[str | None, typer.Option(help="名称，如 国庆节、调休上班")] = None,
    reason: Annotated[str | None, typer.Option(help="依据或原因")] = None,
    by: Annotated[str | None, typer.Option(help="以哪个系统管理员的名义（用户名）")] = None,
) -> None:
    """把某日设为休息日或工作日，并重新计算所有未结期限。"""
    from sunshine.core import calendar
    from sunshine.core.errors import SunshineError

    if kind not in ("holiday", "workday"):
        raise fail("类型应为 holiday 或 workday")
    the_day = _parse_date(day)
    db = database()
    require_current_schema(db)
    actor = _admin_actor(db, by)
    try:
        with db.unit_of_work() as session:
            changes = calendar.set_day(session, actor=actor, day=the_day, kind=kind, name=name, reason=reason)
    except SunshineError as exc:
        raise fail(exc.detail) from None
    console.print(f"已将 {the_day.isoformat()} 设为{'休息日' if kind == 'holiday' else '工作日'}")
    _print_changes(changes)


@calendar_app.command("clear")
def calendar_clear(
    day: Annotated[str, typer.Argument(help="日期 YYYY-MM-DD")],
    by: Annotated[str | None, typer.Option(help="以哪个系统管理员的名义（用户名）")] = None,
) -> None:
    """撤销某日的人工调整。"""
    from sunshine.core import calendar
    from sunshine.core.errors import SunshineError

    the_day = _parse_date(day)
    db = database()
    require_current_schema(db)
    actor = _admin_actor(db, by)
    try:
        with db.unit_of_work() as session:
            changes = calendar.clear_day(session, actor=actor, day=the_day)
    except SunshineError as exc:
        raise fail(exc.detail) from None
    console.print(f"已撤销 {the_day.isoformat()} 的调整")
    _print_changes(changes)


@calendar_app.command("import")
def calendar_import(
    file: Annotated[Path, typer.Argument(help="放假安排 JSON 文件")],
    by: Annotated[str | None, typer.Option(help="以哪个系统管理员的名义（用户名）")] = None,
) -> None:
    """录入某年的官方放假安排（JSON：year、source、holidays、workdays）。"""
    from sunshine.core import calendar
    from sunshine.core.calendar_api import parse_schedule
    from sunshine.core.errors import SunshineError

    if not file.exists():
        raise fail(f"文件不存在：{file}")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise fail(f"文件不是 UTF-8 编码的文本：{file}") from None
    except OSError as exc:
        raise fail(f"无法读取文件 {file}：{exc.strerror or exc}") from None
    try:
        schedule = parse_schedule(text).to_schedule()
    except SunshineError as exc:
        raise fail(exc.detail) from None
    db = database()
    require_current_schema(db)
    actor = _admin_actor(db, by)
    try:
        with db.unit_of_work() as session:
            changes = calendar.import_year(session, actor=actor, schedule=schedule)
    except SunshineError as exc:
        raise fail(exc.detail) from None
    console.print(
        f"已录入 {schedule.year} 年放假安排：{len(schedule.holidays)} 个休息日，{len(schedule.workdays)} 个调休上班日"
    )
    _print_changes(changes)


SOURCE_LABELS = {"official": "官方", "override": "人工录入", "provisional": "暂定"}


@calendar_app.command("show")
def calendar_show(year: Annotated[int, typer.Argument(help="年份")]) -> None:
    """列出某年的节假日与调休上班日。"""
    from sunshine.core import calendar
    from sunshine.core.errors import SunshineError

    db = database()
    require_current_schema(db)
    try:
        with db.unit_of_work(read_only=True) as session:
            days = calendar.days_of_year(session, year)
            official = calendar.load(session).is_official_year(year)
    except SunshineError as exc:
        raise fail(exc.detail) from None
    title = f"{year} 年" + ("（官方安排）" if official else "（尚无官方安排，按周末及法定节日推算，为暂定）")
    table = Table("日期", "星期", "安排", "名称", "来源", title=title)
    for d in days:
        table.add_row(
            d.day.isoformat(),
            "一二三四五六日"[d.day.weekday()],
            "上班" if d.is_workday else "休息",
            escape(d.name or ""),
            SOURCE_LABELS[d.source],
        )
    console.print(table)


@calendar_app.command("deadline")
def calendar_deadline(
    start: Annotated[str, typer.Argument(help="起算日 YYYY-MM-DD（当日不计入）")],
    days: Annotated[str, typer.Argument(help="期间长度（整数）")],
    unit: Annotated[str, typer.Option(help="working（工作日）或 calendar（自然日）")] = "calendar",
) -> None:
    """计算法定期限的截止日。"""
    from sunshine.core import calendar
    from sunshine.core.errors import SunshineError

    if unit not in ("working", "calendar"):
        raise fail("单位应为 working 或 calendar")
    the_day = _parse_date(start)
    try:
        count = int(days)
    except ValueError:
        raise fail(f"期间长度应为整数：{days}") from None
    db = database()
    require_current_schema(db)
    try:
        with db.unit_of_work(read_only=True) as session:
            result = calendar.compute(session, the_day, count, unit)
    except SunshineError as exc:
        raise fail(exc.detail) from None
    console.print(f"截止日：[bold]{result.due.isoformat()}[/]" + ("（暂定）" if result.provisional else ""))
    console.print(result.basis)


@app.command("backup")
def backup_command(folder: Annotated[Path, typer.Argument(help="备份目录（不存在或为空）")]) -> None:
    """备份数据库、文件库与密钥（服务运行时也可进行），附各文件 SHA-256 清单。"""
    from sunshine.backup import service as backups

    try:
        done = backups.backup(get_settings(), database(), folder)
    except backups.BackupError as exc:
        raise fail(str(exc)) from None
    console.print(f"[bold green]备份完成[/]：{done.folder}")
    _print_backup(done)


@app.command("restore")
def restore_command(folder: Annotated[Path, typer.Argument(help="备份目录")]) -> None:
    """从备份恢复到空的数据目录与空数据库：先核对清单中的哈希，恢复后校验留痕日志与签名树头。"""
    from sunshine.backup import service as backups

    try:
        done = backups.restore(get_settings(), folder)
    except backups.BackupError as exc:
        raise fail(str(exc)) from None
    console.print(f"[bold green]恢复完成[/]：自 {done.folder}")
    _print_backup(done)
    if done.upgraded:
        console.print("备份的数据库结构较旧，已迁移到当前版本。")
    console.print(
        f"留痕日志校验通过：{done.ledger_size} 条记录，{done.heads_verified} 个签名树头；最新签名树头与备份时一致。"
    )


def _print_backup(done) -> None:
    head = done.signed_head
    name = "PostgreSQL" if done.dialect == "postgresql" else "SQLite"
    console.print(
        f"数据库：{name}，结构版本 {'、'.join(done.schema_revisions)}；"
        f"文件 {done.files} 个，共 {done.bytes / 1024 / 1024:,.1f} MB"
    )
    if head:
        console.print(f"签名树头：大小 {head['size']}，树根 {head['root_hash']}，签署于 {head['signed_at']}")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
