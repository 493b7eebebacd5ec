"""After the prequalification of a procurement invitation tender (政府采购邀请招标, 87号令第十四条: 从符合资格条件的
供应商名单中随机抽取3家以上供应商，向其发出投标邀请书). The round opens when the prequalification notice of a
project whose pack names ``min_invitees`` is published; the project's opening is held while the round runs (the
application deadline is no bid deadline). Once the applications have closed and every applicant's result is
recorded, the centre prepares one publicly verifiable draw per section (``sunshine.draws``, purpose
``invitees``) among the applicants who passed; a section with fewer than ``min_invitees`` is not drawn, and when
no section can be drawn the project fails (流标) with its notice. When the draws are made the agency sends the
invitation letters (投标邀请书) with the tender schedule (checked like a tender notice's against the pack): each
drawn supplier's users receive it in their inbox, the project returns to 投标中, and only the invited suppliers
may obtain the tender documents and bid (a registration and a participation check of the kernel). The draws are
disclosed when the opening is over (who was invited stays confidential until then). Never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.formatting import local_time
from sunshine.core.pagination import Keyset, Page, bounded_limit, paginate
from sunshine.draws import service as draws
from sunshine.identity.models import Organisation, User, UserRole
from sunshine.identity.roles import Role
from sunshine.messaging import service as messaging
from sunshine.procedure.models import Invitation, InvitationDraw, InvitationRound
from sunshine.rules.service import rules_of
from sunshine.trading import deposits, lifecycle, notice_schedule, visibility
from sunshine.trading import service as trading
from sunshine.trading.models import Notice, Project, QualificationResult, Registration, Section
from sunshine.venues import service as venues
from sunshine.venues.models import Room as VenueRoom

PURPOSE = "invitees"
PURPOSE_LABEL = "邀请招标随机抽取受邀供应商"
GROUP, GROUP_LABEL = "supplier", "受邀供应商"
RULE = "min_invitees"
MESSAGE_KIND = "invitation"
ROUND_STATES = {
    "prequalifying": "资格预审中",
    "drawing": "随机抽取受邀供应商中",
    "drawn": "已抽取，待发出投标邀请书",
    "invited": "已发出投标邀请书",
    "failed": "合格供应商不足，流标",
}
DRAW_STATES = {"prepared": "待抽取", "drawn": "已抽取", "failed": "合格供应商不足，未抽取"}
HOLDING = ("prequalifying", "drawing", "drawn")  # the round states that hold the opening
ELIGIBLE = "eligible"
REASONS = {
    "invitees_withdrawn": "已撤回资格预审申请",
    "invitees_not_qualified": "未通过资格预审",
}
MAX_NOTE = 2000


class NotInvited(Conflict):
    code = "not_invited"
    title = "未被邀请的供应商不能参加本项目投标"


class PrequalificationIncomplete(Conflict):
    code = "prequalification_incomplete"
    title = "尚有资格预审申请人的审查结果未记录"


class NoInvitationRound(NotFound):
    code = "no_invitation_round"
    title = "该项目没有资格预审后的邀请环节"


# --------------------------------------------------------------------------- kernel hooks


def open_round(session: Session, event: lifecycle.StepEvent) -> None:
    """After ``publish_notice``: a prequalification notice of a project whose pack names ``min_invitees`` opens
    the round (the other projects and notices are not concerned)."""
    project, ref = event.project, event.transition.document_ref or ""
    if not ref.startswith("notice:") or not rules_of(project).has(RULE):
        return
    notice = session.get(Notice, int(ref.partition(":")[2]))
    if notice is None or notice.kind != "prequalification":
        return
    if session.scalar(select(InvitationRound.id).where(InvitationRound.project_id == project.id)) is None:
        session.add(
            InvitationRound(
                project_id=project.id, state="prequalifying", min_invitees=int(rules_of(project).rule(RULE).value)
            )
        )
        session.flush()


def held() -> ColumnElement[bool]:
    """Projects whose opening waits for the invitation letters (``bidding.hooks.opening_hold``)."""
    return Project.id.in_(select(InvitationRound.project_id).where(InvitationRound.state.in_(HOLDING)))


def sections_of(session: Session, project_id: int) -> list[Section]:
    return list(session.scalars(select(Section).where(Section.project_id == project_id).order_by(Section.number)))


def round_of(session: Session, project_id: int) -> InvitationRound | None:
    return session.scalar(select(InvitationRound).where(InvitationRound.project_id == project_id))


def _invited(session: Session, section_id: int, organisation_id: int) -> bool:
    return (
        session.scalar(
            select(Invitation.id).where(
                Invitation.section_id == section_id,
                Invitation.organisation_id == organisation_id,
                Invitation.sent_at.is_not(None),
            )
        )
        is not None
    )


def _refuse_uninvited(session: Session, project: Project, section_id: int, organisation_id: int, what: str) -> None:
    row = round_of(session, project.id)
    if row is None or row.state in ("prequalifying", "failed"):
        return
    if not _invited(session, section_id, organisation_id):
        raise NotInvited(
            f"本项目为邀请招标，资格预审后经随机抽取向受邀供应商发出投标邀请书（《政府采购货物和服务招标投标管理办法》"
            f"第十四条）；贵单位未收到本标段的投标邀请书，不能{what}"
        )


def check_registration(session: Session, project: Project, section: Section, org: Organisation) -> None:
    """``trading.registrations.registration_check``: after the draw only the invited suppliers register."""
    _refuse_uninvited(session, project, section.id, org.id, "报名")


def check_participation(session: Session, project: Project, registration: Registration) -> None:
    """``trading.participation.participation_check``: only the invited obtain the tender documents and bid."""
    _refuse_uninvited(session, project, registration.section_id, registration.organisation_id, "获取招标文件或投标")


def guard_draw(session: Session, project: Project, *, actor: Principal, **_: object) -> None:
    row = round_of(session, project.id)
    if row is None or row.state != "prequalifying":
        raise lifecycle.IllegalStep("只有资格预审申请截止、尚未抽取的政府采购邀请招标项目可以组织随机抽取受邀供应商")


def guard_invite(
    session: Session,
    project: Project,
    *,
    actor: Principal,
    docs_issued_at: datetime | None = None,
    docs_sale_end: datetime | None = None,
    bid_deadline: datetime | None = None,
    opening_at: datetime | None = None,
    **_: object,
) -> None:
    row = round_of(session, project.id)
    if row is None or row.state != "drawn":
        raise lifecycle.IllegalStep("受邀供应商随机抽取完成后方可发出投标邀请书")
    if bid_deadline is None:
        raise InvalidInput("请填写投标截止时间", field="bid_deadline")
    schedule = notice_schedule.Schedule(clock.today_local(), docs_issued_at, docs_sale_end, bid_deadline, opening_at)
    notice_schedule.check_invitation_schedule(session, project, schedule)


# --------------------------------------------------------------------------- the draw


def _project(session: Session, actor: Principal, project_id: int, *, lock: bool = False) -> Project:
    project = visibility.get_visible(session, actor, project_id)
    if round_of(session, project.id) is None:
        raise NoInvitationRound("该项目不是以资格预审公告开始的政府采购邀请招标项目")
    if lock:
        session.execute(select(Project.id).where(Project.id == project.id).with_for_update())
    return project


def may_read(actor: Principal, project: Project) -> bool:
    return visibility.is_party(actor, project) or bool(actor.roles & {Role.CENTRE_STAFF, Role.SUPERVISOR})


def _supervisor(session: Session, user_id: int | None) -> User:
    user = session.get(User, user_id) if user_id else None
    role = (
        session.scalar(select(UserRole.id).where(UserRole.user_id == user.id, UserRole.role == Role.SUPERVISOR.value))
        if user is not None
        else None
    )
    if user is None or not user.is_active or role is None:
        raise InvalidInput("请选择参加抽取的监督部门人员（须为有效的监督部门账户）", field="supervisor_user_id")
    return user


def _witnesses(project: Project) -> list[draws.WitnessSpec]:
    """The supervisory department, the centre and the purchaser's side (its agency when it appointed one)."""
    if project.agency_id:
        side = draws.WitnessSpec(Role.AGENCY.value, "采购代理机构", organisation_ids=frozenset({project.agency_id}))
    else:
        side = draws.WitnessSpec(Role.TENDERER.value, "采购人", organisation_ids=frozenset({project.tenderer_id}))
    return [
        draws.WitnessSpec(Role.SUPERVISOR.value, "监督部门"),
        draws.WitnessSpec(Role.CENTRE_STAFF.value, "交易中心"),
        side,
    ]


