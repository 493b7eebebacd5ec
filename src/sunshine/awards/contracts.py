"""Contracts (合同; land and property: 转让合同) after the award letters: drafted by the tenderer's side from the
tender and the winning result — parties, object (the section as tendered), amount (the winner's amount), term,
payment, performance security — and signed on the platform by both parties, each by its own users with a
recently entered password. Terms that change the substance are refused (招标投标法 第四十六条; 政府采购法
第四十六条: no other agreement contrary to the substance of the tender and the bid). When every awarded section's
contract is signed by both, the step ``sign_contract`` (已发出中标通知书 → 合同已签订) records the contracts'
hashes in the ledger. The contract deadline (the pack's ``contract_within`` from the award letters) is tracked
from the issue of the letters and raises an alert when it passes unsigned. Never commits."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal, InvalidOperation
from html import escape

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.awards import letters as letters_service
from sunshine.awards.contract_models import AwardContract
from sunshine.awards.models import AwardLetter
from sunshine.core import alerts, calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.formatting import local_time
from sunshine.core.models import TrackedDeadline
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.trading import lifecycle, visibility
from sunshine.trading.models import Project, Section

STEP = "sign_contract"
PURPOSE = "awards:contract"
FILING_PURPOSE = "awards:contract-filing"
FILING_RULE = "contract_filing_within"
ALERT_KIND = "contract_overdue"
BASIS = "《中华人民共和国招标投标法》第四十六条；《中华人民共和国政府采购法》第四十六条"
MAX_TEXT = 2000


class ChangesSubstance(InvalidInput):
    code = "contract_changes_substance"
    title = "合同条款改变了招标文件和中标人投标文件的实质性内容"


class AlreadyDrafted(Conflict):
    code = "contract_exists"
    title = "该标段的合同已起草"


class AlreadySigned(Conflict):
    code = "contract_already_signed"
    title = "本方已签署该合同"


def title_of(project: Project) -> str:
    if project.lifecycle in ("listing", "auction"):
        return "转让合同"
    if project.transaction_type == "gov_procurement":
        return "政府采购合同"
    return "合同"


def _text(value: str | None, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"请填写{label}", field=field)
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{label}不能超过{MAX_TEXT}字", field=field)
    return value


def _money(value: str | Decimal | None, field: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(f"{label}应为金额（元）", field=field) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(f"{label}应为不小于零、最多两位小数的金额（元）", field=field)
    return amount


def _security_cap(project: Project) -> Decimal:
    """The pack's cap on the performance security as a fraction of the contract amount (条例 第五十八条;
    采购条例 第四十八条: 10 %); 10 % where the pack has none."""
    snapshot = rules.rules_of(project)
    if snapshot.has("performance_bond_max_percent"):
        return snapshot.rule("performance_bond_max_percent").value / Decimal(100)
    return Decimal("0.10")


def _body(project: Project, section: Section, c: AwardContract, names: dict[int, str]) -> str:
    first = "转让方" if project.lifecycle in ("listing", "auction") else "招标人/采购人"
    lines = [
        f"甲方（{first}）：{names[c.tenderer_id]}",
        f"乙方（{letters_service.words(project).winner}）：{names[c.winner_id]}",
        f"项目：{project.name}（项目编号：{project.code}）",
        f"标的：{c.subject}",
        f"合同金额：人民币{letters_service.yuan(c.amount)}元",
        f"履行期限：{c.term}",
        f"付款方式：{c.payment}",
        "履约担保："
        + (f"人民币{letters_service.yuan(c.performance_security)}元" if c.performance_security else "不要求"),
        f"本合同依据交易文件和乙方的投标（响应）文件订立，依据{BASIS}，双方不得再行订立背离合同实质性内容的其他协议。",
    ]
    return "\n".join(lines)


def draft(
    session: Session,
    actor: Principal,
    project_id: int,
    section_id: int,
    *,
    term: str,
    payment: str,
    amount: str | Decimal | None = None,
    subject: str | None = None,
    performance_security: str | Decimal | None = None,
) -> AwardContract:
    """起草合同 from the award letter: the amount is the winner's amount and the object the section as tendered;
    a different amount or object is refused (422, 第四十六条)."""
    project = visibility.get_visible(session, actor, project_id)
    if not visibility.is_party(actor, project):
        raise Forbidden("只有招标人（采购人、转让方）或其代理机构可以起草合同")
    if project.state != "awarded":
        raise lifecycle.IllegalStep(
            f"项目当前为“{lifecycle.state_label(project, project.state)}”，发出中标（成交）通知书后方可起草合同"
        )
    section = next((s for s in project.sections if s.id == section_id), None)
    letter = session.scalar(
        select(AwardLetter).where(
            AwardLetter.section_id == section_id, AwardLetter.kind == "award", AwardLetter.withdrawn_at.is_(None)
        )
    )
    if section is None or letter is None or letter.issued_at is None:
        raise NotFound("该标段没有已发出的中标（成交）通知书")
    in_force = select(AwardContract.id).where(
        AwardContract.section_id == section_id, AwardContract.revoked_at.is_(None)
    )
    if session.scalar(in_force) is not None:
        raise AlreadyDrafted("该标段的合同已起草")
    asked = _money(amount, "amount", "合同金额")
    if asked is not None and asked != letter.amount:
        raise ChangesSubstance(
            f"合同金额应为中标（成交）金额人民币{letters_service.yuan(letter.amount)}元，"
            f"不得改为{letters_service.yuan(asked)}元（依据{BASIS}）",
            field="amount",
        )
    if subject is not None and subject.strip() and subject.strip() != section.name:
        raise ChangesSubstance(f"合同标的应为招标的“{section.name}”，不得变更（依据{BASIS}）", field="subject")
    security = _money(performance_security, "performance_security", "履约担保金额")
    cap = (letter.amount * _security_cap(project)).quantize(Decimal("0.01"))
    if security is not None and security > cap:
        raise InvalidInput(
            f"履约担保不得超过合同金额的{_security_cap(project) * 100:.0f}%（即人民币{letters_service.yuan(cap)}元）"
            "（依据《中华人民共和国招标投标法实施条例》第五十八条；《中华人民共和国政府采购法实施条例》第四十八条）",
            field="performance_security",
        )
    contract = AwardContract(
        project_id=project.id,
        section_id=section.id,
        letter_id=letter.id,
        tenderer_id=project.tenderer_id,
        winner_id=letter.organisation_id,
        title=title_of(project),
        number=f"{project.code}-{section.number}-HT{_generation(session, section.id)}",
        subject=section.name,
        amount=letter.amount,
        term=_text(term, "term", "履行期限"),
        payment=_text(payment, "payment", "付款方式"),
        performance_security=security,
        drafted_by=actor.user_id,
        drafted_at=clock.now(),
    )
    ids = [contract.tenderer_id, contract.winner_id]
    names = dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())
    contract.body = _body(project, section, contract, names)
    contract.sha256 = hashlib.sha256(contract.body.encode("utf-8")).hexdigest()
    session.add(contract)
    session.flush()
    return contract


def _generation(session: Session, section_id: int) -> str:
    """A section's contract drafted again after a revocation (重新评审) is numbered apart (…-HT-2), as its letters."""
    revoked = session.scalar(
        select(func.count(AwardContract.id)).where(
            AwardContract.section_id == section_id, AwardContract.revoked_at.is_not(None)
        )
    )
    return f"-{revoked + 1}" if revoked else ""


