"""The opening session (开标), in the room and remotely (不见面开标).

At the bid deadline the opening starts by the server clock (the tick, or centre staff pressing
“开标”): a section with fewer bids than the rule pack's minimum is not opened (《招标投标法实施条例》
第四十四条). Each bidder reveals its content key within the decryption window of the rule pack
(《电子招标投标办法》第三十条); the server checks the key against the commitment on the receipt,
decrypts, checks the package and records the result. A bid not decrypted in time is, by
《电子招标投标办法》第三十一条, revoked when the bidder is at fault and treated as withdrawn when the
platform or another party is (staff record that finding with a reason); the others open regardless.
Sections left with fewer valid bids than the minimum fail (流标). Objections raised at the opening are
answered on the spot; the record (开标记录) is confirmed by the officials present, entered in the ledger
and published to the portal through the disclosure pipeline. Never commits.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import envelope
from sunshine.bidding.models import Bid, OpeningConfirmation, OpeningObjection, OpeningSession
from sunshine.bidding.service import SEALED_LIFECYCLES, sealed_bids
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.filestore import file_store
from sunshine.core.formatting import local_time
from sunshine.identity.models import Organisation, User
from sunshine.identity.roles import Role
from sunshine.ledger import format as fmt
from sunshine.ledger import service as ledger
from sunshine.trading import lifecycle, registrations
from sunshine.trading import service as trading
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
REQUIRED_CAPACITIES = ("party", "centre")
MAX_TEXT = 2000


class DecryptionClosed(Conflict):
    code = "decryption_closed"
    title = "解密时间已结束"


class KeyMismatch(InvalidInput):
    code = "bid_key_mismatch"
    title = "解密密钥不正确"


# --------------------------------------------------------------------------- rules of the project


def min_bids(project: Project) -> tuple[int, str] | None:
    pack = trading.rules_of(project)
    if not pack.has("min_bids"):
        return None
    rule = pack.rule("min_bids")
    return int(rule.value), rule.basis_text


def decryption_window(project: Project) -> tuple[timedelta, str]:
    rule = trading.rules_of(project).rule("decryption_window")
    hours = rule.value if rule.unit == "hours" else rule.value * 24
    return timedelta(hours=float(hours)), rule.basis_text


# --------------------------------------------------------------------------- reading


def session_of(session: Session, project_id: int) -> OpeningSession | None:
    return session.scalar(select(OpeningSession).where(OpeningSession.project_id == project_id))


def _session_or_404(session: Session, project_id: int) -> OpeningSession:
    found = session_of(session, project_id)
    if found is None:
        raise NotFound("该项目尚未开标")
    return found


def _failed(opening: OpeningSession) -> dict[int, str]:
    return {item["section_id"]: item["reason"] for item in json.loads(opening.failed_sections or "[]")}


def _set_failed(opening: OpeningSession, failed: dict[int, str]) -> None:
    opening.failed_sections = json.dumps([{"section_id": k, "reason": v} for k, v in sorted(failed.items())])


# --------------------------------------------------------------------------- starting


def _minimum_reason(project: Project, count: int, what: str) -> str | None:
    minimum = min_bids(project)
    if minimum is None or count >= minimum[0]:
        return None
    return f"{what}{count}个，少于{minimum[0]}个（{minimum[1]}）"


def start(session: Session, actor: Principal, project: Project) -> OpeningSession:
    """开标: at the deadline, by the server clock. Sections short of bids are not opened."""
    if project.lifecycle not in SEALED_LIFECYCLES:
        raise lifecycle.IllegalStep("该交易方式不开启加密投标文件")
    if project.state == "notice_published":  # the tick has not run yet: close bidding first, by the same clock
        lifecycle.apply(session, project, "close_bidding", actor)
    lifecycle.check(project, "open_bids", actor)
    if session_of(session, project.id) is not None:
        raise Conflict("该项目已经开标")
    sections = session.scalars(select(Section).where(Section.project_id == project.id).order_by(Section.number)).all()
    bids = sealed_bids(session, project.id)
    failed: dict[int, str] = {}
    for section in sections:
        count = sum(1 for b in bids if b.section_id == section.id)
        reason = _minimum_reason(project, count, "递交投标文件的投标人")
        if reason:
            failed[section.id] = reason + "，不予开标"
    window, _ = decryption_window(project)
    now = clock.now()
    opening = OpeningSession(
        project_id=project.id,
        status="decrypting",
        started_at=now,
        decryption_ends_at=now + window,
    )
    _set_failed(opening, failed)
    session.add(opening)
    for bid in bids:
        bid.decryption = None if bid.section_id in failed else "pending"
    counts = {str(s.number): sum(1 for b in bids if b.section_id == s.id) for s in sections}
    if len(failed) == len(sections):
        opening.status = "failed"
        opening.decryption_closed_at = now
        session.flush()
        project.failed_attempts += 1
        lifecycle.apply(
            session, project, "fail", actor, reason="；".join(failed.values()), payload={"bids_per_section": counts}
        )
        _publish_record(session, project, opening)
        return opening
    lifecycle.apply(
        session,
        project,
        "open_bids",
        actor,
        payload={
            "bids_per_section": {str(k): v for k, v in counts.items()},
            "decryption_ends_at": fmt.iso_utc(now + window),
        },
    )
    session.flush()
    return opening


def due_for_opening(session: Session) -> list[int]:
    """Sealed-bid projects past their deadline and not yet opened (the tick opens each in its own unit of
    work, so that one project's trouble never holds up the others' openings)."""
    return list(
        session.scalars(
            select(Project.id)
            .where(
                Project.lifecycle.in_(SEALED_LIFECYCLES),
                Project.state.in_(("notice_published", "bid_closed")),
                Project.bid_deadline <= clock.now(),
                ~select(OpeningSession.id).where(OpeningSession.project_id == Project.id).exists(),
            )
            .order_by(Project.bid_deadline)
        )
    )


def start_due(session: Session, project_id: int) -> str | None:
    """The tick's part for one project: open it if it is still due (another process may have opened it)."""
    project = session.get(Project, project_id)
    if project is None or project_id not in due_for_opening(session):
        return None
    start(session, trading.SYSTEM, project)
    return project.code


