"""What the evaluation contributes to a project's archive (``trading.records``): each session's sealed archive
(就地封存, ``sealing``) — its manifest with the ledger entry of the seal, and every document it lists rendered
again canonically from the database and checked against the hash the seal recorded (the signed report carries its
own ledger entry), and the reports a re-evaluation superseded with their recorded hashes. Missing while a session
has not ended, or ended without its seal."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.evaluation import reevaluation, report, sealing
from sunshine.evaluation.models import EvaluationSession
from sunshine.ledger import format as ledger_format
from sunshine.trading.models import Project, Section
from sunshine.trading.records import Contribution, Record


def contribution(session: Session, project: Project) -> Contribution:
    out = Contribution()
    rows = session.scalars(
        select(EvaluationSession).where(EvaluationSession.project_id == project.id).order_by(EvaluationSession.id)
    ).all()
    numbers = dict(session.execute(select(Section.id, Section.number).where(Section.project_id == project.id)).all())
    for row in rows:
        number = numbers.get(row.section_id)
        folder = f"evaluation/section-{number}"
        _superseded(session, out, row, number, folder)
        if row.state not in sealing.ENDED:
            out.missing.append(f"第{number}标段的评标（评审）尚未结束")
            continue
        if row.seal_json is None:
            out.missing.append(f"第{number}标段的评标（评审）资料尚未封存")
            continue
        manifest = json.loads(row.seal_json)
        out.records.append(
            Record(
                kind="evaluation_archive",
                label="评标（评审）资料封存清单",
                title=f"第{number}标段评标（评审）资料封存清单",
                filename=f"{folder}/sealed-manifest.json",
                media_type="application/json",
                data=sealing.canonical(manifest),
                recorded_sha256=row.seal_sha256,
                ledger_seq=row.seal_ledger_seq,
                at=ledger_format.iso_utc(row.sealed_at) if row.sealed_at else None,
            )
        )
        recorded = {d["name"]: d["sha256"] for d in manifest.get("documents", [])}
        for name, title, read in sealing.DOCUMENTS:
            data = read(session, row)
            if data is None:
                continue
            report = name == "report"
            out.records.append(
                Record(
                    kind="evaluation_report" if report else "evaluation_document",
                    label="评标（评审）报告" if report else "评标（评审）资料",
                    title=f"第{number}标段{title}",
                    filename=f"{folder}/{name}.json",
                    media_type="application/json",
                    data=sealing.canonical(data),
                    recorded_sha256=recorded.get(name),
                    ledger_seq=row.report_ledger_seq if report else None,
                )
            )
    return out


def _superseded(session: Session, out: Contribution, row: EvaluationSession, number, folder: str) -> None:  # noqa: ANN001
    """重新评审: each superseded round's signed report stays in the record, with the hash and ledger entry it had."""
    for r in reevaluation.rounds(session, row):
        if not r.report_json:
            continue
        out.records.append(
            Record(
                kind="evaluation_report_superseded",
                label="评标（评审）报告（已被重新评审取代）",
                title=f"第{number}标段第{r.round}轮评标（评审）报告（已被重新评审取代）",
                filename=f"{folder}/round-{r.round}/report.json",
                media_type="application/json",
                data=report.canonical(json.loads(r.report_json)),
                recorded_sha256=r.report_sha256,
                ledger_seq=r.report_ledger_seq,
                at=ledger_format.iso_utc(r.finished_at) if r.finished_at else None,
            )
        )
