"""Registration (报名) for a section, obtaining the tender documents, withdrawal, and the pre- and
post-qualification results (资格预审/资格后审) with the prequalification notice to each applicant.

Who registered is confidential until the bid deadline (《招标投标法》第二十二条: 招标人不得向他人透露
已获取招标文件的潜在投标人的名称、数量), so: a bidder sees only its own registrations; the list of a
project is for its tenderer and agency, the centre and the supervisory department; and the public
ledger entries of these steps are filed under the registration (``registration:{id}``), not the
project, and carry neither the bidder's name nor anything that ties them to the project — otherwise
counting the entries of a project would tell everyone how many have registered.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import AlreadyExists, Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.models import TrackedDeadline
from sunshine.core.pagination import Keyset, Page, bounded_limit, paginate
from sunshine.credit import service as credit
from sunshine.identity.models import Organisation, OrganisationKind
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.trading import deposits, participation, visibility
from sunshine.trading.lifecycle import state_label
from sunshine.trading.models import (
    Deposit,
    Message,
    Notice,
    NoticeAttachment,
    Project,
    QualificationResult,
    Registration,
    Section,
)

STAGES = {"pre": "资格预审", "post": "资格后审"}
PREQUALIFICATION_SUBJECT = "资格预审结果通知书"
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
MAX_REASONS = 2000


# Checks a domain above the kernel adds to registration (the market participant's review status, its
# qualifications): each is called with the project, the section and the registering organisation, and refuses
# by raising one of the error family (the registration is then not kept). Registered by ``domains.install()``.
RegistrationCheck = Callable[[Session, Project, Section, Organisation], None]
_registration_checks: list[RegistrationCheck] = []


def registration_check(check: RegistrationCheck) -> RegistrationCheck:
    """Add a check every registration passes (idempotent: installing twice adds it once)."""
    if check not in _registration_checks:
        _registration_checks.append(check)
    return check


# Hooks a domain above the kernel runs once a registration is kept (the venues re-check that the opening hall
# still seats the registered bidders): each is called with the project and the new registration, inside the
# registration's unit of work. A hook must not refuse the registration (a bidder's right to register does not
# depend on what the hook looks after); it records what it finds its own way. Registered by ``domains.install()``.
RegistrationHook = Callable[[Session, Project, Registration], None]
_after_registration: list[RegistrationHook] = []


def after_registration(hook: RegistrationHook) -> RegistrationHook:
    """Add a hook run after every accepted registration (idempotent: installing twice adds it once)."""
    if hook not in _after_registration:
        _after_registration.append(hook)
    return hook


def _bidder_org(session: Session, actor: Principal) -> Organisation:
    if Role.BIDDER not in actor.roles or actor.organisation_id is None:
        raise Forbidden("只有投标人/供应商账户可以报名")
    org = session.get(Organisation, actor.organisation_id)
    if org is None or org.kind != OrganisationKind.ENTERPRISE.value:
        raise Forbidden("只有企业（投标人/供应商）可以报名；请使用本单位的投标人账户")
    return org


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("项目不存在")
    return project


# --------------------------------------------------------------------------- registration


def register_bidder(
    session: Session, actor: Principal, project_id: int, section_id: int, contact_name: str, contact_phone: str
) -> Registration:
    """报名: one registration per organisation and section, while the notice runs."""
    org = _bidder_org(session, actor)
    project = visibility.get_visible(session, actor, project_id)
    section = session.get(Section, section_id)
    if section is None or section.project_id != project.id:
        raise NotFound("标段不存在")
    contact_name, contact_phone = (contact_name or "").strip(), (contact_phone or "").strip()
    if not 2 <= len(contact_name) <= 100:
        raise InvalidInput("请填写联系人姓名（2–100 个字符）", field="contact_name")
    if not PHONE.match(contact_phone):
        raise InvalidInput("请填写有效的手机号码或固定电话（如 13800000000、0591-87654321）", field="contact_phone")
    if project.lifecycle == "single_source":
        raise participation.RegistrationClosed("单一来源采购不接受报名")
    participation.check_window(project)
    # 失信惩戒: a banned organisation may not register
    credit.check_not_banned(
        session,
        org.id,
        scope=credit.Scope(project.region_code, project.transaction_type),
        on=clock.today_local(),
        doing="报名",
    )
    for check in _registration_checks:
        check(session, project, section, org)
    existing = session.scalar(
        select(Registration).where(Registration.section_id == section.id, Registration.organisation_id == org.id)
    )
    if existing is not None:
        if existing.withdrawn_at is not None:
            raise AlreadyExists("本单位已撤回该标段的报名，不能再次报名")
        raise AlreadyExists("本单位已报名该标段")
    reg = Registration(
        project_id=project.id,
        section_id=section.id,
        organisation_id=org.id,
        user_id=actor.user_id,
        contact_name=contact_name,
        contact_phone=contact_phone,
        registered_at=clock.now(),
    )
    session.add(reg)
    session.flush()
    ledger.append(
        session,
        "trading:registration:created",
        f"registration:{reg.id}",
        {"registration": reg.id, "section": section.number},
    )
    for hook in _after_registration:
        hook(session, project, reg)
    return reg


def tender_documents(session: Session, project: Project) -> tuple[str, Notice]:
    """The SHA-256 of the tender documents as they stand now, and the notice they come from.

    The documents are the attachments of the latest notice of the project's first notice series that
    has attachments (a correction that replaces the documents is a new version of the series carrying
    the new files). One attachment: its own SHA-256, which a bidder can check against the file it
    downloaded; several: the SHA-256 of their ``sha256sum`` manifest (``<sha256>  <filename>`` lines in
    upload order). No attachments anywhere in the series: the latest notice is the document itself,
    hashed over its body.
    """
    first = session.scalar(
        select(Notice)
        .where(Notice.project_id == project.id, Notice.series_id.is_(None))
        .order_by(Notice.published_at, Notice.id)
        .limit(1)
    )
    if first is None:
        raise participation.RegistrationClosed("招标文件尚未发布")
    series = list(
        session.scalars(
            select(Notice)
            .where(
                Notice.project_id == project.id,
                (Notice.id == first.id) | (Notice.series_id == first.id),
                Notice.kind != "termination",
            )
            .order_by(Notice.version.desc(), Notice.id.desc())
        )
    )
    files: dict[int, list[NoticeAttachment]] = {}
    for a in session.scalars(
        select(NoticeAttachment)
        .where(NoticeAttachment.notice_id.in_([n.id for n in series]))
        .order_by(NoticeAttachment.id)
    ):
        files.setdefault(a.notice_id, []).append(a)
    for notice in series:
        attachments = files.get(notice.id)
        if not attachments:
            continue
        if len(attachments) == 1:
            return attachments[0].sha256, notice
        manifest = "".join(f"{a.sha256}  {a.filename}\n" for a in attachments)
        return hashlib.sha256(manifest.encode()).hexdigest(), notice
    return hashlib.sha256(series[0].body_html.encode()).hexdigest(), series[0]


def obtain_documents(session: Session, actor: Principal, registration_id: int) -> Registration:
    """获取招标文件: records when and which version (its hash); again after a correction."""
    reg = visibility.own_registration(session, actor, registration_id)
    if reg.withdrawn_at is not None:
        raise Conflict("报名已撤回")
    project = _project(session, reg.project_id)
    participation.check_window(project)
    if participation.failed_prequalification(session, reg):
        raise Conflict("未通过资格预审的申请人不能获取招标文件（《招标投标法实施条例》第十九条）")
    participation.check_participation(session, project, reg)
    digest, _notice = tender_documents(session, project)
    reg.docs_obtained_at, reg.docs_sha256 = clock.now(), digest
    session.flush()
    # The hash stays off the public ledger: it is the hash of a public attachment, so it would tie the
    # registration to its project.
    ledger.append(
        session, "trading:registration:documents-obtained", f"registration:{reg.id}", {"registration": reg.id}
    )
    return reg


def withdraw(session: Session, actor: Principal, registration_id: int) -> Registration:
    """撤回报名 before the bid deadline; a paid deposit is refunded within the rule pack's limit
    (《招标投标法实施条例》第三十五条; 87号令第三十八条)."""
    reg = visibility.own_registration(session, actor, registration_id)
    if reg.withdrawn_at is not None:
        raise Conflict("报名已撤回")
    project = _project(session, reg.project_id)
    participation.check_window(project, documents=False)
    reg.withdrawn_at = clock.now()
    session.flush()
    ledger.append(session, "trading:registration:withdrawn", f"registration:{reg.id}", {"registration": reg.id})
    deposit = session.scalar(
        select(Deposit).where(Deposit.section_id == reg.section_id, Deposit.organisation_id == reg.organisation_id)
    )
    if deposit is not None:
        deposits.schedule_refund(session, deposit, clock.today_local(), "投标人在投标截止前撤回")
    return reg


# --------------------------------------------------------------------------- reading


@dataclass
class RegistrationView:
    registration: Registration
    project: Project
    section: Section
    organisation_name: str
    qualifications: dict[str, QualificationResult]
    deposit: Deposit | None
    deposit_due: date | None = None  # the refund's due date as the tracked deadline has it now


def _views(session: Session, regs: list[Registration]) -> list[RegistrationView]:
    """Everything a registration row shows, in a fixed number of queries."""
    if not regs:
        return []
    project_ids = {r.project_id for r in regs}
    projects = {p.id: p for p in session.scalars(select(Project).where(Project.id.in_(project_ids)))}
    sections = {s.id: s for s in session.scalars(select(Section).where(Section.project_id.in_(project_ids)))}
    orgs = dict(
        session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_({r.organisation_id for r in regs}))
        ).all()
    )
    quals: dict[int, dict[str, QualificationResult]] = {}
    for q in session.scalars(
        select(QualificationResult).where(QualificationResult.registration_id.in_([r.id for r in regs]))
    ):
        quals.setdefault(q.registration_id, {})[q.stage] = q
    deps = {
        (d.section_id, d.organisation_id): d
        for d in session.scalars(
            select(Deposit).where(
                Deposit.project_id.in_(project_ids), Deposit.organisation_id.in_({r.organisation_id for r in regs})
            )
        )
    }
    deadline_ids = [d.refund_deadline_id for d in deps.values() if d.refund_deadline_id]
    dues = (
        dict(
            session.execute(
                select(TrackedDeadline.id, TrackedDeadline.due).where(TrackedDeadline.id.in_(deadline_ids))
            ).all()
        )
        if deadline_ids
        else {}
    )
    views = []
    for r in regs:
        deposit = deps.get((r.section_id, r.organisation_id))
        due = (dues.get(deposit.refund_deadline_id, deposit.refund_due)) if deposit else None
        views.append(
            RegistrationView(
                r,
                projects[r.project_id],
                sections[r.section_id],
                orgs.get(r.organisation_id, ""),
                quals.get(r.id, {}),
                deposit,
                due,
            )
        )
    return views


def list_for_project(session: Session, actor: Principal, project_id: int) -> list[RegistrationView]:
    """Who registered for which section (confidential: parties, centre, supervisors only)."""
    project = session.get(Project, project_id)
    if project is None or not visibility.may_see_registrations(actor, project):
        raise NotFound("未找到该项目的报名信息")
    regs = list(
        session.scalars(
            select(Registration)
            .where(Registration.project_id == project.id)
            .order_by(Registration.section_id, Registration.registered_at, Registration.id)
        )
    )
    return _views(session, regs)


REGISTRATION_ORDER = Keyset.of("registrations", Registration.registered_at, Registration.id)


def mine(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[RegistrationView]:
    """The registrations of the actor's organisation, newest first, one page after ``cursor``."""
    if actor.organisation_id is None or not actor.has(Role.BIDDER, Role.ORG_VIEWER):
        return Page([], None, bounded_limit(limit))
    stmt = select(Registration).where(Registration.organisation_id == actor.organisation_id)
    page = paginate(session, stmt, REGISTRATION_ORDER, cursor=cursor, limit=limit)
    return replace(page, items=_views(session, page.items))


