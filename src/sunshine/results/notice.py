"""中标（成交）结果公告: once every section's winner is determined the tenderer (purchaser) or its agency publishes
the result within ``result_notice_within`` of the decision (procurement: 2 working days, 87号令 第六十九条;
engineering: 平台默认值 in the pack), for ``result_notice_period`` where the pack sets one (procurement: 1 working
day), with the contents of 87号令 第六十九条: the purchaser and the agency, the project's name and number, each
winner with its address and amount, the main items, and the committee's names — public from now on (the
committees' after-step hook discloses the draws at 结果已公告). Step ``publish_result`` → ``result_published``.
Never commits."""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.content import sanitise
from sunshine.core.errors import Conflict
from sunshine.core.formatting import cn_day, yuan
from sunshine.evaluation.models import EvaluationMember
from sunshine.identity.models import Organisation
from sunshine.results import base, publicity, winners
from sunshine.trading import lifecycle
from sunshine.trading.models import Project, Section


def committee_names(session: Session, project: Project) -> dict[int, list[str]]:
    """Section id → the names of the committee's members who sat (recused members excluded)."""
    out = {}
    for ev in base.sessions(session, project.id):
        stmt = select(EvaluationMember.name).where(
            EvaluationMember.session_id == ev.id, EvaluationMember.state == "active"
        )
        out[ev.section_id] = list(session.scalars(stmt.order_by(EvaluationMember.id)))
    return out


def _org(session: Session, organisation_id: int | None) -> Organisation | None:
    return session.get(Organisation, organisation_id) if organisation_id else None


def text(session: Session, project: Project, until) -> tuple[str, str]:  # noqa: ANN001
    procurement = base.is_procurement(project)
    kind = "中标（成交）结果公告" if procurement else "中标结果公示"
    buyer, agency = _org(session, project.tenderer_id), _org(session, project.agency_id)
    names = committee_names(session, project)
    parts = [
        f"<p>项目名称：{html.escape(project.name)}；项目编号：{html.escape(project.code)}</p>",
        f"<p>{'采购人' if procurement else '招标人'}：{html.escape(buyer.name if buyer else '')}"
        + (f"（{html.escape(buyer.address)}）" if buyer and buyer.address else "")
        + (f"；代理机构：{html.escape(agency.name)}" if agency else "")
        + "</p>",
    ]
    for d in winners.decisions(session, project.id):
        section = session.get(Section, d.section_id)
        org = _org(session, d.organisation_id)
        address = html.escape(org.address) if org and org.address else "—"
        how = "，".join(x for x in (winners.REASON_LABELS.get(d.reason or "", ""),) if x)
        parts.append(
            f"<h3>第 {section.number} 标段（包）：{html.escape(section.name)}</h3>"
            "<table><tbody>"
            f"<tr><th>{'中标（成交）供应商' if procurement else '中标人'}</th><td>{html.escape(d.bidder)}</td></tr>"
            f"<tr><th>地址</th><td>{address}</td></tr>"
            f"<tr><th>{'中标（成交）金额' if procurement else '中标价'}（元）</th><td>{yuan(d.amount)}</td></tr>"
            f"<tr><th>主要标的</th><td>{html.escape(section.name)}（预算或估算 {yuan(section.estimate)} 元）</td></tr>"
            f"<tr><th>中标候选人排序</th><td>第{d.rank}名{('；' + html.escape(how)) if how else ''}</td></tr>"
            f"<tr><th>{'评审专家' if procurement else '评标委员会成员'}名单</th>"
            f"<td>{html.escape('、'.join(names.get(d.section_id, [])))}</td></tr>"
            "</tbody></table>"
        )
    if until is not None:
        parts.append(f"<p>公告期限：至 {cn_day(until)}（含当日）。</p>")
    parts.append(
        "<p>招标（采购）文件随本公告一并公开，见项目页面。对结果有疑问的，可依法提出异议（质疑）或向监督部门投诉。</p>"
    )
    return f"{project.name}{kind}"[:300], sanitise("".join(parts))


def publish(session: Session, actor: Principal, project_id: int) -> Project:
    """发布中标（成交）结果公告 (→ result_published)."""
    project = publicity.party_project(session, actor, project_id)
    checked = lifecycle.check(project, "publish_result", actor)
    row = base.require(session, project)
    publicity.require_none_pending(session, project)
    if winners.undecided(session, project) or row.decided_on is None:
        raise Conflict("尚有标段（包）未确定中标人，不能发布结果公告")
    today = clock.today_local()
    period = base.rule(project, "result_notice_period")
    until = calendar.compute(session, today, period[0], period[1]).due if period else None
    row.notice_published_at, row.notice_until = clock.now(), until
    if row.notice_due_id is not None:
        calendar.close(session, row.notice_due_id)
    title, body = text(session, project, until)
    lifecycle.apply(
        session,
        project,
        checked,
        actor,
        document_ref=f"results:{project.id}",
        payload={
            "decided_on": row.decided_on.isoformat(),
            "winners": [
                {"section": d.section_id, "winner": d.organisation_id, "amount": f"{d.amount:.2f}"}
                for d in winners.decisions(session, project.id)
            ],
        },
        publication=lifecycle.Publication(
            title=title,
            body_html=body,
            source_ref=f"results:notice:{project.id}",
            author_id=actor.user_id,
            hold="queue",
            since=row.decided_on,
        ),
    )
    return project
