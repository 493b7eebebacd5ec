"""Properties of the pool's calculations: the age in full years (周岁) that the age limit compares, against a count
of birthdays; and which held codes serve a requested one (the code itself or a code under it in the tree)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from sunshine.experts.pool import age_on, covers
from sunshine.experts.specialties import shipped

DAYS = st.dates(min_value=date(1930, 1, 1), max_value=date(2100, 12, 31))


def _birthdays_passed(born: date, day: date) -> int:
    count = 0
    for year in range(born.year + 1, day.year + 1):
        try:
            birthday = date(year, born.month, born.day)
        except ValueError:  # born on 29 February: the birthday falls on 1 March in common years
            birthday = date(year, 3, 1)
        if birthday <= day:
            count += 1
    return count


@given(DAYS, DAYS)
def test_age_in_full_years_counts_birthdays(born, day):
    if day < born:
        born, day = day, born
    assert age_on(born, day) == _birthdays_passed(born, day)


CODES = [code for code, _, _ in shipped().entries]


@given(st.sampled_from(CODES), st.sampled_from(CODES))
def test_a_held_code_serves_exactly_itself_and_its_ancestors(held, requested):
    ancestors = set()
    parent = {code: p for code, _, p in shipped().entries}
    node: str | None = held
    while node is not None:
        ancestors.add(node)
        node = parent[node]
    assert covers(held, requested) == (requested in ancestors)
