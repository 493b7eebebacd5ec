"""The mandatory-clause check as a property: a draft is refused exactly when some mandatory clause of the template
is missing or only whitespace, and the refusal names each of them and no other."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sunshine.tenderdocs.service import Clause, check_clauses

clauses = st.lists(
    st.tuples(st.sampled_from("abcdefgh"), st.booleans()), min_size=1, max_size=8, unique_by=lambda c: c[0]
).map(lambda items: [Clause(k, f"条款{k}", m) for k, m in items])
texts = st.one_of(st.none(), st.sampled_from(["", "  ", "\n", "内容", " 有内容 "]))


@given(template=clauses, values=st.dictionaries(st.sampled_from("abcdefgh"), texts))
def test_refused_exactly_when_a_mandatory_clause_is_empty(template, values):
    given_text = {k: v for k, v in values.items() if v is not None}
    filled, empty = check_clauses(template, given_text)
    expected = [c.title for c in template if c.mandatory and not (given_text.get(c.key) or "").strip()]
    assert empty == expected
    assert set(filled) == {c.key for c in template}
    assert all(v == v.strip() for v in filled.values())