def _side(actor: Principal, contract: AwardContract) -> str:
    if Role.TENDERER in actor.roles and actor.organisation_id == contract.tenderer_id:
        return "tenderer"
    if Role.BIDDER in actor.roles and actor.organisation_id == contract.winner_id:
        return "winner"
    raise Forbidden("合同须由甲方（招标人、采购人、转让方）或乙方本单位的人员签署")


def may_read(session: Session, actor: Principal, contract: AwardContract) -> bool:
    project = session.get(Project, contract.project_id)
    return (
        visibility.is_own_organisation_project(actor, project)
        or actor.organisation_id == contract.winner_id
        or bool(actor.roles & {Role.CENTRE_STAFF, Role.SUPERVISOR})
    )


def readable(session: Session, actor: Principal, contract_id: int) -> AwardContract:
    contract = session.get(AwardContract, contract_id)
    if contract is None or not may_read(session, actor, contract):
        raise NotFound("合同不存在")
    return contract


def of_project(session: Session, actor: Principal, project_id: int) -> tuple[Project, list[AwardContract]]:
    project = visibility.get_visible(session, actor, project_id)
    rows = session.scalars(
        select(AwardContract).where(AwardContract.project_id == project.id).order_by(AwardContract.section_id)
    )
    return project, [c for c in rows if may_read(session, actor, c)]