def view_of(session: Session, registration: Registration) -> RegistrationView:
    return _views(session, [registration])[0]


# --------------------------------------------------------------------------- qualification


def record_qualification(
    session: Session,
    actor: Principal,
    registration_id: int,
    stage: str,
    passed: bool,
    reasons: str | None,
    *,
    project_id: int | None = None,
) -> QualificationResult:
    """资格预审/资格后审 result of one applicant, by the project's tenderer or agency. A failed result
    must say why; a prequalification result is notified to the applicant (条例第十九条)."""
    reg = session.get(Registration, registration_id)
    project = _project(session, reg.project_id) if reg is not None else None
    if reg is None or project is None or project_id not in (None, project.id):
        raise NotFound("报名记录不存在")
    if not visibility.is_party(actor, project):
        raise NotFound("报名记录不存在")
    if stage not in STAGES:
        raise InvalidInput("审查阶段应为 pre（资格预审）或 post（资格后审）", field="stage")
    reasons = (reasons or "").strip()
    if not passed and not reasons:
        raise InvalidInput("不通过的，须写明理由", field="reasons")
    if len(reasons) > MAX_REASONS:
        raise InvalidInput(f"理由最多 {MAX_REASONS} 个字符", field="reasons")
    if reg.withdrawn_at is not None:
        raise Conflict("该申请人已撤回报名")
    allowed = {"pre": {"notice_published", "bid_closed"}, "post": {"bid_closed", "opening", "evaluation"}}[stage]
    if project.state not in allowed:
        when = "公告期内或申请截止后、开标前" if stage == "pre" else "投标截止后、评审结束前"
        raise Conflict(f"{STAGES[stage]}应在{when}进行，项目当前为“{state_label(project, project.state)}”")
    existing = session.scalar(
        select(QualificationResult).where(
            QualificationResult.registration_id == reg.id, QualificationResult.stage == stage
        )
    )
    if existing is not None:
        raise AlreadyExists(f"该申请人的{STAGES[stage]}结果已记录")
    now = clock.now()
    result = QualificationResult(
        registration_id=reg.id, stage=stage, passed=passed, reasons=reasons, decided_by=actor.user_id, decided_at=now
    )
    session.add(result)
    if stage == "pre":
        section = session.get(Section, reg.section_id)
        org = session.get(Organisation, reg.organisation_id)
        verdict = "通过" if passed else "未通过"
        body = (
            f"{org.name if org else ''}：\n"
            f"你单位报名参加的“{project.name}”（项目编号 {project.code}）第 {section.number} 标段"
            f"“{section.name}”，资格预审结果为：{verdict}。\n"
            f"{'理由：' + reasons if reasons else ''}\n"
            + (
                "请按招标公告的规定获取招标文件并参加投标。"
                if passed
                else "如有疑问，请与招标人或其委托的代理机构联系。"
            )
        )
        session.add(
            Message(
                organisation_id=reg.organisation_id,
                subject=PREQUALIFICATION_SUBJECT,
                body=body,
                link="/my/registrations",
                created_at=now,
            )
        )
    session.flush()
    ledger.append(
        session,
        "trading:qualification:recorded",
        f"registration:{reg.id}",
        {
            "registration": reg.id,
            "stage": stage,
            "passed": passed,
            "reasons_sha256": hashlib.sha256(reasons.encode()).hexdigest(),
            "by": actor.user_id,
        },
    )
    return result


MESSAGE_ORDER = Keyset.of("organisation-messages", Message.created_at, Message.id)


def message_page(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[Message]:
    """``messages_for`` one page at a time."""
    if actor.organisation_id is None:
        return Page([], None, bounded_limit(limit))
    stmt = select(Message).where(Message.organisation_id == actor.organisation_id)
    return paginate(session, stmt, MESSAGE_ORDER, cursor=cursor, limit=limit)


def messages_for(session: Session, actor: Principal, limit: int = 200) -> list[Message]:
    """The inbox of the actor's organisation (站内通知), newest first."""
    if actor.organisation_id is None:
        return []
    stmt = (
        select(Message)
        .where(Message.organisation_id == actor.organisation_id)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