def start_by_staff(session: Session, actor: Principal, project_id: int) -> OpeningSession:
    project = trading.get_visible(session, actor, project_id)
    return start(session, actor, project)


# --------------------------------------------------------------------------- decryption


def _project_of(session: Session, bid: Bid) -> Project:
    project = session.get(Project, bid.project_id)
    assert project is not None
    return project


def reveal(session: Session, actor: Principal, bid_no: str, key_text: str) -> Bid:
    """解密: the bidder hands over its content key; the server checks it, decrypts and records the bid."""
    from sunshine.bidding.service import binding_for, own_bid

    bid = own_bid(session, actor, bid_no)
    project = _project_of(session, bid)
    opening = session_of(session, project.id)
    if opening is None or bid.decryption is None:
        if bid.status != "sealed":
            raise Conflict("该版本的投标文件已被替换或撤回，无需解密")
        raise Conflict("开标尚未开始（或该标段未开标），不能解密")
    if bid.decryption == "decrypted":
        return bid
    if opening.status != "decrypting" or clock.now() >= opening.decryption_ends_at or bid.decryption != "pending":
        raise DecryptionClosed("解密时间已结束，不能再解密（《电子招标投标办法》第三十一条）")
    try:
        key = envelope.key_from_text(key_text)
    except envelope.EnvelopeError as exc:
        raise KeyMismatch(str(exc), field="key") from None
    if envelope.key_commitment(key) != bid.key_commitment:
        raise KeyMismatch("该密钥与递交投标文件时承诺的密钥不一致，请使用加密时保存的密钥", field="key")
    sealed = file_store().open(bid.ciphertext_sha256)  # checks the bytes against their SHA-256
    org = session.get(Organisation, bid.organisation_id)
    section = session.get(Section, bid.section_id)
    try:
        plaintext = envelope.open_sealed(sealed, key, binding_for(session, section, project, org))
        package = envelope.parse_package(plaintext)
    except envelope.EnvelopeError as exc:
        # the key matches the commitment, so the sealed file itself is at fault: the bidder's own doing
        bid.decryption_note = str(exc)
        raise KeyMismatch(f"投标文件无法解密或内容不符合格式：{exc}", field="key") from None
    documents = []
    for document in package.documents:
        documents.append(
            {
                "name": document.name,
                "content_type": document.content_type,
                "size": len(document.data),
                "sha256": file_store().put(document.data),
            }
        )
    now = clock.now()
    bid.decryption = "decrypted"
    bid.revealed_at = now
    bid.price = package.form.price
    bid.duration_days = package.form.duration_days
    bid.form_json = json.dumps(package.form.as_dict(), ensure_ascii=False)
    bid.documents_json = json.dumps(documents, ensure_ascii=False)
    ledger.append(
        session,
        "bidding:bid:decrypted",
        f"bid:{bid.bid_no}",
        {
            "ciphertext_sha256": bid.ciphertext_sha256,
            "plaintext_sha256": hashlib.sha256(plaintext).hexdigest(),
            "price": f"{package.form.price:.2f}",
            "duration_days": package.form.duration_days,
        },
    )
    session.flush()
    if not _any_pending(session, project.id):
        close_decryption(session, trading.SYSTEM, project, by_clock=False)
    return bid