def pool(session: Session, section: Section) -> list[tuple[Registration, str]]:
    """Every applicant of the section with its status: eligible when it passed the prequalification. An applicant
    without a recorded result refuses the draw (the list must be complete before it is fixed)."""
    regs = list(
        session.scalars(
            select(Registration)
            .where(Registration.section_id == section.id)
            .order_by(Registration.registered_at, Registration.id)
        )
    )
    results = {
        q.registration_id: q
        for q in session.scalars(
            select(QualificationResult).where(
                QualificationResult.registration_id.in_([r.id for r in regs] or [0]), QualificationResult.stage == "pre"
            )
        )
    }
    out = []
    for reg in regs:
        if reg.withdrawn_at is not None:
            out.append((reg, "invitees_withdrawn"))
            continue
        result = results.get(reg.id)
        if result is None:
            raise PrequalificationIncomplete(
                f"第 {section.number} 标段尚有资格预审申请人的审查结果未记录，"
                "请先记录全部申请人的资格预审结果再组织抽取"
            )
        out.append((reg, ELIGIBLE if result.passed else "invitees_not_qualified"))
    return out


def prepare(
    session: Session, actor: Principal, project_id: int, *, supervisor_user_id: int | None, count: int | None = None
) -> InvitationRound:
    """组织随机抽取受邀供应商: one draw per section among the applicants who passed the prequalification, of
    ``count`` suppliers (at least the pack's ``min_invitees``; all who passed where fewer). A section with fewer
    qualified applicants than the minimum is not drawn; when none can be drawn the project fails (流标)."""
    project = _project(session, actor, project_id, lock=True)
    if project.state == "notice_published" and project.bid_deadline and clock.now() >= project.bid_deadline:
        lifecycle.apply(session, project, "close_bidding", trading.SYSTEM)
    checked = lifecycle.check(project, "draw_invitees", actor)
    row = round_of(session, project.id)
    minimum = row.min_invitees
    if count is not None and count < minimum:
        rule = rules_of(project).rule(RULE)
        raise InvalidInput(
            f"抽取的受邀供应商不得少于 {minimum} 家（依据：{rule.basis_text}）", field="count", rule=RULE
        )
    wanted = count or minimum
    supervisor = _supervisor(session, supervisor_user_id)
    now = clock.now()
    sections = sections_of(session, project.id)
    pools = {s.id: pool(session, s) for s in sections}  # refuses before anything is written
    rows = []
    for section in sections:
        entries = pools[section.id]
        qualified = sum(1 for _, status in entries if status == ELIGIBLE)
        draw_row = InvitationDraw(
            round_id=row.id,
            project_id=project.id,
            section_id=section.id,
            qualified_count=qualified,
            invite_count=min(wanted, qualified),
        )
        if qualified < minimum:
            draw_row.state = "failed"
            draw_row.failed_reason = f"通过资格预审的供应商 {qualified} 家，少于规定的最少 {minimum} 家"
        else:
            draw = draws.prepare(
                session,
                actor,
                purpose=PURPOSE,
                title=f"{project.name} 第 {section.number} 标段 受邀供应商随机抽取",
                owner=f"procedure_invitation:{section.id}",
                project_id=project.id,
                section_id=section.id,
                groups=[draws.Group(GROUP, GROUP_LABEL, draw_row.invite_count)],
                candidates=[draws.Candidate(f"organisation:{r.organisation_id}", [GROUP], st) for r, st in entries],
                parties=[draws.PartySpec(f"supervisor:{supervisor.id}", "监督部门", supervisor.id)],
                witnesses=_witnesses(project),
                scheduled_at=now,
            )
            draw_row.state, draw_row.draw_code = "prepared", draw.code
        session.add(draw_row)
        rows.append((section, draw_row))
    session.flush()
    row.prepared_by, row.prepared_at = actor.user_id, now
    summary = [
        {"section": s.number, "draw": r.draw_code, "qualified": r.qualified_count, "invite": r.invite_count}
        for s, r in rows
    ]
    if all(r.state == "failed" for _, r in rows):
        _fail(session, project, actor, row, rows, {"sections": summary, "min_invitees": minimum})
    else:
        lifecycle.apply(session, project, checked, actor, payload={"sections": summary, "min_invitees": minimum})
        row.state = "drawing"
    session.flush()
    return row


