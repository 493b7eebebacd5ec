"""The opening record (开标记录): built from the opening session as it stands (who has decrypted, the
prices once decrypted, the sections that failed, the objections and their answers, who confirmed), as the
portal shows it, and published once the opening ends: its canonical hash in the ledger, its text through
the disclosure pipeline. Never commits.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import envelope, hooks
from sunshine.bidding.models import OpeningConfirmation, OpeningSession
from sunshine.bidding.service import sealed_bids
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import SunshineError
from sunshine.core.formatting import local_time
from sunshine.identity.models import Organisation, User
from sunshine.ledger import format as fmt
from sunshine.signing import service as signing
from sunshine.signing.models import SigningKey
from sunshine.trading import lifecycle
from sunshine.trading.models import Deposit, Project, Section

DECRYPTION_LABELS = {
    "pending": "待解密",
    "decrypted": "已解密",
    "revoked": "未解密（投标人原因，视为撤销投标文件）",
    "void": "未解密（非投标人原因，视为撤回投标文件）",
}
SESSION_LABELS = {
    "decrypting": "解密中",
    "recording": "开标记录待确认",
    "published": "开标记录已公布",
    "failed": "流标",
}
UNDECRYPTED_BASIS = (
    "《电子招标投标办法》第三十一条：因投标人原因造成投标文件未解密的，视为撤销其投标文件；"
    "因投标人之外的原因造成投标文件未解密的，视为撤回其投标文件；部分投标文件未解密的，其他投标文件的开标可以继续进行"
)
CAPACITY_LABELS = {"party": "招标人/代理机构", "centre": "交易中心", "supervisor": "监督人员"}


def failed_sections(opening: OpeningSession) -> dict[int, str]:
    return {item["section_id"]: item["reason"] for item in json.loads(opening.failed_sections or "[]")}


def set_failed_sections(opening: OpeningSession, failed: dict[int, str]) -> None:
    opening.failed_sections = json.dumps([{"section_id": k, "reason": v} for k, v in sorted(failed.items())])


def objections_of(session: Session, opening: OpeningSession) -> list[hooks.OpeningObjectionView]:
    """The objections raised at the opening (kept by the complaints domain, handed down through ``hooks``)."""
    project = session.get(Project, opening.project_id)
    return hooks.opening_objections(session, project) if project is not None else []


def confirmations_of(session: Session, opening: OpeningSession) -> list[OpeningConfirmation]:
    return list(
        session.scalars(
            select(OpeningConfirmation)
            .where(OpeningConfirmation.session_id == opening.id)
            .order_by(OpeningConfirmation.id)
        )
    )


def _deposit_text(session: Session, section: Section, organisation_id: int) -> str:
    if section.deposit_amount is None:
        return "不要求"
    deposit = session.scalar(
        select(Deposit).where(Deposit.section_id == section.id, Deposit.organisation_id == organisation_id)
    )
    if deposit is None or deposit.paid_at is None:
        return "未递交"
    return "已递交（电子保函）" if deposit.method == "guarantee" else "已递交（银行转账）"


def signature_check(session: Session, project: Project, section: Section, bid) -> dict[str, Any]:
    """The bid's electronic signature verified again at the opening, against the key as it stood when the bid
    was submitted: a key revoked later does not undo a bid it signed while valid (docs/signing.md)."""
    if bid.signing_key_id is None:
        return {"status": "unsigned", "label": "未签名", "algorithm": None, "key_fingerprint": None}
    key = session.get(SigningKey, bid.signing_key_id)
    org = session.get(Organisation, bid.organisation_id)
    aad = envelope.binding(project.code, section.number, org.credit_code)
    try:
        signing.verify_signature(
            session,
            key_id=bid.signing_key_id,
            message=envelope.message_for_digest(bid.ciphertext_sha256, aad, bid.key_commitment),
            signature=base64.b64decode(bid.signature or ""),
            organisation_id=bid.organisation_id,
            signed_at=bid.submitted_at,
        )
    except SunshineError as exc:
        status, label = "failed", f"验证未通过：{exc.detail}"
    else:
        status, label = "verified", "电子签名已验证"
    return {"status": status, "label": label, "algorithm": key.algorithm, "key_fingerprint": key.fingerprint}


def build_record(session: Session, project: Project, opening: OpeningSession) -> dict[str, Any]:
    """开标记录 as it stands: while decryption runs it shows who has decrypted, and prices once decrypted."""
    failed = failed_sections(opening)
    bids = sealed_bids(session, project.id)
    names = {
        o.id: o.name
        for o in session.scalars(select(Organisation).where(Organisation.id.in_({b.organisation_id for b in bids})))
    }
    sections = []
    for section in session.scalars(select(Section).where(Section.project_id == project.id).order_by(Section.number)):
        rows = []
        for bid in (b for b in bids if b.section_id == section.id):
            opened = bid.decryption == "decrypted"
            form = json.loads(bid.form_json) if opened and bid.form_json else {}
            rows.append(
                {
                    "bid_no": bid.bid_no,
                    "bidder": names.get(bid.organisation_id, ""),
                    "submitted_at": fmt.iso_utc(bid.submitted_at),
                    "ciphertext_sha256": bid.ciphertext_sha256,
                    "ledger_seq": bid.ledger_seq,
                    "decryption": bid.decryption or "not_opened",
                    "decryption_label": DECRYPTION_LABELS.get(bid.decryption or "", "未开启（标段不予开标）"),
                    "price": form.get("price"),
                    "duration_days": form.get("duration_days"),
                    "quality": form.get("quality"),
                    "deposit": _deposit_text(session, section, bid.organisation_id),
                    "signature": signature_check(session, project, section, bid),
                }
            )
        sections.append(
            {
                "number": section.number,
                "name": section.name,
                "estimate": f"{section.estimate:.2f}",
                "bids": rows,
                "failed": failed.get(section.id),
            }
        )
    objections = objections_of(session, opening)
    users = {o.answered_by for o in objections} - {None}
    user_names = {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(users)))}
    objecting = {o.organisation_id for o in objections}
    org_names = {o.id: o.name for o in session.scalars(select(Organisation).where(Organisation.id.in_(objecting)))}
    return {
        "project_code": project.code,
        "project_name": project.name,
        "opened_at": fmt.iso_utc(opening.started_at),
        "bid_deadline": fmt.iso_utc(project.bid_deadline) if project.bid_deadline else None,
        "place": "线上开标（不见面开标），交易中心开标室同步进行",
        "status": opening.status,
        "status_label": SESSION_LABELS[opening.status],
        "decryption_ends_at": fmt.iso_utc(opening.decryption_ends_at),
        "decryption_closed_at": fmt.iso_utc(opening.decryption_closed_at) if opening.decryption_closed_at else None,
        "sections": sections,
        "objections": [
            {
                "id": o.id,
                "bidder": org_names.get(o.organisation_id, ""),
                "text": o.text,
                "raised_at": fmt.iso_utc(o.raised_at),
                "answer": o.answer,
                "answered_by": user_names.get(o.answered_by),
                "answered_at": fmt.iso_utc(o.answered_at) if o.answered_at else None,
            }
            for o in objections
        ],
        "confirmations": [
            {"name": c.name, "capacity": CAPACITY_LABELS[c.capacity], "confirmed_at": fmt.iso_utc(c.confirmed_at)}
            for c in confirmations_of(session, opening)
        ],
        "basis": UNDECRYPTED_BASIS,
        # 唱标人、记录人、监标人 once the centre has entered them (older records have none)
        **(
            {"officials": {"reader": opening.reader, "recorder": opening.recorder, "overseer": opening.overseer}}
            if opening.reader
            else {}
        ),
        # decryption interrupted by a declared platform incident and restarted (《电子招标投标办法》第三十一条 applies
        # only to bids still undecrypted when the restarted window runs out)
        **({"interruptions": json.loads(opening.interruptions)} if opening.interruptions else {}),
    }


def record_html(record: dict[str, Any]) -> str:
    """The record as the portal publishes it (escaped; sanitised again by the disclosure pipeline)."""
    e = html.escape
    parts = [
        f"<p>项目编号：{e(record['project_code'])}；项目名称：{e(record['project_name'])}</p>",
        f"<p>开标时间：{e(local_time(fmt.parse_iso_utc(record['opened_at'])))}；开标地点：{e(record['place'])}</p>",
    ]
    for stop in record.get("interruptions", []):
        start, end = (
            local_time(fmt.parse_iso_utc(stop["from"])),
            local_time(fmt.parse_iso_utc(stop["decryption_ends_at"])),
        )
        if stop.get("to"):
            resumed = local_time(fmt.parse_iso_utc(stop["to"]))
            parts.append(
                f"<p>解密中断：{e(stop['reason'])}；{e(start)}至{e(resumed)}暂停解密，解密截止顺延至{e(end)}</p>"
            )
        else:
            parts.append(
                f"<p>解密中断：{e(stop['reason'])}；解密时限于{e(end)}在故障期间届满，未解密的投标文件"
                f"{len(stop.get('withdrawn', []))}份按《电子招标投标办法》第三十一条视为撤回</p>"
            )
    if record.get("officials"):
        o = record["officials"]
        parts.append(f"<p>唱标人：{e(o['reader'])}；记录人：{e(o['recorder'])}；监标人：{e(o['overseer'])}</p>")
    for section in record["sections"]:
        parts.append(f"<h3>第{section['number']}标段：{e(section['name'])}</h3>")
        parts.append(f"<p>最高限价（预算）：{e(section['estimate'])} 元</p>")
        if section["failed"]:
            parts.append(f"<p><strong>流标：</strong>{e(section['failed'])}</p>")
        parts.append(
            "<table><thead><tr><th>序号</th><th>投标人</th><th>投标报价（元）</th><th>工期（日历天）</th>"
            "<th>质量承诺</th><th>投标保证金</th><th>解密情况</th><th>电子签名</th><th>投标文件编号</th></tr></thead><tbody>"
        )
        for i, row in enumerate(section["bids"], start=1):
            parts.append(
                f"<tr><td>{i}</td><td>{e(row['bidder'])}</td><td>{e(row['price'] or '—')}</td>"
                f"<td>{e(str(row['duration_days'] or '—'))}</td><td>{e(row['quality'] or '—')}</td>"
                f"<td>{e(row['deposit'])}</td><td>{e(row['decryption_label'])}</td>"
                f"<td>{e((row.get('signature') or {}).get('label', '未签名'))}</td><td>{e(row['bid_no'])}</td></tr>"
            )
        parts.append("</tbody></table>")
    if record["objections"]:
        parts.append("<h3>开标异议及答复</h3><ol>")
        for o in record["objections"]:
            parts.append(f"<li>{e(o['bidder'])}：{e(o['text'])}<br>答复：{e(o['answer'] or '（未答复）')}</li>")
        parts.append("</ol>")
    else:
        parts.append("<p>开标过程中无投标人提出异议。</p>")
    if record["confirmations"]:
        names = "；".join(f"{c['capacity']} {c['name']}" for c in record["confirmations"])
        parts.append(f"<p>确认人：{e(names)}</p>")
    parts.append(f"<p>说明：{e(record['basis'])}。</p>")
    return "".join(parts)


def record_step(
    session: Session,
    project: Project,
    opening: OpeningSession,
    step: str,
    actor: Principal,
    *,
    reason: str | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """The step that ends an opening (``finish_opening`` or ``fail``) with its record: the record is kept as
    canonical JSON and its hash goes into the step's one ledger entry; the step's hooks publish it through the
    disclosure review against the catalog item for opening records."""
    record = build_record(session, project, opening)
    canonical = fmt.canonical_payload(record)
    opening.record_json = canonical.decode()
    opening.record_sha256 = hashlib.sha256(canonical).hexdigest()
    opening.published_at = clock.now()
    session.flush()
    transition = lifecycle.apply(
        session,
        project,
        step,
        actor,
        reason=reason,
        payload={**(payload or {}), "record_sha256": opening.record_sha256, "status": opening.status},
        publication=lifecycle.Publication(
            title=f"{project.name}开标记录",
            body_html=record_html(record),
            source_ref=f"opening:{opening.id}",
            author_id=None,
        ),
    )
    opening.record_ledger_seq = transition.ledger_seq
    session.flush()
