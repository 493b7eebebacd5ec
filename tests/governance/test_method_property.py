"""The department score (政务公开考核) as a property: for any on-time rate and any findings, the score is the
method's timeliness points × rate plus the inspection points less the deductions (never below zero), worked out
here by hand from the numbers in method.yaml; it never exceeds the total, and more findings never raise it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.governance import method

M = method.load()
rates = st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda r: round(r, 1)))
counts = st.integers(min_value=0, max_value=15)


def by_hand(rate, accuracy, completeness, timeliness, late, open_) -> Decimal:
    points = (
        M.timeliness_points
        * (Decimal(1) if rate is None else Decimal(str(rate)) / 100)
        * (M.no_obligations_share if rate is None else 1)
    )
    lost = (
        accuracy * M.per_finding["accuracy"]
        + completeness * M.per_finding["completeness"]
        + timeliness * M.per_finding["timeliness"]
        + late * M.late_correction
        + open_ * M.open_past_due
    )
    total = points + max(Decimal(0), M.inspection_points - lost)
    return total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@settings(deadline=None)
@given(rates, counts, counts, counts, counts, counts)
def test_score_is_the_method_by_hand(rate, accuracy, completeness, timeliness, late, open_):
    facts = method.Facts(
        rate, {"accuracy": accuracy, "completeness": completeness, "timeliness": timeliness}, late, open_
    )
    got = method.score(M, facts)
    assert got == by_hand(rate, accuracy, completeness, timeliness, late, open_)
    assert Decimal(0) <= got <= M.timeliness_points + M.inspection_points
    worse = method.Facts(rate, {**facts.findings, "accuracy": accuracy + 1}, late, open_)
    assert method.score(M, worse) <= got


def test_the_method_is_data_with_its_basis():
    assert M.timeliness_points + M.inspection_points == 100
    assert "平台默认值" in M.basis
