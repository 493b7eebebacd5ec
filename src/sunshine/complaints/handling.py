"""The supervisory department's handling of a complaint (投诉处理): acceptance or a reasoned refusal (不予受理,
with the grounds of 七部委11号令 第十二条 / 94号令 第十九条) within its working days, the one correction notice of a
procurement complaint (94号令 第二十一条), the copy to the respondents, the periods of inspection, testing,
appraisal or expert review that do not count, the suspension of the tender or procurement (条例 第六十二条;
采购法 第五十七条: at most ``complaint_suspension_max`` days) and its end, the written decision with the statutory
outcome, and its publication through the disclosure review (personal data held back). Never commits."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from sqlalchemy.orm import Session

from sunshine.complaints import base, clocks, kinds, outcomes, service
from sunshine.complaints import credit as complaints_credit
from sunshine.complaints.models import ComplaintCase
from sunshine.complaints.visibility import get_visible, is_complainant, is_department
from sunshine.core import alerts, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput
from sunshine.disclosure import obligations
from sunshine.disclosure.publications import publish_from_step

DECISION_TRIGGER = "trading.complaint_decision"


def _department_case(session: Session, actor: Principal, case_id: int):  # noqa: ANN202
    row, project = get_visible(session, actor, case_id)
    if not is_department(actor):
        raise Forbidden("投诉由行政监督部门（财政部门）处理")
    if not base.kind_of(row).to_department:
        raise Conflict(f"{base.kind_of(row).label}由招标人（采购人）答复，不由行政监督部门处理")
    return row, project


def _need(row: ComplaintCase, *states: str) -> None:
    if row.state not in states:
        raise Conflict(f"该投诉当前为“{kinds.STATES[row.state]}”")


def _note(note: str | None) -> str | None:
    note = (note or "").strip()
    return note or None


def accept(session: Session, actor: Principal, case_id: int, *, note: str = "") -> ComplaintCase:
    row, project = _department_case(session, actor, case_id)
    _need(row, "filed")
    grounds = service.findings(session, row, project)
    if grounds:
        raise Conflict(
            "平台记录显示该投诉存在不予受理的情形：" + "；".join(t for _, t in grounds) + "。请作出不予受理决定",
            grounds=[c for c, _ in grounds],
        )
    row.state = "accepted"
    base.record(session, row, "accepted", actor, note=_note(note))
    alerts.resolve(session, subject_kind="complaint", subject_id=row.id)
    base.tell(session, row, project, "已受理", _note(note) or "行政监督部门已受理投诉，将在法定期限内作出处理决定")
    return row


def reject(session: Session, actor: Principal, case_id: int, *, grounds: list[str], note: str = "") -> ComplaintCase:
    row, project = _department_case(session, actor, case_id)
    _need(row, "filed", "correction")
    unknown = [g for g in grounds if g not in kinds.INADMISSIBLE]
    if not grounds or unknown:
        raise InvalidInput(f"请选择不予受理的情形：{'、'.join(kinds.INADMISSIBLE.values())}", field="grounds")
    text = "；".join(kinds.INADMISSIBLE[g] for g in grounds)
    basis = kinds.LEGAL_INADMISSIBLE_BASIS[base.kind_of(row).regime]
    row.state, row.decision = "rejected", f"不予受理：{text}。依据：{basis}。{_note(note) or ''}".strip()
    row.decided_on, row.decided_by = clock.today_local(), actor.user_id
    base.record(session, row, "rejected", actor, note=_note(note), payload={"grounds": grounds})
    base.close_tracked(session, row)
    base.resume_project(session, row, project, actor, "不予受理，恢复活动")
    alerts.resolve(session, subject_kind="complaint", subject_id=row.id)
    base.tell(session, row, project, "不予受理", row.decision)
    return row


def request_correction(session: Session, actor: Principal, case_id: int, *, note: str) -> ComplaintCase:
    """一次性书面通知补正 (94号令 第二十一条): once; the review stops, the decision period does not run."""
    row, project = _department_case(session, actor, case_id)
    if row.kind != "gp_complaint":
        raise Conflict("补正通知适用于政府采购投诉")
    _need(row, "filed")
    if any(e.step == "correction_requested" for e in base.events(session, row)):
        raise Conflict("补正通知只能发出一次（《政府采购质疑和投诉办法》第二十一条：一次性书面通知投诉人补正）")
    text = _note(note)
    if text is None:
        raise InvalidInput("请写明需要补正的内容", field="note")
    row.state = "correction"
    base.record(session, row, "correction_requested", actor, note=text)
    base.tell(session, row, project, "须补正", text)
    return row


def correct(
    session: Session, actor: Principal, case_id: int, *, facts: str, request: str, legal_basis: str
) -> ComplaintCase:
    """The complainant's corrected letter: the review counts anew, the decision period runs again."""
    row, _ = get_visible(session, actor, case_id)
    if not is_complainant(actor, row):
        raise Forbidden("由投诉人补正")
    _need(row, "correction")
    for name, value in (("facts", facts), ("request", request)):
        if len((value or "").strip()) < 4:
            raise InvalidInput(f"补正后的投诉书仍缺少：{kinds.CONTENTS[name]}", field=name)
    row.facts, row.request = facts.strip(), request.strip()
    row.legal_basis = (legal_basis or "").strip() or row.legal_basis
    row.state = "filed"
    base.record(session, row, "corrected", actor, payload={"facts_sha256": base.sha(row.facts)})
    return row


