"""What a reader sees of award letters, for the API and the pages alike: each letter with its addressee,
state (草稿/待签章/已发出) in Chinese, its seal and where to download it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from sunshine.awards import letters as service
from sunshine.awards.models import AwardLetter
from sunshine.identity.models import Organisation
from sunshine.seals.models import DocumentSeal
from sunshine.trading.models import Project, Section


@dataclass(frozen=True)
class LetterView:
    letter: AwardLetter
    project: Project
    section: Section
    addressee: str
    issuer: str
    seal: DocumentSeal | None

    @property
    def state_label(self) -> str:
        if self.letter.withdrawn_at is not None:
            return "已撤回"
        if self.letter.issued_at is not None:
            return "已发出"
        return "待发出（已签章）" if self.seal is not None else "待签章"

    @property
    def kind_label(self) -> str:
        return "中标（成交）通知" if self.letter.kind == "award" else "结果通知"

    @property
    def pdf_url(self) -> str | None:
        return f"/award-letters/{self.letter.id}.pdf" if self.seal is not None else None

    @property
    def verify_url(self) -> str | None:
        return f"/verify/{self.seal.code}" if self.seal is not None else None

    @property
    def seal_page(self) -> str:
        return f"/seals/{service.KIND}/{self.letter.id}"

    @property
    def issued_at(self) -> datetime | None:
        return self.letter.issued_at


def view(session: Session, letter: AwardLetter) -> LetterView:
    project = session.get(Project, letter.project_id)
    return LetterView(
        letter,
        project,
        session.get(Section, letter.section_id),
        session.get(Organisation, letter.organisation_id).name,
        session.get(Organisation, letter.issuer_id).name,
        service.seal_of(session, letter),
    )
