"""The bank interest on an engineering refund (条例 第五十七条) and the late-refund interest (87号令 第三十八条): one
calculation, amount × annual rate × days / 365 rounded down to the fen — properties checked by Hypothesis."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.trading.deposit_interest import interest

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000000"), places=2)
rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("20"), places=4)
days = st.integers(min_value=0, max_value=3650)
calm = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)  # a loaded machine is not a failure


@calm
@given(amounts, rates, days)
def test_never_more_than_the_exact_value_and_less_than_a_fen_below_it(amount, rate, held):
    value = interest(amount, rate, held)
    exact = amount * rate / 100 * held / 365
    assert value == value.quantize(Decimal("0.01")) and value >= 0
    assert value <= exact < value + Decimal("0.01")


@calm
@given(amounts, rates, days, days)
def test_more_days_never_earn_less(amount, rate, a, b):
    low, high = sorted((a, b))
    assert interest(amount, rate, low) <= interest(amount, rate, high)


@calm
@given(amounts, amounts, rates, days)
def test_a_larger_deposit_never_earns_less(a, b, rate, held):
    low, high = sorted((a, b))
    assert interest(low, rate, held) <= interest(high, rate, held)


@calm
@given(amounts, rates)
def test_nothing_for_no_days(amount, rate):
    assert interest(amount, rate, 0) == Decimal("0.00")


def test_a_year_at_the_demand_rate():
    # 50,000 元 held 365 days at 0.35 %: 175.00 元; 8 days: 3.83 元 (3.8356… rounded down)
    assert interest(Decimal("50000.00"), Decimal("0.35"), 365) == Decimal("175.00")
    assert interest(Decimal("50000.00"), Decimal("0.35"), 8) == Decimal("3.83")
