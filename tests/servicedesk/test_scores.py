"""Properties of the desk's calculations: a survey's 0–100 score and the similarity of two texts' words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sunshine.servicedesk.similar import similarity, tokens
from sunshine.servicedesk.surveys import score_of

RATINGS = st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=20)


@given(RATINGS)
def test_score_is_the_mean_times_twenty_rounded(ratings: list[int]) -> None:
    score = score_of(ratings)
    assert 20 <= score <= 100
    assert abs(score - sum(ratings) * 20 / len(ratings)) <= 0.5
    assert score_of([5] * len(ratings)) == 100 and score_of([3] * len(ratings)) == 60


@given(RATINGS, RATINGS)
def test_score_is_monotonic(a: list[int], b: list[int]) -> None:
    n = min(len(a), len(b))
    a, b = a[:n], b[:n]
    better = [max(x, y) for x, y in zip(a, b, strict=True)]
    assert score_of(better) >= score_of(a)


WORDS = st.lists(st.sampled_from(["保证金", "退还", "开标", "投标", "证书", "办理", "时限"]), max_size=12)


@given(WORDS, WORDS)
def test_similarity_is_symmetric_and_bounded(a: list[str], b: list[str]) -> None:
    s = similarity(a, b)
    assert 0.0 <= s <= 1.0 + 1e-9
    assert abs(s - similarity(b, a)) < 1e-12
    if a:
        assert abs(similarity(a, a) - 1.0) < 1e-9


def test_tokens_split_chinese_and_drop_stop_words() -> None:
    words = tokens("请问投标保证金在哪里办理退还？")
    assert "保证金" in words and "退还" in words and "请问" not in words and "？" not in words
    assert tokens("") == []
