"""The committee's composition against the packs: accepted exactly when odd, at least the pack's size (the
larger size above the budget threshold) and experts at least two thirds; review and opinion purposes need the
pack's number of experts and no representatives."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.committees import composition
from sunshine.committees.composition import DOC_REVIEW, EVALUATION, METHOD_OPINION, Limits

counts = st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=4)
reps = st.integers(min_value=0, max_value=6)
budgets = st.sampled_from([Decimal("500000"), Decimal("9999999.99"), Decimal("10000000"), Decimal("30000000")])


@given(counts, reps, budgets)
def test_evaluation_accepted_iff_odd_large_enough_and_two_thirds_experts(cs, r, budget):
    lim = Limits(EVALUATION, min_size=5, large_min_size=7, large_threshold=Decimal("10000000"), budget=budget)
    experts, total = sum(cs), sum(cs) + r
    size = 7 if budget >= Decimal("10000000") else 5
    lawful = total % 2 == 1 and total >= size and Fraction(experts, total) >= Fraction(2, 3)
    assert (composition.problems(lim, cs, r) == []) == lawful


@given(counts, reps, st.sampled_from([DOC_REVIEW, METHOD_OPINION]), st.integers(min_value=1, max_value=4))
def test_review_purposes_need_the_pack_number_of_experts_and_no_representatives(cs, r, purpose, need):
    lim = Limits(purpose, experts_min=need)
    assert (composition.problems(lim, cs, r) == []) == (sum(cs) >= need and r == 0)


def test_share_of_reads_the_display_value_as_two_thirds():
    assert composition.share_of(Decimal("66.67")) == Fraction(2, 3)
    assert composition.share_of(Decimal("50")) == Fraction(1, 2)


@pytest.mark.parametrize(
    ("cs", "r", "words"),
    [
        ([2, 2], 0, "单数"),
        ([2], 1, "5人以上"),
        ([2, 1], 2, "三分之二"),
        ([0, 5], 0, "至少抽取1名"),
    ],
)
def test_each_breach_is_said_in_chinese(cs, r, words):
    with pytest.raises(composition.CompositionInvalid) as err:
        composition.check(Limits(EVALUATION, basis="《中华人民共和国招标投标法》第三十七条"), cs, r)
    assert words in err.value.detail and "第三十七条" in err.value.detail
    assert err.value.code == "committee_composition" and err.value.status == 422