def sign(session: Session, actor: Principal, contract_id: int, *, sha256: str) -> AwardContract:
    """签署: one side signs the contract as shown to it (its hash must match). When both sides of every
    awarded section's contract have signed, the project takes ``sign_contract``."""
    contract = readable(session, actor, contract_id)
    side = _side(actor, contract)
    if contract.revoked_at is not None:
        raise Conflict(f"该合同已撤销，不能签署：{contract.revoked_reason}")
    if (sha256 or "").strip().lower() != contract.sha256:
        raise Conflict("合同文本与您核对的不一致，请刷新后重新核对", field="sha256")
    now = clock.now()
    if side == "tenderer":
        if contract.tenderer_signed_at is not None:
            raise AlreadySigned("甲方已签署该合同")
        contract.tenderer_signed_by, contract.tenderer_signed_at = actor.user_id, now
    else:
        if contract.winner_signed_at is not None:
            raise AlreadySigned("乙方已签署该合同")
        contract.winner_signed_by, contract.winner_signed_at = actor.user_id, now
    session.flush()
    project = session.get(Project, contract.project_id)
    _complete_if_signed(session, project, actor)
    return contract


def _complete_if_signed(session: Session, project: Project, actor: Principal) -> None:
    awarded = session.scalars(
        select(AwardLetter.section_id).where(
            AwardLetter.project_id == project.id, AwardLetter.kind == "award", AwardLetter.withdrawn_at.is_(None)
        )
    ).all()
    contracts = session.scalars(
        select(AwardContract).where(AwardContract.project_id == project.id, AwardContract.revoked_at.is_(None))
    ).all()
    signed = [c for c in contracts if c.tenderer_signed_at is not None and c.winner_signed_at is not None]
    if project.state != "awarded" or len(signed) < len(set(awarded)):
        return
    transition = lifecycle.apply(
        session,
        project,
        STEP,
        actor,
        publication=lifecycle.Publication(
            title=f"{project.name}{title_of(project)}公告",
            body_html=_publication_html(project, signed),
            source_ref=f"contracts:{project.code}",
            author_id=actor.user_id,
            hold="queue",  # a confidentiality hold keeps the contract in the office's queue, the signing stands
        ),
        document_ref=f"contracts:{project.code}",
        payload={
            "contracts": [
                {"contract": c.id, "number": c.number, "section": c.section_id, "sha256": c.sha256} for c in signed
            ]
        },
    )
    for c in signed:
        c.ledger_seq = transition.ledger_seq
        _track_filing(session, project, c)
    deadline = open_deadline(session, project)
    if deadline is not None:
        calendar.close(session, deadline.id)
        alerts.resolve(session, subject_kind="project", subject_id=project.id, kind=ALERT_KIND)


def _publication_html(project: Project, signed: list[AwardContract]) -> str:
    """The contracts as published (合同名称、双方、金额、期限、签订日期; the text without trade secrets is the
    signed text itself, which holds none beyond these terms)."""
    parts = []
    for c in signed:
        signed_on = local_time(max(c.tenderer_signed_at, c.winner_signed_at), "%Y-%m-%d")
        text = "".join(f"<p>{escape(line)}</p>" for line in c.body.split("\n"))
        parts.append(f"<h3>{escape(c.title)}（{escape(c.number)}）</h3>{text}<p>签订日期：{signed_on}</p>")
    return "".join(parts)


def _track_filing(session: Session, project: Project, contract: AwardContract) -> None:
    """Procurement: the copy to the finance department within the pack's time of signing (采购法 第四十七条)."""
    snapshot = rules.rules_of(project)
    if not snapshot.has(FILING_RULE):
        return
    rule = snapshot.rule(FILING_RULE)
    calendar.track(
        session,
        subject=f"contract:{contract.id}",
        purpose=FILING_PURPOSE,
        start=clock.today_local(),
        days=int(rule.value),
        unit=rules.DAY_UNITS[rule.unit],
        rule_ref=f"{project.pack_key}/{FILING_RULE}",
    )


def filing_deadline(session: Session, contract: AwardContract) -> TrackedDeadline | None:
    return session.scalar(
        select(TrackedDeadline)
        .where(TrackedDeadline.subject == f"contract:{contract.id}", TrackedDeadline.purpose == FILING_PURPOSE)
        .order_by(TrackedDeadline.id.desc())
        .limit(1)
    )


