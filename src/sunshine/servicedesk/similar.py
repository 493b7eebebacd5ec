"""Similarity for the knowledge base: the words of a text as the site search segments them
(``search.segment.tokens``: jieba with the trading terms of ``search/terms.txt``), less stop words, and the
cosine of two bags of words, used to suggest articles beside a new work order."""

from __future__ import annotations

import math
import re
from collections import Counter

from sunshine.search import segment

STOP = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "或",
        "及",
        "是",
        "在",
        "我",
        "我们",
        "你",
        "您",
        "吗",
        "呢",
        "啊",
        "吧",
        "怎么",
        "如何",
        "什么",
        "哪里",
        "可以",
        "能否",
        "请问",
        "一下",
        "有",
        "没有",
        "要",
        "需要",
        "这个",
        "那个",
    ]
)
_WORD = re.compile(r"[\w\u4e00-\u9fff]")


def tokens(text: str) -> list[str]:
    """The words of ``text`` as the site search indexes them (Latin words and numbers lower-cased), without
    punctuation and stop words, in order."""
    if not text:
        return []
    out = []
    for word in segment.tokens(text):
        if _WORD.search(word) and word not in STOP:
            out.append(word)
    return out


def similarity(a: list[str], b: list[str]) -> float:
    """Cosine similarity of two token lists (0 when either is empty)."""
    if not a or not b:
        return 0.0
    ca, cb = Counter(a), Counter(b)
    dot = sum(ca[w] * cb[w] for w in ca.keys() & cb.keys())
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(v * v for v in ca.values())) * math.sqrt(sum(v * v for v in cb.values())))
