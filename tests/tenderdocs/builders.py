"""Builders for tender-document tests: the centre's switch that holds first notices for filed documents, a
procurement template with its mandatory clauses, documents made ready (drafted, confirmed, filed) through the
services, and the drawn reviewers confirming their calls. Keyword defaults everywhere."""

from __future__ import annotations

from sunshine.committees import calling
from sunshine.core.auth import Principal
from sunshine.db import Database
from sunshine.identity.roles import Role
from sunshine.rules import service as rules
from sunshine.tenderdocs import service

CLAUSES = [
    ("invitation", "投标邀请", True),
    ("qualification", "投标人资格要求", True),
    ("invalid_bids", "无效投标条款", True),
    ("evaluation_method", "评标方法和标准", True),
    ("contract_terms", "合同主要条款", True),
    ("samples", "样品要求", False),
]
FILLED = {
    "invitation": "兹邀请合格供应商参加投标。",
    "qualification": "具有独立承担民事责任的能力；近三年无重大违法记录。",
    "invalid_bids": "未按要求密封、未提交投标保证金的，投标无效。",
    "evaluation_method": "综合评分法：价格30分，技术50分，商务20分。",
    "contract_terms": "交货期30日；验收合格后支付全款。",
}


def switch_on(db: Database, centre: Principal) -> None:
    """The centre switches the platform check on: projects registered from now on wait for filed documents."""
    with db.unit_of_work() as s:
        rules.set_override(
            s,
            actor=centre,
            key="centre.service",
            rule_id=service.CENTRE_RULE,
            value=1,
            reason="闽财采〔2026〕1号：招标文件范本库已启用",
        )


def template(db: Database, centre: Principal, *, transaction_type: str = "gov_procurement") -> int:
    with db.unit_of_work() as s:
        return service.create_template(
            s,
            centre,
            transaction_type=transaction_type,
            name="政府采购货物和服务招标文件范本",
            clauses=[service.Clause(k, t, m) for k, t, m in CLAUSES],
        ).id


def make_ready(db: Database, w: dict, project_id: int, *, template_id: int | None = None) -> None:
    """Draft from the template, the purchaser's confirmation, the filing (a project under the review threshold)."""
    template_id = template_id or template(db, w["centre"])
    with db.unit_of_work() as s:
        service.draft(s, w["agency"], project_id, template_id=template_id, clauses=FILLED)
    with db.unit_of_work() as s:
        service.confirm(s, w["tenderer"], project_id)
    with db.unit_of_work() as s:
        service.file(s, w["agency"], project_id)


def confirm_reviewers(db: Database, pool: list[dict], request_id: int) -> list[dict]:
    """The experts a ``doc_review`` draw called confirm their calls; their pool entries, in call order."""
    by_id = {e["id"]: e for e in pool}
    with db.unit_of_work() as s:
        calls = [(c.id, c.expert_id) for c in calling.calls_of(s, request_id)]
    out = []
    for call_id, expert_id in calls:
        e = by_id[expert_id]
        with db.unit_of_work() as s:
            who = Principal(user_id=e["user_id"], username=e["username"], roles=frozenset({Role.EXPERT}))
            calling.confirm(s, who, call_id)
        out.append(e)
    return out
