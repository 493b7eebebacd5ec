"""Chinese word segmentation and similarity for the knowledge base. ``tokens`` is the ONE place that splits
Chinese text (jieba, search mode, with the trading terms below as a user dictionary); site search will offer
the same function (``search.segment.tokens``) and this one then points there. ``similarity`` is the cosine of
two bags of words, used to suggest articles beside a new work order."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from functools import lru_cache

TERMS = (
    "公共资源交易",
    "交易中心",
    "招标公告",
    "招标文件",
    "投标保证金",
    "保证金退还",
    "开标",
    "评标",
    "中标候选人",
    "中标通知书",
    "政府采购",
    "电子保函",
    "进场登记",
    "异议",
    "质疑",
    "投诉",
    "办事指南",
    "数字证书",
    "CA证书",
    "评标专家",
    "综合评分法",
    "最低评标价法",
    "信息公开",
    "依申请公开",
    "特约监督员",
    "社会监督员",
    "开放日",
)
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


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202
    import jieba

    jieba.setLogLevel(logging.WARNING)
    for term in TERMS:
        jieba.add_word(term, freq=20000)
    return jieba


def tokens(text: str) -> list[str]:
    """The words of ``text`` (Chinese by jieba's search mode, Latin words and numbers lower-cased), without
    punctuation and stop words, in order."""
    if not text:
        return []
    out = []
    for word in _jieba().cut_for_search(text):
        word = word.strip().lower()
        if word and _WORD.search(word) and word not in STOP:
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
