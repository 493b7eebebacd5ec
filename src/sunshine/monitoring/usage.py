"""门户访问统计: views of the portal's pages counted per path template (``/notices/{notice_id}``, never the address
itself) and day, with the section (栏目) it belongs to; no visitor, address, parameter or cookie is kept. The
middleware counts successful GET pages in the process's memory and, once ``page_view_flush_seconds`` (60 s) have
passed since the last write, adds them to ``monitoring_page_view`` in one transaction after the response has gone
(``flush_to``): one write per interval, never one per request. The application's shutdown writes what is left; the
tick and the staff statistics page also flush before they read. A crash (the process killed, the machine down)
loses at most the views counted since the last write; a write that fails keeps the counts for the next one."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import date
from typing import Any

import anyio
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.monitoring.models import PageView

SKIPPED_PREFIXES = ("/api/", "/static/", "/healthz", "/favicon")
SECTIONS = {
    "": "首页",
    "projects": "交易项目",
    "notices": "交易公告",
    "disclosure": "政务公开",
    "requests": "依申请公开",
    "policy": "政策文件",
    "statistics": "统计分析",
    "market": "市场主体",
    "draws": "公开抽取",
    "venues": "场地安排",
    "incidents": "平台运行公告",
    "verify": "验证",
    "ledger": "交易留痕",
    "credit": "信用信息",
    "opendata": "数据开放",
    "channels": "订阅",
    "staff": "工作人员",
    "me": "个人工作台",
    "expert": "专家工作台",
    "monitoring": "电子监察",
}

log = logging.getLogger(__name__)
_lock = threading.Lock()
_counts: Counter[tuple[date, str]] = Counter()
_writing = threading.Lock()  # one write at a time per process
_last_write = time.monotonic()


def section_of(path: str) -> str:
    first = path.strip("/").split("/", 1)[0]
    return SECTIONS.get(first, "其他")


def count(path_template: str, day: date | None = None) -> None:
    with _lock:
        _counts[(day or clock.today_local(), path_template[:200])] += 1


def take() -> Counter[tuple[date, str]]:
    global _counts
    with _lock:
        taken, _counts = _counts, Counter()
    return taken


def _put_back(taken: Counter[tuple[date, str]]) -> None:
    with _lock:
        _counts.update(taken)


def due(now: float | None = None) -> bool:
    """Whether the interval since the last write has passed (and there is something to write)."""
    with _lock:
        pending = bool(_counts)
    return pending and (now or time.monotonic()) - _last_write >= get_settings().page_view_flush_seconds


def flush_to(db: Any) -> int:
    """Write the counts held in memory in a unit of work of their own; on failure they stay for the next write.
    Skipped if another thread is writing."""
    global _last_write
    if not _writing.acquire(blocking=False):
        return 0
    taken = take()
    try:
        _last_write = time.monotonic()
        with db.unit_of_work() as session:  # committed here: a failure at the commit keeps the counts too
            _write(session, taken)
        return sum(taken.values())
    except Exception:
        _put_back(taken)
        log.exception("page views not written; kept for the next write")
        return 0
    finally:
        _writing.release()


def flush(session: Session) -> int:
    """Add the counts held in memory to the table; the number of page views written. If the statement fails the
    counts go back to memory (the caller's transaction is rolled back)."""
    taken = take()
    try:
        _write(session, taken)
    except Exception:
        _put_back(taken)
        raise
    return sum(taken.values())


def _write(session: Session, taken: Counter[tuple[date, str]]) -> None:
    for (day, path), n in sorted(taken.items()):
        changed = session.execute(
            update(PageView).where(PageView.day == day, PageView.path == path).values(views=PageView.views + n)
        ).rowcount
        if not changed:
            session.add(PageView(day=day, path=path, section=section_of(path), views=n))
            session.flush()


def views_of(session: Session, path: str) -> int:
    return sum(session.scalars(select(PageView.views).where(PageView.path == path)))


class PageViewMiddleware:
    """Counts each GET page answered 200 under its route's path template; writes the counts once the flush
    interval has passed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(SKIPPED_PREFIXES):
            await self.app(scope, receive, send)
            return
        status = {}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, sending)
        route = scope.get("route")
        template = getattr(route, "path", None)
        if status.get("code") == 200 and template:
            count(template)
            if due() and (db := getattr(scope["app"].state, "db", None)) is not None:
                await anyio.to_thread.run_sync(flush_to, db)  # after the response: the visitor does not wait
