"""The respondent's side: the tenderer (purchaser) or its agency answers an objection or a challenge in writing
within its days (条例 第二十二条、第五十四条; 采购法 第五十三条), saying whether it is founded and, if so, the
statutory outcome it takes (94号令 第十六条) — taken at once as the project's lifecycle step; the suspension the
objection caused ends with the answer. On a procurement complaint it states its case within 5 working days of
receiving the copy (94号令 第二十二条). Never commits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.complaints import base, kinds, outcomes
from sunshine.complaints.models import ComplaintCase
from sunshine.complaints.visibility import get_visible, is_respondent
from sunshine.core import alerts, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput

TEXT_MIN, TEXT_MAX = 4, 5000


def _text(text: str, field: str = "answer") -> str:
    text = (text or "").strip()
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        raise InvalidInput(f"请写明意见和理由（{TEXT_MIN}至{TEXT_MAX}字）", field=field)
    return text


def answer(
    session: Session,
    actor: Principal,
    case_id: int,
    *,
    text: str,
    founded: bool,
    remedy: str = "none",
    ground: str | None = None,
) -> ComplaintCase:
    row, project = get_visible(session, actor, case_id)
    kind = base.kind_of(row)
    if kind.to_department:
        raise Conflict("投诉由行政监督部门处理，被投诉人提交书面说明")
    if not is_respondent(actor, project):
        raise Forbidden(f"{kind.label}由招标人（采购人）或其委托的代理机构答复")
    if row.state != "filed":
        raise Conflict(f"该{kind.label}已{kinds.STATES[row.state]}")
    text = _text(text)
    remedy = remedy if founded else "none"
    if founded:
        outcomes.check_remedy(remedy, project)
    row.answer, row.founded, row.remedy = text, founded, remedy
    row.answered_at, row.answered_by, row.state = clock.now(), actor.user_id, "answered"
    base.record(session, row, "answered", actor, note=text, payload={"founded": founded, "remedy": remedy})
    base.resume_project(session, row, project, base.SYSTEM, "已答复，恢复招标投标活动")
    if founded:
        why = f"{kind.label}成立，{kinds.REMEDIES[remedy]}"
        outcomes.apply_remedy(session, row, project, remedy, actor, why, ground=ground)
    alerts.resolve(session, subject_kind="complaint", subject_id=row.id)
    verdict = f"{kind.label}成立：{kinds.REMEDIES[remedy]}" if founded else f"{kind.label}不成立"
    base.tell(session, row, project, "已答复", f"{verdict}。{text}")
    return row


def respondent_statement(session: Session, actor: Principal, case_id: int, *, text: str) -> ComplaintCase:
    """被投诉人的书面说明 after receiving the copy of a procurement complaint."""
    row, project = get_visible(session, actor, case_id)
    if row.kind != "gp_complaint" or not is_respondent(actor, project):
        raise Forbidden("由被投诉的采购人或采购代理机构作出说明")
    steps = {e.step for e in base.events(session, row)}
    if "copy_sent" not in steps:
        raise Conflict("财政部门尚未发出投诉书副本")
    if "respondent_answered" in steps:
        raise Conflict("已作出说明")
    if row.state != "accepted":
        raise Conflict(f"该投诉已{kinds.STATES[row.state]}")
    base.record(session, row, "respondent_answered", actor, note=_text(text, "note"))
    base.close_tracked(session, row)
    alerts.resolve(session, subject_kind="complaint", subject_id=row.id, kind="respondent_overdue")
    return row
