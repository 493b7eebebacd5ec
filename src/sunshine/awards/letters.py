"""Award letters (中标通知书/成交通知书/成交确认书 and 中标结果通知书), from the kernel's registry of winners
(``trading.outcomes``) for every lifecycle that reaches 结果已公告: the agency (or the tenderer where there is
none) drafts them, its signer seals each on the seals page (``seals``: the QR code of the letter opens the
seal's public verification with its ledger proof), and the step ``issue_award_letters`` issues them together
(结果已公告 → 已发出中标通知书), with one ledger entry holding each letter's SHA-256, and tells every addressee's
users in their inbox. 招标投标法 第四十五条: 中标通知书 to the winner, the result to every other bidder at once;
87号令 第六十九条: the unqualified told why and, under 综合评分法, each unsuccessful supplier its own score and rank
(read from the evaluation's signed report through ``evaluation.reading.standing``). Never commits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.awards.models import AwardLetter
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, NotFound
from sunshine.core.formatting import local_time
from sunshine.core.pagination import Keyset, Page, bounded_limit, paginate
from sunshine.evaluation import reading as evaluation
from sunshine.identity.models import Organisation, User, UserRole
from sunshine.identity.roles import Role
from sunshine.ledger import format as fmt
from sunshine.messaging import service as messaging
from sunshine.rules import service as rules
from sunshine.seals import registry
from sunshine.seals.models import DocumentSeal
from sunshine.trading import lifecycle, outcomes, visibility
from sunshine.trading.models import Project, QualificationResult, Registration, Section

KIND = "award_letter"
STEP = "issue_award_letters"
MESSAGE_KIND = "award_letter"
READERS = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR})


class NoWinners(Conflict):
    code = "no_winners"
    title = "尚无确定的中标（成交）人"


class LettersUnsealed(Conflict):
    code = "letters_unsealed"
    title = "通知书尚未全部签章"


class NotDrafted(Conflict):
    code = "letters_not_drafted"
    title = "尚未起草通知书"


@dataclass(frozen=True)
class Words:
    award: str  # the winner's letter
    result: str  # the others' letter
    winner: str  # 中标人, 成交供应商, 竞得人, 中选承包人
    amount: str  # 中标金额, 成交价


def words(project: Project) -> Words:
    if project.lifecycle in ("listing", "auction"):
        return Words("成交确认书", "竞价结果通知书", "竞得人", "成交价")
    if project.lifecycle == "draw":
        return Words("中选通知书", "抽取结果通知书", "中选承包人", "合同价（固定价）")
    if project.lifecycle in ("negotiation", "single_source"):
        return Words("成交通知书", "成交结果通知书", "成交供应商", "成交金额")
    return Words("中标通知书", "中标结果通知书", "中标人", "中标金额")


def issuer_of(project: Project) -> int:
    return project.agency_id if project.agency_id is not None else project.tenderer_id


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _contract_line(project: Project, w: Words, tenderer: str) -> str:
    snapshot = rules.rules_of(project)
    if not snapshot.has("contract_within"):
        return f"请你单位按照规定与{tenderer}签订书面合同。"
    rule = snapshot.rule("contract_within")
    cite = f"（依据{rule.basis_text}）" if rule.basis_text.startswith("《") else ""
    return (
        f"请你单位自本通知书发出之日起{int(rule.value)}日内，"
        f"按照交易文件和你单位的响应文件与{tenderer}签订书面合同{cite}。"
    )


def _unqualified(session: Session, section_id: int, organisation_id: int) -> str | None:
    """Why a registrant was found unqualified (资格审查未通过的理由), if it was."""
    row = session.scalar(
        select(QualificationResult)
        .join(Registration, Registration.id == QualificationResult.registration_id)
        .where(
            Registration.section_id == section_id,
            Registration.organisation_id == organisation_id,
            QualificationResult.passed.is_(False),
        )
        .order_by(QualificationResult.id.desc())
        .limit(1)
    )
    return row.reasons if row is not None else None


def _section_label(project: Project, section: Section) -> str:
    return f"第{section.number}标段（{section.name}）" if len(project.sections) > 1 else f"（{section.name}）"


def _award_body(project: Project, section: Section, winner: outcomes.SectionWinner, names: dict[int, str]) -> str:
    w = words(project)
    tenderer = names[project.tenderer_id]
    return "\n".join(
        [
            f"{names[winner.organisation_id]}：",
            f"　　{project.name}{_section_label(project, section)}（项目编号：{project.code}），"
            f"经{winner.source}，确定你单位为{w.winner}。",
            f"　　{w.amount}：人民币{yuan(winner.amount)}元。",
            f"　　{_contract_line(project, w, tenderer)}",
            f"　　结果确定时间：{local_time(winner.decided_at, '%Y年%m月%d日')}。",
            "　　特此通知。",
            "",
            f"招标人（采购人、转让方）：{tenderer}",
            *([f"代理机构：{names[project.agency_id]}"] if project.agency_id else []),
        ]
    )


def _standing_line(session: Session, section_id: int, organisation_id: int) -> str | None:
    """The addressee's own score and rank under 综合评分法 (87号令 第六十九条) and under 竞争性磋商's scoring
    (财库〔2014〕214号), from the signed report."""
    own = evaluation.standing(session, section_id, organisation_id)
    if own is None or not own.scoring or own.score is None:
        return None
    return f"　　本项目采用{own.method_title}评审，你单位的评审得分为{own.score}分，排序第{own.rank}名。"


def _unqualified_in_evaluation(session: Session, section_id: int, organisation_id: int) -> str | None:
    """Why the committee's own qualification review rejected the bid, where it did (the signed report's reason)."""
    own = evaluation.standing(session, section_id, organisation_id)
    return own.unqualified if own is not None else None


def _result_body(
    project: Project,
    section: Section,
    winner: outcomes.SectionWinner,
    names: dict[int, str],
    to: int,
    why: str | None,
    standing: str | None = None,
) -> str:
    w = words(project)
    lines = [
        f"{names[to]}：",
        f"　　感谢你单位参加{project.name}{_section_label(project, section)}（项目编号：{project.code}）。"
        f"经{winner.source}，该标段的{w.winner}为{names[winner.organisation_id]}，"
        f"{w.amount}人民币{yuan(winner.amount)}元。你单位未被确定为{w.winner}。",
    ]
    if why:
        lines.append(f"　　你单位资格审查未通过，理由：{why}。")
    if standing:
        lines.append(standing)
    lines += [
        "　　对结果有异议的，可以依法提出。",
        "　　特此通知。",
        "",
        f"招标人（采购人、转让方）：{names[project.tenderer_id]}",
        *([f"代理机构：{names[project.agency_id]}"] if project.agency_id else []),
    ]
    return "\n".join(lines)


def _party_project(session: Session, actor: Principal, project_id: int) -> Project:
    project = visibility.get_visible(session, actor, project_id)
    if not visibility.is_party(actor, project):
        raise Forbidden("只有招标人（采购人）或其代理机构可以办理通知书")
    return project


def letters_of(session: Session, project_id: int) -> list[AwardLetter]:
    return list(
        session.scalars(
            select(AwardLetter)
            .where(AwardLetter.project_id == project_id)
            .order_by(AwardLetter.section_id, AwardLetter.kind, AwardLetter.id)
        )
    )


def current_of(session: Session, project_id: int) -> list[AwardLetter]:
    """The letters in force: every letter but those withdrawn when a re-evaluation superseded their result."""
    return [letter for letter in letters_of(session, project_id) if letter.withdrawn_at is None]


def _generation(session: Session, section_id: int) -> str:
    """A section's letters drafted again after a withdrawal are numbered apart (…-Z001-2)."""
    withdrawn = session.scalars(
        select(AwardLetter.withdrawn_ledger_seq).where(
            AwardLetter.section_id == section_id, AwardLetter.withdrawn_at.is_not(None)
        )
    ).all()
    return f"-{len(set(withdrawn)) + 1}" if withdrawn else ""


