"""Builders for expert-pool tests: an admitted expert written straight into the pool (the admission walk itself is
tested through the API), with keyword defaults."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from sqlalchemy import select

from sunshine.core import clock
from sunshine.db import Database
from sunshine.experts.models import ACTIVE, Expert, ExpertSpecialty
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from tests.builders import make_org, make_user

_n = itertools.count(1)


def add_expert(
    db: Database,
    *,
    specialties: tuple[str, ...] = ("A0101",),
    employer_id: int | None = None,
    name: str | None = None,
    born: date = date(1975, 5, 1),
    term: tuple[date, date] = (date(2025, 1, 1), date(2027, 12, 31)),
    admitted_on: date = date(2025, 1, 1),
    status: str = ACTIVE,
    mobile: str = "13905910001",
    id_number: str = "350102197505011234",
) -> dict:
    n = next(_n)
    employer_id = employer_id or make_org(db, name=f"示范设计研究院{n}")
    username = make_user(db, Role.EXPERT, username=f"expert{n}x")
    with db.unit_of_work() as s:
        user_id = s.scalar(select(User.id).where(User.username == username))
        now: datetime = clock.now()
        expert = Expert(
            code=f"ZJ{n:06d}",
            user_id=user_id,
            name=name or f"专家{n}",
            employer_organisation_id=employer_id,
            title="高级工程师",
            title_level="副高级",
            practice_since=2000,
            regions=" 350100 ",
            date_of_birth=born,
            mobile=mobile,
            id_number=id_number,
            status=status,
            admitted_on=admitted_on,
            term_starts_on=term[0],
            term_ends_on=term[1],
            created_at=now,
            updated_at=now,
        )
        s.add(expert)
        s.flush()
        for i, code in enumerate(specialties):
            s.add(ExpertSpecialty(expert_id=expert.id, specialty_code=code, is_main=i == 0))
        return {"id": expert.id, "user_id": user_id, "username": username, "employer_id": employer_id}
