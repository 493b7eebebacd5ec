"""The small-works fixed-price draw (小额工程固定价抽取) of a ``draw`` project: the centre prepares one
verifiable draw per section among its registrants (``sunshine.draws``) once registration has closed, or the
project fails (流标) when too few are qualified; when a draw finishes the contractor and the reserve are known,
the draw is disclosed at once and the result is published for the pack's publicity period; a decline before the
result is determined calls the reserve in the same order; after the period the tick determines the result and
starts the contract deadline. Never commits."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from sunshine.core.models import TrackedDeadline
from sunshine.draws import service as draws
from sunshine.identity.models import Organisation, User, UserRole
from sunshine.identity.roles import Role
from sunshine.rules import service as rules
from sunshine.smallworks import candidates, notices
from sunshine.smallworks.models import DrawnOutcome, SectionDraw
from sunshine.trading import deposits, lifecycle, visibility
from sunshine.trading import service as trading
from sunshine.trading.models import Deposit, Project, Section

PURPOSE = "small_works"
PURPOSE_LABEL = "小额工程固定价抽取承包人"
PUBLICITY = "抽取结果公示期"
CONTRACT = "签订合同（小额工程固定价抽取）"
RESERVE_DEFAULT = 1  # 平台默认值 when the project's rule snapshot predates the reserve rule
MAX_REASON = 280  # the draw ledger keeps 300 characters with the situation's label
OPEN_CALLS = ("called", "confirmed")  # a call of the draw that still stands
OUTCOMES = {"declined": "中选人放弃", "ineligible": "中选人被查实不符合条件"}
RESERVE_OUTCOMES = {"declined": "备选人放弃", "ineligible": "备选人被查实不符合条件"}
WHOM = {"contractor": "中选承包人", "reserve": "备选承包人"}
#: what a recorded outcome is called on the pages (a reserve's is stored as ``reserve_<outcome>``)
OUTCOME_LABELS = {**OUTCOMES, **{f"reserve_{k}": v for k, v in RESERVE_OUTCOMES.items()}}


_recording: ContextVar[bool] = ContextVar("smallworks_recording", default=False)


class RecordOnProjectPage(Conflict):
    code = "smallworks_outcome_elsewhere"
    title = "小额工程中选人放弃须在项目的固定价抽取中办理"


class NotADrawProject(NotFound):
    code = "not_a_draw_project"
    title = "不是小额工程固定价抽取项目"


def project_of(session: Session, actor: Principal, project_id: int, *, lock: bool = False) -> Project:
    """The draw project ``actor`` may see; ``lock``: held until the step commits (two staff preparing the same
    draw, or recording the same decline, one after the other)."""
    project = visibility.get_visible(session, actor, project_id)
    if project.lifecycle != "draw":
        raise NotADrawProject("该项目不是小额工程固定价抽取项目")
    if lock:
        session.execute(select(Project.id).where(Project.id == project.id).with_for_update())
    return project


def rows_of(session: Session, project_id: int) -> list[SectionDraw]:
    return list(
        session.scalars(select(SectionDraw).where(SectionDraw.project_id == project_id).order_by(SectionDraw.id))
    )


def _rule_value(project: Project, rule_id: str, default: int | None = None) -> int:
    snapshot = rules.rules_of(project)
    if snapshot.has(rule_id):
        return int(snapshot.rule(rule_id).value)
    if default is None:
        raise Conflict(f"项目的规则快照缺少规则 {rule_id}")
    return default


def _period(project: Project, rule_id: str) -> tuple[int, str]:
    rule = rules.rules_of(project).rule(rule_id)
    return int(rule.value), rules.DAY_UNITS[rule.unit]


def _supervisor(session: Session, user_id: int | None) -> User:
    user = session.get(User, user_id) if user_id else None
    held = (
        session.scalar(select(UserRole.id).where(UserRole.user_id == user.id, UserRole.role == Role.SUPERVISOR.value))
        if user is not None
        else None
    )
    if user is None or not user.is_active or held is None:
        raise InvalidInput("请选择参加抽取的监督部门人员（须为有效的监督部门账户）", field="supervisor_user_id")
    return user


def supervisors(session: Session) -> list[User]:
    """The supervisory officers the centre may name as the draw's independent party."""
    return list(
        session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.SUPERVISOR.value, User.is_active.is_(True))
            .order_by(User.id)
        )
    )