def draft(session: Session, actor: Principal, project_id: int) -> list[AwardLetter]:
    """起草通知书: one letter per section and registrant, from the decided winners. Idempotent: letters once
    drafted are kept (a sealed text is never rewritten); a section whose letters were withdrawn (重新评审) gets
    new ones."""
    project = _party_project(session, actor, project_id)
    lifecycle.check(project, STEP, actor)  # the result is published and the actor may issue
    existing = current_of(session, project.id)
    covered = {letter.section_id for letter in existing}
    winners = [w for w in outcomes.winners(session, project) if w.section_id not in covered]
    if existing and not winners:
        return existing
    if not winners:
        raise NoWinners("本项目尚无确定的中标（成交）人，不能起草通知书")
    sections = {s.id: s for s in project.sections}
    issuer = issuer_of(project)
    now = clock.now()
    w = words(project)
    for winner in winners:
        section = sections[winner.section_id]
        others = [
            org
            for org in session.scalars(
                select(Registration.organisation_id)
                .where(Registration.section_id == section.id, Registration.withdrawn_at.is_(None))
                .order_by(Registration.id)
            )
            if org != winner.organisation_id
        ]
        ids = {project.tenderer_id, winner.organisation_id, *others}
        if project.agency_id is not None:
            ids.add(project.agency_id)
        names = dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())
        letters = [
            AwardLetter(
                organisation_id=winner.organisation_id,
                kind="award",
                title=w.award,
                body=_award_body(project, section, winner, names),
                amount=winner.amount,
            )
        ] + [
            AwardLetter(
                organisation_id=org,
                kind="result",
                title=w.result,
                body=_result_body(
                    project,
                    section,
                    winner,
                    names,
                    org,
                    _unqualified(session, section.id, org) or _unqualified_in_evaluation(session, section.id, org),
                    _standing_line(session, section.id, org),
                ),
                amount=None,
            )
            for org in others
        ]
        generation = _generation(session, section.id)
        for n, letter in enumerate(letters, start=1):
            letter.project_id = project.id
            letter.section_id = section.id
            kind = "Z" if letter.kind == "award" else "J"
            letter.number = f"{project.code}-{section.number}-{kind}{n:03d}{generation}"
            letter.issuer_id = issuer
            letter.drafted_by = actor.user_id
            letter.drafted_at = now
            letter.sha256 = ""
            session.add(letter)
    session.flush()
    drafted = current_of(session, project.id)
    for letter in drafted:
        if not letter.sha256:
            letter.sha256 = render(session, letter.id).sha256()
    session.flush()
    return drafted


