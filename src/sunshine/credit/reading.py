"""Ratings as they are read back: the subject's name and code for organisations, the pool's code for experts
(never a name), the grade's label and each item's points."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.credit import hooks
from sunshine.credit import method as methods
from sunshine.credit.models import CreditRating
from sunshine.credit.schemas import RatingLine, RatingOut
from sunshine.identity.models import Organisation


def subject_names(session: Session, rows: list[CreditRating]) -> dict[int, tuple[str, str]]:
    """Organisation id → (name, credit code); an expert's entry is keyed by -id → (pool code, "")."""
    org_ids = {r.subject_id for r in rows if r.subject_type != "expert"}
    names: dict[int, tuple[str, str]] = (
        {
            i: (n, c)
            for i, n, c in session.execute(
                select(Organisation.id, Organisation.name, Organisation.credit_code).where(Organisation.id.in_(org_ids))
            )
        }
        if org_ids
        else {}
    )
    for r in rows:
        if r.subject_type == "expert":
            names[-r.subject_id] = (f"专家{hooks.label_of_expert(session, r.subject_id) or r.subject_id}", "")
    return names


def rating_out(row: CreditRating, names: dict[int, tuple[str, str]]) -> RatingOut:
    key = -row.subject_id if row.subject_type == "expert" else row.subject_id
    name, code = names.get(key, (None, None))
    return RatingOut(
        period=row.period,
        subject_type=row.subject_type,
        subject_label=methods.SUBJECTS[row.subject_type],
        subject_id=row.subject_id,
        name=name,
        credit_code=code or None,
        score=row.score,
        grade=row.grade,
        grade_label=methods.grade_label(row.grade),
        method=row.method,
        details=[RatingLine(**d) for d in row.details],
        published=row.published_at is not None,
    )
