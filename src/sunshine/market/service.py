"""The market participant register: self-registration, the centre's review (通过 / 退回补正 / 不通过), change
applications of registered facts with the history of versions, and the check registration for a project runs.

An organisation is created with its application (so its unified social credit code is taken at once, by an
organisation or by a pending application alike) together with its administrator's account; until the centre
approves it, it may sign in and correct its application but not register for a project. An organisation without
a ``Participant`` row was registered by the centre itself and counts as admitted.

Ledger entries name the organisation, the application and its state, the licence's SHA-256 and a hash of the
reasons; never the legal representative, contacts or bank account. Never commits."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.content import ALLOWED_TYPES, Upload, clean_filename
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.filestore import file_store
from sunshine.core.models import TrackedDeadline
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity import organisation_users
from sunshine.identity import service as identity
from sunshine.identity.models import Organisation, OrganisationKind
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.market.models import Application, Participant
from sunshine.rules import service as rules
from sunshine.rules.pack_format import DAY_UNITS
from sunshine.trading.models import Message, Project, Section
from sunshine.trading.registrations import PHONE, registration_check

KINDS = {
    OrganisationKind.ENTERPRISE.value: "企业",
    OrganisationKind.AGENCY.value: "代理机构",
    OrganisationKind.PURCHASER.value: "招标人/采购人",
}
WORKING_ROLE = {
    OrganisationKind.ENTERPRISE.value: Role.BIDDER,
    OrganisationKind.AGENCY.value: Role.AGENCY,
    OrganisationKind.PURCHASER.value: Role.TENDERER,
}
ORG_TYPES = {
    "limited": "有限责任公司",
    "joint_stock": "股份有限公司",
    "state_owned": "国有企业",
    "partnership": "合伙企业",
    "sole": "个人独资企业",
    "institution": "事业单位",
    "government": "机关",
    "other": "其他组织",
}
STATUSES = {"pending": "待审核", "returned": "退回补正", "approved": "已通过", "rejected": "不通过"}
APPLICATION_KINDS = {"registration": "登记申请", "change": "变更申请"}
DECISIONS = {"approve": "通过", "return": "退回补正", "reject": "不通过"}
FACT_LABELS = {
    "name": "名称",
    "org_type": "单位类型",
    "legal_representative": "法定代表人（负责人）",
    "address": "注册地址",
    "region_code": "行政区划代码",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "contact_email": "电子邮箱",
    "bank_name": "开户银行",
    "bank_account_name": "账户名称",
    "bank_account_number": "银行账号",
}
LICENCE_TYPES = ("pdf", "jpg", "jpeg", "png")
REVIEW_PURPOSE = "审核市场主体登记或变更申请"
REVIEW_RULE = "market_review_within"
REVIEWERS = (Role.CENTRE_STAFF,)
READERS = (Role.CENTRE_STAFF, Role.SUPERVISOR)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ACCOUNT = re.compile(r"^\d{8,30}$")
MAX_REASONS = 2000


class NotAdmitted(Conflict):
    code = "participant_not_admitted"
    title = "市场主体尚未通过交易中心审核"


class OpenApplication(Conflict):
    code = "market_application_open"
    title = "本单位已有待审核或待补正的申请"


@dataclass(frozen=True)
class Facts:
    """The registered facts an application carries (the credit code and the kind never change)."""

    name: str
    org_type: str
    legal_representative: str
    address: str
    region_code: str
    contact_name: str
    contact_phone: str
    contact_email: str
    bank_name: str
    bank_account_name: str
    bank_account_number: str

    def checked(self) -> Facts:
        values = {k: (v or "").strip() for k, v in asdict(self).items()}
        for key, label in FACT_LABELS.items():
            if not values[key]:
                raise InvalidInput(f"请填写{label}", field=key)
        if len(values["name"]) < 2 or len(values["name"]) > 200:
            raise InvalidInput("名称应为2至200个字符", field="name")
        if values["org_type"] not in ORG_TYPES:
            raise InvalidInput("请选择单位类型", field="org_type")
        if not (len(values["region_code"]) == 6 and values["region_code"].isdigit()):
            raise InvalidInput("行政区划代码应为6位数字", field="region_code")
        if not PHONE.match(values["contact_phone"]):
            raise InvalidInput("联系电话应为11位手机号或带区号的固定电话", field="contact_phone")
        if not EMAIL.match(values["contact_email"]) or len(values["contact_email"]) > 200:
            raise InvalidInput("电子邮箱格式不正确", field="contact_email")
        values["bank_account_number"] = values["bank_account_number"].replace(" ", "")
        if not ACCOUNT.match(values["bank_account_number"]):
            raise InvalidInput("银行账号应为8至30位数字", field="bank_account_number")
        for key in ("legal_representative", "contact_name"):
            if len(values[key]) > 100:
                raise InvalidInput(f"{FACT_LABELS[key]}最多100个字符", field=key)
        for key in ("address", "bank_name", "bank_account_name"):
            if len(values[key]) > 200:
                raise InvalidInput(f"{FACT_LABELS[key]}最多200个字符", field=key)
        return Facts(**values)


@dataclass(frozen=True)
class Licence:
    sha256: str
    filename: str
    content_type: str


def store_licence(upload: Upload | None) -> Licence:
    """The business licence (营业执照) kept in the file store: PDF, JPG or PNG, not empty, within the size limit."""
    if upload is None or (not upload.filename and not upload.data):
        raise InvalidInput("请上传营业执照（PDF、JPG 或 PNG）", field="licence")
    name = clean_filename(upload.filename) or "营业执照"
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    if ext not in LICENCE_TYPES:
        raise InvalidInput(f"营业执照“{name}”的类型不允许；请上传 PDF、JPG 或 PNG 文件", field="licence")
    if not upload.data:
        raise InvalidInput(f"营业执照“{name}”是空文件", field="licence")
    limit = get_settings().max_attachment_bytes
    if len(upload.data) > limit:
        raise InvalidInput(
            f"营业执照“{name}”为 {len(upload.data) / 1048576:.1f} MB，超过 {limit / 1048576:g} MB 的上限",
            field="licence",
        )
    content_type, magic = ALLOWED_TYPES[ext]
    if magic and not upload.data.startswith(magic):
        raise InvalidInput(f"营业执照“{name}”的内容与扩展名 .{ext} 不符", field="licence")
    return Licence(file_store().put(upload.data), name, content_type)


def facts_of(app: Application) -> Facts:
    return Facts(**json.loads(app.facts))


def current_facts(session: Session, participant: Participant) -> Facts:
    org = session.get(Organisation, participant.organisation_id)
    return Facts(
        name=org.name,
        org_type=participant.org_type,
        legal_representative=participant.legal_representative,
        address=org.address or "",
        region_code=org.region_code,
        contact_name=participant.contact_name,
        contact_phone=participant.contact_phone,
        contact_email=participant.contact_email,
        bank_name=participant.bank_name,
        bank_account_name=participant.bank_account_name,
        bank_account_number=participant.bank_account_number,
    )


def notify(session: Session, organisation_id: int, subject: str, body: str, link: str | None = "/market/mine") -> None:
    """A 站内通知 to the organisation (trading's inbox, the one every organisation reads)."""
    session.add(Message(organisation_id=organisation_id, subject=subject, body=body, link=link, created_at=clock.now()))


def _people_notice(session: Session, organisation_id: int, subject: str, body: str) -> None:
    notify(session, organisation_id, subject, body, link="/market/mine#users")


def _start_clock(session: Session, app: Application) -> None:
    pack = rules.resolve(session, "centre.service", clock.today_local())
    rule = pack.rule(REVIEW_RULE)
    row = calendar.track(
        session,
        subject=f"market-application:{app.id}",
        purpose=REVIEW_PURPOSE,
        start=clock.today_local(),
        days=int(rule.value),
        unit=DAY_UNITS[rule.unit],
        rule_ref=f"centre.service/{REVIEW_RULE}",
    )
    app.due = row.due


def _stop_clock(session: Session, app: Application) -> None:
    rows = session.scalars(
        select(TrackedDeadline).where(
            TrackedDeadline.subject == f"market-application:{app.id}", TrackedDeadline.is_open.is_(True)
        )
    )
    for row in rows:
        calendar.close(session, row.id)


def _record(session: Session, app: Application, event: str, actor: Principal | None, **extra: object) -> None:
    ledger.append(
        session,
        f"market:application:{event}",
        f"organisation:{app.organisation_id}",
        {
            "application": app.id,
            "kind": app.kind,
            "status": app.status,
            "submission": app.submissions,
            "licence_sha256": app.licence_sha256,
            "by": actor.user_id if actor else None,
            **extra,
        },
    )


# --------------------------------------------------------------------------- the applicant


def register(
    session: Session,
    *,
    kind: str,
    credit_code: str,
    facts: Facts,
    licence: Upload | None,
    username: str,
    display_name: str,
    password: str,
) -> Application:
    """A participant registers itself (anonymous): its organisation, its application and its administrator."""
    if kind not in KINDS:
        raise InvalidInput("请选择主体类型：企业、代理机构或招标人/采购人", field="kind")
    facts = facts.checked()
    stored = store_licence(licence)
    org = identity.create_organisation(
        session,
        name=facts.name,
        credit_code_value=credit_code,
        kind=OrganisationKind(kind),
        region_code=facts.region_code,
        contact_phone=None,
        address=facts.address,
    )
    identity.create_user(
        session,
        username=username,
        display_name=display_name,
        password=password,
        roles=[Role.ENTERPRISE_ADMIN, WORKING_ROLE[kind]],
        organisation_id=org.id,
    )
    now = clock.now()
    session.add(
        Participant(
            organisation_id=org.id,
            status="pending",
            **_participant_values(facts, stored),
            version=0,
            created_at=now,
        )
    )
    app = _new_application(session, org.id, "registration", facts, stored)
    _record(session, app, "submitted", None)
    notify(
        session, org.id, "登记申请已提交", f"{facts.name}的市场主体登记申请已提交，交易中心将于 {app.due} 前审核办结。"
    )
    return app


def _participant_values(facts: Facts, licence: Licence) -> dict[str, str]:
    return {
        "org_type": facts.org_type,
        "legal_representative": facts.legal_representative,
        "contact_name": facts.contact_name,
        "contact_phone": facts.contact_phone,
        "contact_email": facts.contact_email,
        "bank_name": facts.bank_name,
        "bank_account_name": facts.bank_account_name,
        "bank_account_number": facts.bank_account_number,
        "licence_sha256": licence.sha256,
        "licence_filename": licence.filename,
        "licence_content_type": licence.content_type,
    }


def _new_application(session: Session, org_id: int, kind: str, facts: Facts, licence: Licence) -> Application:
    app = Application(
        organisation_id=org_id,
        kind=kind,
        status="pending",
        facts=json.dumps(asdict(facts), ensure_ascii=False),
        licence_sha256=licence.sha256,
        licence_filename=licence.filename,
        licence_content_type=licence.content_type,
        submissions=1,
        submitted_at=clock.now(),
    )
    session.add(app)
    session.flush()
    _start_clock(session, app)
    return app


def own_participant(session: Session, actor: Principal) -> tuple[Organisation, Participant | None]:
    """The actor's organisation as its administrator manages it; its participant row (None: admitted by the centre)."""
    if Role.ENTERPRISE_ADMIN not in actor.roles or actor.organisation_id is None:
        raise Forbidden("只有本单位的企业管理员可以办理市场主体登记事项")
    org = session.get(Organisation, actor.organisation_id)
    if not organisation_users.is_market_organisation(org):
        raise Forbidden("只有企业、代理机构或招标人/采购人单位可以办理市场主体登记事项")
    return org, session.get(Participant, org.id)


def applications_of(session: Session, organisation_id: int) -> list[Application]:
    stmt = select(Application).where(Application.organisation_id == organisation_id).order_by(Application.id.desc())
    return list(session.scalars(stmt))


def open_application(session: Session, organisation_id: int) -> Application | None:
    return session.scalar(
        select(Application).where(
            Application.organisation_id == organisation_id, Application.status.in_(("pending", "returned"))
        )
    )


def resubmit(
    session: Session, actor: Principal, application_id: int, facts: Facts, licence: Upload | None
) -> Application:
    """The applicant corrects a returned application and submits it again (the licence kept unless replaced)."""
    org, participant = own_participant(session, actor)
    app = session.get(Application, application_id, with_for_update=True)
    if app is None or app.organisation_id != org.id:
        raise NotFound("申请不存在")
    if app.status != "returned":
        raise Conflict(f"该申请的状态为“{STATUSES[app.status]}”，只有退回补正的申请可以修改后重新提交")
    facts = facts.checked()
    stored = (
        store_licence(licence)
        if licence is not None and (licence.filename or licence.data)
        else Licence(app.licence_sha256, app.licence_filename, app.licence_content_type)
    )
    app.facts = json.dumps(asdict(facts), ensure_ascii=False)
    app.licence_sha256, app.licence_filename, app.licence_content_type = (
        stored.sha256,
        stored.filename,
        stored.content_type,
    )
    app.status = "pending"
    app.submissions += 1
    app.submitted_at = clock.now()
    app.decided_at = app.decided_by = None
    if app.kind == "registration" and participant is not None:
        participant.status = "pending"
        for key, value in _participant_values(facts, stored).items():
            setattr(participant, key, value)
        org.name, org.address, org.region_code = facts.name, facts.address, facts.region_code
    session.flush()
    _start_clock(session, app)
    _record(session, app, "resubmitted", actor)
    notify(
        session,
        org.id,
        f"{APPLICATION_KINDS[app.kind]}已重新提交",
        f"补正后的申请已重新提交，交易中心将于 {app.due} 前审核办结。",
    )
    return app


def apply_change(session: Session, actor: Principal, facts: Facts, licence: Upload | None) -> Application:
    """An admitted participant asks to change its registered facts; they change when the centre approves."""
    org, participant = own_participant(session, actor)
    if participant is None or participant.status != "approved":
        raise Conflict(
            "登记申请通过审核后才能申请变更登记信息" if participant else "本单位由交易中心登记，变更请与交易中心联系"
        )
    if open_application(session, org.id) is not None:
        raise OpenApplication("本单位已有待审核或待补正的申请，请先办结该申请")
    facts = facts.checked()
    replaced = licence is not None and (licence.filename or licence.data)
    stored = (
        store_licence(licence)
        if replaced
        else Licence(participant.licence_sha256, participant.licence_filename, participant.licence_content_type)
    )
    if facts == current_facts(session, participant) and not replaced:
        raise InvalidInput("提交的信息与已登记的信息相同，没有需要变更的内容")
    app = _new_application(session, org.id, "change", facts, stored)
    _record(session, app, "submitted", actor, changed=changed_fields(current_facts(session, participant), facts))
    notify(session, org.id, "变更申请已提交", f"登记信息变更申请已提交，交易中心将于 {app.due} 前审核办结。")
    return app


def previous_facts(session: Session, app: Application) -> Facts | None:
    """The version in force before ``app``: the last application of the organisation approved before it."""
    before = session.scalar(
        select(Application)
        .where(
            Application.organisation_id == app.organisation_id,
            Application.status == "approved",
            Application.id < app.id,
        )
        .order_by(Application.id.desc())
        .limit(1)
    )
    return facts_of(before) if before else None


def changed_fields(before: Facts, after: Facts) -> list[str]:
    a, b = asdict(before), asdict(after)
    return [k for k in FACT_LABELS if a[k] != b[k]]


# --------------------------------------------------------------------------- the centre


def visible_application(session: Session, actor: Principal, application_id: int) -> Application:
    """Staff read every application; the organisation's administrator its own; anyone else: not found."""
    app = session.get(Application, application_id)
    if app is None:
        raise NotFound("申请不存在")
    if actor.has(*READERS):
        return app
    if Role.ENTERPRISE_ADMIN in actor.roles and actor.organisation_id == app.organisation_id:
        return app
    raise NotFound("申请不存在")


# pending applications by handling limit (one without a limit last), others newest first
PENDING_ORDER = Keyset.of(
    "market-pending",
    Key(func.coalesce(Application.due, date(9999, 12, 31)), False),
    Key(Application.id, False),
)
STATUS_ORDER = Keyset.of("market-applications", Application.submitted_at, Application.id)


def queue(
    session: Session, *, status: str | None = None, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[Application, Organisation]]:
    stmt = select(Application, Organisation).join(Organisation, Organisation.id == Application.organisation_id)
    if status:
        stmt = stmt.where(Application.status == status)
        return paginate(session, stmt, STATUS_ORDER, cursor=cursor, limit=limit)
    stmt = stmt.where(Application.status == "pending")
    return paginate(session, stmt, PENDING_ORDER, cursor=cursor, limit=limit)


def is_overdue(app: Application, today: date | None = None) -> bool:
    return app.status == "pending" and app.due is not None and app.due < (today or clock.today_local())


def decide(session: Session, actor: Principal, application_id: int, decision: str, reasons: str) -> Application:
    if not actor.has(*REVIEWERS):
        raise Forbidden("只有交易中心工作人员可以审核市场主体申请")
    app = session.get(Application, application_id, with_for_update=True)
    if app is None:
        raise NotFound("申请不存在")
    if decision not in DECISIONS:
        raise InvalidInput("请选择审核结论：通过、退回补正或不通过", field="decision")
    reasons = (reasons or "").strip()
    if decision != "approve" and not reasons:
        raise InvalidInput(f"{DECISIONS[decision]}须写明理由", field="reasons")
    if len(reasons) > MAX_REASONS:
        raise InvalidInput(f"理由最多{MAX_REASONS}个字符", field="reasons")
    if app.status != "pending":
        raise Conflict(f"该申请的状态为“{STATUSES[app.status]}”，不能再审核")
    participant = session.get(Participant, app.organisation_id, with_for_update=True)
    org = session.get(Organisation, app.organisation_id)
    app.status = {"approve": "approved", "return": "returned", "reject": "rejected"}[decision]
    app.reasons = reasons or None
    app.decided_at = clock.now()
    app.decided_by = actor.user_id
    if decision == "approve":
        facts = facts_of(app)
        for key, value in _participant_values(
            facts, Licence(app.licence_sha256, app.licence_filename, app.licence_content_type)
        ).items():
            setattr(participant, key, value)
        org.name, org.address, org.region_code = facts.name, facts.address, facts.region_code
        participant.version += 1
        participant.status = "approved"
        participant.approved_at = app.decided_at
        app.version = participant.version
    elif app.kind == "registration":
        participant.status = app.status
    _stop_clock(session, app)
    session.flush()
    _record(
        session,
        app,
        {"approve": "approved", "return": "returned", "reject": "rejected"}[decision],
        actor,
        reasons_sha256=hashlib.sha256(reasons.encode()).hexdigest(),
        version=app.version,
    )
    what = APPLICATION_KINDS[app.kind]
    body = f"交易中心对本单位的{what}作出审核结论：{DECISIONS[decision]}。" + (f"\n理由：{reasons}" if reasons else "")
    if decision == "return":
        body += "\n请按理由修改后重新提交。"
    notify(session, org.id, f"{what}审核结论：{DECISIONS[decision]}", body)
    return app


# --------------------------------------------------------------------------- standing


def standing(session: Session, organisation_id: int) -> str:
    """approved for an organisation the centre registered itself; otherwise its participant status."""
    participant = session.get(Participant, organisation_id)
    return "approved" if participant is None else participant.status


def admitted():
    """The condition an admitted organisation meets: no participant row (registered by the centre) or approved."""
    pending = select(Participant.organisation_id).where(Participant.status != "approved")
    return Organisation.id.not_in(pending)


def check_admitted(session: Session, project: Project, section: Section, org: Organisation) -> None:
    """The check registration for a project runs: a participant not yet approved by the centre is refused."""
    status = standing(session, org.id)
    if status != "approved":
        raise NotAdmitted(f"本单位的市场主体登记申请状态为“{STATUSES[status]}”，通过交易中心审核后才能报名参加项目")


def install() -> None:

    registration_check(check_admitted)
    identity.public_listing_filter(admitted)
    organisation_users.notifier(_people_notice)