def send_copy(session: Session, actor: Principal, case_id: int) -> ComplaintCase:
    """投诉书副本 to the respondents (94号令 第二十一条): their 5 working days start."""
    row, project = _department_case(session, actor, case_id)
    if row.kind != "gp_complaint":
        raise Conflict("发送投诉书副本适用于政府采购投诉")
    _need(row, "accepted")
    if any(e.step == "copy_sent" for e in base.events(session, row)):
        raise Conflict("投诉书副本已发出")
    base.record(session, row, "copy_sent", actor)
    base.track_respondent(session, row, project)
    return row


def pause(session: Session, actor: Principal, case_id: int, *, note: str) -> ComplaintCase:
    """检验、检测、鉴定、专家评审 begin: the decision period stops counting (条例 第六十一条; 94号令 第二十七条)."""
    row, _ = _department_case(session, actor, case_id)
    _need(row, "accepted")
    history = base.events(session, row)
    if history and [e.step for e in history if e.step in ("pause", "resume")][-1:] == ["pause"]:
        raise Conflict("已在检验、检测、鉴定或专家评审中")
    text = _note(note)
    if text is None:
        raise InvalidInput("请写明检验、检测、鉴定或专家评审的事项", field="note")
    base.record(session, row, "pause", actor, note=text)
    return row


def resume(session: Session, actor: Principal, case_id: int, *, note: str = "") -> ComplaintCase:
    row, _ = _department_case(session, actor, case_id)
    _need(row, "accepted")
    marks = [e.step for e in base.events(session, row) if e.step in ("pause", "resume")]
    if marks[-1:] != ["pause"]:
        raise Conflict("没有进行中的检验、检测、鉴定或专家评审")
    base.record(session, row, "resume", actor, note=_note(note))
    return row


def suspend(session: Session, actor: Principal, case_id: int, *, days: int | None, note: str = "") -> ComplaintCase:
    """暂停招标投标（采购）活动 while the complaint is handled."""
    row, project = _department_case(session, actor, case_id)
    _need(row, "filed", "correction", "accepted")
    if row.suspended_project:
        raise Conflict("已暂停")
    until = None
    if row.kind == "gp_complaint":
        top = clocks.limit(project, "complaint_suspension_max")
        days = days or top.days
        if days > top.days:
            raise InvalidInput(f"暂停时间最长不得超过{top.text}（{top.basis}）", field="days")
        until = clock.today_local() + timedelta(days=days)
        basis = f"《中华人民共和国政府采购法》第五十七条，暂停{days}日"
    else:
        basis = "《中华人民共和国招标投标法实施条例》第六十二条：行政监督部门处理投诉，必要时可以责令暂停招标投标活动"
    if not base.suspend_project(
        session, row, project, actor, basis + (f"。{note.strip()}" if note.strip() else ""), until
    ):
        raise Conflict("项目当前的状态不能暂停")
    return row


def lift(session: Session, actor: Principal, case_id: int, *, note: str = "") -> ComplaintCase:
    row, project = _department_case(session, actor, case_id)
    if not base.resume_project(session, row, project, actor, _note(note) or "行政监督部门决定恢复活动"):
        raise Conflict("项目未因本投诉暂停")
    return row