def _fail(session: Session, project: Project, actor: Principal, row: InvitationRound, rows, payload: dict) -> None:  # noqa: ANN001
    reason = "；".join(f"第 {s.number} 标段：{r.failed_reason}" for s, r in rows)
    rule = rules_of(project).rule(RULE)
    body = (
        f"<h2>{project.name}流标公告</h2><p>项目编号：{project.code}</p>"
        f"<p>本项目采用邀请招标方式，资格预审申请截止后，通过资格预审的供应商不足规定数量，无法随机抽取并发出投标邀请书"
        f"（{rule.basis_text}）：{reason}。</p><p>本项目流标，采购人将依法重新组织采购。</p>"
    )
    lifecycle.apply(
        session,
        project,
        "fail_invitation",
        actor,
        reason=reason,
        payload=payload,
        publication=lifecycle.Publication(
            title=f"{project.name}流标公告",
            body_html=body,
            source_ref=f"procedure-invitation:{project.id}",
            author_id=actor.user_id,
            hold="queue",
        ),
    )
    row.state, row.failed_reason = "failed", reason
    project.failed_attempts = (project.failed_attempts or 0) + 1
    deposits.schedule_refunds_for_project(session, project, reason="资格预审合格供应商不足，流标")


def _org_id(ref: str | None) -> int | None:
    if not ref or not ref.startswith("organisation:"):
        return None
    return int(ref.partition(":")[2])