def _pending(session: Session, project_id: int) -> list[Bid]:
    return list(session.scalars(select(Bid).where(Bid.project_id == project_id, Bid.decryption == "pending")))


def _any_pending(session: Session, project_id: int) -> bool:
    # asked after every reveal: loading the pending rows themselves made an opening quadratic in its bids
    found = select(Bid.id).where(Bid.project_id == project_id, Bid.decryption == "pending").limit(1)
    return session.scalar(found) is not None


def record_platform_fault(session: Session, actor: Principal, bid_no: str, reason: str) -> Bid:
    """The centre finds that a bid could not be decrypted through no fault of its bidder (platform outage,
    CA failure ...): if it stays undecrypted it counts as withdrawn, not revoked (第三十一条)."""
    bid = session.scalar(select(Bid).where(Bid.bid_no == bid_no))
    if bid is None:
        raise NotFound("投标文件不存在")
    if not (reason and reason.strip()):
        raise InvalidInput("请说明非投标人原因的事实（如平台故障时段、CA 证书服务中断）", field="reason")
    if bid.decryption != "pending":
        raise Conflict("只能对待解密的投标文件作出认定")
    bid.platform_fault = reason.strip()[:500]
    ledger.append(session, "bidding:bid:platform-fault", f"bid:{bid.bid_no}", {"reason": bid.platform_fault})
    return bid


def close_decryption(session: Session, actor: Principal, project: Project, *, by_clock: bool = True) -> OpeningSession:
    """End of decryption: undecrypted bids are settled by 第三十一条; sections short of valid bids fail."""
    opening = _session_or_404(session, project.id)
    if opening.status != "decrypting":
        raise Conflict("解密已经结束")
    pending = _pending(session, project.id)
    if pending and by_clock and clock.now() < opening.decryption_ends_at:
        raise DecryptionClosed("解密时限尚未届满，且仍有投标文件待解密；届满后由系统结束解密")
    now = clock.now()
    for bid in pending:
        bid.decryption = "void" if bid.platform_fault else "revoked"
        bid.decryption_note = UNDECRYPTED_BASIS
        ledger.append(session, "bidding:bid:undecrypted", f"bid:{bid.bid_no}", {"outcome": bid.decryption})
    failed = _failed(opening)
    bids = sealed_bids(session, project.id)
    for section in session.scalars(select(Section).where(Section.project_id == project.id)):
        if section.id in failed:
            continue
        valid = sum(1 for b in bids if b.section_id == section.id and b.decryption == "decrypted")
        reason = _minimum_reason(project, valid, "成功解密的有效投标文件")
        if reason:
            failed[section.id] = reason + "，流标"
    _set_failed(opening, failed)
    opening.status = "recording"
    opening.decryption_closed_at = now
    ledger.append(
        session,
        "bidding:opening:decryption-closed",
        f"project:{project.code}",
        {"failed_sections": len(failed), "undecrypted": len(pending)},
    )
    session.flush()
    return opening


def due_for_closing(session: Session) -> list[int]:
    """Opening sessions whose decryption window has run out."""
    return list(
        session.scalars(
            select(OpeningSession.project_id).where(
                OpeningSession.status == "decrypting", OpeningSession.decryption_ends_at <= clock.now()
            )
        )
    )


def close_due_decryption(session: Session, project_id: int) -> str | None:
    """The tick's part for one project: close its decryption if the window has run out."""
    if project_id not in due_for_closing(session):
        return None
    project = session.get(Project, project_id)
    close_decryption(session, trading.SYSTEM, project)
    return project.code


# --------------------------------------------------------------------------- objections and confirmation


def raise_objection(session: Session, actor: Principal, project_id: int, text: str) -> OpeningObjection:
    """开标异议: a bidder of this opening objects on the spot (条例第四十四条)."""
    project = trading.get_visible(session, actor, project_id)
    opening = _session_or_404(session, project.id)
    if opening.status not in ("decrypting", "recording"):
        raise Conflict("开标记录已确认公布，开标现场异议环节已结束")
    if not any(b.organisation_id == actor.organisation_id for b in sealed_bids(session, project.id)):
        raise Forbidden("只有参加本次开标的投标人可以提出开标异议")
    text = (text or "").strip()
    if not 5 <= len(text) <= MAX_TEXT:
        raise InvalidInput(f"异议内容应为 5 到 {MAX_TEXT} 字", field="text")
    objection = OpeningObjection(
        session_id=opening.id,
        organisation_id=actor.organisation_id,
        raised_by=actor.user_id,
        text=text,
        raised_at=clock.now(),
    )
    session.add(objection)
    session.flush()
    ledger.append(
        session,
        "bidding:opening:objection",
        f"project:{project.code}",
        {"objection": objection.id, "text_sha256": hashlib.sha256(text.encode()).hexdigest()},
    )
    return objection


