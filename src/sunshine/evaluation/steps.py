"""The steps the evaluation adds to the sealed-bid lifecycles: 评审结束 (every section's report signed, for the
results to take over) and 评审失败 (流标: fewer than three valid bids in procurement, or every bid rejected in a
tender — to the existing re-tender path). Taken by ``evaluation.closing`` when the last section's session ends.
At ``install``: observer seats (``watching``), the opening's check of its people (``attendance``), the seal
taken after either step (``sealing``) and the original committee's re-evaluation after ``complaint_reevaluate`` or
the purchaser's own ``purchaser_reevaluate`` (``reevaluation``, ``purchaser``). Loaded by ``sunshine.domains``."""

from __future__ import annotations

from sunshine.bidding import hooks as bidding_hooks
from sunshine.core import labels
from sunshine.evaluation import attendance, purchaser, reevaluation, report, sealing, watching
from sunshine.identity.roles import Role
from sunshine.messaging import service as messaging
from sunshine.trading.lifecycle import AGENCY_SIDE, SEALED_LIFECYCLES, Step, after_step, declare

# The session's last act may be a member's signature (an expert, a representative) or the staff's record.
SESSION_ROLES = frozenset({Role.EXPERT, Role.CENTRE_STAFF, Role.TENDERER, Role.AGENCY})

declare(
    Step(
        "finish_evaluation",
        "评审结束",
        frozenset({"evaluation"}),
        "evaluated",
        SESSION_ROLES,
        lifecycles=SEALED_LIFECYCLES,
        ledger_kind="evaluation:project:evaluated",
        rule="《招标投标法实施条例》第五十三条：评标完成后，评标委员会应当向招标人提交书面评标报告和中标候选人名单",
    )
)
declare(
    Step(
        "fail_evaluation",
        "评审失败（流标）",
        frozenset({"evaluation"}),
        "failed",
        SESSION_ROLES,
        lifecycles=SEALED_LIFECYCLES,
        reason_required=True,
        ledger_kind="evaluation:project:failed",
        rule=(
            "《政府采购法》第三十六条：符合专业条件的供应商或者对招标文件作实质响应的供应商不足三家的，应予废标；"
            "《招标投标法》第四十二条：评标委员会否决所有投标的，招标人应当依法重新招标"
        ),
    )
)

declare(
    Step(
        purchaser.STEP,
        "采购人（采购代理机构）组织原评标委员会重新评审",
        # the states after a contract are listed so that the guard refuses them with the rule (409), not silence
        frozenset({"evaluated", "result_published", "awarded", "contracted", "performing", "performance_accepted"}),
        "evaluation",
        AGENCY_SIDE,
        lifecycles=SEALED_LIFECYCLES,
        guard=purchaser.guard,
        reason_required=True,
        ledger_kind="evaluation:project:reevaluate",
        rule=reevaluation.config()["purchaser"]["basis"],
    )
)


def install() -> None:
    messaging.register_kind("evaluation_query", "评标委员会问询（澄清、异常低价说明）")
    watching.install()  # observer seats at a session (observers' kind "evaluation_session")
    bidding_hooks.opening_person_check(attendance.check_opening_person)  # 评委不参加开标会
    after_step(["finish_evaluation", "fail_evaluation"], sealing.seal_on_end)  # 就地封存
    # 重新评审 ordered by an upheld objection, challenge or complaint (the complaints' step, named, not imported)
    # and by the purchaser or its agency itself (87号令 第六十四条)
    after_step(["complaint_reevaluate", purchaser.STEP], reevaluation.reopen_on_step)
    labels.register_events(reevaluation.EVENTS | purchaser.EVENTS)
    report.on_final(purchaser.on_final)  # a changed result of a purchaser's round: owed to the finance department
    from sunshine.evaluation import archive
    from sunshine.trading import records

    records.record_source("evaluation", "评标（评审）", archive.contribution)  # the project record (archives)
