"""What award letters and contracts contribute to a project's archive (``trading.records``): each letter in the
canonical form its seal covers (seals registry), each contract's signed text, and the ledger entries of the
contracts' filing. Missing while a letter is not issued, an awarded section has no contract signed by both
parties, or a contract that must be filed (政府采购法 第四十七条) has not been."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.awards import contracts, letters
from sunshine.awards.contract_models import AwardContract
from sunshine.awards.models import AwardLetter
from sunshine.ledger import format as ledger_format
from sunshine.trading.archive import ledger_records
from sunshine.trading.models import Project, Section
from sunshine.trading.records import Contribution, Record


def contribution(session: Session, project: Project) -> Contribution:
    out = Contribution()
    numbers = dict(session.execute(select(Section.id, Section.number).where(Section.project_id == project.id)).all())
    rows = session.scalars(select(AwardLetter).where(AwardLetter.project_id == project.id).order_by(AwardLetter.id))
    awarded = set()
    for letter in rows:
        if letter.kind == "award":
            awarded.add(letter.section_id)
        if letter.issued_at is None:
            out.missing.append(f"{letter.title}（{letter.number}）尚未发出")
            continue
        out.records.append(
            Record(
                kind="award_letter",
                label="中标（成交）通知书与结果通知书",
                title=f"{letter.title}（{letter.number}）",
                filename=f"letters/{letter.number}.txt",
                media_type="text/plain",
                data=letters.render(session, letter.id).canonical(),
                recorded_sha256=letter.sha256,
                ledger_seq=letter.ledger_seq,
                at=ledger_format.iso_utc(letter.issued_at),
            )
        )
    signed, drafted = set(), set()
    rows = session.scalars(
        select(AwardContract).where(AwardContract.project_id == project.id).order_by(AwardContract.id)
    )
    for c in rows:
        drafted.add(c.section_id)
        if c.tenderer_signed_at is None or c.winner_signed_at is None:
            out.missing.append(f"{c.title}（{c.number}）尚未由双方签署")
            continue
        signed.add(c.section_id)
        out.records.append(
            Record(
                kind="contract",
                label=c.title,
                title=f"{c.title}（{c.number}）",
                filename=f"contracts/{c.number}.txt",
                media_type="text/plain",
                data=c.body.encode(),
                recorded_sha256=c.sha256,
                ledger_seq=c.ledger_seq,
                at=ledger_format.iso_utc(max(c.tenderer_signed_at, c.winner_signed_at)),
            )
        )
        out.records.extend(ledger_records(session, f"contract:{c.number}", f"contracts/ledger-{c.number}"))
        deadline = contracts.filing_deadline(session, c)
        if deadline is not None and c.filed_at is None:
            out.missing.append(f"{c.title}（{c.number}）尚未报财政部门备案（应于{deadline.due.isoformat()}前）")
    for section_id in sorted(awarded - drafted):
        out.missing.append(f"第{numbers.get(section_id)}标段的合同尚未签订")
    return out
