"""What bidding contributes to a project's archive (``trading.records``): every submitted bid's sealed file
(ciphertext, from the file store) with its receipt's ledger entry, the documents of each opened bid, and the
opening record (开标记录) with its ledger entry. Missing while an opening has begun and has no record yet."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding.models import Bid, OpeningSession
from sunshine.ledger import format as ledger_format
from sunshine.trading.archive import ledger_records
from sunshine.trading.models import Project
from sunshine.trading.records import Contribution, Record, safe_name


def contribution(session: Session, project: Project) -> Contribution:
    out = Contribution()
    for bid in session.scalars(select(Bid).where(Bid.project_id == project.id).order_by(Bid.id)):
        out.records.append(
            Record(
                kind="bid_ciphertext",
                label="投标文件（密文）",
                title=f"投标文件 {bid.bid_no}（第{bid.version}版，{_status(bid)}）",
                filename=f"bids/{bid.bid_no}.sealed",
                stored=bid.ciphertext_sha256,
                recorded_sha256=bid.ciphertext_sha256,
                ledger_seq=bid.ledger_seq,
                at=ledger_format.iso_utc(bid.submitted_at),
            )
        )
        for i, doc in enumerate(json.loads(bid.documents_json or "[]"), start=1):
            out.records.append(
                Record(
                    kind="bid_document",
                    label="投标文件（开标解密）",
                    title=f"投标文件 {bid.bid_no}：{doc['name']}",
                    filename=f"bids/{bid.bid_no}-{i}-{safe_name(doc['name'])}",
                    media_type=doc.get("content_type") or "application/octet-stream",
                    stored=doc["sha256"],
                    recorded_sha256=doc["sha256"],
                )
            )
        out.records.extend(ledger_records(session, f"bid:{bid.bid_no}", f"bids/ledger-{bid.bid_no}"))
    opening = session.scalar(select(OpeningSession).where(OpeningSession.project_id == project.id))
    if opening is not None:
        if opening.record_json:
            out.records.append(
                Record(
                    kind="opening_record",
                    label="开标记录",
                    title=f"{project.name}开标记录",
                    filename="opening/record.json",
                    media_type="application/json",
                    data=opening.record_json.encode(),
                    recorded_sha256=opening.record_sha256,
                    ledger_seq=opening.record_ledger_seq,
                    at=ledger_format.iso_utc(opening.published_at) if opening.published_at else None,
                )
            )
        else:
            out.missing.append("开标已开始，尚无开标记录")
    return out


def _status(bid: Bid) -> str:
    return {"sealed": "有效", "replaced": "已被新版本替换", "withdrawn": "已撤回"}.get(bid.status, bid.status)
