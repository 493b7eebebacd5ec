"""Published items from every domain, as channels (Atom/RSS feeds, mail digests, the kiosk) read them.

The shape of an item and the provider interface are in ``core.published``; each domain implements a
provider in its own package (trading notices, disclosure publications, policies and answered concerns).
Channels never query a domain's tables themselves: they ask ``published_items`` and filter by category,
region, project or keyword, so a new domain joins every channel by adding its provider here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.orm import Session

from sunshine.core.published import CATEGORY_CODE, FEED, TERMINAL, Category, ItemProvider, PublishedItem
from sunshine.disclosure.published import DisclosurePublications
from sunshine.policy.provider import PolicyItems
from sunshine.trading.published import TradingNotices

__all__ = ["FEED", "TERMINAL", "Category", "ItemFilter", "ItemProvider", "PublishedItem", "published_items"]


def default_providers() -> list[ItemProvider]:
    return [TradingNotices(), PolicyItems(), DisclosurePublications()]


_registry: list[ItemProvider] | None = None


def providers() -> list[ItemProvider]:
    global _registry
    if _registry is None:
        _registry = default_providers()
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