def answer_objection(session: Session, actor: Principal, objection_id: int, answer: str) -> OpeningObjection:
    """招标人当场作出答复，并制作记录."""
    objection = session.get(OpeningObjection, objection_id)
    opening = session.get(OpeningSession, objection.session_id) if objection else None
    project = session.get(Project, opening.project_id) if opening else None
    if objection is None or project is None or not registrations.is_party(actor, project):
        raise NotFound("异议不存在")
    if objection.answer is not None:
        raise Conflict("该异议已经答复")
    answer = (answer or "").strip()
    if not 2 <= len(answer) <= MAX_TEXT:
        raise InvalidInput(f"答复内容应为 2 到 {MAX_TEXT} 字", field="answer")
    objection.answer = answer
    objection.answered_by = actor.user_id
    objection.answered_at = clock.now()
    ledger.append(
        session,
        "bidding:opening:answer",
        f"project:{project.code}",
        {"objection": objection.id, "answer_sha256": hashlib.sha256(answer.encode()).hexdigest()},
    )
    return objection


def _capacity(actor: Principal, project: Project) -> str:
    if registrations.is_party(actor, project):
        return "party"
    if Role.CENTRE_STAFF in actor.roles:
        return "centre"
    if Role.SUPERVISOR in actor.roles:
        return "supervisor"
    raise Forbidden("只有招标人或其代理机构、交易中心和监督人员可以确认开标记录")


def confirm(session: Session, actor: Principal, project_id: int) -> OpeningSession:
    """确认开标记录; once the tenderer's side and the centre have confirmed, the record is published."""
    project = trading.get_visible(session, actor, project_id)
    opening = _session_or_404(session, project.id)
    capacity = _capacity(actor, project)
    if opening.status == "decrypting":
        raise Conflict("解密尚未结束，开标记录还未形成")
    if opening.status != "recording":
        raise Conflict("开标记录已经公布")
    objections = _objections(session, opening)
    if any(o.answer is None for o in objections):
        raise Conflict("尚有开标异议未答复；答复后方可确认开标记录")
    if session.scalar(
        select(OpeningConfirmation).where(
            OpeningConfirmation.session_id == opening.id, OpeningConfirmation.user_id == actor.user_id
        )
    ):
        raise Conflict("您已确认过开标记录")
    session.add(
        OpeningConfirmation(
            session_id=opening.id,
            user_id=actor.user_id,
            capacity=capacity,
            name=actor.display_name,
            confirmed_at=clock.now(),
        )
    )
    session.flush()
    have = {c.capacity for c in _confirmations(session, opening)}
    if all(c in have for c in REQUIRED_CAPACITIES):
        _finish(session, actor, project, opening)
    return opening


def _finish(session: Session, actor: Principal, project: Project, opening: OpeningSession) -> None:
    sections = session.scalars(select(Section).where(Section.project_id == project.id)).all()
    failed = _failed(opening)
    opening.status = "published"
    if len(failed) == len(sections):
        opening.status = "failed"
        project.failed_attempts += 1
        lifecycle.apply(session, project, "fail", actor, reason="；".join(failed.values()))
    else:
        lifecycle.apply(session, project, "finish_opening", actor)
    _publish_record(session, project, opening)


# --------------------------------------------------------------------------- the record


def _objections(session: Session, opening: OpeningSession) -> list[OpeningObjection]:
    return list(
        session.scalars(
            select(OpeningObjection).where(OpeningObjection.session_id == opening.id).order_by(OpeningObjection.id)
        )
    )


def _confirmations(session: Session, opening: OpeningSession) -> list[OpeningConfirmation]:
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


def build_record(session: Session, project: Project, opening: OpeningSession) -> dict[str, Any]:
    """开标记录 as it stands: while decryption runs it shows who has decrypted, and prices once decrypted."""
    failed = _failed(opening)
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
    objections = _objections(session, opening)
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
            for c in _confirmations(session, opening)
        ],
        "basis": UNDECRYPTED_BASIS,
    }


