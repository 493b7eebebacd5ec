"""What the procedure domain plugs into the trading kernel: the catalogue check every project registration
passes (交易目录编码, ``trading.service.on_register``), the finance department's approval a retender under
another method needs (``trading.service.approves_method_change``), and the invitation round of a procurement
invitation tender (the steps after the prequalification: the draw of the invitees, 流标 when too few passed, the
invitation letters; the registration and participation checks; the hold on the opening; the draw's purpose).
Loaded by ``sunshine.domains``."""

from __future__ import annotations

from sunshine.procedure import catalogue, invitations, method_change, notify
from sunshine.trading import service as trading
from sunshine.trading.lifecycle import AGENCY_SIDE, CENTRE, SAME, Step, after_step, declare

TENDER = frozenset({"tender"})

declare(
    Step(
        "draw_invitees",
        "随机抽取受邀供应商",
        frozenset({"bid_closed"}),
        SAME,
        CENTRE,
        lifecycles=TENDER,
        guard=invitations.guard_draw,
        ledger_kind="procedure:invitation:draw-prepared",
        rule="《政府采购货物和服务招标投标管理办法》第十四条：从符合资格条件的供应商名单中随机抽取3家以上供应商",
    )
)
declare(
    Step(
        "fail_invitation",
        "流标（通过资格预审的供应商不足）",
        frozenset({"bid_closed"}),
        "failed",
        CENTRE,
        lifecycles=TENDER,
        reason_required=True,
        discloses="trading.opening",
        ledger_kind="procedure:invitation:failed",
        rule="通过资格预审的供应商少于规则包规定的最少受邀数量的，不能抽取并发出投标邀请书，项目流标并发布流标公告",
    )
)
declare(
    Step(
        "send_invitations",
        "发出投标邀请书",
        frozenset({"bid_closed"}),
        "notice_published",
        AGENCY_SIDE,
        lifecycles=TENDER,
        guard=invitations.guard_invite,
        ledger_kind="procedure:invitation:sent",
        rule="受邀供应商抽取完成后，向其发出投标邀请书；招标文件提供期限及投标截止时间须符合规则包",
    )
)


def install() -> None:
    from sunshine.bidding import hooks as bidding_hooks
    from sunshine.draws import purposes, reasons
    from sunshine.messaging import service as messaging
    from sunshine.trading import participation, registrations

    trading.on_register(catalogue.check_registration)
    trading.approves_method_change(method_change.approval_for)
    for code, label in invitations.REASONS.items():
        reasons.register(code, label)
    purposes.register(
        invitations.PURPOSE, invitations.PURPOSE_LABEL, on_drawn=invitations.on_drawn, names=invitations.names
    )
    messaging.register_kind(invitations.MESSAGE_KIND, "投标邀请书")
    messaging.register_kind(notify.KIND, notify.KIND_LABEL)
    registrations.registration_check(invitations.check_registration)
    participation.participation_check(invitations.check_participation)
    bidding_hooks.opening_hold(invitations.held)
    after_step(["publish_notice"], invitations.open_round)
    after_step(["finish_opening", "fail"], invitations.disclose_after_opening)
    after_step(["terminate"], invitations.cancel_open_draws)
