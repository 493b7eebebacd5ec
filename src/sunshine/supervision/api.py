"""JSON routes of social supervision: recruitment and the registry (the centre), the card check (anyone), the
weekly schedule (public part; supervisors' own view), choosing and drawing supervisors for sessions, the QR sign-in,
the opinion box, open days (announce, invite, apply, screen, select, check in, hold, report, poll, feedback)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity.roles import Role
from sunshine.supervision import cards, labels, opendays, opinions, polls, registry, schedule, sessions
from sunshine.supervision import schemas as s
from sunshine.supervision.models import OpenDay, Opinion, Participant, Supervisor

router = APIRouter(prefix="/api/v1/supervision", tags=["社会监督"])
PUBLIC = Depends(Access.public())
SIGNED_IN = Depends(Access.signed_in())
CENTRE = Depends(Access(Role.CENTRE_STAFF))
SUPERVISOR_ROLE = Depends(Access(Role.SOCIAL_SUPERVISOR))
OFFICE = Depends(Access(Role.GOVERNMENT_AFFAIRS))
PEOPLE = Depends(Access(Role.CENTRE_STAFF, Role.GOVERNMENT_AFFAIRS))
HANDLERS = Depends(Access(Role.CENTRE_STAFF, Role.SUPERVISOR, Role.DISCLOSURE_OFFICE))
REVIEWER = Depends(Access(Role.DISCLOSURE_OFFICE))


def supervisor_out(row: Supervisor) -> dict[str, Any]:
    """For the centre's staff who manage the registry (names and phones are theirs to see)."""
    return {
        "id": row.id,
        "kind": row.kind,
        "kind_label": labels.KINDS[row.kind],
        "source_label": labels.SOURCES[row.source],
        "name": row.name,
        "phone": row.phone,
        "employer": row.employer,
        "state": row.state,
        "state_label": labels.STATES[row.state],
        "in_office": registry.in_office(row),
        "term_start": row.term_start,
        "term_end": row.term_end,
        "card_serial": row.card_serial,
        "card_version": row.card_version,
        "card_link": cards.check_link(row) if row.card_serial else None,
    }


def open_day_out(session: Session, day: OpenDay) -> dict[str, Any]:
    return {
        "id": day.id,
        "kind": day.kind,
        "kind_label": labels.OPEN_DAY_KINDS[day.kind],
        "title": day.title,
        "description": day.description,
        "instructions": day.instructions,
        "agenda": opendays.agenda(day),
        "place": day.place,
        "starts_at": day.starts_at,
        "capacity": day.capacity,
        "apply_until": day.apply_until,
        "state": day.state,
        "state_label": labels.OPEN_DAY_STATES[day.state],
        "draw_code": day.draw_code,
        "draw_link": f"/draws/{day.draw_code}" if day.draw_code else None,
        "selected": [p.ref for p in opendays.people(session, day, ("selected",))],
        "poll": [{"id": o.id, "label": o.label, "votes": o.votes} for o in polls.options(session, day)],
        "poll_until": day.poll_until,
        "poll_result": polls.result(session, day),
        "report": day.report if day.report_published_at else None,
        "report_published_at": day.report_published_at,
    }


def participant_out(row: Participant) -> dict[str, Any]:
    return {
        "id": row.id,
        "ref": row.ref,
        "role_label": labels.PARTICIPANT_ROLES[row.role],
        "category_label": labels.CATEGORIES[row.category],
        "name": row.name,
        "phone": row.phone,
        "purpose": row.purpose,
        "channel_label": labels.CHANNELS[row.channel],
        "state": row.state,
        "state_label": labels.PARTICIPANT_STATES.get(row.state, row.state),
        "screening_note": row.screening_note,
        "notified_at": row.notified_at,
        "checked_in_at": row.checked_in_at,
        "feedback": row.feedback,
        "feedback_score": row.feedback_score,
    }


def opinion_staff_out(session: Session, row: Opinion) -> dict[str, Any]:
    return {
        "id": row.id,
        **opinions.public_view(session, row),
        "topic": row.topic,
        "responsible": row.responsible,
        "due_on": row.due_on,
        "publish": row.publish,
        "publish_label": labels.PUBLISH[row.publish],
    }


# --------------------------------------------------------------------------- registry


@router.get("/recruitments", summary="社会监督员招募公告")
def recruitments(paging: Paging = PAGING, session: Session = SessionDep, _: Principal = PUBLIC) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "title": r.title,
            "body": r.body,
            "kind_label": labels.KINDS[r.kind],
            "quota": r.quota,
            "opens_on": r.opens_on,
            "closes_on": r.closes_on,
        }
        for r in paging.answer(registry.recruitment_page(session, cursor=paging.cursor, limit=paging.limit))
    ]


