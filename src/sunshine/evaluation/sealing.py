"""就地封存: when the session ends — the project takes 评审结束 (``finish_evaluation``) or 流标
(``fail_evaluation``) — every session of the project that is done is sealed on the spot: each of its documents
(the committee and its conflict declarations, the review record, the questions and answers, the scores, the
computation, the minutes, the price corrections and adjustments, the observers' seats, the signed report) is
rendered canonically and hashed, the hashes go into an archive manifest (``sunshine-evaluation-archive-v1``) whose
SHA-256 is one ledger entry. From then on nothing of the session changes (``service.SessionSealed``, 409); the
centre lists the sealed sessions and verifies any of them: every document hashed again from the database, the
manifest's hash, and the ledger entry's. Never commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock, formatting
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden, NotFound
from sunshine.evaluation import minutes, pricing, watching
from sunshine.evaluation.models import (
    EvaluationBid,
    EvaluationConflict,
    EvaluationMember,
    EvaluationQuery,
    EvaluationRound,
    EvaluationScore,
    EvaluationSession,
)
from sunshine.evaluation.service import log
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from sunshine.observers import service as observers
from sunshine.trading.lifecycle import StepEvent
from sunshine.trading.models import Project, Section

FORMAT = "sunshine-evaluation-archive-v1"
ENDED = frozenset({"finished", "failed"})


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def sha256(data: Any) -> str:
    return hashlib.sha256(canonical(data)).hexdigest()


def _t(value) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(session: Session, model, *where) -> list:
    return list(session.scalars(select(model).where(*where).order_by(model.id)))


def _committee(session: Session, row: EvaluationSession) -> list[dict]:
    return [
        {
            "id": m.id,
            "kind": m.kind,
            "name": m.name,
            "state": m.state,
            "chair": m.id == row.chair_id,
            "joined_at": _t(m.joined_at),
            "declared_at": _t(m.declared_at),
            "conflict_note": m.conflict_note,
            "vote_for": m.vote_for,
            "scores_submitted_at": _t(m.scores_submitted_at),
            "signature": m.signature,
            "dissent": m.dissent,
            "signed_at": _t(m.signed_at),
            "at_opening": m.at_opening,
            "site": m.site,
        }
        for m in _rows(session, EvaluationMember, EvaluationMember.session_id == row.id)
    ]


def _member_ids(session: Session, row: EvaluationSession) -> list[int]:
    return list(session.scalars(select(EvaluationMember.id).where(EvaluationMember.session_id == row.id)))


def _conflicts(session: Session, row: EvaluationSession) -> list[dict]:
    return [
        {"member": c.member_id, "bid": c.bid_id, "conflict": c.conflict, "reason": c.reason, "at": _t(c.declared_at)}
        for c in _rows(session, EvaluationConflict, EvaluationConflict.member_id.in_(_member_ids(session, row)))
    ]


def _bids(session: Session, row: EvaluationSession) -> list[dict]:
    return [
        {
            "id": b.id,
            "bid": b.bid_id,
            "bidder": b.bidder,
            "price": f"{b.price:.2f}",
            "sme": b.sme,
            "qualification": b.qualification,
            "compliance": b.compliance,
            "rejected_reason": b.rejected_reason,
            "rejected_facts": b.rejected_facts,
            "rejected_at": _t(b.rejected_at),
        }
        for b in _rows(session, EvaluationBid, EvaluationBid.session_id == row.id)
    ]


def _queries(session: Session, row: EvaluationSession) -> list[dict]:
    return [
        {
            "id": q.id,
            "bid": q.eval_bid_id,
            "kind": q.kind,
            "question": q.question,
            "asked_at": _t(q.asked_at),
            "due_at": _t(q.due_at),
            "answer": q.answer,
            "answered_at": _t(q.answered_at),
            "verdict": q.verdict,
        }
        for q in _rows(session, EvaluationQuery, EvaluationQuery.session_id == row.id)
    ]


def _scores(session: Session, row: EvaluationSession) -> list[dict]:
    return [
        {"member": s.member_id, "bid": s.eval_bid_id, "criterion": s.criterion, "score": f"{s.score:.2f}"}
        for s in _rows(session, EvaluationScore, EvaluationScore.member_id.in_(_member_ids(session, row)))
    ]


def _observers(session: Session, row: EvaluationSession) -> list[dict]:
    return [
        {"seat": s.id, "capacity": s.capacity, "admitted_at": _t(s.admitted_at), "revoked_at": _t(s.revoked_at)}
        for s in observers.seats(session, watching.KIND, row.id, active_only=False)
    ]


def _outcome(session: Session, row: EvaluationSession) -> dict:
    return {
        "state": row.state,
        "outcome": json.loads(row.outcome_json) if row.outcome_json else None,
        "failure_reason": row.failure_reason,
        "started_at": _t(row.started_at),
        "finished_at": _t(row.finished_at),
    }


def _report(session: Session, row: EvaluationSession) -> dict | None:
    return json.loads(row.report_json) if row.report_json else None


#: the archive's documents: (name, title, how it is read from the database)
DOCUMENTS: list[tuple[str, str, Callable[[Session, EvaluationSession], Any]]] = [
    ("committee", "评标委员会组成、签到与推选组长记录", _committee),
    ("conflicts", "回避声明", _conflicts),
    ("reviews", "资格审查、符合性审查记录", _bids),
    ("queries", "澄清与异常低价说明", _queries),
    ("scores", "评分表", _scores),
    ("outcome", "汇总计算与评审结果", _outcome),
    ("minutes", "会议记录", lambda s, r: minutes.for_report(s, r)),
    ("prices", "报价修正与价格折算", lambda s, r: pricing.for_report(s, r)),
    ("observers", "观察席", _observers),
    ("report", "评标（评审）报告", _report),
]


def documents(session: Session, row: EvaluationSession) -> list[dict]:
    out = []
    for name, title, read in DOCUMENTS:
        data = read(session, row)
        out.append({"name": name, "title": title, "sha256": sha256(data), "items": _count(data)})
    return out


def _count(data: Any) -> int:
    if data is None:
        return 0
    return len(data) if isinstance(data, list) else 1


def seal(session: Session, row: EvaluationSession) -> str:
    """Seal the ended session: the manifest, its hash, one ledger entry. Returns the manifest's hash."""
    project = session.get(Project, row.project_id)
    section = session.get(Section, row.section_id)
    manifest = {
        "format": FORMAT,
        "session": row.id,
        "project": project.code,
        "section": section.number,
        "state": row.state,
        "ended_at": _t(row.finished_at),
        "documents": documents(session, row),
    }
    digest = sha256(manifest)
    row.seal_json = json.dumps(manifest, ensure_ascii=False)
    row.seal_sha256 = digest
    row.seal_ledger_seq = log(
        session, row, "session:sealed", {"manifest_sha256": digest, "documents": len(manifest["documents"])}
    )
    row.sealed_at = clock.now()
    return digest