def record_html(record: dict[str, Any]) -> str:
    """The record as the portal publishes it (escaped; sanitised again by the disclosure pipeline)."""
    e = html.escape
    parts = [
        f"<p>项目编号：{e(record['project_code'])}；项目名称：{e(record['project_name'])}</p>",
        f"<p>开标时间：{e(local_time(fmt.parse_iso_utc(record['opened_at'])))}；开标地点：{e(record['place'])}</p>",
    ]
    for section in record["sections"]:
        parts.append(f"<h3>第{section['number']}标段：{e(section['name'])}</h3>")
        if section["failed"]:
            parts.append(f"<p><strong>流标：</strong>{e(section['failed'])}</p>")
        parts.append(
            "<table><thead><tr><th>序号</th><th>投标人</th><th>投标报价（元）</th><th>工期（日历天）</th>"
            "<th>质量承诺</th><th>投标保证金</th><th>解密情况</th><th>投标文件编号</th></tr></thead><tbody>"
        )
        for i, row in enumerate(section["bids"], start=1):
            parts.append(
                f"<tr><td>{i}</td><td>{e(row['bidder'])}</td><td>{e(row['price'] or '—')}</td>"
                f"<td>{e(str(row['duration_days'] or '—'))}</td><td>{e(row['quality'] or '—')}</td>"
                f"<td>{e(row['deposit'])}</td><td>{e(row['decryption_label'])}</td><td>{e(row['bid_no'])}</td></tr>"
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


def _publish_record(session: Session, project: Project, opening: OpeningSession) -> None:
    from sunshine import disclosure

    record = build_record(session, project, opening)
    canonical = fmt.canonical_payload(record)
    opening.record_json = canonical.decode()
    opening.record_sha256 = hashlib.sha256(canonical).hexdigest()
    opening.published_at = clock.now()
    entry = ledger.append(
        session,
        "bidding:opening:record",
        f"project:{project.code}",
        {"record_sha256": opening.record_sha256, "status": opening.status},
    )
    opening.record_ledger_seq = entry.seq
    subject = f"project:{project.code}"
    disclosure.owe(
        session,
        trigger="trading.opening",
        subject=subject,
        title=f"{project.name}（开标记录）",
        responsible_org_id=project.agency_id or project.tenderer_id,
        event_date=clock.today_local(),
        project=project,
    )
    disclosure.publish_from_step(
        session,
        trigger="trading.opening",
        subject=subject,
        title=f"{project.name}开标记录",
        body_html=record_html(record),
        source_ref=f"opening:{opening.id}",
        author_id=None,
    )
    session.flush()


@dataclass(frozen=True)
class Room:
    """What the opening room shows a visitor: the record as it forms, and what this visitor may do."""

    project: Project
    opening: OpeningSession | None
    record: dict[str, Any] | None
    my_bids: list[Bid]
    can_confirm: bool
    can_answer: bool
    can_object: bool
    can_close: bool
    confirmed_by_me: bool
    can_start: bool = False  # centre staff, the deadline passed by the server clock, not yet opened
    faults: dict[str, str] = field(default_factory=dict)  # bid number → the centre's platform-fault finding


def room(session: Session, actor: Principal, project_id: int) -> Room:
    project = trading.get_visible(session, actor, project_id)
    opening = session_of(session, project.id)
    record = build_record(session, project, opening) if opening is not None else None
    from sunshine.bidding.service import mine

    my_bids = [b for b in mine(session, actor, project.id) if b.status == "sealed"]
    is_party = registrations.is_party(actor, project)
    live = opening is not None and opening.status in ("decrypting", "recording")
    confirmed = (
        opening is not None
        and actor.user_id is not None
        and any(c.user_id == actor.user_id for c in _confirmations(session, opening))
    )
    official = is_party or bool(actor.roles & {Role.CENTRE_STAFF, Role.SUPERVISOR})
    can_start = (
        opening is None
        and Role.CENTRE_STAFF in actor.roles
        and project.lifecycle in SEALED_LIFECYCLES
        and project.state in ("notice_published", "bid_closed")
        and project.bid_deadline is not None
        and clock.now() >= project.bid_deadline
    )
    faults = (
        {b.bid_no: b.platform_fault for b in sealed_bids(session, project.id) if b.platform_fault}
        if opening is not None
        else {}
    )
    return Room(
        project=project,
        opening=opening,
        record=record,
        my_bids=my_bids,
        can_confirm=bool(opening and opening.status == "recording" and official and not confirmed),
        can_answer=live and is_party,
        can_object=live and bool(my_bids) and Role.BIDDER in actor.roles,
        can_close=bool(opening and opening.status == "decrypting" and Role.CENTRE_STAFF in actor.roles),
        confirmed_by_me=confirmed,
        can_start=can_start,
        faults=faults,
    )
