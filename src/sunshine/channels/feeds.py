"""Atom 1.0 and RSS 2.0 documents from published items (built with feedgen), with absolute links.

Only what ``published_items`` returns is ever written, so a feed shows exactly what the public pages
show; the newest ``FEED_SIZE`` items, newest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from feedgen.feed import FeedGenerator

from sunshine.channels.items import PublishedItem
from sunshine.core import clock

FEED_SIZE = 50
Format = Literal["atom", "rss"]
MEDIA_TYPES: dict[str, str] = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
}


@dataclass(frozen=True)
class FeedSpec:
    """One feed: its title and description, where it lives and which page it mirrors."""

    title: str
    description: str
    path: str  # without the extension, e.g. "/feeds/notices"
    page: str  # the HTML page with the same content, e.g. "/notices"


# Characters XML 1.0 cannot carry (C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF):
# a stray one in a title must not make the whole feed fail.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _second(value: datetime) -> datetime:
    return value.replace(microsecond=0)


def render_feed(spec: FeedSpec, items: list[PublishedItem], *, fmt: Format, base_url: str, author: str) -> bytes:
    base = base_url.rstrip("/")
    feed_url = f"{base}{spec.path}.{fmt}"
    fg = FeedGenerator()
    fg.id(feed_url)
    fg.title(_xml(spec.title))
    fg.description(_xml(spec.description))  # RSS <description>, Atom <subtitle>
    fg.link(href=feed_url, rel="self", type=MEDIA_TYPES[fmt].split(";")[0])
    fg.link(href=f"{base}{spec.page}", rel="alternate", type="text/html")
    fg.language("zh-CN")
    fg.author({"name": author})
    fg.generator("阳光交易 Sunshine")
    fg.updated(_second(items[0].published_at if items else clock.now()))
    for item in items:
        url = f"{base}{item.link}"
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(_xml(item.title))
        entry.link(href=url, rel="alternate", type="text/html")
        entry.published(_second(item.published_at))
        entry.updated(_second(item.published_at))
        if item.summary:
            entry.summary(_xml(item.summary))
        for category in item.categories:
            entry.category(term=category.code, label=_xml(category.label), scheme=f"{base}/feeds")
    return fg.atom_str(pretty=True) if fmt == "atom" else fg.rss_str(pretty=True)
