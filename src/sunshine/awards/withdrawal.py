"""重新评审 after the award letters or a contract (the evaluation's ``on_reopened``, the layer below never calls
this): the result the letters announced no longer stands, so every letter in force of the reopened sections — the
中标（成交）通知书 and the result letters alike, drafted or issued — is withdrawn with the reason, recorded in the
ledger (``awards:letters:withdrawn``), and each addressee of an issued letter is told in its inbox; where a
government procurement contract was signed and not performed, it is revoked (撤销合同, 94号令 第三十二条 — the
re-evaluation's guard has already refused a performed contract or a works contract) and an unsigned draft falls
with its letter. The contract deadline of the withdrawn letters closes. The letters and contracts stay, marked, on
the project's and the winner's pages. Never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.awards import contracts, letters
from sunshine.awards.contract_models import AwardContract
from sunshine.core import calendar, clock
from sunshine.evaluation.reevaluation import Reopening, after_award_rule, source_label
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging

KIND = "awards:letters:withdrawn"
EVENTS = {KIND: "重新评审：中标（成交）通知书撤回、合同撤销"}


def withdraw_on_reopened(session: Session, told: Reopening) -> None:
    project = told.project
    rule = after_award_rule(told.before)
    in_force = [x for x in letters.current_of(session, project.id) if x.section_id in told.sections]
    deals = list(
        session.scalars(
            select(AwardContract).where(
                AwardContract.project_id == project.id,
                AwardContract.section_id.in_(told.sections),
                AwardContract.revoked_at.is_(None),
            )
        )
    )
    if not in_force and not deals:
        return
    basis = rule.get("basis") or "《政府采购货物和服务招标投标管理办法》第六十四条"
    why = f"原评标委员会重新评审（{source_label(told.source) or told.reason}），原结果不再有效。依据：{basis}"[:900]
    now = clock.now()
    entry = ledger.append(
        session,
        KIND,
        f"project:{project.code}",
        {
            "project": project.id,
            "sections": told.sections,
            "state_before": told.before,
            "source": told.source,
            "letters": [
                {"letter": x.id, "number": x.number, "sha256": x.sha256, "issued": x.issued_at is not None}
                for x in in_force
            ],
            "contracts": [
                {"contract": c.id, "number": c.number, "sha256": c.sha256, "signed": _signed(c)} for c in deals
            ],
        },
    )
    for letter in in_force:
        letter.withdrawn_at, letter.withdrawn_reason, letter.withdrawn_ledger_seq = now, why, entry.seq
        if letter.issued_at is None:
            continue
        for user_id in letters._users_of(session, letter.organisation_id):
            messaging.send(
                session,
                user_id=user_id,
                subject=f"{letter.title}已撤回：{project.name}",
                body=f"{project.name}的{letter.title}（{letter.number}）已撤回。{why}",
                link=f"/award-letters/{letter.id}",
                kind=letters.MESSAGE_KIND,
            )
    for c in deals:
        c.revoked_at, c.revoked_ledger_seq = now, entry.seq
        c.revoked_reason = ("合同撤销：" if _signed(c) else "合同草稿作废：") + why
        filing = contracts.filing_deadline(session, c)
        if filing is not None and filing.is_open:
            calendar.close(session, filing.id)
    deadline = contracts.open_deadline(session, project)
    if deadline is not None:
        calendar.close(session, deadline.id)
    session.flush()


def _signed(c: AwardContract) -> bool:
    return c.tenderer_signed_at is not None and c.winner_signed_at is not None
