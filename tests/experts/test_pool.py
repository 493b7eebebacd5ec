"""The pool at the moment of a draw: who holds the requested specialties, and why each excluded member is out."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sunshine.core import clock
from sunshine.core.errors import InvalidInput
from sunshine.credit.models import CreditBan
from sunshine.experts import service
from sunshine.experts.models import REMOVED, ExpertConflict, ExpertLeave
from tests.builders import make_org
from tests.experts.builders import add_expert

AT = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)  # 09:00 in Beijing, 2026-12-10


def _pool(db, specialties, at=AT):
    with db.unit_of_work() as s:
        return {m.expert_id: m for m in service.pool_for_draw(s, specialties=specialties, at=at)}


def test_members_hold_a_requested_specialty_or_a_code_under_it(db):
    road = add_expert(db, specialties=("A0201",))
    building = add_expert(db, specialties=("A0101", "A0201"))
    goods = add_expert(db, specialties=("B01",))
    pool = _pool(db, ["A01", "A02"])
    assert set(pool) == {road["id"], building["id"]}
    assert pool[building["id"]].specialties == ["A01", "A02"]  # request order
    assert pool[road["id"]].specialties == ["A02"]
    assert all(m.status == "eligible" for m in pool.values())
    assert goods["id"] not in pool
    assert pool[road["id"]].employer_organisation_id == road["employer_id"]
    assert pool[road["id"]].user_id == road["user_id"]


def test_each_exclusion_carries_its_reason(db):
    on_leave = add_expert(db)
    suspended = add_expert(db)
    banned = add_expert(db)
    expired = add_expert(db, term=(date(2023, 1, 1), date(2025, 12, 31)))
    old = add_expert(db, born=date(1955, 1, 1))  # 71 on the day
    fine = add_expert(db)
    removed = add_expert(db, status=REMOVED)
    with db.unit_of_work() as s:
        now = clock.now()
        s.add(
            ExpertLeave(
                expert_id=on_leave["id"],
                starts_on=date(2026, 12, 9),
                ends_on=date(2026, 12, 10),
                reason="出差",
                created_at=now,
            )
        )
        s.add(
            CreditBan(
                expert_id=suspended["id"],
                kind="suspension",
                starts_on=date(2026, 12, 1),
                ends_on=date(2027, 5, 31),
                basis="无故缺席评标",
                created_at=now,
                ledger_seq=0,
            )
        )
        s.add(
            CreditBan(
                expert_id=banned["id"],
                kind="ban",
                starts_on=date(2026, 1, 1),
                ends_on=None,
                basis="违规评标",
                decision_no="示监罚〔2026〕3号",
                created_at=now,
                ledger_seq=0,
            )
        )
        s.add(
            CreditBan(
                expert_id=banned["id"],
                kind="suspension",
                starts_on=date(2026, 1, 1),
                ends_on=None,
                basis="调查期间",
                created_at=now,
                ledger_seq=0,
            )
        )
        from sunshine.experts.models import Expert

        s.get(Expert, removed["id"]).removed_on = date(2026, 6, 1)
    pool = _pool(db, ["A01"])
    assert {k: m.status for k, m in pool.items()} == {
        on_leave["id"]: "on_leave",
        suspended["id"]: "suspended",
        banned["id"]: "banned",
        expired["id"]: "term_expired",
        old["id"]: "over_age",
        fine["id"]: "eligible",
    }
    assert set(service.REASONS) >= {"on_leave", "suspended", "banned", "term_expired", "over_age"}
    assert all("\u4e00" <= service.REASONS[m.status][0] <= "\u9fff" for m in pool.values() if m.status != "eligible")
    # the day after the leave, the expert is drawable again; before the suspension started, too
    later = _pool(db, ["A01"], at=datetime(2026, 12, 11, 1, 0, tzinfo=UTC))
    assert later[on_leave["id"]].status == "eligible"
    earlier = _pool(db, ["A01"], at=datetime(2026, 11, 25, 1, 0, tzinfo=UTC))
    assert earlier[suspended["id"]].status == "eligible"
    assert removed["id"] not in earlier
    before_removal = _pool(db, ["A01"], at=datetime(2026, 5, 1, 1, 0, tzinfo=UTC))
    assert before_removal[removed["id"]].status == "eligible"


def test_declared_conflicts_are_handed_to_the_caller(db):
    expert = add_expert(db)
    other = make_org(db, name="示范路桥工程有限公司")
    with db.unit_of_work() as s:
        s.add(
            ExpertConflict(
                expert_id=expert["id"], organisation_id=other, relation="former_employer", declared_at=clock.now()
            )
        )
    assert _pool(db, ["A01"])[expert["id"]].conflict_organisation_ids == frozenset({other})


def test_a_request_without_specialties_is_refused(db):
    with db.unit_of_work() as s, pytest.raises(InvalidInput):
        service.pool_for_draw(s, specialties=[], at=AT)


def test_expert_of_user_and_contact_for_notification(db):
    expert = add_expert(db, name="林海涛", mobile="13805910077")
    with db.unit_of_work() as s:
        assert service.expert_of_user(s, expert["user_id"]).id == expert["id"]
        assert service.expert_of_user(s, expert["user_id"] + 1000) is None
        assert service.contact(s, expert["id"]) == ("林海涛", "13805910077")
