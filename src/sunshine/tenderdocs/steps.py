"""What tender documents plug into the lifecycle at ``domains.install()``: their steps (drafted, confirmed, filed,
change ordered — each with its ledger entry and a place on the project's timeline; the reviewers' opinions have
their own ledger entries, ``opinions``), the hook that holds the first notice until the documents are ready, the
message asking the holders of the documents to acknowledge each change, and the reviewers' tasks on the expert's
workbench."""

from __future__ import annotations

from sunshine.committees import workbench_tasks
from sunshine.identity.roles import Role
from sunshine.messaging import service as messaging
from sunshine.tenderdocs import acks, opinions, service
from sunshine.trading import lifecycle
from sunshine.trading.lifecycle import AGENCY_SIDE, SAME, SEALED_LIFECYCLES, Step, declare

BEFORE_AND_DURING = frozenset({"registered", "accepted", "notice_published"})

declare(
    Step(
        "draft_tender_docs",
        "编制招标文件",
        BEFORE_AND_DURING,
        SAME,
        AGENCY_SIDE,
        lifecycles=SEALED_LIFECYCLES,
        rule="《福建省省级政府采购货物和服务招标项目实施指引》二（一）：按照编制指引和范本编制招标文件",
        ledger_kind="tenderdocs:document:drafted",
    )
)
declare(
    Step(
        "confirm_tender_docs",
        "采购人审核确认招标文件",
        BEFORE_AND_DURING,
        SAME,
        frozenset({Role.TENDERER}),
        lifecycles=SEALED_LIFECYCLES,
        rule=service.BASIS_CONFIRM,
        ledger_kind="tenderdocs:document:confirmed",
    )
)
declare(
    Step(
        "file_tender_docs",
        "招标文件送财政部门备案",
        BEFORE_AND_DURING,
        SAME,
        AGENCY_SIDE,
        lifecycles=SEALED_LIFECYCLES,
        rule=service.BASIS_FILE,
        ledger_kind="tenderdocs:document:filed",
    )
)
declare(
    Step(
        "order_docs_change",
        "财政部门责令修改招标文件",
        frozenset({"accepted", "notice_published"}),
        SAME,
        frozenset({Role.SUPERVISOR}),
        lifecycles=SEALED_LIFECYCLES,
        reason_required=True,
        rule=service.BASIS_FILE,
        ledger_kind="tenderdocs:document:change_ordered",
    )
)


def install() -> None:
    messaging.register_kind(acks.MESSAGE_KIND, "招标文件澄清/变更签收")
    lifecycle.after_step(["publish_notice"], service.require_ready)
    lifecycle.after_step(["amend_notice"], acks.notify_holders)
    workbench_tasks.register(opinions.awaiting)
