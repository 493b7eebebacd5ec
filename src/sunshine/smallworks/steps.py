"""The steps the small-works fixed-price draw adds to the ``draw`` lifecycle after the registration deadline:
the centre prepares the contractor draw (抽取中), the result is published when the draw is finished (抽取结果
公示中), a decline of the drawn contractor brings in the reserve (a new publication), and after the publicity
period the result is determined (抽取结果已确定); too few qualified registrants, or nobody left to call, is
流标. Loaded by ``sunshine.domains``, which also calls ``install``."""

from __future__ import annotations

from sunshine.trading.lifecycle import CENTRE, SAME, Step, after_step, declare

DRAW = frozenset({"draw"})

declare(
    Step(
        "prepare_draw",
        "组织随机抽取承包人",
        frozenset({"bid_closed"}),
        "opening",
        CENTRE,
        lifecycles=DRAW,
        ledger_kind="smallworks:draw:prepared",
        rule="报名截止后，交易中心在合格报名人中以固定价随机抽取承包人，合格报名人不少于规则包规定的最少人数",
    )
)
declare(
    Step(
        "publish_draw_result",
        "公示抽取结果",
        frozenset({"opening"}),
        "candidates_publicised",
        CENTRE,
        lifecycles=DRAW,
        discloses="trading.draw_result",
        ledger_kind="smallworks:result:published",
        rule="抽取完成后即公开抽取记录并公示中选承包人和备选承包人",
    )
)
declare(
    Step(
        "replace_contractor",
        "中选人放弃或不符合条件，备选人递补",
        frozenset({"candidates_publicised"}),
        SAME,
        CENTRE,
        lifecycles=DRAW,
        reason_required=True,
        discloses="trading.draw_result",
        ledger_kind="smallworks:result:replaced",
        rule="结果确定前中选人放弃或被查实不符合条件的，按同一抽取顺序由备选人递补，并重新公示",
    )
)
declare(
    Step(
        "determine_draw_result",
        "公示期满，抽取结果确定",
        frozenset({"candidates_publicised"}),
        "result_published",
        CENTRE,
        lifecycles=DRAW,
        ledger_kind="smallworks:result:determined",
        rule="抽取结果公示期满无异议的，抽取结果确定，进入合同签订",
    )
)
declare(
    Step(
        "fail_draw",
        "流标",
        frozenset({"bid_closed", "opening", "candidates_publicised"}),
        "failed",
        CENTRE,
        lifecycles=DRAW,
        reason_required=True,
        discloses="trading.draw_failed",
        ledger_kind="smallworks:draw:failed",
        rule="合格报名人少于规则包规定的最少人数，或中选人与备选人均放弃、不符合条件的，流标，并发布流标公告",
    )
)


def install() -> None:
    from sunshine.draws import purposes, reasons
    from sunshine.smallworks import candidates, outcomes, service
    from sunshine.trading import section_details

    outcomes.install()  # the drawn contractors as the section winners (trading.outcomes)

    for code, label in candidates.REASONS.items():
        reasons.register(code, label)
    purposes.register(
        service.PURPOSE,
        service.PURPOSE_LABEL,
        on_drawn=service.on_drawn,
        on_outcome=service.on_outcome,
        names=service.names,
    )
    section_details.section_details(service.section_lines)
    after_step(["resume"], service.after_resume)
    after_step(["sign_contract"], service.after_contract)  # the draw's own contract deadline ends at the signing