def seal_of(session: Session, letter: AwardLetter) -> DocumentSeal | None:
    """The issuer's latest seal of the letter as it is (its hash still matching)."""
    return session.scalar(
        select(DocumentSeal)
        .where(
            DocumentSeal.kind == KIND,
            DocumentSeal.document_id == letter.id,
            DocumentSeal.document_sha256 == letter.sha256,
            DocumentSeal.organisation_id == letter.issuer_id,
        )
        .order_by(DocumentSeal.id.desc())
        .limit(1)
    )


def issue(session: Session, actor: Principal, project_id: int) -> list[AwardLetter]:
    """发出通知书: every drafted letter, each sealed by the issuer, goes out at once (one step, one ledger
    entry with each letter's hash), and each addressee's users find it in their inbox."""
    project = _party_project(session, actor, project_id)
    checked = lifecycle.check(project, STEP, actor)
    letters = [letter for letter in current_of(session, project.id) if letter.issued_at is None]
    if not letters:
        raise NotDrafted("请先起草通知书，并由签章人签章后发出")
    unsealed = [letter.number for letter in letters if seal_of(session, letter) is None]
    if unsealed:
        raise LettersUnsealed(f"以下通知书尚未由出具单位签章：{'、'.join(unsealed)}", letters=unsealed)
    transition = lifecycle.apply(
        session,
        project,
        checked,
        actor,
        document_ref=f"{KIND}s:{project.code}",
        payload={
            "letters": [
                {
                    "letter": letter.id,
                    "number": letter.number,
                    "section": letter.section_id,
                    "to": letter.organisation_id,
                    "kind": letter.kind,
                    "sha256": letter.sha256,
                    "seal": seal_of(session, letter).code,
                }
                for letter in letters
            ]
        },
    )
    for letter in letters:
        letter.issued_at = transition.at
        letter.ledger_seq = transition.ledger_seq
        for user_id in _users_of(session, letter.organisation_id):
            messaging.send(
                session,
                user_id=user_id,
                subject=f"{letter.title}：{project.name}",
                body=f"{project.name}的{letter.title}（{letter.number}）已在平台发出，请在工作台查看和下载。",
                link=f"/award-letters/{letter.id}",
                kind=MESSAGE_KIND,
            )
    session.flush()
    return letters


