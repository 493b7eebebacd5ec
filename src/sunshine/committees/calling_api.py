"""JSON API of calling the drawn experts: the expert's own assignments with confirm, decline and sign-in
(``/api/v1/expert/assignments``), and a request's sign-in list (``…/sign-in-list``: positions, hashes and
states; names only to the centre's staff and the committee's members from the sign-in, and to every reader
once the results are public)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sunshine.committees import calling, signin
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.identity.roles import Role

router = APIRouter(prefix="/api/v1", tags=["评标专家通知与签到"])
EXPERT = Depends(Access(Role.EXPERT))
READERS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF, Role.EXPERT))


class AssignmentOut(BaseModel):
    id: int
    request_id: int
    title: str = Field(description="项目及标段（包）")
    purpose: str
    specialty: str
    meeting_at: datetime
    place: str
    state: str = Field(description="pending confirmed declined timed_out recused no_show released")
    state_label: str
    called_at: datetime
    due_at: datetime
    seconds_left: int | None = Field(description="待确认时距确认时限的秒数")
    answered_at: datetime | None
    decline_reason: str | None
    signed_in_at: datetime | None
    may_sign_in: bool
    sign_in_opens_at: datetime


class AssignmentList(BaseModel):
    pending: list[AssignmentOut]
    upcoming: list[AssignmentOut]
    history: list[AssignmentOut]


class DeclineIn(BaseModel):
    reason: str = Field(max_length=20, description="schedule health away conflict other")
    note: str = Field("", max_length=300, description="选择“其他原因”时必填")


class SignInLineOut(BaseModel):
    id: int
    position: int
    specialty: str
    leaf: str
    state: str
    state_label: str
    signed_in_at: datetime | None
    name: str | None = Field(
        description="仅在签到后向组织评审的中心人员和评审委员会成员显示；结果公开后向所有可查看者显示"
    )
    may_mark_no_show: bool


class SignInListOut(BaseModel):
    request_id: int
    title: str
    meeting_at: datetime
    place: str
    names_shown: bool
    short: dict[str, int] = Field(description="抽取顺序用尽后尚缺的人数（按专业），须补抽")
    lines: list[SignInLineOut]


def assignment_out(a: signin.Assignment) -> AssignmentOut:
    c = a.call
    return AssignmentOut(
        id=c.id,
        request_id=c.request_id,
        title=a.title,
        purpose=a.purpose,
        specialty=a.specialty,
        meeting_at=a.request.meeting_at,
        place=a.place,
        state=c.state,
        state_label=a.state_label,
        called_at=c.called_at,
        due_at=c.due_at,
        seconds_left=a.seconds_left,
        answered_at=c.answered_at,
        decline_reason=a.decline_reason,
        signed_in_at=c.signed_in_at,
        may_sign_in=a.may_sign_in,
        sign_in_opens_at=a.sign_in_opens_at,
    )


def _one(session: Session, actor: Principal, call_id: int) -> AssignmentOut:
    found = next(a for a in signin.assignments(session, actor) if a.call.id == call_id)
    return assignment_out(found)


@router.get("/expert/assignments", response_model=AssignmentList, summary="我的评标邀请：待确认、待参加、历史")
def my_assignments(session: Session = SessionDep, actor: Principal = EXPERT) -> AssignmentList:
    pending, ahead, rest = signin.split(signin.assignments(session, actor))
    return AssignmentList(
        pending=[assignment_out(a) for a in pending],
        upcoming=[assignment_out(a) for a in ahead],
        history=[assignment_out(a) for a in rest],
    )


@router.post("/expert/assignments/{call_id}/confirm", response_model=AssignmentOut, summary="确认参加（再次检查回避）")
def confirm(call_id: Id, session: Session = SessionDep, actor: Principal = EXPERT) -> AssignmentOut:
    calling.confirm(session, actor, call_id)
    return _one(session, actor, call_id)


@router.post("/expert/assignments/{call_id}/decline", response_model=AssignmentOut, summary="不参加（须说明原因）")
def decline(call_id: Id, body: DeclineIn, session: Session = SessionDep, actor: Principal = EXPERT) -> AssignmentOut:
    calling.decline(session, actor, call_id, body.reason, body.note)
    return _one(session, actor, call_id)


@router.post("/expert/assignments/{call_id}/sign-in", response_model=AssignmentOut, summary="评审签到（再次检查回避）")
def sign_in(call_id: Id, session: Session = SessionDep, actor: Principal = EXPERT) -> AssignmentOut:
    calling.sign_in(session, actor, call_id)
    return _one(session, actor, call_id)


def sign_in_list_out(found: signin.SignInList) -> SignInListOut:
    return SignInListOut(
        request_id=found.request.id,
        title=found.title,
        meeting_at=found.request.meeting_at,
        place=calling.place_text(found.request),
        names_shown=found.names_shown,
        short={found.specialty_labels.get(code, code): n for code, n in found.short.items()},
        lines=[
            SignInLineOut(
                id=line.id,
                position=line.position,
                specialty=found.specialty_labels.get(line.specialty, line.specialty),
                leaf=line.leaf,
                state=line.state,
                state_label=line.state_label,
                signed_in_at=line.signed_in_at,
                name=line.name,
                may_mark_no_show=line.may_mark_no_show,
            )
            for line in found.lines
        ],
    )


@router.get(
    "/committees/requests/{request_id}/sign-in-list",
    response_model=SignInListOut,
    summary="专家通知与签到名单（签到前只显示序位、哈希和状态）",
)
def sign_in_list(request_id: Id, session: Session = SessionDep, actor: Principal = READERS) -> SignInListOut:
    return sign_in_list_out(signin.sign_in_list(session, actor, request_id))


@router.post(
    "/committees/requests/{request_id}/calls/{call_id}/no-show",
    response_model=SignInListOut,
    summary="登记专家未到场（按抽取顺序递补）",
)
def no_show(
    request_id: Id, call_id: Id, session: Session = SessionDep, actor: Principal = Depends(Access(Role.CENTRE_STAFF))
) -> SignInListOut:
    calling.mark_no_show(session, actor, request_id, call_id)
    return sign_in_list_out(signin.sign_in_list(session, actor, request_id))
