"""JSON routes of the market register: self-registration (public, multipart), the organisation's own area (its
applications, changes, users, agency staff), the centre's review, the public directories and the entrustment
agreements of a project."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.config import get_settings
from sunshine.core import content
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.filestore import file_store
from sunshine.core.inputs import Id, IsoDate
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity import organisation_users
from sunshine.identity.models import Organisation, OrganisationKind, User
from sunshine.identity.roles import Role
from sunshine.market import people, service
from sunshine.market.models import Application, Entrustment, StaffMember
from sunshine.market.schemas import (
    ApplicationOut,
    DecisionIn,
    DirectoryEntry,
    DirectoryPage,
    EntrustmentOut,
    FactsOut,
    OrgActiveIn,
    OrgRolesIn,
    OrgUserIn,
    OrgUserOut,
    ParticipantOut,
    StaffIn,
    StaffOut,
)

router = APIRouter(prefix="/api/v1/market", tags=["市场主体库"])
PUBLIC = Depends(Access.public())
ORG_ADMIN = Depends(Access(Role.ENTERPRISE_ADMIN))
REVIEWER = Depends(Access(*service.REVIEWERS))
READERS = Depends(Access(*service.READERS))
APPLICATION_READERS = Depends(Access(Role.ENTERPRISE_ADMIN, *service.READERS))
ENTRUSTMENT_READERS = Depends(Access(Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR))
ENTRUSTMENT_WRITERS = Depends(Access(Role.TENDERER, Role.CENTRE_STAFF))


def facts_form(
    name: str = Form(..., max_length=200, description="名称（与营业执照一致）"),
    org_type: str = Form(
        ..., max_length=20, description="单位类型：" + "、".join(f"{k} {v}" for k, v in service.ORG_TYPES.items())
    ),
    legal_representative: str = Form(..., max_length=100, description="法定代表人（负责人）"),
    address: str = Form(..., max_length=200, description="注册地址"),
    region_code: str = Form(..., max_length=6, description="行政区划代码（6位）"),
    contact_name: str = Form(..., max_length=100),
    contact_phone: str = Form(..., max_length=40),
    contact_email: str = Form(..., max_length=200),
    bank_name: str = Form(..., max_length=200, description="退还保证金的开户银行"),
    bank_account_name: str = Form(..., max_length=200),
    bank_account_number: str = Form(..., max_length=40),
) -> service.Facts:
    return service.Facts(
        name=name,
        org_type=org_type,
        legal_representative=legal_representative,
        address=address,
        region_code=region_code,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        bank_name=bank_name,
        bank_account_name=bank_account_name,
        bank_account_number=bank_account_number,
    )


FACTS = Depends(facts_form)


async def read_upload(file: UploadFile | None) -> content.Upload | None:
    """The file, read on the event loop up to one byte past the limit (the service says what is too large)."""
    if file is None or (not file.filename and not file.size):
        return None
    limit = get_settings().max_attachment_bytes
    return content.Upload(filename=file.filename or "", data=await file.read(limit + 1), content_type=file.content_type)


def facts_out(facts: service.Facts) -> FactsOut:
    return FactsOut(**facts.__dict__, org_type_label=service.ORG_TYPES.get(facts.org_type, facts.org_type))


def application_out(session: Session, app: Application) -> ApplicationOut:
    org = session.get(Organisation, app.organisation_id)
    facts = service.facts_of(app)
    changed: list[str] = []
    if app.kind == "change":
        before = service.previous_facts(session, app)
        changed = [service.FACT_LABELS[k] for k in service.changed_fields(before, facts)] if before else []
    return ApplicationOut(
        id=app.id,
        organisation_id=app.organisation_id,
        organisation_name=org.name,
        credit_code=org.credit_code,
        kind=app.kind,
        kind_label=service.APPLICATION_KINDS[app.kind],
        status=app.status,
        status_label=service.STATUSES[app.status],
        submissions=app.submissions,
        submitted_at=app.submitted_at,
        due=app.due,
        overdue=service.is_overdue(app),
        decided_at=app.decided_at,
        reasons=app.reasons,
        version=app.version,
        facts=facts_out(facts),
        changed=changed,
        licence_sha256=app.licence_sha256,
        licence_filename=app.licence_filename,
    )


def participant_out(session: Session, actor: Principal) -> ParticipantOut:
    org, participant = service.own_participant(session, actor)
    return ParticipantOut(
        organisation_id=org.id,
        name=org.name,
        credit_code=org.credit_code,
        kind_label=OrganisationKind(org.kind).label,
        status=service.standing(session, org.id),
        status_label=service.STATUSES[service.standing(session, org.id)],
        version=participant.version if participant else 0,
        facts=facts_out(service.current_facts(session, participant)) if participant else None,
        applications=[application_out(session, a) for a in service.applications_of(session, org.id)],
    )


# --------------------------------------------------------------------------- the applicant


@router.post(
    "/applications",
    response_model=ApplicationOut,
    status_code=201,
    summary="市场主体注册申请（multipart/form-data：登记信息、营业执照 licence、本单位管理员账号）",
)
async def register(
    kind: str = Form(..., max_length=20, description="enterprise 企业、agency 代理机构、purchaser 招标人/采购人"),
    credit_code: str = Form(..., max_length=18, description="统一社会信用代码（18位）"),
    username: str = Form(..., max_length=64, description="本单位管理员的用户名"),
    display_name: str = Form(..., max_length=100, description="本单位管理员的姓名"),
    password: str = Form(..., max_length=200, description="本单位管理员的密码（至少10个字符）"),
    facts: service.Facts = FACTS,
    licence: UploadFile | None = File(None, description="营业执照（PDF、JPG 或 PNG）"),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> ApplicationOut:
    upload = await read_upload(licence)

    def run() -> ApplicationOut:
        app = service.register(
            session,
            kind=kind,
            credit_code=credit_code,
            facts=facts,
            licence=upload,
            username=username,
            display_name=display_name,
            password=password,
        )
        return application_out(session, app)

    return await run_in_threadpool(run)


@router.get("/mine", response_model=ParticipantOut, summary="本单位的登记状态、当前登记信息与申请历史（企业管理员）")
def mine(session: Session = SessionDep, actor: Principal = ORG_ADMIN) -> ParticipantOut:
    return participant_out(session, actor)


@router.put(
    "/applications/{application_id}",
    response_model=ApplicationOut,
    summary="修改退回补正的申请并重新提交（企业管理员；营业执照可不再上传）",
)
async def resubmit(
    application_id: Id,
    facts: service.Facts = FACTS,
    licence: UploadFile | None = File(None),
    session: Session = SessionDep,
    actor: Principal = ORG_ADMIN,
) -> ApplicationOut:
    upload = await read_upload(licence)

    def run() -> ApplicationOut:
        return application_out(session, service.resubmit(session, actor, application_id, facts, upload))

    return await run_in_threadpool(run)


@router.post("/changes", response_model=ApplicationOut, status_code=201, summary="申请变更登记信息（企业管理员）")
async def apply_change(
    facts: service.Facts = FACTS,
    licence: UploadFile | None = File(None, description="变更后的营业执照（名称、法定代表人等变更时上传）"),
    session: Session = SessionDep,
    actor: Principal = ORG_ADMIN,
) -> ApplicationOut:
    upload = await read_upload(licence)

    def run() -> ApplicationOut:
        return application_out(session, service.apply_change(session, actor, facts, upload))

    return await run_in_threadpool(run)


# --------------------------------------------------------------------------- the centre


@router.get("/queue", response_model=list[ApplicationOut], summary="待审核的登记与变更申请（交易中心、监督部门）")
def review_queue(
    status: Annotated[str | None, Query(pattern=r"^(pending|returned|approved|rejected)$")] = None,
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = READERS,
) -> list[ApplicationOut]:
    page = service.queue(session, status=status, cursor=paging.cursor, limit=paging.limit)
    return [application_out(session, app) for app, _org in paging.answer(page)]


@router.get(
    "/applications/{application_id}", response_model=ApplicationOut, summary="申请详情（交易中心、本单位管理员）"
)
def get_application(
    application_id: Id, session: Session = SessionDep, actor: Principal = APPLICATION_READERS
) -> ApplicationOut:
    return application_out(session, service.visible_application(session, actor, application_id))


@router.post(
    "/applications/{application_id}/decision",
    response_model=ApplicationOut,
    summary="审核：通过、退回补正、不通过（交易中心）",
)
def decide(
    application_id: Id, body: DecisionIn, session: Session = SessionDep, actor: Principal = REVIEWER
) -> ApplicationOut:
    return application_out(session, service.decide(session, actor, application_id, body.decision, body.reasons))


@router.get(
    "/applications/{application_id}/licence",
    summary="下载营业执照（交易中心、监督部门）",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}}}},
)
def licence(application_id: Id, session: Session = SessionDep, actor: Principal = READERS) -> Response:
    app = service.visible_application(session, actor, application_id)
    return Response(
        file_store().open(app.licence_sha256),
        media_type=app.licence_content_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{_quoted(app.licence_filename)}"},
    )


def _quoted(name: str) -> str:
    return quote(name)


# --------------------------------------------------------------------------- the public directories


def _staff_out(row: StaffMember) -> StaffOut:
    return StaffOut(
        id=row.id,
        name=row.name,
        qualification=row.qualification,
        qualification_label=people.QUALIFICATIONS[row.qualification],
        valid_until=row.valid_until,
    )


def _directory(
    session: Session, kind: str, q: str | None, region: str | None, cursor: str | None, limit: int | None
) -> DirectoryPage:
    page = people.directory(session, kind, q=q, region=region, cursor=cursor, limit=limit)
    staff = people.staff_by_org(session, [o.id for o in page.items]) if kind == OrganisationKind.AGENCY.value else {}
    return DirectoryPage(
        items=[
            DirectoryEntry(
                id=o.id,
                name=o.name,
                credit_code=o.credit_code,
                region_code=o.region_code,
                status_label="正常",
                staff=[_staff_out(s) for s in staff.get(o.id, [])],
            )
            for o in page.items
        ],
        next_cursor=page.next_cursor,
    )


Q = Annotated[str | None, Query(max_length=100, description="名称（部分）或统一社会信用代码")]
REGION = Annotated[str | None, Query(pattern=r"^\d{6}$", description="行政区划代码")]
CURSOR = Annotated[str | None, Query(max_length=500)]
LIMIT = Annotated[int | None, Query(ge=1, le=100)]


@router.get("/enterprises", response_model=DirectoryPage, summary="企业名录（公开，分页）")
def enterprises(
    q: Q = None,
    region: REGION = None,
    cursor: CURSOR = None,
    limit: LIMIT = None,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> DirectoryPage:
    return _directory(session, OrganisationKind.ENTERPRISE.value, q, region, cursor, limit)


@router.get("/agencies", response_model=DirectoryPage, summary="代理机构名录及从业人员执业资格（公开，分页）")
def agencies(
    q: Q = None,
    region: REGION = None,
    cursor: CURSOR = None,
    limit: LIMIT = None,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> DirectoryPage:
    return _directory(session, OrganisationKind.AGENCY.value, q, region, cursor, limit)


# --------------------------------------------------------------------------- the organisation's people


def _user_out(user: User) -> OrgUserOut:
    roles = sorted(Role(r.role) for r in user.roles)
    return OrgUserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        is_active=user.is_active,
        roles=roles,
        role_labels=[r.label for r in roles],
    )


@router.get("/users", response_model=list[OrgUserOut], summary="本单位用户（企业管理员）")
def org_users(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = ORG_ADMIN) -> list[OrgUserOut]:
    page = organisation_users.user_page(session, actor, cursor=paging.cursor, limit=paging.limit)
    return [_user_out(u) for u in paging.answer(page)]


@router.post("/users", response_model=OrgUserOut, status_code=201, summary="添加本单位用户（企业管理员）")
def add_org_user(body: OrgUserIn, session: Session = SessionDep, actor: Principal = ORG_ADMIN) -> OrgUserOut:
    user = organisation_users.add_user(
        session, actor, username=body.username, display_name=body.display_name, password=body.password, roles=body.roles
    )
    return _user_out(user)


@router.put("/users/{user_id}/roles", response_model=OrgUserOut, summary="设置本单位用户的角色（企业管理员）")
def set_org_roles(
    user_id: Id, body: OrgRolesIn, session: Session = SessionDep, actor: Principal = ORG_ADMIN
) -> OrgUserOut:
    return _user_out(organisation_users.set_user_roles(session, actor, user_id, body.roles))


@router.put("/users/{user_id}/active", response_model=OrgUserOut, summary="启用或停用本单位用户（企业管理员）")
def set_org_active(
    user_id: Id, body: OrgActiveIn, session: Session = SessionDep, actor: Principal = ORG_ADMIN
) -> OrgUserOut:
    return _user_out(organisation_users.set_user_active(session, actor, user_id, body.active))


@router.get("/staff", response_model=list[StaffOut], summary="本机构登记的从业人员（代理机构管理员）")
def own_staff(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = ORG_ADMIN) -> list[StaffOut]:
    org, _ = service.own_participant(session, actor)
    page = people.staff_page(session, org.id, cursor=paging.cursor, limit=paging.limit)
    return [_staff_out(s) for s in paging.answer(page)]


@router.post("/staff", response_model=StaffOut, status_code=201, summary="登记从业人员及其执业资格（代理机构管理员）")
def add_staff(body: StaffIn, session: Session = SessionDep, actor: Principal = ORG_ADMIN) -> StaffOut:
    row = people.add_staff(
        session,
        actor,
        name=body.name,
        qualification=body.qualification,
        certificate_number=body.certificate_number,
        valid_until=body.valid_until,
    )
    return _staff_out(row)


@router.delete("/staff/{staff_id}", status_code=204, summary="移除从业人员（代理机构管理员）")
def remove_staff(staff_id: Id, session: Session = SessionDep, actor: Principal = ORG_ADMIN) -> Response:
    people.remove_staff(session, actor, staff_id)
    return Response(status_code=204)


# --------------------------------------------------------------------------- entrustment


def entrustment_out(row: Entrustment, project) -> EntrustmentOut:
    return EntrustmentOut(
        id=row.id,
        project_id=row.project_id,
        tenderer_id=project.tenderer_id,
        agency_id=project.agency_id,
        scope=row.scope,
        signed_on=row.signed_on,
        sha256=row.file_sha256,
        filename=row.filename,
        recorded_at=row.recorded_at,
    )


@router.get(
    "/projects/{project_id}/entrustments",
    response_model=list[EntrustmentOut],
    summary="项目的委托代理协议（当事人、交易中心、监督部门）",
)
def project_entrustments(
    project_id: Id, session: Session = SessionDep, actor: Principal = ENTRUSTMENT_READERS
) -> list[EntrustmentOut]:
    project, rows = people.entrustments(session, actor, project_id)
    return [entrustment_out(r, project) for r in rows]


@router.post(
    "/projects/{project_id}/entrustments",
    response_model=EntrustmentOut,
    status_code=201,
    summary="登记委托代理协议（招标人/采购人或交易中心；multipart/form-data：委托范围、签订日期、协议文件 agreement）",
)
async def record_entrustment(
    project_id: Id,
    signed_on: Annotated[IsoDate, Form(description="签订日期 YYYY-MM-DD")],
    scope: str = Form(..., max_length=2000, description="委托范围"),
    agreement: UploadFile | None = File(None, description="委托代理协议文件"),
    session: Session = SessionDep,
    actor: Principal = ENTRUSTMENT_WRITERS,
) -> EntrustmentOut:
    upload = await read_upload(agreement)

    def run() -> EntrustmentOut:
        row = people.record_entrustment(session, actor, project_id, scope=scope, signed_on=signed_on, agreement=upload)
        project, _ = people.entrustments(session, actor, project_id)
        return entrustment_out(row, project)

    return await run_in_threadpool(run)
