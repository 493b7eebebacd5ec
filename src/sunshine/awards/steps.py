"""The step award letters add to every lifecycle that reaches 结果已公告 (tender, negotiation, single source,
listing, auction, draw): ``issue_award_letters`` (结果已公告 → 已发出中标通知书), taken by the tenderer or its agency
once every letter is sealed. ``install`` registers the letter as a sealable document (seals registry) and the
inbox message kind. Loaded by ``sunshine.domains``."""

from __future__ import annotations

from sunshine.identity.roles import Role
from sunshine.trading.lifecycle import AGENCY_SIDE, Step, after_step, declare, label_states

declare(
    Step(
        "issue_award_letters",
        "发出中标（成交）通知书和结果通知书",
        frozenset({"result_published"}),
        "awarded",
        AGENCY_SIDE,
        ledger_kind="awards:letters:issued",
        rule="中标（成交）人确定后，招标人（采购人）向中标（成交）人发出中标（成交）通知书，同时将结果通知所有未中标的投标人"
        "（《中华人民共和国招标投标法》第四十五条；《政府采购货物和服务招标投标管理办法》第六十九条）",
    )
)
declare(
    Step(
        "sign_contract",
        "合同签订",
        frozenset({"awarded"}),
        "contracted",
        frozenset({Role.TENDERER, Role.BIDDER}),  # taken by the side that signs last
        discloses="trading.contract",  # 合同订立信息 / 政府采购合同 (采购条例 第五十条: within 2 working days)
        ledger_kind="awards:contracts:signed",
        rule="招标人（采购人）和中标（成交）人应当自中标（成交）通知书发出之日起三十日内，按照招标文件和中标人的投标文件"
        "订立书面合同（《中华人民共和国招标投标法》第四十六条；《中华人民共和国政府采购法》第四十六条）",
    )
)
for _auctioned in ("listing", "auction"):
    label_states(_auctioned, {"awarded": "已签发成交确认书"})
label_states("draw", {"awarded": "已发出中选通知书"})


def install() -> None:
    from sunshine.awards import contracts, letters
    from sunshine.messaging import service as messaging
    from sunshine.seals import registry
    from sunshine.trading import project_links

    registry.register(
        registry.DocumentKind(
            letters.KIND,
            "中标（成交）通知书",
            letters.render,
            letters.may_read,
            page=lambda session, letter_id: f"/award-letters/{letter_id}",
        )
    )
    messaging.register_kind(letters.MESSAGE_KIND, "中标（成交）通知书")
    after_step([letters.STEP], contracts.after_letters)  # the contract deadline runs from the letters
    from sunshine.awards import withdrawal
    from sunshine.core import labels
    from sunshine.evaluation import reevaluation

    reevaluation.on_reopened(withdrawal.withdraw_on_reopened)  # 重新评审: letters withdrawn, a contract revoked
    labels.register_events(withdrawal.EVENTS)
    project_links.project_links(links)
    from sunshine.awards import archive
    from sunshine.trading import records

    records.record_source("awards", "通知书与合同", archive.contribution)  # the project record (archives)


def links(session, principal, project) -> list[tuple[str, str]]:  # noqa: ANN001
    """The project page links to the letters and the contracts once there are some the principal may read."""
    from sunshine.awards import contracts, letters

    out = []
    if letters.for_project(session, principal, project.id)[1]:
        out.append((f"{letters.words(project).award}与结果通知书", f"/projects/{project.id}/award-letters"))
    if contracts.of_project(session, principal, project.id)[1]:
        out.append((contracts.title_of(project), f"/projects/{project.id}/contracts"))
    return out