def seal_on_end(session: Session, event: StepEvent) -> None:
    """After 评审结束 or 流标: seal every ended session of the project not sealed yet."""
    stmt = select(EvaluationSession).where(
        EvaluationSession.project_id == event.project.id,
        EvaluationSession.state.in_(ENDED),
        EvaluationSession.sealed_at.is_(None),
    )
    for row in session.scalars(stmt.order_by(EvaluationSession.id)):
        seal(session, row)
    session.flush()


def _require_centre(actor: Principal) -> None:
    if not (actor.has(Role.CENTRE_STAFF) or actor.has(Role.SUPERVISOR)):
        raise Forbidden("封存档案由交易中心（行政监督部门）查验")


def sealed(session: Session, actor: Principal, limit: int = 200) -> list[dict]:
    """The sealed sessions, newest first: the centre's archive list."""
    _require_centre(actor)
    stmt = (
        select(EvaluationSession, Project)
        .join(Project, Project.id == EvaluationSession.project_id)
        .where(EvaluationSession.sealed_at.is_not(None))
        .order_by(EvaluationSession.sealed_at.desc(), EvaluationSession.id.desc())
        .limit(limit)
    )
    return [
        {
            "session_id": row.id,
            "project_name": project.name,
            "project_code": project.code,
            "section": session.get(Section, row.section_id).number,
            "state_label": "评审结束" if row.state == "finished" else "评审失败",
            "sealed_at": row.sealed_at,
            "sealed_at_text": formatting.local_time(row.sealed_at),
            "seal_sha256": row.seal_sha256,
            "seal_ledger_seq": row.seal_ledger_seq,
        }
        for row, project in session.execute(stmt)
    ]


