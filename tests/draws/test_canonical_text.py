"""The draw's texts written out directly (leaves, pool and list hashes, lists of strings) are byte for byte what
the ``rfc8785`` library makes of the same values — the construction ``sunshine-draw-v1`` does not change."""

from __future__ import annotations

import hashlib

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.draws import engine

# any Unicode text a JSON string can hold (no lone surrogates: they are not UTF-8), controls and quotes included
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
GROUPS = st.lists(TEXT, max_size=4)


def canonical(value) -> str:
    return rfc8785.dumps(value).decode()


@settings(max_examples=300)
@given(TEXT, TEXT, TEXT, GROUPS, TEXT)
def test_a_leaf_is_rfc8785_of_its_fields(code, ref, salt, groups, status):
    body = {"draw": code, "ref": ref, "salt": salt, "groups": groups, "status": status}
    expected = f"{engine.VERSION}|candidate|" + canonical(body)
    assert engine.leaf_text(code, ref, salt, groups, status) == expected
    assert engine.leaf(code, ref, salt, groups, status) == hashlib.sha256(expected.encode()).hexdigest()


@settings(max_examples=200)
@given(st.lists(TEXT, max_size=20), st.lists(st.lists(TEXT, max_size=4), max_size=10))
def test_lists_of_strings_are_rfc8785(strings, rows):
    assert engine.jcs(strings) == canonical(strings)
    assert engine.jcs(rows) == canonical(rows)
    assert engine.pool_hash(strings) == engine.H(canonical(sorted(strings)))


@settings(max_examples=200)
@given(
    TEXT,
    st.lists(st.tuples(TEXT, GROUPS), max_size=12),
    st.lists(st.tuples(TEXT, st.integers(1, 50), st.integers(0, 50)), min_size=1, max_size=4),
    TEXT,
)
def test_the_list_hash_is_rfc8785_of_its_body(code, entries, groups, pool_h):
    eligible = engine.eligible_list(entries)
    specs = [{"code": c, "label": "组", "count": n, "reserve": r} for c, n, r in groups]
    body = {
        "draw": code,
        "groups": [{"code": c, "count": n, "reserve": r} for c, n, r in groups],
        "eligible": eligible,
        "pool_hash": pool_h,
    }
    assert engine.list_hash(code, specs, eligible, pool_h) == engine.H(canonical(body))


def test_values_outside_the_usual_shape_still_hash_canonically():
    eligible = [{"leaf": "a", "groups": ["x"], "extra": 1.5}]
    body = {"draw": "C", "groups": [{"code": "x", "count": 1, "reserve": 0}], "eligible": eligible, "pool_hash": "p"}
    assert engine.list_hash("C", [{"code": "x", "count": 1}], eligible, "p") == engine.H(canonical(body))
    assert engine.leaf_text("C", "r", "s", ["x", 1], "eligible") == (
        f"{engine.VERSION}|candidate|"
        + canonical({"draw": "C", "ref": "r", "salt": "s", "groups": ["x", 1], "status": "eligible"})
    )
