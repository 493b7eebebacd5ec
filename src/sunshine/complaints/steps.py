"""The statutory outcomes of an upheld objection, challenge or complaint as lifecycle steps, each with its ledger
entry (94号令 第十六条、第三十一条、第三十二条; 条例 第五十五条, 第七十一条 and 第八十一条 through the department's
decision): 重新评审 (back to 评审中), 另行确定中标（成交）供应商 (the next candidate; the state stays), 重新招标
(the project ends as failed so that the kernel's ``retender`` registers it anew), 中标（成交）结果无效/合同无效
(likewise). ``install`` adds the project page's link to its cases and the inbox message kind."""

from __future__ import annotations

from sunshine.evaluation.reevaluation import guard_after_award
from sunshine.identity.roles import Role
from sunshine.trading.lifecycle import SAME, SEALED_LIFECYCLES, Step, declare

#: the tenderer (purchaser) acting on its own answer, the supervisory department on its decision
DECIDERS = frozenset({Role.TENDERER, Role.AGENCY, Role.SUPERVISOR})
AFTER_EVALUATION = frozenset({"evaluated", "candidates_publicised", "result_published", "awarded"})

declare(
    Step(
        "complaint_reevaluate",
        "依异议、质疑或投诉处理结果重新评审",
        # after a contract: 94号令 第三十二条 (signed, unperformed: revoked; performed: refused), the guard says which
        AFTER_EVALUATION | {"contracted", "performing", "performance_accepted"},
        "evaluation",
        DECIDERS,
        lifecycles=SEALED_LIFECYCLES,
        guard=guard_after_award,
        reason_required=True,
        ledger_kind="complaints:project:reevaluate",
        rule="《政府采购质疑和投诉办法》第十六条、第三十一条；《中华人民共和国招标投标法实施条例》第七十一条：评审结果违法的，依法重新评审",
    )
)
declare(
    Step(
        "complaint_next_candidate",
        "依异议、质疑或投诉处理结果另行确定中标（成交）供应商",
        AFTER_EVALUATION,
        SAME,
        DECIDERS,
        lifecycles=SEALED_LIFECYCLES,
        reason_required=True,
        ledger_kind="complaints:section:next-candidate",
        rule="《政府采购质疑和投诉办法》第十六条、第三十一条：合格供应商符合法定数量时，可以从合格的中标或者成交候选人中另行确定",
    )
)
declare(
    Step(
        "complaint_retender",
        "依异议、质疑或投诉处理结果重新招标（重新开展采购活动）",
        frozenset({"notice_published", "bid_closed", "opening", "evaluation"}) | AFTER_EVALUATION,
        "failed",
        DECIDERS,
        lifecycles=SEALED_LIFECYCLES,
        reason_required=True,
        ledger_kind="complaints:project:retender",
        rule="《政府采购质疑和投诉办法》第十六条、第三十一条；《中华人民共和国招标投标法实施条例》第八十一条",
    )
)
declare(
    Step(
        "complaint_void_contract",
        "依投诉处理决定认定中标（成交）结果无效、合同无效或撤销合同",
        frozenset({"result_published", "awarded", "contracted", "performing"}),
        "failed",
        frozenset({Role.SUPERVISOR}),
        lifecycles=SEALED_LIFECYCLES,
        reason_required=True,
        ledger_kind="complaints:project:void",
        rule="《政府采购质疑和投诉办法》第三十二条；《中华人民共和国招标投标法》第六十四条",
    )
)


def complaints_link(session, principal, project) -> list[tuple[str, str]]:  # noqa: ANN001
    """The project page links to its cases for the parties and the department, once there is one."""
    from sqlalchemy import select

    from sunshine.complaints import visibility
    from sunshine.complaints.models import ComplaintCase

    stmt = select(ComplaintCase.id).where(
        ComplaintCase.project_id == project.id, visibility.readable(principal, session)
    )
    if principal.is_authenticated and session.scalar(stmt.limit(1)) is not None:
        return [("异议、质疑与投诉", f"/projects/{project.id}/complaints")]
    return []


def install() -> None:
    from sunshine.complaints import credit as complaints_credit
    from sunshine.complaints import objections
    from sunshine.credit import hooks as credit_hooks
    from sunshine.messaging import service as messaging
    from sunshine.trading import project_links

    messaging.register_kind("complaint", "异议、质疑、投诉的答复与处理决定")
    objections.install()  # the opening record and the results read their objections from here
    credit_hooks.source("complaints", complaints_credit.source)  # complaints lost count in the ratings
    project_links.project_links(complaints_link)