def _users_of(session: Session, organisation_id: int) -> list[int]:
    return list(
        session.scalars(
            select(User.id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.organisation_id == organisation_id, User.is_active.is_(True), UserRole.role == Role.BIDDER)
            .distinct()
            .order_by(User.id)
        )
    )


def render(session: Session, letter_id: int) -> registry.Rendered:
    letter = session.get(AwardLetter, letter_id)
    if letter is None:
        raise NotFound("通知书不存在")
    project = session.get(Project, letter.project_id)
    issuer = session.get(Organisation, letter.issuer_id)
    to = session.get(Organisation, letter.organisation_id)
    return registry.Rendered(
        kind=KIND,
        document_id=letter.id,
        title=letter.title,
        number=letter.number,
        issuer_id=issuer.id,
        issuer_name=issuer.name,
        issuer_credit_code=issuer.credit_code,
        issued_at=fmt.iso_utc(letter.drafted_at),
        body=letter.body,
        media_type="text/plain",
        public=False,
        extra=(
            ("project", f"{project.code} {project.name}"),
            ("section", str(letter.section_id)),
            ("addressee", f"{to.name} {to.credit_code}"),
        ),
    )


def may_read(session: Session, principal: Principal, letter_id: int) -> bool:
    """The issuing side (tenderer, agency) at any time; once issued, the addressee's users, the centre and the
    supervisors."""
    letter = session.get(AwardLetter, letter_id)
    if letter is None or principal.user_id is None:
        return False
    project = session.get(Project, letter.project_id)
    if visibility.is_own_organisation_project(principal, project):
        return True
    if letter.issued_at is None:
        return False
    if principal.roles & READERS:
        return True
    return principal.organisation_id == letter.organisation_id and Role.BIDDER in principal.roles


def readable(session: Session, principal: Principal, letter_id: int) -> AwardLetter:
    if not may_read(session, principal, letter_id):
        raise NotFound("通知书不存在")
    return session.get(AwardLetter, letter_id)


def for_project(session: Session, principal: Principal, project_id: int) -> tuple[Project, list[AwardLetter]]:
    """The project's letters as ``principal`` may see them: all of them for the parties, the centre and the
    supervisors (drafts to the parties only), its own for a bidder."""
    project = visibility.get_visible(session, principal, project_id)
    letters = [letter for letter in letters_of(session, project.id) if may_read(session, principal, letter.id)]
    return project, letters


MINE_ORDER = Keyset.of("award-letters-mine", AwardLetter.issued_at, AwardLetter.id)


def mine(
    session: Session, principal: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[AwardLetter]:
    """The bidder's issued letters, newest first (its workbench), one page at a time."""
    if principal.organisation_id is None or Role.BIDDER not in principal.roles:
        return Page([], None, bounded_limit(limit))
    stmt = select(AwardLetter).where(
        AwardLetter.organisation_id == principal.organisation_id, AwardLetter.issued_at.is_not(None)
    )
    return paginate(session, stmt, MINE_ORDER, cursor=cursor, limit=limit)