def record_filing(session: Session, actor: Principal, contract_id: int, *, reference: str) -> AwardContract:
    """合同备案: the tenderer's side records that the copy went to the finance department, with its receipt
    number; the filing deadline closes and the ledger keeps the filing with the contract's hash."""
    contract = readable(session, actor, contract_id)
    project = session.get(Project, contract.project_id)
    if not visibility.is_party(actor, project):
        raise Forbidden("合同备案由采购人或其代理机构登记")
    deadline = filing_deadline(session, contract)
    if deadline is None:
        raise Conflict("该合同无须备案，或尚未签订")
    if contract.filed_at is not None:
        raise Conflict("该合同已登记备案")
    contract.filing_ref = _text(reference, "reference", "备案回执编号")[:100]
    contract.filed_at, contract.filed_by = clock.now(), actor.user_id
    if deadline.is_open:
        calendar.close(session, deadline.id)
    alerts.resolve(session, subject_kind="contract", subject_id=contract.id)
    ledger.append(
        session,
        "awards:contract:filed",
        f"contract:{contract.number}",
        {
            "contract": contract.id,
            "sha256": contract.sha256,
            "reference": contract.filing_ref,
            "due": deadline.due.isoformat(),
            "late": clock.today_local() > deadline.due,
            "by": actor.user_id,
        },
    )
    session.flush()
    return contract


def track_deadline(session: Session, project: Project, issued_on: date) -> TrackedDeadline | None:
    """The contract deadline from the award letters (the pack's ``contract_within``)."""
    snapshot = rules.rules_of(project)
    if not snapshot.has("contract_within"):
        return None
    rule = snapshot.rule("contract_within")
    return calendar.track(
        session,
        subject=f"project:{project.code}",
        purpose=PURPOSE,
        start=issued_on,
        days=int(rule.value),
        unit=rules.DAY_UNITS[rule.unit],
        rule_ref=f"{project.pack_key}/contract_within",
    )


def open_deadline(session: Session, project: Project) -> TrackedDeadline | None:
    return session.scalar(
        select(TrackedDeadline)
        .where(
            TrackedDeadline.subject == f"project:{project.code}",
            TrackedDeadline.purpose == PURPOSE,
            TrackedDeadline.is_open.is_(True),
        )
        .order_by(TrackedDeadline.id.desc())
        .limit(1)
    )


def after_letters(session: Session, event) -> None:  # noqa: ANN001
    """After the award letters: the contract deadline starts (the same day)."""
    track_deadline(session, event.project, clock.today_local())


def raise_overdue(session: Session) -> list[str]:
    """The tick's part: a contract deadline that passed without both signatures raises one alert per project,
    for the tenderer, its agency, the centre and the supervisors; so does a filing deadline passed unfiled."""
    today = clock.today_local()
    raised = _filing_overdue(session, today)
    rows = session.scalars(
        select(TrackedDeadline).where(TrackedDeadline.purpose == PURPOSE, TrackedDeadline.is_open.is_(True))
    ).all()
    for deadline in rows:
        if today <= deadline.due:
            continue
        code = deadline.subject.removeprefix("project:")  # noqa: B005
        project = session.scalar(select(Project).where(Project.code == code))
        if project is None or project.state != "awarded":
            continue
        alert = alerts.raise_once(
            session,
            key=f"awards:contract-overdue:{project.id}:{deadline.id}",
            domain="awards",
            kind=ALERT_KIND,
            subject_kind="project",
            subject_id=project.id,
            message=f"{project.name}：合同应于{local_time(deadline.due, '%Y-%m-%d')}前签订，已逾期（依据{BASIS}）",
            audience=(Role.CENTRE_STAFF, Role.SUPERVISOR),
            organisation_id=project.tenderer_id,
            due=deadline.due,
            deadline_id=deadline.id,
        )
        if alert is not None:
            raised.append(project.code)
    return raised


def _filing_overdue(session: Session, today: date) -> list[str]:
    rows = session.scalars(
        select(TrackedDeadline).where(TrackedDeadline.purpose == FILING_PURPOSE, TrackedDeadline.is_open.is_(True))
    ).all()
    raised = []
    for deadline in rows:
        contract = session.get(AwardContract, int(deadline.subject.removeprefix("contract:")))  # noqa: B005
        if today <= deadline.due or contract is None or contract.filed_at is not None:
            continue
        project = session.get(Project, contract.project_id)
        alert = alerts.raise_once(
            session,
            key=f"awards:contract-filing-overdue:{contract.id}",
            domain="awards",
            kind="contract_filing_overdue",
            subject_kind="contract",
            subject_id=contract.id,
            message=f"{project.name}：{contract.title}（{contract.number}）应于{deadline.due.isoformat()}前报财政部门备案，"
            "已逾期（依据《中华人民共和国政府采购法》第四十七条）",
            audience=(Role.CENTRE_STAFF, Role.SUPERVISOR),
            organisation_id=project.tenderer_id,
            due=deadline.due,
            deadline_id=deadline.id,
        )
        if alert is not None:
            raised.append(contract.number)
    return raised
