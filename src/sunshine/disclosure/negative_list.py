"""The negative list (负面清单): terms the disclosure office declares must not be published, maintained
through a page and the API. Additions and removals are in the ledger by the term's SHA-256 only, since the
term itself may be what must not be made public."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import AlreadyExists, InvalidInput, NotFound
from sunshine.disclosure import detectors
from sunshine.disclosure.models import NegativeTerm
from sunshine.ledger import service as ledger

MAX_TERM = 100
MAX_REASON = 500


def active(session: Session) -> list[NegativeTerm]:
    stmt = select(NegativeTerm).where(NegativeTerm.removed_at.is_(None)).order_by(NegativeTerm.id)
    return list(session.scalars(stmt))


def history(session: Session, limit: int = 200) -> list[NegativeTerm]:
    stmt = select(NegativeTerm).where(NegativeTerm.removed_at.is_not(None)).order_by(NegativeTerm.removed_at.desc())
    return list(session.scalars(stmt.limit(limit)))


def detector_terms(session: Session) -> list[detectors.Term]:
    return [detectors.Term(t.id, t.term) for t in active(session)]


def _sha(term: str) -> str:
    return hashlib.sha256(term.casefold().encode()).hexdigest()


def add(session: Session, actor: Principal, *, term: str, reason: str) -> NegativeTerm:
    term = " ".join((term or "").split())
    reason = (reason or "").strip()
    if len(term) < 2:
        raise InvalidInput("负面清单事项至少 2 个字符", field="term")
    if len(term) > MAX_TERM:
        raise InvalidInput(f"负面清单事项最多 {MAX_TERM} 个字符", field="term")
    if not reason:
        raise InvalidInput("请说明列入负面清单的理由和依据（如涉及国家秘密、商业秘密、个人隐私）", field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"理由最多 {MAX_REASON} 个字符", field="reason")
    if any(t.term.casefold() == term.casefold() for t in active(session)):
        raise AlreadyExists("负面清单中已有该事项", field="term")
    row = NegativeTerm(term=term, reason=reason, added_by=actor.user_id, added_at=clock.now())
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "disclosure:negative-list:added",
        f"disclosure-negative-term:{row.id}",
        {"term_sha256": _sha(term), "reason": reason, "by": actor.user_id},
    )
    return row


def remove(session: Session, actor: Principal, term_id: int, *, reason: str) -> NegativeTerm:
    row = session.get(NegativeTerm, term_id)
    if row is None or row.removed_at is not None:
        raise NotFound("负面清单事项不存在或已移出")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请说明移出负面清单的理由", field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"理由最多 {MAX_REASON} 个字符", field="reason")
    row.removed_at, row.removed_by, row.removal_reason = clock.now(), actor.user_id, reason
    session.flush()
    ledger.append(
        session,
        "disclosure:negative-list:removed",
        f"disclosure-negative-term:{row.id}",
        {"term_sha256": _sha(row.term), "reason": reason, "by": actor.user_id},
    )
    return row
