"""JSON shapes of award letters."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel

from sunshine.awards.reading import LetterView


class LetterOut(BaseModel):
    id: int
    project_id: int
    project_code: str
    project_name: str
    section_id: int
    section_name: str
    organisation_id: int
    addressee: str
    issuer: str
    kind: str  # award | result
    kind_label: str
    title: str
    number: str
    body: str
    amount: Decimal | None
    sha256: str
    state_label: str
    issued_at: datetime | None
    ledger_seq: int | None
    withdrawn_at: datetime | None = None  # 重新评审: the letter withdrawn, why, its ledger entry
    withdrawn_reason: str | None = None
    withdrawn_ledger_seq: int | None = None
    seal_code: str | None
    seal_page: str
    verify_url: str | None
    pdf_url: str | None


class ProjectLettersOut(BaseModel):
    project_id: int
    state: str
    state_label: str
    letters: list[LetterOut]


def letter_out(v: LetterView) -> LetterOut:
    letter = v.letter
    return LetterOut(
        id=letter.id,
        project_id=v.project.id,
        project_code=v.project.code,
        project_name=v.project.name,
        section_id=v.section.id,
        section_name=v.section.name,
        organisation_id=letter.organisation_id,
        addressee=v.addressee,
        issuer=v.issuer,
        kind=letter.kind,
        kind_label=v.kind_label,
        title=letter.title,
        number=letter.number,
        body=letter.body,
        amount=letter.amount,
        sha256=letter.sha256,
        state_label=v.state_label,
        issued_at=letter.issued_at,
        ledger_seq=letter.ledger_seq,
        withdrawn_at=letter.withdrawn_at,
        withdrawn_reason=letter.withdrawn_reason,
        withdrawn_ledger_seq=letter.withdrawn_ledger_seq,
        seal_code=v.seal.code if v.seal else None,
        seal_page=v.seal_page,
        verify_url=v.verify_url,
        pdf_url=v.pdf_url,
    )
