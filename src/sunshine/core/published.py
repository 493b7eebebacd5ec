"""Published items: the one shape every channel (Atom/RSS feeds, mail digests, the kiosk) reads, and the
provider interface each domain implements to offer its public records in that shape.

A provider lives in its domain's package (``trading.published``, ``disclosure.published``,
``policy.provider``) and lists the domain's public records as ``PublishedItem``s, newest first, those
published after a ``since`` moment when given. ``channels.items`` gathers the providers; channels never
query a domain's tables themselves.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

import nh3
from sqlalchemy.orm import Session

SUMMARY_CHARS = 200

# Category codes are "<scheme>.<value>", e.g. "type.engineering" (交易类型), "kind.tender" (公告类型),
# "policy.document"; the scheme keeps the codes of different providers apart.
CATEGORY_CODE = re.compile(r"^[a-z][a-z0-9_]*\.[A-Za-z0-9_.\-]{1,60}$")
# Channels a published item may be limited to (the disclosure catalog's vocabulary): feeds and mail
# subscriptions read "feed", the kiosk reads "terminal". An item with no channel list goes everywhere.
FEED = "feed"
TERMINAL = "terminal"


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    group: str  # heading under which forms and the feed index list it, e.g. 交易类型


@dataclass(frozen=True)
class PublishedItem:
    """A record the public may read, as every channel shows it."""

    key: str  # stable and unique across providers, e.g. "notice:12": Atom ids and mail deliveries use it
    title: str
    link: str  # site-relative path of the public page, e.g. "/notices/12"
    published_at: datetime  # timezone-aware
    categories: tuple[Category, ...]
    region_code: str | None = None  # 行政区划代码 of the project or issuing body
    project_code: str | None = None  # 统一交易标识码, when the item belongs to a project
    summary: str = ""  # plain text, a few sentences
    source: str = ""  # provider name, e.g. "trading"
    channels: frozenset[str] | None = None  # where it may be carried; None: every channel

    def carried_by(self, channel: str | None) -> bool:
        return channel is None or self.channels is None or channel in self.channels

    @property
    def category_codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.categories)

    @property
    def category_label(self) -> str:
        return " · ".join(c.label for c in self.categories)


@runtime_checkable
class ItemProvider(Protocol):
    """One domain's public records as published items."""

    name: str

    def categories(self, session: Session) -> list[Category]:
        """Every category this provider can put an item in (feeds and subscription forms list them)."""
        ...

    def items(
        self,
        session: Session,
        *,
        category: str | None = None,
        project_code: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[PublishedItem]:
        """Public items, newest first: only those in ``category`` / of ``project_code`` when given,
        only those published after ``since`` when given. A category of another provider gives []."""
        ...


def plain_summary(body_html: str, limit: int = SUMMARY_CHARS) -> str:
    """The text of an HTML body on one line, cut to ``limit`` characters."""
    text = " ".join(html.unescape(nh3.clean(body_html or "", tags=set())).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
