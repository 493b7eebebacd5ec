"""What a reader sees of monitoring alerts: the list with filters and counts, one alert with its evidence; the
hashed identifiers and addresses (``restricted``) only for the supervisory department."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.models import Alert
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity.roles import Role
from sunshine.monitoring import service
from sunshine.monitoring.models import AlertFinding as Finding
from sunshine.monitoring.ruleset import pack
from sunshine.trading.models import Project

STATUSES = {"pending": "待处理", "confirmed": "已确认", "dismissed": "已排除"}
EVIDENCE_LABELS = {
    "project_code": "项目编号",
    "section": "标段",
    "flagged": "涉及投标人",
    "bid_nos": "投标文件编号",
    "difference": "差值（比例）",
    "fence": "阈值（四分位距界限或配置值）",
    "price": "报价（元）",
    "deadline": "投标截止时间（UTC）",
    "starts": "招标文件发出（UTC）",
    "ends": "投标截止（UTC）",
    "days": "天数",
    "threshold": "阈值",
    "tenderer": "投标人",
    "valid_bids": "有效投标次数",
    "wins": "中标次数",
    "top_bids_from": "投标次数第 75 百分位",
    "group": "统计对象",
    "organisation": "单位",
    "disqualified": "被否决投标",
    "submitted": "投标总数",
    "awards": "中标数",
    "hhi": "HHI",
    "shares": "中标金额份额",
    "loser": "未中标人",
    "winner": "中标人",
    "projects": "项目",
    "subject": "事项",
    "purpose": "期限内容",
    "rule_ref": "规则",
    "start": "起算日",
    "unit": "计算单位",
    "due": "届满日",
    "days_overdue": "逾期天数",
    "previous": "上一环节",
    "this": "本环节",
    "suspended_at": "暂停时间（UTC）",
    "step": "环节",
    "at": "时间（UTC）",
    "seq": "留痕序号",
    "bid_no": "投标文件编号",
    "submitted_at": "递交时间（UTC）",
}


def view(alert: Alert, finding: Finding, actor: Principal, project: Project | None = None) -> dict[str, Any]:
    rules = pack().by_id()
    rule = rules.get(finding.rule_id)
    return {
        "id": alert.id,
        "rule_id": finding.rule_id,
        "rule_title": rule.title if rule else finding.rule_id,
        "severity": finding.severity,
        "severity_label": rule.severity_label if rule else finding.severity,
        "message": alert.message,
        "project_id": finding.project_id,
        "project_code": project.code if project else None,
        "subject_kind": alert.subject_kind,
        "subject_id": alert.subject_id,
        "value": finding.value,
        "found_at": finding.found_at,
        "evidence": json.loads(finding.evidence_json),
        "restricted": json.loads(finding.restricted_json)
        if finding.restricted_json and actor.has(Role.SUPERVISOR)
        else None,
        "decision": finding.decision,
        "decision_label": service.DECISIONS.get(finding.decision) if finding.decision else None,
        "decision_note": finding.decision_note,
        "decided_at": finding.decided_at,
        "decision_ledger_seq": finding.decision_ledger_seq,
    }


def listing(
    session: Session, actor: Principal, *, status: str | None = None, rule_id: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    stmt = (
        select(Alert, Finding, Project)
        .join(Finding, Finding.alert_id == Alert.id)
        .outerjoin(Project, Project.id == Finding.project_id)
        .order_by(Finding.found_at.desc(), Alert.id.desc())
        .limit(limit)
    )
    if status == "pending":
        stmt = stmt.where(Finding.decision.is_(None))
    elif status in ("confirmed", "dismissed"):
        stmt = stmt.where(Finding.decision == status)
    if rule_id:
        stmt = stmt.where(Finding.rule_id == rule_id)
    return [view(a, f, actor, p) for a, f, p in session.execute(stmt)]


LIST_ORDER = Keyset.of("monitoring-alerts", Key(Finding.found_at), Key(Alert.id))


def page(
    session: Session,
    actor: Principal,
    *,
    status: str | None = None,
    rule_id: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[dict[str, Any]]:
    """``listing`` one page at a time."""
    stmt = (
        select(Alert, Finding, Project)
        .join(Finding, Finding.alert_id == Alert.id)
        .outerjoin(Project, Project.id == Finding.project_id)
    )
    if status == "pending":
        stmt = stmt.where(Finding.decision.is_(None))
    elif status in ("confirmed", "dismissed"):
        stmt = stmt.where(Finding.decision == status)
    if rule_id:
        stmt = stmt.where(Finding.rule_id == rule_id)
    rows = paginate(session, stmt, LIST_ORDER, cursor=cursor, limit=limit)
    return Page([view(a, f, actor, p) for a, f, p in rows.items], rows.next_cursor, rows.limit, rows.number)


def one(session: Session, actor: Principal, alert_id: int) -> dict[str, Any]:
    alert, finding = service.get(session, alert_id)
    project = session.get(Project, finding.project_id) if finding.project_id else None
    return view(alert, finding, actor, project)


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Finding.decision, func.count(Finding.id)).group_by(Finding.decision)).all()
    out = {"pending": 0, "confirmed": 0, "dismissed": 0}
    for decision, n in rows:
        out[decision or "pending"] = n
    out["total"] = sum(out.values())
    return out
