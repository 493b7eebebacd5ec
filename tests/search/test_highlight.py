"""Highlighting and snippets are pure text calculations: properties over any text and any query words."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from sunshine.search.service import highlight, snippet

TEXT = st.text(alphabet=st.sampled_from(list("桥梁维修工程招标公告<>&\"' ab")), max_size=200)
WORDS = st.lists(st.text(alphabet=st.sampled_from(list("桥梁工程公告ab<&")), min_size=1, max_size=4), max_size=4)


@given(TEXT, WORDS)
def test_highlight_keeps_the_text_escaped_and_marks_every_word(text, words):
    marked = str(highlight(text, words))
    assert marked.replace("<mark>", "").replace("</mark>", "") == html.escape(text)
    assert marked.count("<mark>") == marked.count("</mark>")
    assert "<mark><mark>" not in marked
    plain_marked = "".join(marked.split("</mark>"))
    for word in words:
        if word.lower() in text.lower():
            assert "<mark>" in plain_marked


@given(TEXT, WORDS)
def test_snippet_is_short_and_shows_the_first_word_found(text, words):
    cut = snippet(text, words, chars=40)
    assert len(cut) <= 42
    found = [w for w in words if w in text]
    if found and len(text) > 0:
        assert any(w in cut for w in found) or len(max(found, key=len)) > 30
