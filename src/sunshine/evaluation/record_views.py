"""Pages of the session's watched, minuted and sealed record: the observer's live view of a session
(``/evaluation/sessions/{id}/watch``, refreshed by htmx), the panel of the session room with the minutes and the
members' sites and, for the centre's staff, the observer seats and the seal; the staff's forms to admit and revoke
observers, to minute a remark and to record a member's site; the member's confirmation of their own remarks; the
bidder's answer to a price correction; the centre's list of sealed sessions and the verification page of one.
Thin: every rule is in ``watching``, ``minutes``, ``sites``, ``pricing`` and ``sealing``; refusals flash and come
back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import Id, stored_id
from sunshine.evaluation import minutes, pricing, sealing, service, sites, visibility, watching
from sunshine.evaluation.models import EvaluationSession
from sunshine.identity.roles import Role
from sunshine.observers.service import CAPACITIES
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["评标（评审）页面"], include_in_schema=False)
CENTRE = Depends(Access(Role.CENTRE_STAFF))
WATCHERS = Depends(Access.signed_in())
MINUTERS = Depends(Access(Role.CENTRE_STAFF, Role.EXPERT, Role.TENDERER))
MEMBERS = Depends(Access(Role.EXPERT, Role.TENDERER))
ARCHIVISTS = Depends(Access(Role.CENTRE_STAFF, Role.SUPERVISOR))
BIDDER = Depends(Access(Role.BIDDER))
LIST = "/evaluation/sessions"


def _room(session_id: int) -> str:
    return f"{LIST}/{session_id}#minutes"


def room_context(session: Session, actor: Principal, row: EvaluationSession) -> dict[str, Any]:
    """What the session room's record panel shows the viewer (a member or the staff running it)."""
    me = visibility.member_of(session, actor, row)
    runs = visibility.runs(actor)
    return {
        "minutes": minutes.for_report(session, row),
        "my_member_id": me.id if me is not None else None,
        "may_minute": row.sealed_at is None and row.state in minutes.OPEN_STATES and (runs or me is not None),
        "speakers": [(str(m.id), m.name) for m in service.members_of(session, row, active_only=True)],
        "seats": watching.seats_view(session, actor, row.id) if runs else [],
        "capacities": [(code, label) for code, (label, _) in CAPACITIES.items()],
        "sites": sites.sites_of(session, row),
        "may_set_site": runs and row.sealed_at is None and row.state in sites.OPEN_STATES,
        "remote": _remote(session, actor, row),
        "centres": [(str(c.id), c.name) for c in sites.centres(session)] if runs else [],
        "sealed_at": row.sealed_at,
        "seal_sha256": row.seal_sha256,
        "seal_ledger_seq": row.seal_ledger_seq,
    }


def _remote(session: Session, actor: Principal, row: EvaluationSession) -> list[dict[str, Any]]:
    """The members seated at a named remote centre: their site, its sign-in, whether the viewer's centre takes it."""
    open_ = row.sealed_at is None and row.state in sites.OPEN_STATES
    return [
        {
            "id": m.id,
            "name": m.name,
            "site": m.site,
            "signed_in_at": m.site_signed_in_at,
            "mine": open_ and visibility.runs(actor) and actor.organisation_id == m.site_centre_id,
        }
        for m in service.members_of(session, row, active_only=True)
        if m.site is not None and m.site_centre_id is not None
    ]


@router.get(LIST + "/{session_id}/watch", response_class=HTMLResponse)
def watch(request: Request, session_id: Id, session: Session = SessionDep, actor: Principal = WATCHERS) -> Response:
    view = watching.watch_view(session, actor, session_id)
    return render(request, "evaluation_watch.html", page_title=f"观看评标 · {view['project_name']}", w=view)


@router.post(LIST + "/{session_id}/observers", response_class=HTMLResponse)
def admit_observer(
    request: Request,
    session_id: Id,
    user_id: Annotated[Id, Form()],
    capacity: Annotated[str, Form(max_length=20)],
    session: Session = SessionDep,
    actor: Principal = CENTRE,
) -> Response:
    def go():
        return watching.admit(session, actor, session_id, user_id=user_id, capacity=capacity)

    return act(request, _room(session_id), go, "观察席已安排")


