"""The steps of the trading kernel itself — registration and acceptance, notices, the deadline, suspension,
resumption and termination — declared with their guards, and trading's own after-step hooks: the
termination notice and the refund of paid deposits when a project ends. Loaded by ``sunshine.domains``."""

from __future__ import annotations

from sunshine.core import clock
from sunshine.identity.roles import Role
from sunshine.signing import service as signing
from sunshine.trading import deposits, notice_schedule, notices, service
from sunshine.trading.lifecycle import (
    AGENCY_SIDE,
    ANY_ACTIVE,
    CENTRE,
    PREVIOUS,
    SAME,
    Step,
    StepEvent,
    after_step,
    declare,
)
from sunshine.trading.models import Message

declare(
    Step(
        "register",
        "进场登记",
        frozenset({"new"}),
        "registered",
        AGENCY_SIDE,
        rule="项目须由招标人/采购人或其委托的代理机构登记",
    )
)
declare(
    Step(
        "resubmit",
        "修改后重新提交",
        frozenset({"returned"}),
        "registered",
        AGENCY_SIDE,
        rule="仅被退回的项目可以重新提交",
    )
)
declare(Step("accept", "交易中心受理", frozenset({"registered"}), "accepted", CENTRE, rule="仅待受理的项目可以受理"))
declare(
    Step(
        "return",
        "交易中心退回",
        frozenset({"registered"}),
        "returned",
        CENTRE,
        reason_required=True,
        rule="仅待受理的项目可以退回，且须说明理由",
    )
)
declare(
    Step(
        "publish_notice",
        "发布公告",
        frozenset({"accepted"}),
        "notice_published",
        AGENCY_SIDE,
        guard=notice_schedule.guard_first_notice,
        ledger_kind="trading:notice:published",
        discloses="trading.notice",
        rule="项目受理后方可发布公告，且时限须符合规则包",
    )
)
declare(
    Step(
        "amend_notice",
        "发布澄清/更正公告",
        frozenset({"notice_published"}),
        SAME,
        AGENCY_SIDE,
        guard=notice_schedule.guard_amendment,
        ledger_kind="trading:notice:published",
        discloses="trading.amendment",
        rule="公告发布后、截止前方可澄清或更正",
    )
)
declare(
    Step(
        "close_bidding",
        "截止",
        frozenset({"notice_published"}),
        "bid_closed",
        frozenset({Role.CENTRE_STAFF}),
        guard=service.guard_deadline_passed,
        rule="截止时间到达后由系统或交易中心截止；截止前不得提前截止",
    )
)
declare(
    Step(
        "terminate",
        "终止",
        ANY_ACTIVE,
        "terminated",
        frozenset({Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR}),
        reason_required=True,
        discloses="trading.termination",
        rule="《招标投标法实施条例》第三十一条：终止招标应当及时发布公告",
    )
)
declare(
    Step(
        "suspend",
        "暂停",
        ANY_ACTIVE,
        "suspended",
        frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
        reason_required=True,
        discloses="trading.suspension",
        rule="进行中的项目可因投诉、监督等暂停",
    )
)
declare(
    Step(
        "resume",
        "恢复",
        frozenset({"suspended"}),
        PREVIOUS,
        frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
        rule="仅已暂停的项目可以恢复",
    )
)


def _refund_deposits(session, event: StepEvent) -> None:
    """A terminated project refunds every paid deposit in time (条例第五十七条; 87号令第三十八条)."""
    deposits.schedule_refunds_for_project(session, event.project, reason="项目终止", trigger_date=clock.today_local())


def install() -> None:
    after_step(["terminate"], notices.termination_notice)
    after_step(["terminate"], _refund_deposits)
    # refunds after the result (the steps are declared by the award letters and contracts, hooked by name)
    after_step(["issue_award_letters"], deposits.after_award_letters)
    after_step(["sign_contract"], deposits.after_contract)
    signing.on_change(_notify_key_change)
    from sunshine.trading import archive, records

    records.record_source("trading", "项目、公告与保证金", archive.contribution)  # the project record (archives)


def _notify_key_change(session, key, change: str, subject: str, body: str) -> None:  # noqa: ANN001
    """A change of a signing key is a 站内通知 to its organisation (signing sits below trading's messages)."""
    session.add(
        Message(
            organisation_id=key.organisation_id,
            subject=subject,
            body=body,
            link="/signing/keys",
            created_at=clock.now(),
        )
    )
