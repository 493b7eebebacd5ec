"""Property tests of the grade and validity matching: "at least 二级" is the order of the grade scale, grades of
another scale never meet, a record counts exactly on the days between its dates, and the assessment agrees."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.qualifications import codes, records
from sunshine.qualifications.models import Certificate, Person

SCALES = [codes.CONSTRUCTION, codes.LETTERED, codes.REGISTERED]
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@given(st.sampled_from(SCALES), st.data())
def test_at_least_is_the_scale_order(scale, data):
    grade = data.draw(st.sampled_from(scale))
    minimum = data.draw(st.sampled_from(scale))
    assert codes.at_least(grade, minimum, scale) == (scale.index(grade) <= scale.index(minimum))
    assert codes.at_least(grade, None, scale)
    assert codes.at_least(grade, grade, scale)


@given(st.sampled_from(codes.CONSTRUCTION), st.sampled_from(codes.LETTERED))
def test_grades_of_another_scale_never_meet(construction, lettered):
    assert not codes.at_least(lettered, construction, codes.CONSTRUCTION)
    assert not codes.at_least(construction, lettered, codes.LETTERED)


@settings(deadline=None)
@given(days, st.integers(0, 3650), days)
def test_a_certificate_counts_exactly_between_its_dates(start, length, on):
    cert = Certificate(valid_from=start, valid_until=start + timedelta(days=length), retired_at=None)
    assert records.valid_on(cert, on) == (start <= on <= start + timedelta(days=length))


@settings(deadline=None)
@given(days, st.one_of(st.none(), days), days)
def test_a_person_counts_until_the_earlier_of_registration_and_b_certificate(registration, safety, on):
    person = Person(registration_valid_until=registration, safety_valid_until=safety, retired_at=None)
    last = min(d for d in (registration, safety) if d is not None)
    assert records.valid_until(person) == last
    assert records.valid_on(person, on) == (on <= last)


@given(st.text(min_size=0, max_size=40))
def test_masking_never_shows_the_middle(number):
    masked = codes.mask(number)
    assert len(masked) == len(number)
    if len(number) > 4:
        assert masked[:2] == number[:2] and masked[-2:] == number[-2:] and set(masked[2:-2]) == {"*"}


@given(days, st.integers(1, 20))
def test_years_before_is_a_real_day_and_years_earlier(on, years):
    from sunshine.qualifications.service import years_before

    earlier = years_before(on, years)
    assert earlier.year == on.year - years and (on - earlier).days >= 365 * years