def _witnesses(project: Project) -> list[draws.WitnessSpec]:
    """Seed 001's three present together: the supervisory department, the centre, and the tenderer's side (its
    agency when it appointed one)."""
    if project.agency_id:
        side = draws.WitnessSpec(Role.AGENCY.value, "招标代理机构", organisation_ids=frozenset({project.agency_id}))
    else:
        side = draws.WitnessSpec(Role.TENDERER.value, "招标人", organisation_ids=frozenset({project.tenderer_id}))
    return [
        draws.WitnessSpec(Role.SUPERVISOR.value, "监督部门"),
        draws.WitnessSpec(Role.CENTRE_STAFF.value, "交易中心"),
        side,
    ]


def _close_if_due(session: Session, project: Project) -> None:
    """Registration ended by the clock but the tick has not closed it yet: close it now."""
    if project.state == "notice_published" and project.bid_deadline and clock.now() >= project.bid_deadline:
        lifecycle.apply(session, project, "close_bidding", trading.SYSTEM)


def prepare(
    session: Session, actor: Principal, project_id: int, *, supervisor_user_id: int | None
) -> list[SectionDraw]:
    """组织随机抽取: one draw per section among its registrants; sections with fewer qualified registrants
    than the pack's minimum fail, and when every section fails the project fails (流标) with its notice."""
    project = project_of(session, actor, project_id, lock=True)
    _close_if_due(session, project)
    checked = lifecycle.check(project, "prepare_draw", actor)
    if rows_of(session, project.id):
        raise AlreadyExists("本项目已组织过随机抽取")
    supervisor = _supervisor(session, supervisor_user_id)
    minimum = _rule_value(project, "min_applicants")
    reserve = _rule_value(project, "reserve_count", RESERVE_DEFAULT)
    now, today = clock.now(), clock.today_local()
    rows = []
    for section in sorted(project.sections, key=lambda s: s.number):
        entries = candidates.pool(session, project, section, today)
        eligible = sum(1 for e in entries if e.eligible)
        row = SectionDraw(
            project_id=project.id,
            section_id=section.id,
            fixed_price=section.estimate,
            pool_count=len(entries),
            eligible_count=eligible,
            prepared_by=actor.user_id,
            prepared_at=now,
        )
        if eligible < minimum:
            row.state = "failed"
            row.failed_reason = f"合格报名人 {eligible} 家，少于规则要求的最少 {minimum} 家"
        else:
            draw = draws.prepare(
                session,
                actor,
                purpose=PURPOSE,
                title=f"{project.name} 第 {section.number} 标段 承包人固定价随机抽取",
                owner=f"smallworks_section:{section.id}",
                project_id=project.id,
                section_id=section.id,
                groups=[draws.Group(candidates.GROUP, candidates.GROUP_LABEL, 1, reserve=reserve)],
                candidates=[draws.Candidate(e.ref, [candidates.GROUP], e.status) for e in entries],
                parties=[draws.PartySpec(f"supervisor:{supervisor.id}", "监督部门", supervisor.id)],
                witnesses=_witnesses(project),
                scheduled_at=max(project.opening_at or now, now),
            )
            row.state = "prepared"
            row.draw_code = draw.code
        session.add(row)
        rows.append(row)
    session.flush()
    summary = [
        {"section": s.number, "draw": r.draw_code, "pool": r.pool_count, "eligible": r.eligible_count}
        for s, r in zip(sorted(project.sections, key=lambda s: s.number), rows, strict=True)
    ]
    if all(r.state == "failed" for r in rows):
        _fail(session, project, actor, rows, payload={"sections": summary, "min_applicants": minimum})
    else:
        code = next(r.draw_code for r in rows if r.draw_code)
        lifecycle.apply(session, project, checked, actor, document_ref=f"draw:{code}", payload={"sections": summary})
    return rows


def _fail(session: Session, project: Project, actor: Principal, rows: list[SectionDraw], payload: dict) -> None:
    sections = _sections(session, project)
    reason = "；".join(f"第 {sections[r.section_id].number} 标段：{r.failed_reason}" for r in rows if r.failed_reason)
    title, body = notices.failed_notice(project, sections, rows)
    lifecycle.apply(
        session,
        project,
        "fail_draw",
        actor,
        reason=reason,
        payload=payload,
        publication=lifecycle.Publication(
            title=title, body_html=body, source_ref=f"smallworks:{project.id}", author_id=actor.user_id, hold="queue"
        ),
    )
    project.failed_attempts = (project.failed_attempts or 0) + 1
    _close_deadlines(session, project, PUBLICITY)
    deposits.schedule_refunds_for_project(session, project, reason="小额工程固定价抽取流标")