def on_drawn(session: Session, draw) -> None:  # noqa: ANN001
    """A section's draw is made: its drawn suppliers are recorded (their letters go out with the schedule); when
    every section is drawn the agency may send the invitations."""
    draw_row = session.scalar(select(InvitationDraw).where(InvitationDraw.draw_code == draw.code))
    if draw_row is None or draw_row.state != "prepared":
        return
    for seat in draws.seats(session, draw):
        org_id = _org_id(seat.ref)
        if seat.kind == "seat" and org_id is not None:
            session.add(
                Invitation(
                    draw_id=draw_row.id,
                    project_id=draw_row.project_id,
                    section_id=draw_row.section_id,
                    organisation_id=org_id,
                    position=seat.position,
                )
            )
    draw_row.state, draw_row.drawn_at = "drawn", clock.now()
    session.flush()
    row = session.get(InvitationRound, draw_row.round_id)
    pending = session.scalar(
        select(InvitationDraw.id).where(InvitationDraw.round_id == row.id, InvitationDraw.state == "prepared")
    )
    if row.state == "drawing" and pending is None:
        row.state = "drawn"
        session.flush()


def names(session: Session, draw) -> dict[str, str]:  # noqa: ANN001
    """The public record's names after disclosure: the invited suppliers."""
    draw_row = session.scalar(select(InvitationDraw).where(InvitationDraw.draw_code == draw.code))
    if draw_row is None:
        return {}
    ids = list(session.scalars(select(Invitation.organisation_id).where(Invitation.draw_id == draw_row.id)))
    orgs = session.scalars(select(Organisation).where(Organisation.id.in_(ids or [0])))
    return {f"organisation:{o.id}": o.name for o in orgs}