@router.post("/recruitments", status_code=201, summary="发布招募公告（交易中心）")
def publish_recruitment(body: s.RecruitmentIn, session: Session = SessionDep, actor: Principal = CENTRE) -> dict:
    row = registry.publish_recruitment(session, actor, **body.model_dump())
    return {"id": row.id}


@router.post("/recruitments/{recruitment_id}/applications", status_code=201, summary="申请担任社会监督员")
def apply(
    recruitment_id: Id, body: s.ApplicationIn, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> dict:
    row = registry.apply(session, actor, recruitment_id, **body.model_dump())
    return {"id": row.id, "state_label": labels.STATES[row.state]}


@router.post("/supervisors/nominations", status_code=201, summary="录入人大、政协、媒体或政府的推荐（交易中心）")
def nominate(body: s.NominationIn, session: Session = SessionDep, actor: Principal = CENTRE) -> dict:
    return supervisor_out(registry.nominate(session, actor, **body.model_dump()))


@router.get("/supervisors", summary="监督员名录（交易中心）")
def supervisors(
    state: Annotated[str | None, Query(max_length=20)] = None,
    paging: Paging = PAGING,
    session: Session = SessionDep,
    actor: Principal = CENTRE,
) -> list[dict]:
    page = registry.listing(session, actor, state, cursor=paging.cursor, limit=paging.limit)
    return [supervisor_out(r) for r in paging.answer(page)]


@router.post("/supervisors/{supervisor_id}/appoint", summary="审核通过并聘任，发放工作证")
def appoint(supervisor_id: Id, body: s.NoteIn, session: Session = SessionDep, actor: Principal = CENTRE) -> dict:
    return supervisor_out(registry.appoint(session, actor, supervisor_id, body.note))


@router.post("/supervisors/{supervisor_id}/reject", summary="不予聘任")
def reject(supervisor_id: Id, body: s.NoteIn, session: Session = SessionDep, actor: Principal = CENTRE) -> dict:
    return supervisor_out(registry.reject(session, actor, supervisor_id, body.note))


@router.post("/supervisors/{supervisor_id}/renew", summary="续聘并换发工作证")
def renew(supervisor_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> dict:
    return supervisor_out(registry.renew(session, actor, supervisor_id))


@router.post("/supervisors/{supervisor_id}/dismiss", summary="解聘，工作证作废")
def dismiss(supervisor_id: Id, body: s.ReasonIn, session: Session = SessionDep, actor: Principal = CENTRE) -> dict:
    return supervisor_out(registry.dismiss(session, actor, supervisor_id, body.reason))


@router.get("/cards/{serial}", summary="核验工作证（扫码）")
def check_card(
    serial: Annotated[str, Path(max_length=24)],
    v: Annotated[int, Query(ge=0, le=100000)] = 0,
    sig: Annotated[str, Query(alias="s", max_length=200)] = "",
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> dict:
    c = cards.verify(session, serial, v, sig)
    return {
        "serial": c.serial,
        "state": c.state,
        "state_label": c.state_label,
        "kind_label": c.kind_label,
        "term_start": c.term_start,
        "term_end": c.term_end,
    }


# --------------------------------------------------------------------------- schedule and sessions


@router.get("/schedule", summary="本周及下周监督安排（公开部分）")
def public_schedule(session: Session = SessionDep, _: Principal = PUBLIC) -> dict:
    row = schedule.latest(session)
    items = [{k: v for k, v in i.items() if k not in ("starts", "ends")} for i in schedule.items_of(row)]
    return {"week_start": row.week_start if row else None, "items": items}


@router.get("/me/sessions", summary="我选择或抽中的场次（社会监督员）")
def my_sessions(
    paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = SUPERVISOR_ROLE
) -> list[dict]:
    return [
        {
            "booking_id": b.id,
            "title": b.title,
            "room": room.name,
            "starts_at": b.starts_at,
            "source_label": labels.ATTENDANCE_SOURCES[a.source],
            "signed_in_at": a.signed_in_at,
            "link": sessions.watch_link(b.id),
            "remote": sessions.remote_links(session, actor, b),
        }
        for a, b, room in paging.answer(sessions.mine_page(session, actor, cursor=paging.cursor, limit=paging.limit))
    ]


@router.post("/sessions/{booking_id}/choose", summary="选择参加场次（社会监督员）")
def choose(booking_id: Id, session: Session = SessionDep, actor: Principal = SUPERVISOR_ROLE) -> dict:
    row = sessions.choose(session, actor, booking_id)
    return {"booking_id": row.booking_id, "seat_id": row.seat_id, "link": sessions.watch_link(row.booking_id)}


@router.post("/sessions/{booking_id}/cancel", summary="取消参加场次（社会监督员）")
def cancel(booking_id: Id, session: Session = SessionDep, actor: Principal = SUPERVISOR_ROLE) -> dict:
    sessions.cancel(session, actor, booking_id)
    return {"booking_id": booking_id, "cancelled": True}


@router.get("/sessions/{booking_id}", summary="场次的社会监督记录（观察员按工作证编号）")
def session_record(booking_id: Id, session: Session = SessionDep, _: Principal = PUBLIC) -> dict:
    b, room = sessions.booking(session, booking_id)
    return {
        "booking_id": b.id,
        "title": b.title,
        "room": room.name,
        "starts_at": b.starts_at,
        "seats": sessions.seats_of(session, room),
        "observers": [
            {**o, "kind_label": labels.KINDS[o["kind"]], "source_label": labels.ATTENDANCE_SOURCES[o["source"]]}
            for o in sessions.record(session, b.id)
        ],
    }


@router.post("/sessions/{booking_id}/draws", status_code=201, summary="为场次抽取社会监督员（交易中心）")
def draw_for_session(
    booking_id: Id, body: s.SessionDrawIn, session: Session = SessionDep, actor: Principal = CENTRE
) -> dict:
    row = sessions.draw_for_session(session, actor, booking_id, count=body.count, party_user_id=body.party_user_id)
    return {"draw_code": row.draw_code, "room_link": f"/draws/{row.draw_code}/room"}


@router.post("/rooms/{room_id}/sign-in", summary="扫码签到（社会监督员）")
def sign_in(room_id: Id, session: Session = SessionDep, actor: Principal = SUPERVISOR_ROLE) -> dict:
    row, b = sessions.sign_in(session, actor, room_id)
    return {"booking_id": b.id, "title": b.title, "signed_in_at": row.signed_in_at}


# --------------------------------------------------------------------------- opinions


@router.post("/opinions", status_code=201, summary="提交意见（意见箱）")
def submit_opinion(body: s.OpinionIn, session: Session = SessionDep, actor: Principal = PUBLIC) -> dict:
    row, lookup = opinions.submit(session, actor, **body.model_dump())
    return {
        "code": row.code,
        "lookup": lookup,
        "responsible_label": opinions.responsible_label(row),
        "due_on": row.due_on,
    }


@router.post("/opinions/track", summary="按编号和查询码查询意见办理情况")
def track_opinion(body: s.TrackIn, session: Session = SessionDep, _: Principal = PUBLIC) -> dict:
    row = opinions.track(session, body.code, body.lookup)
    return {**opinions.public_view(session, row), "due_on": row.due_on, "publish_label": labels.PUBLISH[row.publish]}


@router.get("/opinions/published", summary="已公开的意见及答复")
def published_opinions(paging: Paging = PAGING, session: Session = SessionDep, _: Principal = PUBLIC) -> list[dict]:
    return paging.answer(opinions.published_page(session, cursor=paging.cursor, limit=paging.limit))


@router.get("/opinions", summary="待办意见（交由本部门答复或待公开审查）")
def opinion_queue(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = HANDLERS) -> list[dict]:
    page = opinions.queue(session, actor, cursor=paging.cursor, limit=paging.limit)
    return [opinion_staff_out(session, r) for r in paging.answer(page)]


@router.post("/opinions/{opinion_id}/answer", summary="答复意见")
def answer_opinion(
    opinion_id: Id, body: s.AnswerIn, session: Session = SessionDep, actor: Principal = HANDLERS
) -> dict:
    return opinion_staff_out(session, opinions.answer(session, actor, opinion_id, **body.model_dump()))


@router.post("/opinions/{opinion_id}/review", summary="意见公开审查（政务公开办）")
def review_opinion(
    opinion_id: Id, body: s.ReviewIn, session: Session = SessionDep, actor: Principal = REVIEWER
) -> dict:
    return opinion_staff_out(session, opinions.review(session, actor, opinion_id, **body.model_dump()))


# --------------------------------------------------------------------------- open days


@router.get("/open-days", summary="开放日")
def open_days(paging: Paging = PAGING, session: Session = SessionDep, _: Principal = PUBLIC) -> list[dict]:
    return [
        open_day_out(session, d)
        for d in paging.answer(opendays.page(session, cursor=paging.cursor, limit=paging.limit))
    ]


@router.get("/open-days/{open_day_id}", summary="开放日详情、活动须知与报告")
def open_day(open_day_id: Id, session: Session = SessionDep, _: Principal = PUBLIC) -> dict:
    return open_day_out(session, opendays.get(session, open_day_id))


@router.post("/open-days", status_code=201, summary="发布开放日通告（交易中心）")
def announce(body: s.OpenDayIn, session: Session = SessionDep, actor: Principal = CENTRE) -> dict:
    return open_day_out(session, opendays.announce(session, actor, **body.model_dump()))


@router.post("/open-days/{open_day_id}/invitations", status_code=201, summary="邀请参加人员（交易中心）")
def invite(open_day_id: Id, body: s.InviteIn, session: Session = SessionDep, actor: Principal = CENTRE) -> dict:
    return participant_out(opendays.invite(session, actor, open_day_id, **body.model_dump()))


@router.post("/open-days/{open_day_id}/applications", status_code=201, summary="申请参加开放日")
def apply_open_day(
    open_day_id: Id, body: s.OpenDayApplicationIn, session: Session = SessionDep, actor: Principal = PUBLIC
) -> dict:
    row, lookup = opendays.apply(session, actor, open_day_id, **body.model_dump())
    return {"ref": row.ref, "lookup": lookup, "state_label": labels.PARTICIPANT_STATES[row.state]}


@router.post("/open-days/{open_day_id}/offline-applications", status_code=201, summary="录入线下申请（交易中心）")
def apply_offline(
    open_day_id: Id, body: s.OpenDayApplicationIn, session: Session = SessionDep, actor: Principal = CENTRE
) -> dict:
    row, lookup = opendays.apply(session, actor, open_day_id, **body.model_dump(), offline=True)
    return {"ref": row.ref, "lookup": lookup, "state_label": labels.PARTICIPANT_STATES[row.state]}


@router.post("/open-days/{open_day_id}/join", status_code=201, summary="选择参加常态化开放日（社会监督员）")
def join(open_day_id: Id, session: Session = SessionDep, actor: Principal = SUPERVISOR_ROLE) -> dict:
    return {"ref": opendays.join_regular(session, actor, open_day_id).ref}


@router.get("/open-days/{open_day_id}/people", summary="开放日参加人员与申请（交易中心、政务办）")
def people(open_day_id: Id, session: Session = SessionDep, _: Principal = PEOPLE) -> dict:
    day = opendays.get(session, open_day_id)
    out = {"people": [participant_out(p) for p in opendays.people(session, day)]}
    if day.kind == "government":
        out["composition"] = opendays.composition(session, day)
    return out


@router.post("/open-days/participants/{participant_id}/screen", summary="筛选开放日申请（政务办）")
def screen(participant_id: Id, body: s.ScreenIn, session: Session = SessionDep, actor: Principal = OFFICE) -> dict:
    return participant_out(opendays.screen(session, actor, participant_id, **body.model_dump()))


@router.post("/open-days/{open_day_id}/select", summary="确定参加人员：超过人数时发起公开抽取（政务办）")
def select_attendees(open_day_id: Id, session: Session = SessionDep, actor: Principal = OFFICE) -> dict:
    day = opendays.select_attendees(session, actor, open_day_id)
    return {**open_day_out(session, day), "room_link": f"/draws/{day.draw_code}/room" if day.draw_code else None}


@router.post("/open-days/{open_day_id}/check-in", summary="现场签到（交易中心）")
def check_in(open_day_id: Id, body: s.CheckInIn, session: Session = SessionDep, actor: Principal = CENTRE) -> dict:
    return participant_out(opendays.check_in(session, actor, open_day_id, body.ref))


@router.post("/open-days/{open_day_id}/feedback", summary="参加人员反馈意见")
def feedback(open_day_id: Id, body: s.FeedbackIn, session: Session = SessionDep, _: Principal = PUBLIC) -> dict:
    row = opendays.feedback(session, open_day_id, body.ref, body.lookup, text=body.text, score=body.score)
    return {"ref": row.ref, "received": True}


@router.post("/open-days/{open_day_id}/hold", summary="登记开放日已举办（交易中心）")
def hold(open_day_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> dict:
    return open_day_out(session, opendays.hold(session, actor, open_day_id))


@router.post("/open-days/{open_day_id}/report", summary="发布活动报告（交易中心）")
def report(open_day_id: Id, body: s.ReportIn, session: Session = SessionDep, actor: Principal = CENTRE) -> dict:
    return open_day_out(session, opendays.publish_report(session, actor, open_day_id, body.report))


@router.post("/open-days/{open_day_id}/poll/{option_id}", summary="社会关注度调查投票")
def vote(
    open_day_id: Id, option_id: Id, request: Request, session: Session = SessionDep, _: Principal = PUBLIC
) -> dict:
    key = f"{request.client.host if request.client else ''}|{request.headers.get('user-agent', '')}"
    option = polls.vote(session, open_day_id, option_id, key)
    return {"option_id": option.id, "votes": option.votes}


@router.post("/open-days/{open_day_id}/poll-override", summary="调整社会关注度调查确定的项目（须写明理由，交易中心）")
def poll_override(
    open_day_id: Id, body: s.PollOverrideIn, session: Session = SessionDep, actor: Principal = CENTRE
) -> dict:
    return open_day_out(session, polls.override(session, actor, open_day_id, body.option_id, body.reason))