@router.post(LIST + "/{session_id}/observers/{seat_id}/revoke", response_class=HTMLResponse)
def revoke_observer(
    request: Request, session_id: Id, seat_id: Id, session: Session = SessionDep, actor: Principal = CENTRE
) -> Response:
    return act(request, _room(session_id), lambda: watching.revoke(session, actor, session_id, seat_id), "观察席已撤销")


@router.post(LIST + "/{session_id}/minutes", response_class=HTMLResponse)
def record_remark(
    request: Request,
    session_id: Id,
    text: Annotated[str, Form(max_length=3000)],
    member_id: Annotated[str, Form(max_length=12)] = "",
    session: Session = SessionDep,
    actor: Principal = MINUTERS,
) -> Response:
    speaker = stored_id(member_id)

    def go():
        return minutes.record(session, actor, session_id, member_id=speaker, text=text)

    return act(request, _room(session_id), go, "发言已记录")


@router.post(LIST + "/{session_id}/minutes/{remark_id}/confirm", response_class=HTMLResponse)
def confirm_remark(
    request: Request, session_id: Id, remark_id: Id, session: Session = SessionDep, actor: Principal = MEMBERS
) -> Response:
    return act(
        request, _room(session_id), lambda: minutes.confirm(session, actor, session_id, remark_id), "已确认本人发言记录"
    )


@router.get("/evaluation/seals", response_class=HTMLResponse)
def seals(request: Request, session: Session = SessionDep, actor: Principal = ARCHIVISTS) -> Response:
    return render(request, "evaluation_seals.html", page_title="评标资料封存档案", items=sealing.sealed(session, actor))


@router.get(LIST + "/{session_id}/seal", response_class=HTMLResponse)
def seal(request: Request, session_id: Id, session: Session = SessionDep, actor: Principal = ARCHIVISTS) -> Response:
    result = sealing.verify(session, actor, session_id)
    return render(request, "evaluation_seal.html", page_title="查验封存档案", r=result)


@router.post(LIST + "/{session_id}/sites", response_class=HTMLResponse)
def member_site(
    request: Request,
    session_id: Id,
    member_id: Annotated[Id, Form()],
    site: Annotated[str, Form(max_length=200)] = "",
    centre_id: Annotated[str, Form(max_length=12)] = "",
    session: Session = SessionDep,
    actor: Principal = CENTRE,
) -> Response:
    def go():
        centre = stored_id(centre_id) if centre_id.strip() else None
        if centre_id.strip() and centre is None:
            raise InvalidInput("请选择平台上的交易中心", field="centre_id")
        return sites.set_site(session, actor, session_id, member_id, site, centre)

    return act(request, f"{LIST}/{session_id}#sites", go, "评标地点已记录")


@router.post(LIST + "/{session_id}/sites/{member_id}/sign-in", response_class=HTMLResponse)
def member_site_sign_in(
    request: Request, session_id: Id, member_id: Id, session: Session = SessionDep, actor: Principal = CENTRE
) -> Response:
    def go():
        return sites.sign_in_at_site(session, actor, session_id, member_id)

    return act(request, f"{LIST}/{session_id}#sites", go, "已在本中心的异地评标席位为该成员签到")


@router.post("/evaluation/corrections/{correction_id}/answer", response_class=HTMLResponse)
def answer_correction(
    request: Request,
    correction_id: Id,
    confirm: Annotated[str, Form(max_length=1)],
    session: Session = SessionDep,
    actor: Principal = BIDDER,
) -> Response:
    agreed = confirm == "1"

    def go():
        return pricing.answer(session, actor, correction_id, confirm=agreed)

    done = "已确认修正后的报价" if agreed else "已表示不确认修正后的报价，贵单位的投标无效"
    return act(request, "/evaluation/my-queries#corrections", go, done)
