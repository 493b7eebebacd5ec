"""The session's minutes (会议记录, seed 003): what each member says is recorded during the session — by the centre's
staff keeping the minutes, or by the member on their own page — and each member confirms their own remarks, and
only theirs (a remark the member records is theirs already, confirmed as recorded). The minutes are part of the
report's record (``report.build``) and of the sealed archive. A remark's text stays inside the session like every
deliberation (《招标投标法》第四十四条): the ledger carries its number, its member's seat and its digest. Never commits.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock, formatting
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.evaluation import visibility
from sunshine.evaluation.models import EvaluationMember, EvaluationRemark, EvaluationSession
from sunshine.evaluation.service import log, require_unsealed

#: the session's states in which remarks are minuted (from the sign-in to the last signature)
OPEN_STATES = frozenset({"forming", "review", "scoring", "signing"})
MAX_TEXT = 3000


def remarks_of(session: Session, row: EvaluationSession) -> list[EvaluationRemark]:
    stmt = select(EvaluationRemark).where(EvaluationRemark.session_id == row.id)
    return list(session.scalars(stmt.order_by(EvaluationRemark.recorded_at, EvaluationRemark.id)))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def record(
    session: Session, actor: Principal, session_id: int, *, member_id: int | None, text: str
) -> EvaluationRemark:
    """记录发言: the staff minute a member's remark (naming the member), or a member records their own."""
    row, _ = visibility.get_readable(session, actor, session_id)
    require_unsealed(row)
    if row.state not in OPEN_STATES:
        raise Conflict("评标会议已结束，不能再记录发言")
    own = visibility.member_of(session, actor, row)
    if visibility.runs(actor) and member_id is None and own is None:
        raise InvalidInput("请选择发言的成员", field="member_id")
    if visibility.runs(actor) and member_id is not None:
        member = session.get(EvaluationMember, member_id)
        if member is None or member.session_id != row.id:
            raise NotFound("该成员不在本评标委员会")
    elif own is not None and member_id in (None, own.id):
        member = own
    elif own is not None:
        raise Forbidden("成员只能记录本人的发言")
    else:
        raise Forbidden("发言由交易中心记录人员或发言成员本人记录")
    text = (text or "").strip()
    if not 2 <= len(text) <= MAX_TEXT:
        raise InvalidInput(f"请填写发言内容（2至{MAX_TEXT}字）", field="text")
    now = clock.now()
    remark = EvaluationRemark(
        session_id=row.id,
        member_id=member.id,
        text=text,
        recorded_by=actor.user_id,
        recorded_at=now,
        confirmed_at=now if own is not None and own.id == member.id else None,
    )
    session.add(remark)
    session.flush()
    log(
        session,
        row,
        "minutes:recorded",
        {
            "remark": remark.id,
            "member": member.id,
            "digest": _digest(text),
            "confirmed": remark.confirmed_at is not None,
        },
    )
    return remark


def confirm(session: Session, actor: Principal, session_id: int, remark_id: int) -> EvaluationRemark:
    """确认发言记录: the member confirms a remark minuted as theirs — nobody else's."""
    row, _ = visibility.get_readable(session, actor, session_id)
    require_unsealed(row)
    remark = session.get(EvaluationRemark, remark_id)
    if remark is None or remark.session_id != row.id:
        raise NotFound("没有这条发言记录")
    own = visibility.member_of(session, actor, row)
    if own is None or own.id != remark.member_id:
        raise Forbidden("每位成员只能确认本人的发言记录")
    if remark.confirmed_at is not None:
        raise Conflict("该发言记录已确认")
    remark.confirmed_at = clock.now()
    session.flush()
    log(session, row, "minutes:confirmed", {"remark": remark.id, "member": own.id, "digest": _digest(remark.text)})
    return remark


def for_report(session: Session, row: EvaluationSession) -> list[dict]:
    """The minutes as the report records them: each remark with its member, time and confirmation."""
    names = {
        m.id: m.name for m in session.scalars(select(EvaluationMember).where(EvaluationMember.session_id == row.id))
    }
    return [
        {
            "id": r.id,
            "member": r.member_id,
            "name": names.get(r.member_id, ""),
            "text": r.text,
            "recorded_at": formatting.local_time(r.recorded_at),
            "confirmed": r.confirmed_at is not None,
            "confirmed_at": formatting.local_time(r.confirmed_at) if r.confirmed_at else None,
        }
        for r in remarks_of(session, row)
    ]
