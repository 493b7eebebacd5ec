"""The public directories (企业名录、代理机构名录), the professional staff an agency records (招标师、造价工程师…),
and the entrustment agreements (委托代理协议) between a project's tenderer and its agency.

The directories list admitted organisations only (approved, or registered by the centre) and never personal
data: a staff member is shown by name, qualification and validity, never the certificate number. An entrustment
links to the project's own tenderer and agency (``Project.tenderer_id``, ``Project.agency_id``) rather than
naming them again. Never commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.content import Upload, checked_upload
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.filestore import file_store
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.credit import service as credit
from sunshine.identity.models import Organisation, OrganisationKind
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.market import service
from sunshine.market.models import Entrustment, StaffMember
from sunshine.trading import visibility
from sunshine.trading.models import Project

QUALIFICATIONS = {
    "tender_engineer": "招标师",
    "cost_engineer": "造价工程师",
    "constructor_1": "一级建造师",
    "constructor_2": "二级建造师",
    "supervision_engineer": "监理工程师",
    "procurement_practitioner": "政府采购从业人员",
}
DIRECTORY_KEYSET = Keyset.of("market_directory", Organisation.id)
ENTRUSTMENT_READERS = (Role.CENTRE_STAFF, Role.SUPERVISOR)


def directory_query(kind: str, q: str | None = None, region: str | None = None) -> Select:
    stmt = select(Organisation).where(Organisation.kind == kind, service.admitted())
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Organisation.name.like(like), Organisation.credit_code == q.strip().upper()))
    if region:
        stmt = stmt.where(Organisation.region_code == region)
    return stmt


def directory(
    session: Session,
    kind: str,
    *,
    q: str | None = None,
    region: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Organisation]:
    return paginate(session, directory_query(kind, q, region), DIRECTORY_KEYSET, cursor=cursor, limit=limit)


def public_organisation(session: Session, organisation_id: int) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.id == organisation_id, service.admitted()))
    if org is None or org.kind not in service.KINDS:
        raise NotFound("市场主体不存在")
    return org


# --------------------------------------------------------------------------- agency staff


STAFF_ORDER = Keyset.of("agency-staff", Key(StaffMember.id, False))


def staff_page(
    session: Session, organisation_id: int, *, cursor: str | None = None, limit: int | None = None
) -> Page[StaffMember]:
    """An organisation's staff on the register (not removed), in the order entered, one page at a time."""
    stmt = select(StaffMember).where(StaffMember.organisation_id == organisation_id, StaffMember.removed_at.is_(None))
    return paginate(session, stmt, STAFF_ORDER, cursor=cursor, limit=limit)


def staff_by_org(session: Session, organisation_ids: list[int]) -> dict[int, list[StaffMember]]:
    out: dict[int, list[StaffMember]] = {i: [] for i in organisation_ids}
    if organisation_ids:
        stmt = (
            select(StaffMember)
            .where(StaffMember.organisation_id.in_(organisation_ids), StaffMember.removed_at.is_(None))
            .order_by(StaffMember.id)
        )
        for row in session.scalars(stmt):
            out[row.organisation_id].append(row)
    return out


def _own_agency(session: Session, actor: Principal) -> Organisation:
    org, _ = service.own_participant(session, actor)
    if org.kind != OrganisationKind.AGENCY.value:
        raise Conflict("只有代理机构登记从业人员及其执业资格")
    return org