def verify(session: Session, actor: Principal, session_id: int) -> dict:
    """查验封存: every document hashed again from the database against the manifest, the manifest's hash against the
    stored one, and the ledger entry's payload against both."""
    _require_centre(actor)
    row = session.get(EvaluationSession, session_id)
    if row is None or row.sealed_at is None:
        raise NotFound("该评标会议尚未封存")
    manifest = json.loads(row.seal_json)
    now = {d["name"]: d for d in documents(session, row)}
    docs = [
        {
            "name": d["name"],
            "title": d["title"],
            "sealed_sha256": d["sha256"],
            "current_sha256": now.get(d["name"], {}).get("sha256"),
            "ok": now.get(d["name"], {}).get("sha256") == d["sha256"],
        }
        for d in manifest["documents"]
    ]
    manifest_ok = sha256(manifest) == row.seal_sha256
    entry = session.get(LedgerEntry, row.seal_ledger_seq) if row.seal_ledger_seq else None
    ledger_ok = (
        entry is not None
        and entry.kind == "evaluation:session:sealed"
        and json.loads(entry.payload).get("manifest_sha256") == row.seal_sha256
        and json.loads(entry.payload).get("session") == row.id
    )
    return {
        "session_id": row.id,
        "sealed_at": row.sealed_at,
        "seal_sha256": row.seal_sha256,
        "seal_ledger_seq": row.seal_ledger_seq,
        "manifest": manifest,
        "documents": docs,
        "manifest_ok": manifest_ok,
        "ledger_ok": ledger_ok,
        "rounds": report_rounds(session, row),
        "ok": manifest_ok and ledger_ok and all(d["ok"] for d in docs),
    }


def _report_check(session: Session, report_json: str | None, recorded: str | None, seq: int | None) -> dict:
    """One round's signed report hashed again, against its recorded hash and its ledger entry."""
    again = sha256(json.loads(report_json)) if report_json else None
    entry = session.get(LedgerEntry, seq) if seq else None
    in_ledger = (
        entry is not None
        and entry.kind == "evaluation:report:final"
        and json.loads(entry.payload).get("report_sha256") == recorded
    )
    return {
        "report_sha256": recorded,
        "current_sha256": again,
        "report_ledger_seq": seq,
        "ledger_ok": in_ledger,
        "ok": again is not None and again == recorded and in_ledger,
    }


def report_rounds(session: Session, row: EvaluationSession) -> list[dict]:
    """重新评审: every round's report — the superseded ones (marked, with their own seal) and the one in force."""
    stmt = select(EvaluationRound).where(EvaluationRound.session_id == row.id).order_by(EvaluationRound.round)
    out = [
        {
            "round": r.round,
            "superseded": True,
            "state_label": "已被取代",
            "superseded_at": r.superseded_at,
            "seal_sha256": r.seal_sha256,
            "seal_ledger_seq": r.seal_ledger_seq,
            "reopened_ledger_seq": r.ledger_seq,
            **_report_check(session, r.report_json, r.report_sha256, r.report_ledger_seq),
        }
        for r in session.scalars(stmt)
    ]
    if row.report_sha256:
        out.append(
            {
                "round": row.round,
                "superseded": False,
                "state_label": "现行",
                "superseded_at": None,
                "seal_sha256": row.seal_sha256,
                "seal_ledger_seq": row.seal_ledger_seq,
                "reopened_ledger_seq": None,
                **_report_check(session, row.report_json, row.report_sha256, row.report_ledger_seq),
            }
        )
    return out