def _sections(session: Session, project: Project) -> dict[int, Section]:
    return {s.id: s for s in session.scalars(select(Section).where(Section.project_id == project.id))}


def _org_id(ref: str | None) -> int | None:
    if not ref or not ref.startswith("organisation:"):
        return None
    return int(ref.partition(":")[2])


def _settle(session: Session, row: SectionDraw, draw) -> None:  # noqa: ANN001
    """The contractor and the reserve as the draw's seats stand now."""
    seats = draws.seats(session, draw)
    sitting = [s for s in seats if s.kind == "seat" and s.state in OPEN_CALLS]
    waiting = [s for s in seats if s.kind == "reserve" and s.state in OPEN_CALLS]
    row.contractor_org_id = _org_id(sitting[0].ref) if sitting else None
    row.reserve_org_id = _org_id(waiting[0].ref) if waiting else None


def on_drawn(session: Session, draw) -> None:  # noqa: ANN001
    """The draw of a section finished: who was drawn is public at once (no confidentiality after a fixed-price
    draw), so the draw is disclosed; when every section's draw is finished the result is published."""
    row = session.scalar(select(SectionDraw).where(SectionDraw.draw_code == draw.code))
    if row is None or row.state != "prepared":
        return
    _settle(session, row, draw)
    row.state = "drawn"
    row.drawn_at = clock.now()
    draws.disclose(session, draw.code)
    project = session.get(Project, row.project_id)
    if project.state in lifecycle.FINAL_STATES:  # terminated while the room was open: the result is not used
        row.state = "void"
        row.contractor_org_id = row.reserve_org_id = None
        row.failed_reason = f"项目{lifecycle.state_label(project, project.state)}，抽取结果不予采用"
        return
    publish_when_all_drawn(session, project)


def publish_when_all_drawn(session: Session, project: Project) -> None:
    """Every prepared section of a project in 抽取中 is drawn: publish the result (also after a resumption, when
    the last draw finished while the project was suspended)."""
    rows = rows_of(session, project.id)
    if project.state != "opening" or not rows or any(r.state == "prepared" for r in rows):
        return
    _publish(session, project, rows, "publish_draw_result", trading.SYSTEM, reason=None)


def after_resume(session: Session, event) -> None:  # noqa: ANN001
    """A resumed draw project: a publicity period that stood still while suspended starts again later by the
    suspended days (the rule ``suspension_extends_schedule`` decides, as for the notice's dates), so the public
    gets the whole period; a result drawn while suspended is published now."""
    if event.project.lifecycle != "draw":
        return
    publicity = open_deadline(session, event.project, PUBLICITY)
    if event.after == "candidates_publicised" and publicity is not None:
        days, _ = trading.schedule_after_suspension(session, event.project, clock.now())
        calendar.postpone(session, publicity.id, days, f"项目暂停{days}日后恢复，公示期相应顺延")
    publish_when_all_drawn(session, event.project)


def _publish(
    session: Session, project: Project, rows: list[SectionDraw], step: str, actor: Principal, reason: str | None
) -> None:
    period, unit = _period(project, "result_publicity_period")
    today = clock.today_local()
    _close_deadlines(session, project, PUBLICITY)
    deadline = calendar.track(
        session,
        subject=f"project:{project.code}",
        purpose=PUBLICITY,
        start=today,
        days=period,
        unit=unit,
        rule_ref=f"{project.pack_key}/result_publicity_period",
    )
    sections = _sections(session, project)
    names = organisation_names(session, rows)
    title, body = notices.result_notice(
        project, sections, rows, names, deadline.due, replaced=step != "publish_draw_result"
    )
    code = next((r.draw_code for r in rows if r.draw_code), None)
    lifecycle.apply(
        session,
        project,
        step,
        actor,
        reason=reason,
        document_ref=f"draw:{code}" if code else None,
        payload={
            "sections": [
                {
                    "section": sections[r.section_id].number,
                    "draw": r.draw_code,
                    "contractor": r.contractor_org_id,
                    "reserve": r.reserve_org_id,
                }
                for r in rows
            ],
            "publicity_until": deadline.due.isoformat(),
        },
        publication=lifecycle.Publication(
            title=title, body_html=body, source_ref=f"smallworks:{project.id}", author_id=actor.user_id, hold="queue"
        ),
    )


