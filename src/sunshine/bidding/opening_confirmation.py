"""Objections at the opening (开标异议) and the confirmation of its record: a bidder of the opening objects
on the spot, the tenderer's side answers and the answer is recorded (《招标投标法实施条例》第四十四条);
once every objection is answered, the tenderer's side and the centre confirm the record (supervisors may
too), and the opening ends: it is published, or the project fails when no section is left. Never commits.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import hooks
from sunshine.bidding.models import OpeningConfirmation, OpeningObjection, OpeningSession
from sunshine.bidding.opening import session_or_404
from sunshine.bidding.opening_record import confirmations_of, failed_sections, objections_of, record_step
from sunshine.bidding.service import sealed_bids
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.trading import visibility
from sunshine.trading.models import Project, Section

REQUIRED_CAPACITIES = ("party", "centre")
MAX_TEXT = 2000


OFFICIAL_FIELDS = {"reader": "唱标人", "recorder": "记录人", "overseer": "监标人"}


def set_officials(
    session: Session, actor: Principal, project_id: int, *, reader: str, recorder: str, overseer: str
) -> OpeningSession:
    """唱标人、记录人、监标人: the centre enters the names announced at the opening (seed 003 开标程序（三）)
    while the record is still open; they are part of the record that is confirmed, published and sealed."""
    if not actor.has(Role.CENTRE_STAFF):
        raise Forbidden("唱标人、记录人、监标人由交易中心登记")
    project = visibility.get_visible(session, actor, project_id)
    opening = session_or_404(session, project.id)
    if opening.status not in ("decrypting", "recording"):
        raise Conflict("开标记录已公布，不能再登记唱标人、记录人、监标人")
    names = {"reader": reader, "recorder": recorder, "overseer": overseer}
    for field, value in names.items():
        value = (value or "").strip()
        if not 2 <= len(value) <= 60:
            raise InvalidInput(f"请填写{OFFICIAL_FIELDS[field]}姓名（2到60字）", field=field)
        hooks.check_opening_person(session, project, None, value)
        setattr(opening, field, value)
    session.flush()
    ledger.append(
        session,
        "bidding:opening:officials",
        f"project:{project.code}",
        {field: getattr(opening, field) for field in OFFICIAL_FIELDS},
    )
    return opening


def raise_objection(session: Session, actor: Principal, project_id: int, text: str) -> OpeningObjection:
    """开标异议: a bidder of this opening objects on the spot (条例第四十四条)."""
    project = visibility.get_visible(session, actor, project_id)
    opening = session_or_404(session, project.id)
    if opening.status not in ("decrypting", "recording"):
        raise Conflict("开标记录已确认公布，开标现场异议环节已结束")
    if not any(b.organisation_id == actor.organisation_id for b in sealed_bids(session, project.id)):
        raise Forbidden("只有参加本次开标的投标人可以提出开标异议")
    text = (text or "").strip()
    if not 5 <= len(text) <= MAX_TEXT:
        raise InvalidInput(f"异议内容应为 5 到 {MAX_TEXT} 字", field="text")
    objection = OpeningObjection(
        session_id=opening.id,
        organisation_id=actor.organisation_id,
        raised_by=actor.user_id,
        text=text,
        raised_at=clock.now(),
    )
    session.add(objection)
    session.flush()
    ledger.append(
        session,
        "bidding:opening:objection",
        f"project:{project.code}",
        {"objection": objection.id, "text_sha256": hashlib.sha256(text.encode()).hexdigest()},
    )
    return objection


def answer_objection(session: Session, actor: Principal, objection_id: int, answer: str) -> OpeningObjection:
    """招标人当场作出答复，并制作记录."""
    objection = session.get(OpeningObjection, objection_id)
    opening = session.get(OpeningSession, objection.session_id) if objection else None
    project = session.get(Project, opening.project_id) if opening else None
    if objection is None or project is None or not visibility.is_party(actor, project):
        raise NotFound("异议不存在")
    if objection.answer is not None:
        raise Conflict("该异议已经答复")
    answer = (answer or "").strip()
    if not 2 <= len(answer) <= MAX_TEXT:
        raise InvalidInput(f"答复内容应为 2 到 {MAX_TEXT} 字", field="answer")
    objection.answer = answer
    objection.answered_by = actor.user_id
    objection.answered_at = clock.now()
    ledger.append(
        session,
        "bidding:opening:answer",
        f"project:{project.code}",
        {"objection": objection.id, "answer_sha256": hashlib.sha256(answer.encode()).hexdigest()},
    )
    return objection


def _capacity(actor: Principal, project: Project) -> str:
    if visibility.is_party(actor, project):
        return "party"
    if Role.CENTRE_STAFF in actor.roles:
        return "centre"
    if Role.SUPERVISOR in actor.roles:
        return "supervisor"
    raise Forbidden("只有招标人或其代理机构、交易中心和监督人员可以确认开标记录")


def confirm(session: Session, actor: Principal, project_id: int) -> OpeningSession:
    """确认开标记录; once the tenderer's side and the centre have confirmed, the record is published."""
    project = visibility.get_visible(session, actor, project_id)
    opening = session_or_404(session, project.id)
    capacity = _capacity(actor, project)
    if opening.status == "decrypting":
        raise Conflict("解密尚未结束，开标记录还未形成")
    if opening.status != "recording":
        raise Conflict("开标记录已经公布")
    objections = objections_of(session, opening)
    if any(o.answer is None for o in objections):
        raise Conflict("尚有开标异议未答复；答复后方可确认开标记录")
    if session.scalar(
        select(OpeningConfirmation).where(
            OpeningConfirmation.session_id == opening.id, OpeningConfirmation.user_id == actor.user_id
        )
    ):
        raise Conflict("您已确认过开标记录")
    hooks.check_opening_person(session, project, actor.user_id, actor.display_name)
    session.add(
        OpeningConfirmation(
            session_id=opening.id,
            user_id=actor.user_id,
            capacity=capacity,
            name=actor.display_name,
            confirmed_at=clock.now(),
        )
    )
    session.flush()
    have = {c.capacity for c in confirmations_of(session, opening)}
    if all(c in have for c in REQUIRED_CAPACITIES):
        _finish(session, actor, project, opening)
    return opening


def _finish(session: Session, actor: Principal, project: Project, opening: OpeningSession) -> None:
    sections = session.scalars(select(Section).where(Section.project_id == project.id)).all()
    failed = failed_sections(opening)
    opening.status = "published"
    if len(failed) == len(sections):
        opening.status = "failed"
        project.failed_attempts += 1
        record_step(session, project, opening, "fail", actor, reason="；".join(failed.values()))
    else:
        record_step(session, project, opening, "finish_opening", actor)
