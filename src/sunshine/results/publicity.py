"""中标候选人公示 and the objections to the evaluation result (《招标投标法实施条例》第五十四条): the tenderer (or its
agency) publishes the candidates within ``candidate_publicity_within`` days of receiving the report, for at least
``candidate_publicity_period`` days, through the disclosure pipeline (the step's ``discloses``; the obligation
counts from the report's receipt, so the dashboard shows a late publication as late). During the period a bidder
or another interested party files an objection; the objections are cases of the complaints domain (filed and
answered within ``publicity_objection_answer`` days there, its clock and alerts), read here through ``hooks``: until
every one is answered the winner cannot be determined (409 ``objection_pending``). Never commits."""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding.models import Bid
from sunshine.core import alerts, calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.content import sanitise
from sunshine.core.errors import Conflict, Forbidden
from sunshine.core.formatting import cn_day, yuan
from sunshine.core.models import TrackedDeadline
from sunshine.evaluation.models import EvaluationBid
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.qualifications import opening as qualification_opening
from sunshine.qualifications import service as qualifications
from sunshine.results import base, hooks
from sunshine.trading import lifecycle, visibility
from sunshine.trading.models import Project, Section

CONTENT_MIN, CONTENT_MAX = 10, 5000


class ObjectionPending(Conflict):
    code = "objection_pending"
    title = "对评标结果的异议尚未答复"


class PublicityNotOpen(Conflict):
    code = "publicity_not_open"
    title = "不在中标候选人公示期内"


def party_project(session: Session, actor: Principal, project_id: int) -> Project:
    """The project for its tenderer or agency; 404 for anyone who may not see it, 403 for others who may."""
    project = visibility.get_visible(session, actor, project_id)
    if not visibility.is_party(actor, project):
        raise Forbidden("由招标人（采购人）或其委托的代理机构办理")
    return project


def period_end(session: Session, row) -> TrackedDeadline | None:  # noqa: ANN001
    return session.get(TrackedDeadline, row.publicity_end_id) if row.publicity_end_id else None


def in_period(session: Session, row) -> bool:  # noqa: ANN001
    end = period_end(session, row)
    return end is not None and row.publicised_at is not None and clock.today_local() <= end.due


def _section_rows(session: Session, project: Project) -> list[tuple[Section, list[base.Candidate], dict]]:
    out = []
    for ev in base.sessions(session, project.id):
        section = session.get(Section, ev.section_id)
        cands = base.candidates(session, ev)
        extra = {}
        for c in cands:
            eb = session.get(EvaluationBid, c.eval_bid_id)
            bid = session.get(Bid, eb.bid_id)
            manager = qualification_opening.named_manager(bid) if bid is not None else None
            findings = qualifications.assess(session, section, c.organisation_id, on=clock.today_local())
            extra[c.eval_bid_id] = (manager, findings)
        out.append((section, cands, extra))
    return out


def notice(session: Session, project: Project, until) -> tuple[str, str]:  # noqa: ANN001
    """The publicity's text: per section the candidates in rank with their prices, the project manager and the
    certificate number, the responses to the qualification requirements (发改委令第10号), and the objection
    channel (条例 第五十四条)."""
    parts = [
        f"<p>{html.escape(project.name)}（项目编号 {html.escape(project.code)}）评标工作已经结束，"
        "根据评标委员会的书面评标报告，现将中标候选人公示如下：</p>"
    ]
    for section, cands, extra in _section_rows(session, project):
        rows = []
        for c in cands:
            manager, findings = extra[c.eval_bid_id]
            who = (
                f"{html.escape(manager.get('name', ''))}（注册证书编号 {html.escape(manager['registration_number'])}）"
                if manager
                else "投标文件未载明"
            )
            answers = "；".join(f"{html.escape(f.label)}：{'满足' if f.met else '不满足'}" for f in findings)
            rows.append(
                f"<tr><td>第{c.rank}名{'（并列，由招标人按招标文件确定）' if c.tied else ''}</td>"
                f"<td>{html.escape(c.bidder)}</td><td>{yuan(c.price)}</td><td>{html.escape(c.total or '—')}</td>"
                f"<td>{who}</td><td>{answers or '招标文件未设结构化资格条件'}</td></tr>"
            )
        parts.append(
            f"<h3>第 {section.number} 标段：{html.escape(section.name)}</h3>"
            "<table><thead><tr><th>排序</th><th>中标候选人</th><th>投标报价（元）</th><th>评标得分（评标价）</th>"
            "<th>项目负责人及证书编号</th><th>资格能力条件响应情况</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    parts.append(
        f"<p>公示期至 {cn_day(until)}（含当日）。投标人或者其他利害关系人对评标结果有异议的，应当在公示期内通过"
        f"本平台项目页面（/projects/{project.id}/results）“对评标结果提出异议”向招标人提出；招标人自收到异议之日起"
        "3日内作出答复，作出答复前暂停招标投标活动（《中华人民共和国招标投标法实施条例》第五十四条）。</p>"
    )
    return f"{project.name}中标候选人公示"[:300], sanitise("".join(parts))


