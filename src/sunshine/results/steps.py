"""The steps the results add to the sealed-bid lifecycles after 评审结束: 公示中标候选人 (evaluated →
candidates_publicised, where the pack requires it), 确定中标人 (state unchanged, one per section), 发布中标（成交）
结果公告 (→ result_published, where the award steps of another domain take over). Loaded by ``sunshine.domains``,
which also calls ``install``: the project's result clocks start when the evaluation ends, and the decided winners
are registered with ``trading.outcomes``."""

from __future__ import annotations

from sunshine.evaluation import reevaluation as evaluation_reevaluation
from sunshine.evaluation import report as evaluation_report
from sunshine.identity.roles import Role
from sunshine.results import base
from sunshine.trading.lifecycle import AGENCY_SIDE, SAME, SEALED_LIFECYCLES, Step, after_step, declare

OPEN = frozenset({"evaluated", "candidates_publicised"})

declare(
    Step(
        "publicise_candidates",
        "公示中标候选人",
        frozenset({"evaluated"}),
        "candidates_publicised",
        AGENCY_SIDE,
        lifecycles=SEALED_LIFECYCLES,
        discloses="trading.candidates",
        ledger_kind="results:project:candidates-publicised",
        rule="《中华人民共和国招标投标法实施条例》第五十四条：招标人应当自收到评标报告之日起3日内公示中标候选人，公示期不得少于3日",
    )
)
declare(
    Step(
        "determine_winner",
        "确定中标人",
        OPEN,
        SAME,
        frozenset({Role.TENDERER, Role.CENTRE_STAFF}),  # the centre's role: the tick's deemed choice only
        lifecycles=SEALED_LIFECYCLES,
        ledger_kind="results:section:winner-determined",
        rule=(
            "《中华人民共和国招标投标法实施条例》第五十五条；《政府采购货物和服务招标投标管理办法》第六十八条："
            "招标人（采购人）在评标报告推荐的中标候选人中按顺序确定中标人"
        ),
    )
)
declare(
    Step(
        "publish_result",
        "发布中标（成交）结果公告",
        OPEN,
        "result_published",
        AGENCY_SIDE,
        lifecycles=SEALED_LIFECYCLES,
        discloses="trading.result",
        ledger_kind="results:project:result-published",
        rule="《政府采购货物和服务招标投标管理办法》第六十九条：自中标人确定之日起2个工作日内公告中标结果；《中华人民共和国招标投标法》第四十五条",
    )
)


def start_clocks(session, event) -> None:  # noqa: ANN001
    """评审结束: the result clocks start where every report has reached the tenderer (else the tick starts them)."""
    base.ensure(session, event.project)


def results_link(session, principal, project) -> list[tuple[str, str]]:  # noqa: ANN001
    """The project page links to the results page once the evaluation ended (评审结束 or later)."""
    from sunshine.results import visibility

    if project.state not in {"evaluated"} | visibility.PUBLISHED_STATES or not base.sessions(session, project.id):
        return []
    return [("评标结果（中标候选人、异议与结果公告）", f"/projects/{project.id}/results")]


def install() -> None:
    from sunshine.messaging import service as messaging
    from sunshine.results import corrections, winners
    from sunshine.trading import outcomes, project_links

    messaging.register_kind("result_objection", "对评标结果的异议及答复")
    outcomes.winner_source(winners.winner_source)
    after_step(["finish_evaluation"], start_clocks)
    # 重新评审: the published result is withdrawn by a correction notice, the old report's clocks and winners retire
    evaluation_reevaluation.on_reopened(corrections.withdraw_on_reopened)
    project_links.project_links(results_link)
    from sunshine.results import archive
    from sunshine.trading import records

    records.record_source("results", "评标结果", archive.contribution)  # the project record (archives)
    evaluation_report.on_delivered(base.ensure)