def add_staff(
    session: Session,
    actor: Principal,
    *,
    name: str,
    qualification: str,
    certificate_number: str,
    valid_until: date | None,
) -> StaffMember:
    org = _own_agency(session, actor)
    name, certificate_number = (name or "").strip(), (certificate_number or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("请填写姓名（最多100个字符）", field="name")
    if qualification not in QUALIFICATIONS:
        raise InvalidInput("请选择执业资格", field="qualification")
    if not certificate_number or len(certificate_number) > 60:
        raise InvalidInput("请填写证书编号（最多60个字符）", field="certificate_number")
    if valid_until is not None and valid_until < clock.today_local():
        raise InvalidInput("证书已过有效期，不能登记", field="valid_until")
    row = StaffMember(
        organisation_id=org.id,
        name=name,
        qualification=qualification,
        certificate_number=certificate_number,
        valid_until=valid_until,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "market:staff:added",
        f"organisation:{org.id}",
        {"staff": row.id, "qualification": qualification, "by": actor.user_id},
    )
    service.notify(session, org.id, "从业人员已登记", f"本单位登记了一名{QUALIFICATIONS[qualification]}。")
    return row


def remove_staff(session: Session, actor: Principal, staff_id: int) -> StaffMember:
    org, _ = service.own_participant(session, actor)
    row = session.get(StaffMember, staff_id)
    if row is None or row.organisation_id != org.id or row.removed_at is not None:
        raise NotFound("从业人员不存在")
    row.removed_at = clock.now()
    ledger.append(session, "market:staff:removed", f"organisation:{org.id}", {"staff": row.id, "by": actor.user_id})
    service.notify(session, org.id, "从业人员已移除", f"本单位移除了一名{QUALIFICATIONS[row.qualification]}。")
    return row


# --------------------------------------------------------------------------- entrustment


def _readable_project(session: Session, actor: Principal, project_id: int) -> Project:
    project = visibility.get_visible(session, actor, project_id)
    if actor.has(*ENTRUSTMENT_READERS) or visibility.is_own_organisation_project(actor, project):
        return project
    raise NotFound("项目不存在")


def entrustments(session: Session, actor: Principal, project_id: int) -> tuple[Project, list[Entrustment]]:
    """The project's entrustment agreements, for its tenderer, its agency and the staff."""
    project = _readable_project(session, actor, project_id)
    stmt = select(Entrustment).where(Entrustment.project_id == project.id).order_by(Entrustment.id)
    return project, list(session.scalars(stmt))


def visible_entrustment(session: Session, actor: Principal, entrustment_id: int) -> Entrustment:
    row = session.get(Entrustment, entrustment_id)
    if row is None:
        raise NotFound("委托代理协议不存在")
    _readable_project(session, actor, row.project_id)
    return row


def record_entrustment(
    session: Session, actor: Principal, project_id: int, *, scope: str, signed_on: date, agreement: Upload | None
) -> Entrustment:
    """The tenderer (acting as such) or the centre records the agreement with the project's appointed agency."""
    project = _readable_project(session, actor, project_id)
    is_tenderer = Role.TENDERER in actor.roles and actor.organisation_id == project.tenderer_id
    if not (is_tenderer or Role.CENTRE_STAFF in actor.roles):
        raise Forbidden("只有招标人/采购人或交易中心可以登记委托代理协议")
    if project.agency_id is None:
        raise Conflict("该项目未委托代理机构，无须登记委托代理协议")
    # 失信惩戒: an agency barred from agency business (政府采购法 第七十八条) may not be entrusted
    credit.check_not_banned(
        session,
        project.agency_id,
        scope=credit.Scope(project.region_code, project.transaction_type),
        on=clock.today_local(),
        doing="受托代理本项目",
    )
    scope = (scope or "").strip()
    if not scope or len(scope) > 2000:
        raise InvalidInput("请填写委托范围（最多2000个字符）", field="scope")
    if signed_on > clock.today_local():
        raise InvalidInput("签订日期不能晚于今天", field="signed_on")
    stored = _store_agreement(agreement)
    row = Entrustment(
        project_id=project.id,
        scope=scope,
        signed_on=signed_on,
        file_sha256=stored[0],
        filename=stored[1],
        content_type=stored[2],
        recorded_by=actor.user_id,
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "market:entrustment:recorded",
        f"project:{project.code}",
        {
            "entrustment": row.id,
            "tenderer": project.tenderer_id,
            "agency": project.agency_id,
            "signed_on": signed_on.isoformat(),
            "sha256": row.file_sha256,
            "by": actor.user_id,
        },
    )
    for org_id in (project.tenderer_id, project.agency_id):
        service.notify(
            session,
            org_id,
            "委托代理协议已登记",
            f"项目“{project.name}”（{project.code}）的委托代理协议已登记。",
            link=f"/market/projects/{project.id}/entrustment",
        )
    return row


def _store_agreement(upload: Upload | None) -> tuple[str, str, str]:
    if upload is None or (not upload.filename and not upload.data):
        raise InvalidInput("请上传委托代理协议文件", field="agreement")
    name, content_type, data = checked_upload(upload, get_settings().max_attachment_bytes)
    return file_store().put(data), name, content_type
