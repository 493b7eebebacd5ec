"""What the kernel contributes to a project's archive (``trading.records``): the project as registered, every
ledger entry recorded about the project (each step of its timeline, with the entry's exact canonical payload),
its notices with their attachments (from the file store), and its deposits with the ledger entries of their
payment and refund. Missing while a deposit owed back has not been refunded."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.ledger import format as ledger_format
from sunshine.ledger import service as ledger
from sunshine.trading import deposits
from sunshine.trading.models import Deposit, Notice, NoticeAttachment, Project, Section
from sunshine.trading.records import Contribution, Record, json_bytes, safe_name

LEDGER_LIMIT = 2000


def ledger_records(session: Session, subject: str, prefix: str) -> list[Record]:
    """Each ledger entry about ``subject`` as a record: its exact canonical payload, hashed as the ledger hashed it."""
    return [
        Record(
            kind="ledger_entry",
            label="留痕记录",
            title=f"{e.kind}（第{e.seq}号）",
            filename=f"{prefix}-{e.seq}.json",
            media_type="application/json",
            data=e.payload.encode(),
            recorded_sha256=e.payload_sha256,
            ledger_seq=e.seq,
            at=ledger_format.iso_utc(e.recorded_at),
        )
        for e in ledger.entries_for(session, subject, limit=LEDGER_LIMIT)
    ]


def contribution(session: Session, project: Project) -> Contribution:
    out = Contribution()
    sections = session.scalars(select(Section).where(Section.project_id == project.id).order_by(Section.number)).all()
    out.records.append(
        Record(
            kind="project",
            label="项目登记信息",
            title=f"{project.name}（{project.code}）",
            filename="project.json",
            media_type="application/json",
            data=json_bytes(
                {
                    "code": project.code,
                    "name": project.name,
                    "transaction_type": project.transaction_type,
                    "method": project.method,
                    "lifecycle": project.lifecycle,
                    "pack": f"{project.pack_key}@{project.pack_version}",
                    "budget": str(project.budget),
                    "region": project.region_code,
                    "funding_source": project.funding_source,
                    "registered_at": ledger_format.iso_utc(project.registered_at),
                    "sections": [{"number": s.number, "name": s.name, "estimate": str(s.estimate)} for s in sections],
                }
            ),
        )
    )
    out.records.extend(ledger_records(session, f"project:{project.code}", "ledger/project"))
    notices = session.scalars(select(Notice).where(Notice.project_id == project.id).order_by(Notice.id)).all()
    attachments = session.scalars(
        select(NoticeAttachment)
        .where(NoticeAttachment.notice_id.in_([n.id for n in notices]))
        .order_by(NoticeAttachment.id)
    ).all()
    for notice in notices:
        out.records.append(
            Record(
                kind="notice",
                label="公告",
                title=notice.title,
                filename=f"notices/notice-{notice.id}.html",
                media_type="text/html",
                data=notice.body_html.encode(),
                ledger_seq=notice.ledger_seq,
                at=ledger_format.iso_utc(notice.published_at),
            )
        )
        for a in (a for a in attachments if a.notice_id == notice.id):
            out.records.append(
                Record(
                    kind="notice_attachment",
                    label="公告附件",
                    title=a.filename,
                    filename=f"notices/notice-{notice.id}-{a.id}-{safe_name(a.filename)}",
                    media_type=a.content_type,
                    stored=a.sha256,
                    recorded_sha256=a.sha256,
                )
            )
    for deposit in session.scalars(select(Deposit).where(Deposit.project_id == project.id).order_by(Deposit.id)):
        out.records.extend(ledger_records(session, f"deposit:{deposit.id}", f"deposits/deposit-{deposit.id}"))
        if deposit.status == "refund_due":
            number = next((s.number for s in sections if s.id == deposit.section_id), "")
            out.missing.append(
                f"第{number}标段保证金（第{deposit.id}号，{deposits.status_label(deposit)}）尚未退还"
                f"{'，应于' + deposit.refund_due.isoformat() + '前退还' if deposit.refund_due else ''}"
            )
    return out
