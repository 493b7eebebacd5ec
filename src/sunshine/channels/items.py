"""Published items: the one shape every channel (Atom/RSS feeds, mail digests, the kiosk) reads.

A *provider* turns one domain's public records into ``PublishedItem``s — trading notices today,
policies and answered public concerns, and the disclosure catalog's publications once that package
exists. Channels never query a domain's tables themselves: they ask ``published_items`` and filter
by category, region, project or keyword, so a new domain joins every channel by adding a provider.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol, runtime_checkable

from sqlalchemy.orm import Session

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


# Providers loaded on first use, so that importing this module imports no domain.
DEFAULT_PROVIDERS: tuple[str, ...] = (
    "sunshine.channels.providers:TradingNotices",
    "sunshine.policy.provider:PolicyItems",
    "sunshine.channels.disclosure_provider:DisclosurePublications",
)
_registry: list[ItemProvider] | None = None


def _load_defaults() -> list[ItemProvider]:
    out: list[ItemProvider] = []
    for ref in DEFAULT_PROVIDERS:
        module_name, _, attr = ref.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # an optional domain that is not installed
            raise
        out.append(getattr(module, attr)())
    return out


def providers() -> list[ItemProvider]:
    global _registry
    if _registry is None:
        _registry = _load_defaults()
    return list(_registry)


def register_provider(provider: ItemProvider) -> None:
    """Add a provider (a domain package calls this, or a test). Replaces one of the same name."""
    global _registry
    current = [p for p in providers() if p.name != provider.name]
    _registry = [*current, provider]


def reset_providers() -> None:
    global _registry
    _registry = None


def all_categories(session: Session) -> list[Category]:
    seen: dict[str, Category] = {}
    for provider in providers():
        for category in provider.categories(session):
            seen.setdefault(category.code, category)
    return list(seen.values())


def find_category(session: Session, code: str) -> Category | None:
    if not CATEGORY_CODE.match(code or ""):
        return None
    return next((c for c in all_categories(session) if c.code == code), None)


def published_items(
    session: Session,
    *,
    category: str | None = None,
    project_code: str | None = None,
    since: datetime | None = None,
    channel: str | None = None,
    limit: int = 50,
) -> list[PublishedItem]:
    """Every provider's public items carried by ``channel``, merged newest first and cut to ``limit``.

    Two providers may offer the same record (a trading notice is also a disclosure publication under its
    catalog item): items with the same key become one, with the categories of both."""
    merged: dict[str, PublishedItem] = {}
    for provider in providers():
        found = provider.items(session, category=category, project_code=project_code, since=since, limit=limit)
        for item in found:
            if not item.carried_by(channel):
                continue
            first = merged.get(item.key)
            if first is None:
                merged[item.key] = item
            else:
                extra = tuple(c for c in item.categories if c.code not in first.category_codes)
                merged[item.key] = replace(
                    first,
                    categories=first.categories + extra,
                    region_code=first.region_code or item.region_code,
                    project_code=first.project_code or item.project_code,
                )
    ordered = sorted(merged.values(), key=lambda i: (i.published_at, i.key), reverse=True)
    return ordered[:limit]


# --------------------------------------------------------------------------- filters


def _region_prefix(code: str) -> str:
    """``350000`` (a province) → ``35``, ``350100`` (a city) → ``3501``, ``350102`` → ``350102``: an
    administrative division code covers every code that starts with it without its trailing zero pairs."""
    code = code.strip()
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def region_matches(wanted: Iterable[str], region_code: str | None) -> bool:
    wanted = [w for w in wanted if w]
    if not wanted:
        return True
    if not region_code:
        return False
    return any(region_code.startswith(_region_prefix(w)) for w in wanted)


@dataclass(frozen=True)
class ItemFilter:
    """What a subscriber asked for: every condition given must hold (categories, regions and keywords
    each match if any one of their values does); an empty condition matches everything."""

    categories: Sequence[str] = field(default_factory=tuple)
    region_codes: Sequence[str] = field(default_factory=tuple)
    keywords: Sequence[str] = field(default_factory=tuple)

    def matches(self, item: PublishedItem) -> bool:
        if self.categories and not (set(self.categories) & item.category_codes):
            return False
        if not region_matches(self.region_codes, item.region_code):
            return False
        if self.keywords:
            text = f"{item.title}\n{item.summary}\n{item.project_code or ''}".casefold()
            if not any(k.casefold() in text for k in self.keywords if k):
                return False
        return True
