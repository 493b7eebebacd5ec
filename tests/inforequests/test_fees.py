"""Information processing fees from the rule pack disclosure.fees (国办函〔2020〕109号): by count (the
applicant's requests in a natural month) or by pages, at and around every threshold, never both, and on
the answer of a real request (its rank among the applicant's requests that month)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sunshine.core.errors import InvalidInput
from sunshine.inforequests import fees
from sunshine.inforequests.models import InfoRequest
from sunshine.rules import service as rules
from tests.inforequests.builders import office, receive, step

D = date


@pytest.fixture
def pack(session):
    return rules.resolve(session, fees.PACK_KEY, D(2026, 11, 23))


@pytest.mark.parametrize(
    ("rank", "amount"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_by_count_free_up_to_10_then_100_then_rising_by_100_every_10(pack, rank, amount):
    fee = fees.compute(pack, "count", rank=rank)
    assert (fee.method, fee.units, fee.amount) == ("count", rank, Decimal(amount).quantize(Decimal("0.01")))


@pytest.mark.parametrize(
    ("pages", "amount"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_by_pages_free_up_to_30_then_10_20_40_per_page(pack, pages, amount):
    fee = fees.compute(pack, "pages", pages=pages)
    assert fee.amount == Decimal(amount).quantize(Decimal("0.01"))
    assert (f"合计{amount}元" in fee.explanation) == (amount > 0)


def test_a_request_is_never_charged_by_count_and_by_pages(pack):
    with pytest.raises(InvalidInput, match="不能同时适用"):
        fees.compute(pack, "count", rank=12, pages=80)
    assert fees.compute(pack, "none").amount == 0


def test_every_number_comes_from_the_pack(session):
    pack = rules.resolve(session, fees.PACK_KEY, D(2026, 1, 1))
    assert {r.id: int(r.value) for r in pack.rules} == {
        "count_free_max": 10,
        "count_tier1_max": 30,
        "count_tier1_price": 100,
        "count_block_size": 10,
        "count_block_step": 100,
        "pages_free_max": 30,
        "pages_tier1_max": 100,
        "pages_tier1_price": 10,
        "pages_tier2_max": 200,
        "pages_tier2_price": 20,
        "pages_tier3_price": 40,
        "fee_payment_within": 20,
    }
    assert all("信息处理费管理办法" in r.basis_text for r in pack.rules)
    assert fees.pack_for(session, D(2020, 12, 31)) is None  # before 109号 took effect: no fees


def test_the_eleventh_request_of_an_applicant_in_a_month_is_charged_by_count(db, clock):
    staff = office(db)
    ids = [receive(db, clock, staff, D(2026, 11, 2 + i))[0] for i in range(11)]
    receive(db, clock, staff, D(2026, 11, 13), applicant_name="李四", id_number="350102198001010011")
    for rid in ids[9:]:
        step(db, clock, staff, rid, "answer", D(2026, 11, 13), form="disclosed", fee_method="count")
    step(db, clock, staff, ids[0], "answer", D(2026, 11, 13), form="disclosed", fee_method="pages", pages=120)
    with db.unit_of_work(read_only=True) as s:
        tenth, eleventh, first = (s.get(InfoRequest, i) for i in (ids[9], ids[10], ids[0]))
        assert (tenth.fee_method, tenth.fee_units, tenth.fee_amount) == ("count", 10, Decimal("0.00"))
        assert (eleventh.fee_method, eleventh.fee_units, eleventh.fee_amount) == ("count", 11, Decimal("100.00"))
        assert (first.fee_method, first.fee_units, first.fee_amount) == ("pages", 120, Decimal("1100.00"))
        assert eleventh.volume_flag and not tenth.volume_flag  # 第三十五条: more than 10 in the month


def test_fees_only_where_information_is_provided_and_one_method_only(db, clock):
    staff = office(db)
    rid, _ = receive(db, clock, staff, D(2026, 11, 23))
    with pytest.raises(InvalidInput, match="不收取信息处理费"):
        step(db, clock, staff, rid, "answer", D(2026, 11, 23), form="not_exist", fee_method="pages", pages=40)
    with pytest.raises(InvalidInput, match="不能同时适用"):
        step(db, clock, staff, rid, "answer", D(2026, 11, 23), form="disclosed", fee_method="count", pages=40)
    with pytest.raises(InvalidInput, match="页数"):
        step(db, clock, staff, rid, "answer", D(2026, 11, 23), form="disclosed", fee_method="pages")
