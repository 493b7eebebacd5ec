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
            title_level="senior",
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


def id_number(born: date, region: str = "350102", seq: str = "123") -> str:
    """A valid 18-character identity number (GB 11643 check character) for a birth date."""
    from sunshine.disclosure.detectors import id_check_character

    body = f"{region}{born:%Y%m%d}{seq}"
    return body + id_check_character(body)


def application_body(credit_code: str, **changes) -> dict:
    born = changes.pop("born", date(1976, 3, 15))
    body = {
        "name": "林海涛",
        "title": "高级工程师",
        "title_level": "senior",
        "practice_since": 2001,
        "education": "master",
        "regions": ["350100"],
        "specialties": ["A0201", "A07"],
        "date_of_birth": born.isoformat(),
        "mobile": "13905910077",
        "id_number": id_number(born),
        "email": "",
        "statement": "从事市政道路桥梁设计二十余年。",
        "employer_credit_code": credit_code,
        "username": "linhaitao",
        "password": "Expert-pass-2026",
    }
    body.update(changes)
    return body


def officials(db) -> dict:
    """An industry supervisor, a committee-office officer and a centre officer, each with an API token header."""
    return {
        "supervisor": make_user(db, Role.INDUSTRY_SUPERVISOR),
        "office": make_user(db, Role.COMMITTEE_OFFICE),
        "centre": make_user(db, Role.CENTRE_STAFF),
    }
