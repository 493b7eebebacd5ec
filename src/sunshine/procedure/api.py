"""JSON routes of the procedure before the notice: the public catalogue (交易目录), method change applications
after failed tenders (the purchaser applies, the finance department decides) and direct awards without tender
(the tenderer applies, the supervisory department decides), and the invitation tender after its prequalification
(the centre draws the invitees, the agency sends the letters, the invited read them). Thin: the rules are in the
services."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity.roles import Role
from sunshine.procedure import direct_award, invitations, method_change
from sunshine.procedure.catalogue import catalogue
from sunshine.procedure.schemas import (
    CatalogueOut,
    DecisionIn,
    DirectAwardIn,
    DirectAwardOut,
    InvitationDrawIn,
    InvitationOut,
    InvitationRoundOut,
    InvitationSendIn,
    MethodChangeIn,
    MethodChangeOut,
    direct_award_out,
    entry_out,
    invitation_out,
    invitation_round_out,
    method_change_out,
)
from sunshine.trading.models import Section

router = APIRouter(prefix="/api/v1/procedure", tags=["进场与方式"])
PUBLIC = Depends(Access.public())
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER))
READERS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF))
OFFICIALS = Depends(Access(Role.SUPERVISOR, Role.CENTRE_STAFF))
DEPARTMENT = Depends(Access(Role.SUPERVISOR))
TENDERER = Depends(Access(Role.TENDERER))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
BIDDER = Depends(Access(Role.BIDDER))
SIGNED_IN = Depends(Access(Role.BIDDER, Role.AGENCY, Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF))
AWARD_READERS = Depends(Access(Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF))


@router.get("/catalogue", response_model=CatalogueOut, summary="公共资源交易目录（应进必进）及交易目录编码")
def get_catalogue(actor: Principal = PUBLIC) -> CatalogueOut:
    cat = catalogue()
    return CatalogueOut(version=cat.version, basis=cat.basis, entries=[entry_out(e) for e in cat.entries])


@router.get(
    "/projects/{project_id}/method-changes",
    response_model=list[MethodChangeOut],
    summary="流标项目的变更采购方式申请（采购人、代理机构、财政部门、交易中心）",
)
def project_method_changes(
    project_id: Id, session: Session = SessionDep, actor: Principal = READERS
) -> list[MethodChangeOut]:
    project, rows = method_change.for_project(session, actor, project_id)
    return [method_change_out(row, project) for row in rows]


@router.post(
    "/projects/{project_id}/method-changes",
    response_model=MethodChangeOut,
    status_code=201,
    summary="向财政部门申请变更采购方式（连续流标后，附专家意见、代理机构意见、采购人申请、公告及递交表）",
)
def apply_method_change(
    project_id: Id, body: MethodChangeIn, session: Session = SessionDep, actor: Principal = PARTIES
) -> MethodChangeOut:
    row = method_change.apply_for(session, actor, project_id, **body.model_dump())
    _, project = method_change.get_readable(session, actor, row.id)
    return method_change_out(row, project)


@router.get("/method-changes", response_model=list[MethodChangeOut], summary="变更采购方式申请（财政部门审批队列）")
def method_change_queue(
    paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = OFFICIALS
) -> list[MethodChangeOut]:
    page = method_change.queue(session, actor, cursor=paging.cursor, limit=paging.limit)
    return [method_change_out(row, project) for row, project in paging.answer(page)]


@router.get("/method-changes/{application_id}", response_model=MethodChangeOut, summary="变更采购方式申请")
def get_method_change(application_id: Id, session: Session = SessionDep, actor: Principal = READERS) -> MethodChangeOut:
    row, project = method_change.get_readable(session, actor, application_id)
    return method_change_out(row, project)


@router.post(
    "/method-changes/{application_id}/decision",
    response_model=MethodChangeOut,
    summary="财政部门批准或不予批准变更采购方式",
)
def decide_method_change(
    application_id: Id, body: DecisionIn, session: Session = SessionDep, actor: Principal = DEPARTMENT
) -> MethodChangeOut:
    row = method_change.decide(session, actor, application_id, approve=body.approve, decision=body.decision)
    _, project = method_change.get_readable(session, actor, row.id)
    return method_change_out(row, project)


@router.get("/direct-awards", response_model=list[DirectAwardOut], summary="依法不招标（直接发包）申请")
def direct_awards(
    paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = AWARD_READERS
) -> list[DirectAwardOut]:
    page = direct_award.listing(session, actor, cursor=paging.cursor, limit=paging.limit)
    return [direct_award_out(row) for row in paging.answer(page)]


@router.post(
    "/direct-awards",
    response_model=DirectAwardOut,
    status_code=201,
    summary="招标人申请依法不招标（招标投标法第六十六条、条例第九条的法定情形）",
)
def apply_direct_award(
    body: DirectAwardIn, session: Session = SessionDep, actor: Principal = TENDERER
) -> DirectAwardOut:
    return direct_award_out(direct_award.apply_for(session, actor, **body.model_dump()))


@router.get("/direct-awards/{award_id}", response_model=DirectAwardOut, summary="依法不招标申请")
def get_direct_award(award_id: Id, session: Session = SessionDep, actor: Principal = AWARD_READERS) -> DirectAwardOut:
    return direct_award_out(direct_award.get_readable(session, actor, award_id))


@router.post(
    "/direct-awards/{award_id}/decision",
    response_model=DirectAwardOut,
    summary="行政监督部门批准（并公开）或不予批准依法不招标",
)
def decide_direct_award(
    award_id: Id, body: DecisionIn, session: Session = SessionDep, actor: Principal = DEPARTMENT
) -> DirectAwardOut:
    row = direct_award.decide(session, actor, award_id, approve=body.approve, decision=body.decision)
    return direct_award_out(row)


@router.get(
    "/projects/{project_id}/invitations",
    response_model=InvitationRoundOut,
    summary="邀请招标资格预审后的随机抽取与投标邀请书（采购人、代理机构、交易中心、监督部门）",
)
def project_invitations(
    project_id: Id, session: Session = SessionDep, actor: Principal = READERS
) -> InvitationRoundOut:
    project, row, sections = invitations.for_project(session, actor, project_id)
    return invitation_round_out(session, project, row, sections)


@router.post(
    "/projects/{project_id}/invitations/draw",
    response_model=InvitationRoundOut,
    summary="交易中心组织随机抽取受邀供应商（资格预审通过者中抽取，不足规定数量的流标）",
)
def draw_invitees(
    project_id: Id, body: InvitationDrawIn, session: Session = SessionDep, actor: Principal = CENTRE
) -> InvitationRoundOut:
    invitations.prepare(session, actor, project_id, supervisor_user_id=body.supervisor_user_id, count=body.count)
    project, row, sections = invitations.for_project(session, actor, project_id)
    return invitation_round_out(session, project, row, sections)


@router.post(
    "/projects/{project_id}/invitations/send",
    response_model=InvitationRoundOut,
    summary="采购人或代理机构发出投标邀请书（定招标文件提供期限与投标截止时间）",
)
def send_invitations(
    project_id: Id, body: InvitationSendIn, session: Session = SessionDep, actor: Principal = PARTIES
) -> InvitationRoundOut:
    invitations.send(session, actor, project_id, **body.model_dump())
    project, row, sections = invitations.for_project(session, actor, project_id)
    return invitation_round_out(session, project, row, sections)


@router.get("/invitations", response_model=list[InvitationOut], summary="本单位收到的投标邀请书")
def my_invitations(
    paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = BIDDER
) -> list[InvitationOut]:
    rows = paging.answer(invitations.mine(session, actor, cursor=paging.cursor, limit=paging.limit))
    names = invitations.organisation_names(session, [inv.organisation_id for inv, _ in rows])
    return [
        invitation_out(inv, p, session.get(Section, inv.section_id), names.get(inv.organisation_id, ""))
        for inv, p in rows
    ]


@router.get("/invitations/{invitation_id}", response_model=InvitationOut, summary="投标邀请书")
def get_invitation(invitation_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> InvitationOut:
    inv, project, section = invitations.letter(session, actor, invitation_id)
    names = invitations.organisation_names(session, [inv.organisation_id])
    return invitation_out(inv, project, section, names.get(inv.organisation_id, ""))
