"""Each red flag and collusion signal fires on a built case and stays silent on its near miss (pure functions of the
facts; no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.monitoring import flags
from sunshine.monitoring.facts import BidFact, SectionFacts
from sunshine.monitoring.flags import Mark, Period
from sunshine.monitoring.ruleset import pack

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
DEADLINE = T0 + timedelta(days=20)
NOW = DEADLINE + timedelta(days=30)


def rule(rule_id: str, **params):
    r = pack().get(rule_id)
    return replace(r, params={**r.params, **params})


def bid(org: int, price: str | None, *, valid: bool | None = True, at: datetime | None = None, **kw) -> BidFact:
    return BidFact(
        bid_id=org * 100 + int(Decimal(price or 0)) % 97,
        bid_no=f"TB{org:04d}",
        organisation_id=org,
        bidder=f"公司{org}",
        price=Decimal(price) if price is not None else None,
        submitted_at=at or DEADLINE - timedelta(days=1),
        valid=valid,
        **kw,
    )


def section(
    bids,
    *,
    sid: int = 1,
    winner: int | None = None,
    amount: str | None = None,
    method="open_tender",
    tenderer: int = 900,
    agency: int | None = 800,
    decided: datetime | None = None,
) -> SectionFacts:
    return SectionFacts(
        project_id=sid,
        project_code=f"P{sid:03d}",
        project_name=f"项目{sid}",
        section_id=sid,
        section_number=1,
        transaction_type="engineering",
        method=method,
        tenderer_id=tenderer,
        agency_id=agency,
        docs_issued_at=T0,
        bid_deadline=DEADLINE,
        bids=tuple(bids),
        winner_id=winner,
        winner_amount=Decimal(amount) if amount else None,
        decided_at=decided or DEADLINE + timedelta(days=10),
    )


def keys(found) -> list[str]:
    return [f.key for f in found]


def test_rules_pack_lists_every_cardinal_indicator_and_computes_each():
    ids = {r.id for r in pack().rules}
    assert {"R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058"} <= ids
    assert {"P01", "P02", "P03", "C01", "C02", "C03", "C04", "C05"} <= ids
    assert [r.id for r in pack().rules if not r.computable] == []
    assert all(r.basis and r.title and r.stage for r in pack().rules)


def test_r003_short_period_and_its_near_miss():
    r = rule("R003")
    short = Period(1, "P1", "甲", "open_tender", T0, T0 + timedelta(days=19, hours=23))
    enough = Period(2, "P2", "乙", "open_tender", T0, T0 + timedelta(days=20))
    listing = Period(3, "P3", "丙", "listing", T0, T0 + timedelta(days=5))  # not a submission period: not checked
    consultation = Period(4, "P4", "丁", "competitive_consultation", T0, T0 + timedelta(days=9))  # 10 days required
    found = flags.r003(r, [short, enough, listing, consultation])
    assert keys(found) == ["R003:project:1", "R003:project:4"] and found[0].value == "19"


def test_r018_single_bid_only_for_competitive_methods_after_the_deadline():
    r = rule("R018")
    assert keys(flags.r018(r, [section([bid(1, "100")])], NOW)) == ["R018:section:1"]
    assert flags.r018(r, [section([bid(1, "100"), bid(2, "110")])], NOW) == []  # two tenderers
    assert flags.r018(r, [section([bid(1, "100")], method="single_source")], NOW) == []
    assert flags.r018(r, [section([bid(1, "100")])], DEADLINE - timedelta(hours=1)) == []  # not closed yet


def test_r024_and_r058_price_gap_against_the_configured_fences():
    close = section([bid(1, "100000"), bid(2, "100500"), bid(3, "120000")], sid=1, winner=1, amount="100000")
    wide = section([bid(1, "100000"), bid(2, "160000")], sid=2, winner=1, amount="100000")
    not_lowest = section([bid(1, "100000"), bid(2, "99000")], sid=3, winner=1, amount="100000")
    r024, r058 = rule("R024", threshold=0.01), rule("R058", threshold=0.5)
    assert keys(flags.r024(r024, [close, wide, not_lowest])) == ["R024:section:1"]
    assert flags.r024(rule("R024", threshold=0.004), [close]) == []  # 0.5 % gap just above a 0.4 % fence
    assert keys(flags.r058(r058, [close, wide, not_lowest])) == ["R058:section:2"]
    assert flags.r058(rule("R058", threshold=0.61), [wide]) == []
    found = flags.r024(r024, [close])[0]
    assert found.evidence["flagged"] == ["公司1", "公司2"] and found.value == "0.0050"


def test_r024_fence_from_the_population_needs_enough_cases():
    gaps = [section([bid(1, "100"), bid(2, f"{110 + i * 0.5}")], sid=i + 1, winner=1, amount="100") for i in range(8)]
    tight = section([bid(1, "100"), bid(2, "100.01")], sid=99, winner=1, amount="100")
    assert keys(flags.r024(rule("R024"), [*gaps, tight])) == ["R024:section:99"]
    assert flags.r024(rule("R024"), [*gaps[:6], tight]) == []  # too few processes for a fence


def test_r025_top_tenderer_that_rarely_wins():
    sections = []
    for i in range(12):  # 公司1 bids everywhere and never wins; the others win in turn
        winner = 2 + i % 6
        sections.append(section([bid(1, "120"), bid(winner, "100")], sid=i + 1, winner=winner, amount="100"))
    found = flags.r025(rule("R025", threshold=0.05), sections)
    assert keys(found) == ["R025:tenderer:1"]
    sections[0] = section([bid(1, "90"), bid(2, "100")], sid=1, winner=1, amount="90")
    assert flags.r025(rule("R025", threshold=0.05), sections) == []  # one win in 12 is above the 5 % fence


def test_r028_identical_prices_of_different_tenderers():
    found = flags.r028(rule("R028"), [section([bid(1, "100.00"), bid(2, "100.00"), bid(3, "101")])])
    assert keys(found) == ["R028:section:1:100.00"] and found[0].evidence["flagged"] == ["公司1", "公司2"]
    assert flags.r028(rule("R028"), [section([bid(1, "100.00"), bid(2, "100.01")])]) == []


def test_r030_late_winning_bid():
    late = section([bid(1, "100", at=DEADLINE + timedelta(minutes=1)), bid(2, "110")], winner=1, amount="100")
    assert keys(flags.r030(rule("R030"), [late])) == ["R030:section:1"]
    on_time = section([bid(1, "100", at=DEADLINE), bid(2, "110", at=DEADLINE + timedelta(minutes=1))], winner=1)
    assert flags.r030(rule("R030"), [on_time]) == []  # the late bid did not win


def test_r035_all_except_the_winner_disqualified():
    case = section([bid(1, "100"), bid(2, "90", valid=False), bid(3, "95", valid=False)], winner=1, amount="100")
    found = flags.r035(rule("R035"), [case])
    assert keys(found) == ["R035:section:1"] and found[0].value == "2"
    near = section([bid(1, "100"), bid(2, "90", valid=False), bid(3, "95")], winner=1, amount="100")
    assert flags.r035(rule("R035"), [near]) == []
    assert flags.r035(rule("R035", threshold=3), [case]) == []


def test_r036_lowest_bid_disqualified():
    case = section([bid(1, "100"), bid(2, "90", valid=False)], winner=1, amount="100")
    assert keys(flags.r036(rule("R036"), [case])) == ["R036:section:1"]
    near = section([bid(1, "100"), bid(2, "110", valid=False)], winner=1, amount="100")
    assert flags.r036(rule("R036"), [near]) == []


def test_r038_disqualified_ratio_per_buyer_agency_and_tenderer():
    sections = [
        section([bid(1, "100"), bid(2, "90", valid=False)], sid=1, winner=1, tenderer=900),
        section([bid(1, "100"), bid(2, "90", valid=False)], sid=2, winner=1, tenderer=900),
        section([bid(1, "100"), bid(3, "90")], sid=3, winner=1, tenderer=901),
        section([bid(1, "100"), bid(3, "90")], sid=4, winner=3, tenderer=901),
    ]
    found = keys(flags.r038(rule("R038", threshold=0.5), sections, {}))
    assert found == ["R038:buyer:900", "R038:tenderer:2"]  # the agency 800 disqualified 2 of 8: below 50 %
    # the buyer's 2 of 4 is just below a 51 % fence; the tenderer's 2 of 2 is not
    assert keys(flags.r038(rule("R038", threshold=0.51), sections, {})) == ["R038:tenderer:2"]


def test_c01_same_address_and_its_near_misses():
    same = section([bid(1, "100", client_ip="203.0.113.7"), bid(2, "101", client_ip="203.0.113.7")])
    found = flags.c01(rule("C01"), [same])
    assert len(found) == 1 and found[0].restricted == {"value": "203.0.113.7"}
    assert "203.0.113.7" not in str(found[0].evidence)  # the address is for the supervisory department only
    near = section([bid(1, "100", client_ip="203.0.113.7"), bid(2, "101", client_ip="203.0.113.8")])
    loopback = section([bid(1, "100", client_ip="127.0.0.1"), bid(2, "101", client_ip="127.0.0.1")])
    assert flags.c01(rule("C01"), [near, loopback]) == []


def test_c02_same_device_hash():
    machine = "a" * 64
    same = section([bid(1, "100", device={"machine": machine}), bid(2, "101", device={"mac": ["b" * 64, machine]})])
    assert flags.c02(rule("C02"), [same]) == []  # a MAC hash equal to a machine-id hash is not the same identifier
    same = section([bid(1, "100", device={"mac": ["c" * 64]}), bid(2, "101", device={"mac": ["d" * 64, "c" * 64]})])
    assert len(flags.c02(rule("C02"), [same])) == 1
    one_firm = section([bid(1, "100", device={"machine": machine}), bid(1, "100", device={"machine": machine})])
    assert flags.c02(rule("C02"), [one_firm]) == []


def test_c03_same_document_mark_but_not_a_generic_author():
    a, b = bid(1, "100"), bid(2, "101")
    marks = {
        a.bid_id: [Mark(a.bid_id, "m1", "张工", "张工", "WPS Office")],
        b.bid_id: [Mark(b.bid_id, "m1", "张工", "张工", "WPS Office")],
    }
    found = flags.c03(rule("C03"), [section([a, b])], marks)
    assert len(found) == 1 and found[0].restricted["author"] == "张工"
    generic = {k: [replace(m, author="Administrator") for m in v] for k, v in marks.items()}
    assert flags.c03(rule("C03"), [section([a, b])], generic) == []
    other = {a.bid_id: marks[a.bid_id], b.bid_id: [Mark(b.bid_id, "m2", "李工", None, "WPS Office")]}
    assert flags.c03(rule("C03"), [section([a, b])], other) == []


def test_c04_concentration_over_the_window():
    wins = [section([bid(1, "100"), bid(2 + i, "110")], sid=i + 1, winner=1, amount="100") for i in range(4)]
    found = flags.c04(rule("C04"), wins, NOW, {900: "某局"})
    assert keys(found) == [f"C04:buyer:900:{NOW.year}", f"C04:agency:800:{NOW.year}"]
    assert found[0].value == "1.0000"
    spread = [section([bid(1 + i, "100")], sid=i + 1, winner=1 + i, amount="100") for i in range(5)]
    assert flags.c04(rule("C04"), spread, NOW, {}) == []  # HHI 0.20 < 0.25
    old = [replace(s, decided_at=NOW - timedelta(days=400)) for s in wins]
    assert flags.c04(rule("C04"), old, NOW, {}) == []  # outside the window


def test_c05_rotation_a_bidder_that_always_loses_to_the_same_winner():
    met = [section([bid(1, "100"), bid(2, "110")], sid=i + 1, winner=1, amount="100") for i in range(3)]
    assert keys(flags.c05(rule("C05"), met, NOW, {})) == ["C05:2:1"]
    swapped = [*met, section([bid(1, "100"), bid(2, "90")], sid=9, winner=2, amount="90")]
    assert flags.c05(rule("C05"), swapped, NOW, {}) == []  # it also beat that winner once
    assert flags.c05(rule("C05"), met[:2], NOW, {}) == []  # two meetings are below the minimum


def _awards(winner: int, codes: list[str | None], first_sid: int) -> list[SectionFacts]:
    """One won section (its own project) per code, ``winner`` winning each."""
    return [
        replace(section([bid(winner, "100")], sid=first_sid + i, winner=winner, amount="100"), classification=code)
        for i, code in enumerate(codes)
    ]


def test_r048_heterogeneous_supplier_and_its_near_misses():
    # eight suppliers won 20 projects each in one to three second-level classes (A02 设备, A05 家具和用具 …);
    # 公司9 won 20 projects across 8: above the upper fence of the varieties (Q3 2 + 1.5 × IQR 1 = 3.5)
    one, two, three = ["A02"] * 20, ["A0201"] * 10 + ["A0501"] * 10, ["A02"] * 10 + ["B01"] * 5 + ["C01"] * 5
    sections, sid = [], 1
    for codes in (one, one, one, two, two, two, two, three):
        org = len({s.winner_id for s in sections}) + 1
        sections += _awards(org, codes, sid)
        sid += len(codes)
    varied = ["A01", "A02", "A03", "A04", "A05", "B01", "B02", "C01"] * 2 + ["A02"] * 4
    found = flags.r048(rule("R048"), sections + _awards(9, varied, sid), {9: "公司9"})
    assert keys(found) == ["R048:tenderer:9"]
    assert found[0].value == "8" and found[0].evidence["classes"][:3] == ["A01", "A02", "A03"]
    assert found[0].evidence["fence"] == 3.5 and found[0].evidence["projects"] == 20
    # near miss: the same eight classes over 19 projects — below the 20 contracting processes Cardinal requires
    assert flags.r048(rule("R048"), sections + _awards(9, varied[:19], sid), {}) == []
    # near miss: 20 projects in three classes, below the fence of 3.5
    few = ["A01", "A02", "A03"] * 6 + ["A01", "A01"]
    assert flags.r048(rule("R048"), sections + _awards(9, few, sid), {}) == []
    # sections without a classification are not counted; a configured threshold replaces the fence
    assert flags.r048(rule("R048"), sections + _awards(9, [None] * 20, sid), {}) == []
    assert keys(flags.r048(rule("R048", threshold=3), _awards(9, few, sid), {})) == ["R048:tenderer:9"]
    # too few suppliers with 20 awards for a fence: nothing, unless a threshold is set
    assert flags.r048(rule("R048"), _awards(9, varied, 1), {}) == []


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=50))
def test_fences_bracket_the_quartiles(values):
    lower, upper = flags.fences(values)
    assert lower <= min(values) + 1e-6 or lower <= sorted(values)[len(values) // 4] + 1e-6
    assert lower <= upper


@pytest.mark.parametrize("rid", ["R024", "R058"])
def test_price_rules_exclude_a_winner_that_did_not_bid_lowest(rid):
    s = section([bid(1, "100"), bid(2, "99")], winner=1, amount="100")
    fn = flags.r024 if rid == "R024" else flags.r058
    assert fn(rule(rid, threshold=0.0 if rid == "R058" else 1.0), [s]) == []