def disclose_after_opening(session: Session, event: lifecycle.StepEvent) -> None:
    """After the opening record (or a failure at the opening): who was invited is no longer confidential."""
    for draw_row in session.scalars(
        select(InvitationDraw).where(InvitationDraw.project_id == event.project.id, InvitationDraw.state == "drawn")
    ):
        draw = draws.get(session, draw_row.draw_code)
        if draw is not None and draw.state == draws.DRAWN:
            draws.disclose(session, draw.code)


def cancel_open_draws(session: Session, event: lifecycle.StepEvent) -> None:
    """A project terminated while its draws wait: they end without an order."""
    for draw_row in session.scalars(
        select(InvitationDraw).where(InvitationDraw.project_id == event.project.id, InvitationDraw.state == "prepared")
    ):
        draw = draws.get(session, draw_row.draw_code)
        if draw is not None and draw.state in (draws.PREPARED, draws.REVEALING):
            draws.cancel(session, draw.code, reason=f"项目{lifecycle.state_label(event.project, event.after)}")


# --------------------------------------------------------------------------- the letters


def _letter(project: Project, section: Section, org: Organisation, parties: tuple[str, str, str], note: str) -> str:
    buyer, agency, place = parties
    lines = [
        f"{org.name}：",
        f"经资格预审和公开随机抽取（《政府采购货物和服务招标投标管理办法》第十四条），现邀请你单位参加“{project.name}”"
        f"（项目编号 {project.code}）第 {section.number} 标段“{section.name}”的投标。",
        f"采购人：{buyer}" + (f"；采购代理机构：{agency}" if agency else ""),
        f"招标文件获取时间：{local_time(project.docs_issued_at)} 至 "
        f"{local_time(project.docs_sale_end) if project.docs_sale_end else local_time(project.bid_deadline)}，"
        "在本平台获取。",
        f"投标截止时间：{local_time(project.bid_deadline)}；"
        f"开标时间：{local_time(project.opening_at or project.bid_deadline)}，开标地点：{place}。",
        "本邀请书仅向受邀供应商发出，请勿转让；未收到投标邀请书的供应商不得参加本项目投标。",
    ]
    if note:
        lines.append(note)
    return "\n".join(lines)


def send(
    session: Session,
    actor: Principal,
    project_id: int,
    *,
    bid_deadline: datetime | None,
    docs_issued_at: datetime | None = None,
    docs_sale_end: datetime | None = None,
    opening_at: datetime | None = None,
    note: str | None = None,
) -> InvitationRound:
    """发出投标邀请书: the tender schedule (checked like a tender notice's), the project back to 投标中, one letter
    per drawn supplier and section, in its users' inboxes."""
    project = _project(session, actor, project_id, lock=True)
    if not visibility.is_party(actor, project):
        raise Forbidden("只有本项目的采购人或其委托的代理机构可以发出投标邀请书")
    checked = lifecycle.check(project, "send_invitations", actor)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"补充说明最多 {MAX_NOTE} 个字符", field="note")
    now = clock.now()
    docs_issued_at = notice_schedule.aware(docs_issued_at) or now
    docs_sale_end, bid_deadline = notice_schedule.aware(docs_sale_end), notice_schedule.aware(bid_deadline)
    opening_at = notice_schedule.aware(opening_at)
    if opening_at is None and notice_schedule.opening_is_deadline(project, "tender"):
        opening_at = bid_deadline
    row = round_of(session, project.id)
    invitations = list(
        session.scalars(select(Invitation).where(Invitation.project_id == project.id).order_by(Invitation.id))
    )
    dates = {"docs_issued_at": docs_issued_at, "docs_sale_end": docs_sale_end, "bid_deadline": bid_deadline}
    lifecycle.apply(
        session,
        project,
        checked,
        actor,
        payload={
            **{k: v.isoformat() if v else None for k, v in dates.items()},
            "opening_at": opening_at.isoformat() if opening_at else None,
            "letters": len(invitations),
        },
        opening_at=opening_at,
        **dates,
    )
    project.docs_issued_at, project.docs_sale_end = docs_issued_at, docs_sale_end
    project.bid_deadline, project.opening_at = bid_deadline, opening_at
    booking = venues.book_opening(session, project, opening_at) if opening_at is not None else None
    room = session.get(VenueRoom, booking.room_id) if booking is not None else None
    place = f"{room.name}（{room.location}）" if room is not None else "本平台（不见面开标）"
    buyer = session.get(Organisation, project.tenderer_id)
    agency = session.get(Organisation, project.agency_id) if project.agency_id else None
    sections = {s.id: s for s in sections_of(session, project.id)}
    for invitation in invitations:
        org = session.get(Organisation, invitation.organisation_id)
        parties = (buyer.name if buyer else "", agency.name if agency else "", place)
        invitation.letter = _letter(project, sections[invitation.section_id], org, parties, note)
        invitation.sent_at = now
        session.flush()
        for user_id in session.scalars(
            select(User.id).where(User.organisation_id == org.id, User.is_active.is_(True)).order_by(User.id)
        ):
            messaging.send(
                session,
                user_id=user_id,
                subject=f"投标邀请书：{project.name}",
                body=invitation.letter,
                link=f"/procedure/invitations/{invitation.id}",
                kind=MESSAGE_KIND,
            )
    row.state, row.invited_by, row.invited_at = "invited", actor.user_id, now
    session.flush()
    return row


