"""What the results contribute to a project's archive (``trading.records``): the evidence of each winner's
determination other than the first candidate (the file store; the determination itself is in the project's ledger
entries, which the kernel lists). Missing while an objection to the evaluation result is unanswered."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.results import hooks
from sunshine.results.models import SectionWinnerDecision
from sunshine.trading.models import Project
from sunshine.trading.records import Contribution, Record, safe_name


def contribution(session: Session, project: Project) -> Contribution:
    out = Contribution()
    rows = session.scalars(
        select(SectionWinnerDecision)
        .where(SectionWinnerDecision.project_id == project.id)
        .order_by(SectionWinnerDecision.id)
    )
    for row in rows:
        if row.evidence_sha256:
            name = row.evidence_name or "evidence"
            out.records.append(
                Record(
                    kind="winner_evidence",
                    label="确定中标人的证明材料",
                    title=f"确定中标人（{row.bidder}）的证明材料：{name}",
                    filename=f"results/winner-{row.id}-{safe_name(name)}",
                    stored=row.evidence_sha256,
                    recorded_sha256=row.evidence_sha256,
                    ledger_seq=row.ledger_seq,
                )
            )
    for objection in hooks.pending(session, project):
        out.missing.append(f"对评标结果的异议（{objection.code}）尚未答复")
    return out