def organisation_names(session: Session, rows: list[SectionDraw]) -> dict[int, str]:
    ids = {i for r in rows for i in (r.contractor_org_id, r.reserve_org_id) if i}
    ids |= {
        o.organisation_id
        for o in session.scalars(select(DrawnOutcome).where(DrawnOutcome.draw_id.in_([r.id for r in rows])))
    }
    if not ids:
        return {}
    return dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())


@contextmanager
def _recording_decline():
    token = _recording.set(True)
    try:
        yield
    finally:
        _recording.reset(token)


def on_outcome(session: Session, draw, seat, new) -> None:  # noqa: ANN001
    """A drawn contractor's decline changes the published result, so it is recorded only through
    ``record_decline`` (which republishes it); the draw room's generic outcome form is refused."""
    if not _recording.get():
        raise RecordOnProjectPage("小额工程中选人放弃或不符合条件的，请在项目的“固定价抽取”页面记录，以便递补并公示")


def names(session: Session, draw) -> dict[str, str]:  # noqa: ANN001
    """The public record's names after disclosure: the drawn contractors (and those who declined)."""
    row = session.scalar(select(SectionDraw).where(SectionDraw.draw_code == draw.code))
    if row is None or row.state in ("prepared",):
        return {}
    return {f"organisation:{i}": name for i, name in organisation_names(session, [row]).items()}


def _close_deadlines(session: Session, project: Project, purpose: str) -> None:
    for deadline in session.scalars(
        select(TrackedDeadline).where(
            TrackedDeadline.subject == f"project:{project.code}",
            TrackedDeadline.purpose == purpose,
            TrackedDeadline.is_open.is_(True),
        )
    ):
        calendar.close(session, deadline.id)


def open_deadline(session: Session, project: Project, purpose: str) -> TrackedDeadline | None:
    return session.scalar(
        select(TrackedDeadline)
        .where(
            TrackedDeadline.subject == f"project:{project.code}",
            TrackedDeadline.purpose == purpose,
            TrackedDeadline.is_open.is_(True),
        )
        .order_by(TrackedDeadline.id.desc())
        .limit(1)
    )


def record_decline(
    session: Session,
    actor: Principal,
    project_id: int,
    section_id: int,
    *,
    outcome: str,
    reason: str | None,
    whom: str = "contractor",
) -> SectionDraw:
    """中选人（或备选人）放弃或被查实不符合条件 (recorded by the centre before the result is determined): for the
    contractor, the reserve takes the contract in the draw's order; for the reserve, the next registrant in the
    order becomes the reserve; the changed result is published again; with nobody left the section fails."""
    project = project_of(session, actor, project_id, lock=True)
    checked = lifecycle.check(project, "replace_contractor", actor)
    if outcome not in OUTCOMES:
        raise InvalidInput("请选择情形：中选人放弃，或中选人被查实不符合条件", field="outcome")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请写明中选人放弃或不符合条件的具体情况", field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"说明最多 {MAX_REASON} 个字符", field="reason")
    if whom not in WHOM:
        raise InvalidInput("请选择登记的对象：中选承包人或备选承包人", field="whom")
    row = session.scalar(
        select(SectionDraw).where(SectionDraw.project_id == project.id, SectionDraw.section_id == section_id)
    )
    org_id = None if row is None else (row.contractor_org_id if whom == "contractor" else row.reserve_org_id)
    if row is None or row.state != "drawn" or org_id is None:
        raise NotFound(f"该标段没有已抽取的{WHOM[whom]}")
    draw = draws.get(session, row.draw_code)
    kind = "seat" if whom == "contractor" else "reserve"
    seat = next(
        (
            s
            for s in draws.seats(session, draw)
            if s.kind == kind and s.state in OPEN_CALLS and _org_id(s.ref) == org_id
        ),
        None,
    )
    if seat is None:
        raise Conflict(f"该标段的{WHOM[whom]}已有应答记录，不能再次登记")
    labels = OUTCOMES if whom == "contractor" else RESERVE_OUTCOMES
    session.add(
        DrawnOutcome(
            draw_id=row.id,
            organisation_id=org_id,
            outcome=outcome if whom == "contractor" else f"reserve_{outcome}",
            reason=reason,
            recorded_by=actor.user_id,
            recorded_at=clock.now(),
        )
    )
    with _recording_decline():
        draws.record_outcome(session, actor, row.draw_code, seat.leaf, "declined", f"{labels[outcome]}：{reason}")
    _settle(session, row, draw)
    if row.contractor_org_id is None:
        row.state = "failed"
        row.failed_reason = "中选人放弃或不符合条件，且无可递补的备选人"
    session.flush()
    rows = rows_of(session, project.id)
    if not any(r.state == "drawn" for r in rows):
        _fail(session, project, actor, rows, payload={"section": row.section_id, "outcome": outcome})
    else:
        _publish(session, project, rows, checked.step.name, actor, reason=f"{labels[outcome]}：{reason}")
    return row


