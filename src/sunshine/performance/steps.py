"""The steps contract performance adds to every lifecycle that reaches 合同已签订: ``start_performance`` (→ 履约中,
taken when the first payment schedule is recorded) and ``accept_performance`` (→ 履约验收合格, taken when every
contract of the project passed its acceptance, disclosing the catalog's ``trading.performance`` items). ``install``
wires the hooks: the performance security awaits the winner after ``sign_contract``; the written report's 15 days
start at ``determine_winner``; the local pack's hold on the winner's deposit refund (seed 003); the payer of a
performance security's sub-account for the payment channel; the inbox kind; the project page's links. Loaded by
``sunshine.domains``."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.trading.lifecycle import AGENCY_SIDE, Step, after_step, declare

declare(
    Step(
        "start_performance",
        "开始履约（登记付款计划）",
        frozenset({"contracted"}),
        "performing",
        AGENCY_SIDE,
        ledger_kind="performance:started",
        rule="合同签订后，招标人（采购人）登记合同约定的付款计划，合同进入履行阶段",
    )
)
declare(
    Step(
        "accept_performance",
        "履约验收合格",
        frozenset({"contracted", "performing"}),
        "performance_accepted",
        AGENCY_SIDE,  # in the name of the organiser, when the last member of the acceptance signs
        discloses="trading.performance",  # ZC.JG.03 履约验收结果; GC.JG.03 合同履行及变更信息
        ledger_kind="performance:accepted",
        rule="采购人或者其委托的采购代理机构应当组织对供应商履约的验收，验收方成员应当在验收书上签字"
        "（《中华人民共和国政府采购法》第四十一条；《中华人民共和国政府采购法实施条例》第四十五条）",
    )
)


def _payer(session, reference: str):  # noqa: ANN001, ANN202
    from sunshine.identity.models import Organisation
    from sunshine.performance.models import PerformanceSecurity

    return session.scalar(
        select(Organisation)
        .join(PerformanceSecurity, PerformanceSecurity.provider_id == Organisation.id)
        .where(PerformanceSecurity.form == "money", PerformanceSecurity.channel_ref == reference)
    )


def install() -> None:
    from sunshine.credit import hooks as credit_hooks
    from sunshine.messaging import service as messaging
    from sunshine.performance import credit as performance_credit
    from sunshine.performance import report, security
    from sunshine.trading import deposits, payments, project_links

    messaging.register_kind(security.MESSAGE_KIND, "合同履约")
    after_step(["sign_contract"], security.after_contract)
    after_step(["determine_winner"], report.after_winner)
    deposits.refund_hold(security.hold_winner_refund)
    payments.register_payer(_payer)
    project_links.project_links(links)
    credit_hooks.source("performance", performance_credit.source)  # acceptances count in the winner's rating


def links(session, principal, project) -> list[tuple[str, str]]:  # noqa: ANN001
    """The project page links to each contract's performance and to the written report, for those who may read."""
    from sunshine.awards import contracts
    from sunshine.performance import report

    out = []
    if project.state in ("contracted", "performing", "performance_accepted", "closed"):
        for c in contracts.of_project(session, principal, project.id)[1]:
            out.append((f"合同履约与验收（{c.number}）", f"/contracts/{c.id}/performance"))
    if report.of_project(session, project.id) is not None and report.may_read(principal, project):
        out.append(("招标投标情况书面报告", f"/projects/{project.id}/tender-report"))
    return out
