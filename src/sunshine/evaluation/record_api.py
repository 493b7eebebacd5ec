"""JSON routes of the session's watched, minuted and sealed record: the observers' seats the centre arranges and the
observer's live view (``watching``), the minutes (``minutes``: staff or the member record a remark, the member
confirms their own), each member's site (``sites``, 异地评标), and the sealed archive (``sealing``: listed and
verified by the centre and the supervisory department). Thin: the rules are in those modules."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.evaluation import minutes, sealing, sites, visibility, watching
from sunshine.evaluation.schemas import ObserverIn, RemarkIn, SiteIn
from sunshine.identity.roles import Role
from sunshine.observers.service import capacity_label

router = APIRouter(prefix="/api/v1/evaluation", tags=["评标（评审）"])
CENTRE = Depends(Access(Role.CENTRE_STAFF))
#: a seat may be given to any account (a social supervisor, a citizen at an open day); the seat decides, else 404
WATCHERS = Depends(Access.signed_in())
#: the minutes: the staff keeping them and the members
MINUTERS = Depends(Access(Role.CENTRE_STAFF, Role.EXPERT, Role.TENDERER))
MEMBERS = Depends(Access(Role.EXPERT, Role.TENDERER))
ARCHIVISTS = Depends(Access(Role.CENTRE_STAFF, Role.SUPERVISOR))


def _seat(seat) -> dict[str, Any]:
    return {
        "id": seat.id,
        "user_id": seat.user_id,
        "capacity": seat.capacity,
        "capacity_label": capacity_label(seat.capacity),
        "admitted_at": seat.admitted_at,
        "revoked_at": seat.revoked_at,
    }


@router.post("/sessions/{session_id}/observers", status_code=201, summary="安排观察席")
def admit_observer(session_id: Id, body: ObserverIn, session: Session = SessionDep, actor: Principal = CENTRE) -> Any:
    return _seat(watching.admit(session, actor, session_id, user_id=body.user_id, capacity=body.capacity))


@router.get("/sessions/{session_id}/observers", summary="本次会议的观察席")
def observers(session_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> Any:
    return watching.seats_view(session, actor, session_id)


@router.post("/sessions/{session_id}/observers/{seat_id}/revoke", summary="撤销观察席")
def revoke_observer(session_id: Id, seat_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> Any:
    return _seat(watching.revoke(session, actor, session_id, seat_id))


@router.get("/sessions/{session_id}/watch", summary="观看评标会议进程（成员身份和评分在结果公布前隐藏）")
def watch(session_id: Id, session: Session = SessionDep, actor: Principal = WATCHERS) -> Any:
    return watching.watch_view(session, actor, session_id)


def _remark(r) -> dict[str, Any]:
    return {
        "id": r.id,
        "member_id": r.member_id,
        "text": r.text,
        "recorded_at": r.recorded_at,
        "confirmed": r.confirmed_at is not None,
        "confirmed_at": r.confirmed_at,
    }


@router.get("/sessions/{session_id}/minutes", summary="会议记录")
def get_minutes(session_id: Id, session: Session = SessionDep, actor: Principal = MINUTERS) -> Any:
    row, _ = visibility.get_readable(session, actor, session_id)
    return minutes.for_report(session, row)


@router.post("/sessions/{session_id}/minutes", status_code=201, summary="记录成员发言")
def record_remark(session_id: Id, body: RemarkIn, session: Session = SessionDep, actor: Principal = MINUTERS) -> Any:
    return _remark(minutes.record(session, actor, session_id, member_id=body.member_id, text=body.text))


@router.post("/sessions/{session_id}/minutes/{remark_id}/confirm", summary="确认本人发言记录")
def confirm_remark(session_id: Id, remark_id: Id, session: Session = SessionDep, actor: Principal = MEMBERS) -> Any:
    return _remark(minutes.confirm(session, actor, session_id, remark_id))


@router.get("/seals", summary="已封存的评标会议")
def seals(session: Session = SessionDep, actor: Principal = ARCHIVISTS) -> Any:
    return sealing.sealed(session, actor)


@router.get("/sessions/{session_id}/seal", summary="查验封存档案")
def verify_seal(session_id: Id, session: Session = SessionDep, actor: Principal = ARCHIVISTS) -> Any:
    return sealing.verify(session, actor, session_id)


@router.post("/sessions/{session_id}/members/{member_id}/site", summary="记录成员的评标地点（异地评标）")
def member_site(
    session_id: Id, member_id: Id, body: SiteIn, session: Session = SessionDep, actor: Principal = CENTRE
) -> Any:
    member = sites.set_site(session, actor, session_id, member_id, body.site, body.centre_id)
    row, _ = visibility.get_readable(session, actor, session_id)
    return {
        "member_id": member.id,
        "site": member.site,
        "site_centre_id": member.site_centre_id,
        "sites": sites.sites_of(session, row),
    }


@router.post("/sessions/{session_id}/members/{member_id}/site-sign-in", summary="异地评标所在交易中心为成员签到")
def member_site_sign_in(session_id: Id, member_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> Any:
    member = sites.sign_in_at_site(session, actor, session_id, member_id)
    return {"member_id": member.id, "site": member.site, "site_signed_in_at": member.site_signed_in_at}