def determine_due(session: Session) -> list[str]:
    """The tick's part: publicity periods that have run (the whole last day included) determine the result,
    and the contract deadline of the pack starts (tracked, so a calendar change moves it)."""
    today = clock.today_local()
    due = session.scalars(
        select(Project)
        .where(Project.lifecycle == "draw", Project.state == "candidates_publicised")
        .order_by(Project.id)
    ).all()
    done = []
    for project in due:
        deadline = open_deadline(session, project, PUBLICITY)
        if deadline is None or today <= deadline.due:
            continue
        lifecycle.apply(
            session,
            project,
            "determine_draw_result",
            trading.SYSTEM,
            payload={"publicity_until": deadline.due.isoformat()},
        )
        calendar.close(session, deadline.id)
        contractors = set()
        for row in rows_of(session, project.id):
            if row.state == "drawn":
                row.state = "determined"
                contractors.add((row.section_id, row.contractor_org_id))
        _refund_others(session, project, contractors)
        days, unit = _period(project, "contract_within")
        calendar.track(
            session,
            subject=f"project:{project.code}",
            purpose=CONTRACT,
            start=today,
            days=days,
            unit=unit,
            rule_ref=f"{project.pack_key}/contract_within",
        )
        done.append(project.code)
    return done


def after_contract(session: Session, event) -> None:  # noqa: ANN001
    """The contract signed (``sign_contract``, hooked by name): the draw's own contract deadline, tracked from the
    determination, is met and closes, so it no longer runs (nor shows as overdue)."""
    if event.project.lifecycle == "draw":
        _close_deadlines(session, event.project, CONTRACT)


def _refund_others(session: Session, project: Project, contractors: set[tuple[int, int | None]]) -> None:
    """Once the result is determined every deposit but the contractors' becomes refundable."""
    paid = session.scalars(
        select(Deposit).where(Deposit.project_id == project.id, Deposit.status == "paid").order_by(Deposit.id)
    ).all()
    for deposit in paid:
        if (deposit.section_id, deposit.organisation_id) not in contractors:
            deposits.schedule_refund(session, deposit, clock.today_local(), "小额工程固定价抽取未中选")


def section_lines(session: Session, sections: list[Section]) -> dict[int, list[tuple[str, str]]]:
    """The project and notice pages' line per section of a draw project: the fixed price and the draw's state."""
    if not sections:
        return {}
    project_ids = {s.project_id for s in sections}
    draw_projects = set(
        session.scalars(select(Project.id).where(Project.id.in_(project_ids), Project.lifecycle == "draw"))
    )
    if not draw_projects:
        return {}
    rows = {
        r.section_id: r for r in session.scalars(select(SectionDraw).where(SectionDraw.project_id.in_(draw_projects)))
    }
    names = organisation_names(session, list(rows.values()))
    out: dict[int, list[tuple[str, str]]] = {}
    for s in sections:
        if s.project_id not in draw_projects:
            continue
        lines = [("固定价", f"{s.estimate:,.2f} 元（中选承包人按此价格承包）")]
        row = rows.get(s.id)
        if row is not None:
            text = notices.STATE_LABELS[row.state]
            if row.contractor_org_id:
                text += f"；中选承包人：{names.get(row.contractor_org_id, '')}"
            if row.failed_reason:
                text += f"；{row.failed_reason}"
            lines.append(("随机抽取", text))
        out[s.id] = lines
    return out
