"""Chinese word segmentation for the site search: jieba with a user dictionary of trading terms (terms.txt).

``tokens(text)`` gives the words a text is indexed under: jieba's search mode, which keeps a compound
(公开招标) and its parts (公开, 招标) so a query for either finds it; lower-cased, punctuation dropped.
``query_terms(q)`` gives the words a query must all match: jieba's precise mode over what a person typed,
each with its parts (``Term``): a text matches a word when it was indexed under the word or under its
parts one after the other — a compound typed whole (公开招标) finds a text segmented around it
(公开 / 招标公告). The dictionary is loaded once per process, on first use.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import jieba

USER_DICTIONARY = Path(__file__).with_name("terms.txt")
MAX_TOKEN_CHARS = 40  # longer runs (hashes, codes pasted whole) are not words anybody searches
MAX_QUERY_TERMS = 12

_WORD = re.compile(r"\w+")
_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def _segmenter() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                tokenizer.load_userdict(str(USER_DICTIONARY))
                _tokenizer = tokenizer
    return _tokenizer


def _words(pieces: object) -> list[str]:
    out = []
    for piece in pieces:  # type: ignore[attr-defined]
        for word in _WORD.findall(str(piece).lower()):
            if len(word) <= MAX_TOKEN_CHARS and word != "_":
                out.append(word)
    return out


def tokens(text: str | None) -> list[str]:
    """The words ``text`` is indexed under, in order (search mode: compounds and their parts)."""
    if not text:
        return []
    return _words(_segmenter().cut_for_search(text))


@dataclass(frozen=True)
class Term:
    """One word of a query and its parts (empty when it has none): matched as the word, or its parts in a row."""

    word: str
    parts: tuple[str, ...] = ()

    @property
    def all_words(self) -> tuple[str, ...]:
        return (self.word, *self.parts)


def query_terms(q: str | None) -> list[Term]:
    """The distinct words of a query, in order (precise mode), at most ``MAX_QUERY_TERMS``."""
    if not q:
        return []
    seen: list[str] = []
    for word in _words(_segmenter().cut(q)):
        if word not in seen:
            seen.append(word)
    out = []
    for word in seen[:MAX_QUERY_TERMS]:
        parts = tuple(dict.fromkeys(p for p in _words(_segmenter().cut_for_search(word)) if p != word))
        out.append(Term(word, parts))
    return out
