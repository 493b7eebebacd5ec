"""门户访问统计: views of the portal's pages counted per path template (``/notices/{notice_id}``, never the address
itself) and day, with the section (栏目) it belongs to; no visitor, address, parameter or cookie is kept. The
middleware counts successful GET pages in the process's memory; ``flush`` (the tick, and the staff statistics
page before it reads) adds them to ``monitoring_page_view``."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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

_lock = threading.Lock()
_counts: Counter[tuple[date, str]] = Counter()


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


def flush(session: Session) -> int:
    """Add the counts held in memory to the table; the number of page views written."""
    taken = take()
    for (day, path), n in sorted(taken.items()):
        changed = session.execute(
            update(PageView).where(PageView.day == day, PageView.path == path).values(views=PageView.views + n)
        ).rowcount
        if not changed:
            session.add(PageView(day=day, path=path, section=section_of(path), views=n))
            session.flush()
    return sum(taken.values())


def views_of(session: Session, path: str) -> int:
    return sum(session.scalars(select(PageView.views).where(PageView.path == path)))


class PageViewMiddleware:
    """Counts each GET page answered 200 under its route's path template."""

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
