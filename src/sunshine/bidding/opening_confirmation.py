"""The confirmation of the opening record: the objections raised at the opening (开标异议, 《招标投标法实施条例》
第四十四条: raised on the spot, answered on the spot and recorded) are kept by the complaints domain and read here
through ``hooks.opening_objections``; once every objection is answered, the tenderer's side and the centre
confirm the record (supervisors may too), and the opening ends: it is published, or the project fails when no
section is left. Never commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import hooks
from sunshine.bidding.models import OpeningConfirmation, OpeningSession
from sunshine.bidding.opening import session_or_404
from sunshine.bidding.opening_record import confirmations_of, failed_sections, objections_of, record_step
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput
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