def publicise(session: Session, actor: Principal, project_id: int) -> Project:
    """公示中标候选人 (evaluated → candidates_publicised)."""
    project = party_project(session, actor, project_id)
    checked = lifecycle.check(project, "publicise_candidates", actor)
    if not base.needs_publicity(project):
        raise Conflict("本项目适用的规则不要求公示中标候选人，招标人（采购人）可直接确定中标人")
    row = base.require(session, project)
    today = clock.today_local()
    period = base.rule(project, "candidate_publicity_period")
    end = base.track(session, project, base.PUBLICITY_END, today, period)
    row.publicity_end_id, row.publicised_at = end, clock.now()
    if row.publicity_due_id is not None:
        calendar.close(session, row.publicity_due_id)
    until = session.get(TrackedDeadline, end).due
    title, body = notice(session, project, until)
    lifecycle.apply(
        session,
        project,
        checked,
        actor,
        document_ref=f"results:{project.id}",
        payload={"report_received_on": row.report_received_on.isoformat(), "publicity_until": until.isoformat()},
        publication=lifecycle.Publication(
            title=title,
            body_html=body,
            source_ref=f"results:candidates:{project.id}",
            author_id=actor.user_id,
            hold="queue",
            since=row.report_received_on,
        ),
    )
    return project


# --------------------------------------------------------------------------- objections


def objections(session: Session, project: Project) -> list[hooks.ResultObjectionView]:
    return hooks.objections(session, project)


def pending(session: Session, project: Project) -> list[hooks.ResultObjectionView]:
    return hooks.pending(session, project)


def require_none_pending(session: Session, project: Project) -> None:
    waiting = pending(session, project)
    if waiting:
        raise ObjectionPending(
            f"有{len(waiting)}件对评标结果的异议尚未答复；招标人作出答复前，应当暂停招标投标活动，不能确定中标人"
            "（《中华人民共和国招标投标法实施条例》第五十四条）",
            objections=[o.id for o in waiting],
        )


def may_object(actor: Principal) -> bool:
    """Bidders and other interested parties (利害关系人) speak through a market participant's account."""
    return actor.organisation_id is not None and bool(actor.roles & {Role.BIDDER, Role.ENTERPRISE_ADMIN})


def check_open(session: Session, project: Project) -> None:
    """An objection to the evaluation result is filed during the candidates' publicity only (条例 第五十四条)."""
    row = base.result_of(session, project.id)
    if project.state != "candidates_publicised" or row is None or not in_period(session, row):
        raise PublicityNotOpen(
            "对评标结果的异议应当在中标候选人公示期间提出（《中华人民共和国招标投标法实施条例》第五十四条）"
        )


def may_read_objection(actor: Principal, organisation_id: int, project: Project) -> bool:
    return (
        actor.organisation_id == organisation_id
        or visibility.is_party(actor, project)
        or bool(actor.roles & {Role.CENTRE_STAFF, Role.SUPERVISOR})
    )


def raise_overdue(session: Session) -> list[str]:
    """The tick: an alert, once, for each objection not answered by its day, and each publicity not published by
    its day (条例 第五十四条)."""
    today = clock.today_local()
    raised = []
    for deadline in calendar.open_deadlines(session):
        if deadline.purpose not in (base.PUBLICITY_DUE, base.DECIDE_DUE, base.NOTICE_DUE):
            continue
        if deadline.due >= today:
            continue
        project = session.scalar(select(Project).where(Project.code == deadline.subject.split(":", 1)[1]))
        if project is None:
            continue
        subject_kind, subject_id = "project", project.id
        alert = alerts.raise_once(
            session,
            key=f"results:{deadline.id}",
            domain="results",
            kind="alert",
            subject_kind=subject_kind,
            subject_id=subject_id,
            message=f"“{project.name}”逾期未{deadline.purpose}（期限{deadline.due.isoformat()}）",
            audience=[Role.CENTRE_STAFF.value, Role.SUPERVISOR.value],
            organisation_id=project.tenderer_id,
            due=deadline.due,
            deadline_id=deadline.id,
        )
        if alert is not None:
            raised.append(alert.key)
    return raised


def organisation_name(session: Session, organisation_id: int) -> str:
    org = session.get(Organisation, organisation_id)
    return org.name if org is not None else ""