def decide(
    session: Session,
    actor: Principal,
    case_id: int,
    *,
    outcome: str,
    remedy: str,
    decision: str,
    ground: str | None = None,
) -> ComplaintCase:
    """书面处理决定: dismissed, or upheld with its statutory outcome taken as the project's step; owed for publication
    (公开事项 投诉处理决定) from today; a suspension ends."""
    row, project = _department_case(session, actor, case_id)
    _need(row, "accepted")
    if outcome not in kinds.OUTCOMES:
        raise InvalidInput("处理决定应为投诉成立或驳回投诉", field="outcome")
    text = (decision or "").strip()
    if len(text) < 10:
        raise InvalidInput("请写明处理决定的事实、理由和依据（至少10字）", field="decision")
    remedy = remedy if outcome == "upheld" else "none"
    if outcome == "upheld":
        outcomes.check_remedy(remedy, project)
    row.state, row.outcome, row.remedy, row.decision = "decided", outcome, remedy, text
    row.decided_on, row.decided_by = clock.today_local(), actor.user_id
    base.record(session, row, "decided", actor, note=text, payload={"outcome": outcome, "remedy": remedy})
    base.close_tracked(session, row)
    base.resume_project(session, row, project, actor, "已作出处理决定，恢复活动")
    if outcome == "upheld":
        why = f"投诉成立，{kinds.REMEDIES[remedy]}"
        outcomes.apply_remedy(session, row, project, remedy, actor, why, ground=ground)
    listed = complaints_credit.after_dismissal(session, actor, row, project)
    if listed is not None:
        base.record(session, row, "credit_listed", actor, payload={"credit_record": listed.id})
    obligations.owe(
        session,
        trigger=DECISION_TRIGGER,
        subject=f"complaint:{row.code}",
        title=f"{project.name}投诉处理决定（{row.code}）",
        responsible_org_id=None,
        event_date=row.decided_on,
        project=project,
    )
    alerts.resolve(session, subject_kind="complaint", subject_id=row.id)
    base.tell(session, row, project, "已作出处理决定", f"{kinds.OUTCOMES[outcome]}：{text}")
    return row


def draft_notice(session: Session, row: ComplaintCase, project) -> tuple[str, str]:  # noqa: ANN001
    """The decision's public text as the department starts from: parties by organisation, no persons."""
    from sunshine.identity.models import Organisation

    org = session.get(Organisation, row.organisation_id)
    title = f"{project.name}投诉处理决定（{row.code}）"
    body = (
        f"投诉人：{org.name if org else ''}\n被投诉人：{row.respondent}\n项目：{project.name}（{project.code}）\n"
        f"投诉事项：{kinds.MATTERS[row.matter]}\n处理结果：{kinds.OUTCOMES.get(row.outcome or '', '')}"
        f"{('，' + kinds.REMEDIES[row.remedy]) if row.remedy and row.remedy != 'none' else ''}\n"
        f"处理决定：{row.decision or ''}\n"
        f"作出决定的机关：行政监督部门　日期：{row.decided_on.isoformat() if row.decided_on else ''}"
    )
    return title, body


def publish(session: Session, actor: Principal, case_id: int, *, title: str, body: str) -> ComplaintCase:
    """公告处理决定 through the disclosure review: a text with personal data (ID numbers, phone numbers, names of
    persons the detectors find) is held with the findings (422 ``held_for_review``) and nothing is published."""
    row, project = _department_case(session, actor, case_id)
    _need(row, "decided")
    title = " ".join((title or "").split())
    if not 4 <= len(title) <= 300:
        raise InvalidInput("标题应为4至300个字", field="title")
    text = (body or "").strip()
    if len(text) < 10:
        raise InvalidInput("请填写公告正文", field="body")
    html = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    publish_from_step(
        session,
        trigger=DECISION_TRIGGER,
        subject=f"complaint:{row.code}",
        title=title,
        body_html=html,
        source_ref=f"complaint:{row.code}",
        author_id=actor.user_id,
    )
    row.state, row.published_at = "published", clock.now()
    base.record(
        session, row, "published", actor, payload={"title_sha256": base.sha(title), "body_sha256": base.sha(text)}
    )
    return row
