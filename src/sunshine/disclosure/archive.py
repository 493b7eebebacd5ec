"""What disclosure contributes to a project's archive (``trading.records``): every text published about the
project (公告、公示、结果公告、合同公告 …) exactly as published, with the ledger entry of its publication (and of its
withdrawal, if it was withdrawn), and the obligations the project owed with whether and when each was met.
Missing while an obligation is still open or a text still waits in the confidentiality review."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.disclosure.models import Obligation, Publication
from sunshine.ledger import format as ledger_format
from sunshine.trading.models import Project
from sunshine.trading.records import Contribution, Record, json_bytes

STATUS = {"open": "待公开", "overdue": "已逾期未公开", "met": "已公开"}


def contribution(session: Session, project: Project) -> Contribution:
    out = Contribution()
    subject = f"project:{project.code}"
    for pub in session.scalars(select(Publication).where(Publication.subject == subject).order_by(Publication.id)):
        if pub.status in ("published", "withdrawn") and pub.body_sha256:
            withdrawn = "（已撤回）" if pub.status == "withdrawn" else ""
            out.records.append(
                Record(
                    kind="publication",
                    label="公开信息",
                    title=f"{pub.title}{withdrawn}",
                    filename=f"publications/publication-{pub.id}.{'html' if pub.body_format == 'html' else 'txt'}",
                    media_type="text/html" if pub.body_format == "html" else "text/plain",
                    data=pub.body.encode(),
                    recorded_sha256=pub.body_sha256,
                    ledger_seq=pub.ledger_seq,
                    at=ledger_format.iso_utc(pub.published_at) if pub.published_at else None,
                )
            )
        elif pub.status in ("draft", "review"):
            out.missing.append(f"“{pub.title}”尚在保密审查，未公开")
    obligations = session.scalars(select(Obligation).where(Obligation.subject == subject).order_by(Obligation.id)).all()
    if obligations:
        out.records.append(
            Record(
                kind="obligations",
                label="公开义务履行情况",
                title="公开义务及其履行情况",
                filename="publications/obligations.json",
                media_type="application/json",
                data=json_bytes(
                    [
                        {
                            "title": o.title,
                            "trigger": o.trigger,
                            "event_date": o.event_date.isoformat(),
                            "due": o.deadline.due.isoformat(),
                            "status": STATUS.get(o.status, o.status),
                            "met_on": o.met_on.isoformat() if o.met_on else None,
                            "late": o.late,
                            "rule": o.rule_ref,
                            "ledger_seq": o.ledger_seq,
                        }
                        for o in obligations
                    ]
                ),
            )
        )
    for o in obligations:
        if o.status != "met":
            out.missing.append(
                f"“{o.title}”应于{o.deadline.due.isoformat()}前公开，尚未公开（{STATUS.get(o.status, o.status)}）"
            )
    return out