# --------------------------------------------------------------------------- reading


def for_project(
    session: Session, actor: Principal, project_id: int
) -> tuple[Project, InvitationRound, list[tuple[Section, InvitationDraw | None, list[Invitation]]]]:
    """The round, each section's draw and its invitations, for the project's parties and the officials (who was
    invited stays off every other page until the opening)."""
    project = _project(session, actor, project_id)
    if not may_read(actor, project):
        raise NotFound("项目不存在")
    row = round_of(session, project.id)
    draws_by_section = {
        d.section_id: d for d in session.scalars(select(InvitationDraw).where(InvitationDraw.round_id == row.id))
    }
    invitations: dict[int, list[Invitation]] = {}
    for inv in session.scalars(
        select(Invitation).where(Invitation.project_id == project.id).order_by(Invitation.position)
    ):
        invitations.setdefault(inv.section_id, []).append(inv)
    sections = sections_of(session, project.id)
    return project, row, [(s, draws_by_section.get(s.id), invitations.get(s.id, [])) for s in sections]


MINE_ORDER = Keyset.of("invitations-received", Invitation.sent_at, Invitation.id)


def mine(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[Invitation, Project]]:
    """The invitation letters sent to the actor's organisation, newest first, one page at a time."""
    if actor.organisation_id is None:
        return Page([], None, bounded_limit(limit))
    stmt = (
        select(Invitation, Project)
        .join(Project, Project.id == Invitation.project_id)
        .where(Invitation.organisation_id == actor.organisation_id, Invitation.sent_at.is_not(None))
    )
    return paginate(session, stmt, MINE_ORDER, cursor=cursor, limit=limit)


def letter(session: Session, actor: Principal, invitation_id: int) -> tuple[Invitation, Project, Section]:
    """One letter, for the invited supplier's users (the first reading is recorded) and for the project's parties
    and the officials; nobody else learns it exists."""
    invitation = session.get(Invitation, invitation_id)
    project = session.get(Project, invitation.project_id) if invitation is not None else None
    if invitation is None or project is None or invitation.sent_at is None:
        raise NotFound("投标邀请书不存在")
    own = actor.organisation_id is not None and actor.organisation_id == invitation.organisation_id
    if not own and not may_read(actor, project):
        raise NotFound("投标邀请书不存在")
    if own and invitation.read_at is None:
        invitation.read_at = clock.now()
        session.flush()
    return invitation, project, session.get(Section, invitation.section_id)


def organisation_names(session: Session, ids: list[int]) -> dict[int, str]:
    return {o.id: o.name for o in session.scalars(select(Organisation).where(Organisation.id.in_(ids or [0])))}
