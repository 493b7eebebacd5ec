"""履约验收 (acceptance): the tenderer/purchaser organises it (《中华人民共和国政府采购法》第四十一条: 采购人或者其委
托的 采购代理机构应当组织对供应商履约的验收…验收方成员应当在验收书上签字), names its members — platform users,
among them invited bidders or a third party where it chooses (《政府采购货物和服务招标投标管理办法》第七十四条) —
records the report (验收书: the date, the method, the result 合格/不合格 and the findings on each standard, 《中华
人民共和国政府采购法实施条例》 第四十五条), which every member signs on the platform against its SHA-256. When all
have signed: 不合格 stays with its findings and a new round may be organised; 合格 for every contract of the
project takes ``accept_performance`` (→ 履约验收合格), whose publication through the disclosure pipeline meets the
catalog's ``trading.performance`` items (ZC.JG.03 履约验收结果; GC.JG.03 合同履行及变更信息). Never commits."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from html import escape

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.awards.contract_models import AwardContract
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.formatting import yuan
from sunshine.identity.models import Organisation, User, UserRole
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging
from sunshine.performance import changes
from sunshine.performance import visibility as parties
from sunshine.performance.models import Acceptance, AcceptanceMember
from sunshine.trading import lifecycle
from sunshine.trading.models import Project

STEP = "accept_performance"
RESULTS = {"passed": "合格", "failed": "不合格"}
STATUSES = {
    "organised": "已组织，待录入验收结论",
    "signing": "验收书待成员签字",
    "passed": "验收合格",
    "failed": "验收不合格",
}
MAX_MEMBERS = 15
MESSAGE_KIND = "performance"
BASIS = "《中华人民共和国政府采购法》第四十一条"


@dataclass(frozen=True)
class MemberIn:
    user_id: int
    role: str


def of_contract(session: Session, contract_id: int) -> list[Acceptance]:
    return list(
        session.scalars(select(Acceptance).where(Acceptance.contract_id == contract_id).order_by(Acceptance.round))
    )


def members_of(session: Session, acceptance_id: int) -> list[tuple[AcceptanceMember, str]]:
    rows = session.execute(
        select(AcceptanceMember, User.display_name)
        .join(User, User.id == AcceptanceMember.user_id)
        .where(AcceptanceMember.acceptance_id == acceptance_id)
        .order_by(AcceptanceMember.id)
    ).all()
    return [(m, name) for m, name in rows]


def organise(
    session: Session, actor: Principal, contract_id: int, *, method: str, members: list[MemberIn]
) -> Acceptance:
    """组织验收: a new round (none open, none passed), its members told to take part and sign."""
    contract, project = parties.contract(session, actor, contract_id)
    parties.tenderer_side(actor, contract, project, "组织履约验收")
    parties.performing(contract, project, "组织履约验收")
    rounds = of_contract(session, contract.id)
    if any(a.status in ("organised", "signing") for a in rounds):
        raise Conflict("本合同有尚未完成的验收，请先完成")
    if any(a.status == "passed" for a in rounds):
        raise Conflict("本合同已验收合格")
    method = (method or "").strip()
    if not method or len(method) > 200:
        raise InvalidInput("请填写验收方式（如现场验收、抽样检测，200字以内）", field="method")
    if not members or len(members) > MAX_MEMBERS:
        raise InvalidInput(f"验收小组应有1至{MAX_MEMBERS}名成员", field="members")
    ids = [m.user_id for m in members]
    if len(set(ids)) != len(ids):
        raise InvalidInput("验收小组成员不能重复", field="members")
    found = set(session.scalars(select(User.id).where(User.id.in_(ids), User.is_active.is_(True))))
    if found != set(ids):
        raise InvalidInput("验收小组成员须为平台上的有效用户", field="members")
    if contract.winner_id in set(session.scalars(select(User.organisation_id).where(User.id.in_(ids)))):
        raise InvalidInput("被验收的供应商（中标人）不能担任验收小组成员", field="members")
    row = Acceptance(
        contract_id=contract.id,
        round=len(rounds) + 1,
        organised_by=actor.user_id,
        organised_at=clock.now(),
        method=method,
        status="organised",
    )
    session.add(row)
    session.flush()
    for m in members:
        role = (m.role or "").strip()
        if not role or len(role) > 100:
            raise InvalidInput("请填写每名成员在验收小组中的身份（100字以内）", field="members")
        session.add(AcceptanceMember(acceptance_id=row.id, user_id=m.user_id, role=role))
        messaging.send(
            session,
            user_id=m.user_id,
            subject=f"请参加履约验收：{contract.title}（{contract.number}）",
            body=f"您被列为{project.name}的验收小组成员（{role}），验收结论录入后请在平台上签署验收书。",
            link=f"/acceptances/{row.id}",
            kind=MESSAGE_KIND,
        )
    session.flush()
    return row


def _acceptance(session: Session, actor: Principal, acceptance_id: int) -> tuple[Acceptance, AwardContract, Project]:
    row = session.get(Acceptance, acceptance_id)
    if row is None:
        raise NotFound("验收记录不存在")
    member = session.scalar(
        select(AcceptanceMember.id).where(
            AcceptanceMember.acceptance_id == row.id, AcceptanceMember.user_id == actor.user_id
        )
    )
    contract = session.get(AwardContract, row.contract_id)
    if member is None:
        contract, _ = parties.contract(session, actor, row.contract_id)
    return row, contract, session.get(Project, contract.project_id)


def readable(session: Session, actor: Principal, acceptance_id: int) -> tuple[Acceptance, AwardContract, Project]:
    """The acceptance for its members and whoever may read the contract (404 otherwise)."""
    return _acceptance(session, actor, acceptance_id)


def _report(session: Session, row: Acceptance, contract: AwardContract, project: Project) -> str:
    names = dict(
        session.execute(
            select(Organisation.id, Organisation.name).where(
                Organisation.id.in_([contract.tenderer_id, contract.winner_id])
            )
        ).all()
    )
    lines = [
        f"验收书（第{row.round}次验收）",
        f"项目：{project.name}（项目编号：{project.code}）",
        f"合同：{contract.title}（{contract.number}），合同金额人民币{yuan(contract.amount)}元",
        f"采购人（招标人）：{names[contract.tenderer_id]}",
        f"供应商（中标人）：{names[contract.winner_id]}",
        f"验收时间：{row.accepted_on.isoformat()}",
        f"验收方式：{row.method}",
        f"验收结论：{RESULTS[row.result]}",
        f"验收意见：{row.findings}",
        "验收小组成员：" + "、".join(f"{name}（{m.role}）" for m, name in members_of(session, row.id)),
        f"依据{BASIS}，验收方成员应当在验收书上签字。",
    ]
    return "\n".join(lines)


def record(
    session: Session, actor: Principal, acceptance_id: int, *, accepted_on: date, result: str, findings: str
) -> Acceptance:
    """录入验收结论: the report is frozen (its SHA-256 is what each member signs)."""
    row, contract, project = _acceptance(session, actor, acceptance_id)
    parties.tenderer_side(actor, contract, project, "录入验收结论")
    if row.status != "organised":
        raise Conflict(f"该验收当前为“{STATUSES[row.status]}”，不能再录入结论")
    if result not in RESULTS:
        raise InvalidInput("验收结论应为合格（passed）或不合格（failed）", field="result")
    if accepted_on > clock.today_local() or accepted_on < contract.winner_signed_at.date():
        raise InvalidInput("验收时间应在合同签订之后、不晚于今天", field="accepted_on")
    findings = (findings or "").strip()
    if len(findings) < 4 or len(findings) > 4000:
        raise InvalidInput("请逐项填写验收意见（各项技术、服务、安全标准的履约情况，4至4000字）", field="findings")
    row.accepted_on, row.result, row.findings, row.status = accepted_on, result, findings, "signing"
    row.report = _report(session, row, contract, project)
    row.sha256 = hashlib.sha256(row.report.encode("utf-8")).hexdigest()
    session.flush()
    return row


def sign(session: Session, actor: Principal, acceptance_id: int, *, sha256: str) -> Acceptance:
    """A member signs the report as shown to it; the last signature completes the round."""
    row = session.get(Acceptance, acceptance_id)
    member = (
        session.scalar(
            select(AcceptanceMember).where(
                AcceptanceMember.acceptance_id == acceptance_id, AcceptanceMember.user_id == actor.user_id
            )
        )
        if row is not None
        else None
    )
    if member is None:
        if row is not None:
            parties.contract(session, actor, row.contract_id)  # 404 for strangers
        raise Forbidden("验收书由验收小组成员签字")
    if row.status != "signing":
        raise Conflict(f"该验收当前为“{STATUSES[row.status]}”，没有待签字的验收书")
    if member.signed_at is not None:
        raise Conflict("您已签署该验收书")
    if (sha256 or "").strip().lower() != row.sha256:
        raise Conflict("验收书与您核对的不一致，请刷新后重新核对", field="sha256")
    member.signed_sha256, member.signed_at = row.sha256, clock.now()
    session.flush()
    unsigned = session.scalar(
        select(func.count())
        .select_from(AcceptanceMember)
        .where(AcceptanceMember.acceptance_id == row.id, AcceptanceMember.signed_at.is_(None))
    )
    if unsigned == 0:
        _complete(session, actor, row)
    return row


def _complete(session: Session, actor: Principal, row: Acceptance) -> None:
    contract = session.get(AwardContract, row.contract_id)
    project = session.get(Project, contract.project_id)
    row.status = row.result
    entry = ledger.append(
        session,
        "performance:acceptance:signed",
        f"contract:{contract.number}",
        {"acceptance": row.id, "round": row.round, "result": row.result, "sha256": row.sha256},
    )
    row.ledger_seq = entry.seq
    session.flush()
    for user_id in parties.users_of(session, contract.winner_id) + parties.users_of(session, project.tenderer_id):
        messaging.send(
            session,
            user_id=user_id,
            subject=f"履约验收{RESULTS[row.result]}：{contract.number}",
            body=f"{contract.title}（{contract.number}）第{row.round}次验收结论：{RESULTS[row.result]}。{row.findings[:200]}",
            link=f"/acceptances/{row.id}",
            kind=MESSAGE_KIND,
        )
    if row.result != "passed" or project.state not in parties.PERFORMING:
        return
    contracts = session.scalars(
        select(AwardContract).where(AwardContract.project_id == project.id, AwardContract.revoked_at.is_(None))
    ).all()
    passed = {
        a.contract_id
        for a in session.scalars(
            select(Acceptance).where(
                Acceptance.contract_id.in_([c.id for c in contracts]), Acceptance.status == "passed"
            )
        )
    }
    if {c.id for c in contracts} - passed:
        return
    lifecycle.apply(
        session,
        project,
        STEP,
        _organiser(session, row),  # the step is the organiser's, completed by the last member's signature
        publication=lifecycle.Publication(
            title=f"{project.name}履约验收结果公告",
            body_html=_publication_html(session, project, contracts),
            source_ref=f"acceptance:{project.code}",
            author_id=actor.user_id,
            hold="queue",
        ),
        document_ref=f"acceptance:{project.code}",
        payload={"acceptances": sorted(passed)},
    )


def _organiser(session: Session, row: Acceptance) -> Principal:
    user = session.get(User, row.organised_by)
    roles = frozenset(Role(r) for r in session.scalars(select(UserRole.role).where(UserRole.user_id == user.id)))
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=roles,
        organisation_id=user.organisation_id,
    )


def _publication_html(session: Session, project: Project, contracts: list[AwardContract]) -> str:
    """验收时间、验收方式、验收结论 (ZC.JG.03) and the agreed changes (GC.JG.03) of every contract."""
    parts = []
    for c in contracts:
        row = session.scalar(
            select(Acceptance).where(Acceptance.contract_id == c.id, Acceptance.status == "passed").limit(1)
        )
        parts.append(
            f"<h3>{escape(c.title)}（{escape(c.number)}）</h3>"
            f"<p>验收时间：{row.accepted_on.isoformat()}</p><p>验收方式：{escape(row.method)}</p>"
            f"<p>验收结论：{RESULTS[row.result]}</p><p>验收意见：{escape(row.findings)}</p>"
        )
        agreed = [ch for ch in changes.of_contract(session, c.id) if ch.status == "agreed"]
        for ch in agreed:
            amount = f"，金额人民币{yuan(ch.amount)}元" if ch.amount else ""
            parts.append(
                f"<p>合同变更：{escape(changes.KINDS[ch.kind])}：{escape(ch.description)}{amount}"
                f"（理由：{escape(ch.reasons)}）</p>"
            )
    return "".join(parts)
