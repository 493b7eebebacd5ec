"""Money and dates as people read them: yuan with thousands separators, amounts for records, times in the
display zone, Chinese dates. Services, views and the Jinja filters (``web.templating``) all use these."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sunshine.config import get_settings

CENT = Decimal("0.01")
WEEKDAYS = "一二三四五六日"


def yuan(value: Decimal | int | None) -> str:
    """``Decimal('12345678.5')`` → ``'12,345,678.50'`` (元, two places, thousands separators); None → ''."""
    return "" if value is None else f"{Decimal(value):,.2f}"


def amount_text(value: Decimal | int) -> str:
    """``Decimal('12345678.5')`` → ``'12345678.50'``: an amount as records and ledger payloads write it."""
    return str(Decimal(value).quantize(CENT))


def local_time(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A moment in the display time zone (``fmt``); a date as ``2026-11-23``; None → ''."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(get_settings().tz).strftime(fmt)
    return value.strftime("%Y-%m-%d")


def local_seconds(value: datetime | None) -> str:
    """A moment in the display time zone, to the second (auction bids, closing times)."""
    return local_time(value, "%Y-%m-%d %H:%M:%S")


def cn_day(value: date | None) -> str:
    """``2026年11月23日``; None → ''."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def cn_date(value: date) -> str:
    """``2026年11月23日（星期一）``."""
    return f"{cn_day(value)}（星期{WEEKDAYS[value.weekday()]}）"


def cn_datetime(value: str | datetime | None) -> str:
    """An ISO timestamp (as the ledger writes it) or a datetime, shown in the display zone."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return local_time(value)
