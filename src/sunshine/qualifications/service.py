"""A section's structured qualification requirements (资质、人员、业绩) and how an enterprise's records meet them:
the requirements editor (the project's parties and the centre, before the notice is published), ``assess``
(each requirement, the records that meet it, valid or not on a given day — the registration check, the opening
room and later the evaluation committee use it), and the registration check itself (docs/qualifications.md).

Never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.qualifications import codes, records
from sunshine.qualifications.models import Certificate, Performance, Person, RegistrationWarning, Requirement
from sunshine.qualifications.schemas import RequirementIn
from sunshine.trading import visibility
from sunshine.trading.models import Message, Project, Registration, Section

EDITABLE_STATES = frozenset({"registered", "returned", "accepted"})
MAX_REQUIREMENTS = 20


class QualificationNotMet(Conflict):
    code = "qualification_not_met"
    title = "不满足资格条件"


# --------------------------------------------------------------------------- requirements


def label(req: Requirement) -> str:
    """A requirement in words, e.g. “建筑工程施工总承包二级及以上”."""
    if req.kind == "certificate":
        grade = f"{req.min_grade}及以上" if req.min_grade else ""
        return f"具备{codes.kind_label(req.certificate_kind)}{grade}资质"
    if req.kind == "person":
        grade = f"{req.min_grade}及以上" if req.min_grade else ""
        specialty = codes.SPECIALTIES.get(req.specialty or "", "")
        return (
            f"拟派{codes.POSTS.get(req.post or '', '')}：{specialty}专业{grade}注册，注册及安全生产考核合格证在有效期内"
        )
    amount = f"单项合同金额不低于 {req.min_amount:,.2f} 元" if req.min_amount else ""
    specialty = codes.SPECIALTIES.get(req.specialty or "", "")
    tail = f"，{amount}" if amount else ""
    return f"近 {req.within_years} 年内完成并竣工验收的{specialty}类似项目不少于 {req.count} 个{tail}"


def requirements_of(session: Session, section_ids: list[int]) -> dict[int, list[Requirement]]:
    out: dict[int, list[Requirement]] = {i: [] for i in section_ids}
    if section_ids:
        stmt = select(Requirement).where(Requirement.section_id.in_(section_ids)).order_by(Requirement.id)
        for req in session.scalars(stmt):
            out[req.section_id].append(req)
    return out


def section_lines(session: Session, sections: list[Section]) -> dict[int, list[tuple[str, str]]]:
    """The notice and project pages' lines (registered with trading's ``section_details``)."""
    found = requirements_of(session, [s.id for s in sections])
    return {sid: [(codes.REQUIREMENT_KINDS[r.kind], label(r)) for r in reqs] for sid, reqs in found.items()}


def registration_lines(session: Session, regs: list[Registration]) -> dict[int, list[tuple[str, str, bool | None]]]:
    """The qualification review's lines (registered with trading's ``registration_details``): each structured
    requirement of the registration's section against the registrant's records on the review day."""
    today = clock.today_local()
    out: dict[int, list[tuple[str, str, bool | None]]] = {}
    for reg in regs:
        section = session.get(Section, reg.section_id)
        lines = []
        for f in assess(session, section, reg.organisation_id, on=today):
            shown = "；".join(f.record_labels) or f.note or "本单位未登记相应记录"
            if f.valid_until is not None:
                shown += f"（有效期至 {f.valid_until.isoformat()}）"
            lines.append((f.label, shown, f.met))
        out[reg.id] = lines
    return out


def _section_for_editing(session: Session, actor: Principal, section_id: int) -> tuple[Project, Section]:
    section = session.get(Section, section_id)
    project = session.get(Project, section.project_id) if section is not None else None
    if project is None or not (visibility.is_party(actor, project) or Role.CENTRE_STAFF in actor.roles):
        raise NotFound("标段不存在")
    return project, section


def editable_section(session: Session, actor: Principal, section_id: int) -> tuple[Project, Section, bool]:
    project, section = _section_for_editing(session, actor, section_id)
    return project, section, project.state in EDITABLE_STATES


def _check(data: RequirementIn) -> dict[str, Any]:
    fields: dict[str, Any] = {"kind": data.kind}
    if data.kind == "certificate":
        if data.certificate_kind not in codes.CERTIFICATE_KINDS:
            raise InvalidInput("请选择资质类别", field="certificate_kind")
        if data.min_grade and data.min_grade not in codes.scale_of(data.certificate_kind):
            raise InvalidInput("最低等级不属于该资质的等级序列", field="min_grade")
        fields.update(certificate_kind=data.certificate_kind, min_grade=data.min_grade or None)
    elif data.kind == "person":
        if data.post not in codes.POSTS:
            raise InvalidInput("请选择岗位", field="post")
        if data.specialty not in codes.SPECIALTIES:
            raise InvalidInput("请选择专业", field="specialty")
        if data.min_grade and data.min_grade not in codes.REGISTERED:
            raise InvalidInput("人员最低等级应为一级或二级", field="min_grade")
        fields.update(post=data.post, specialty=data.specialty, min_grade=data.min_grade or None)
    elif data.kind == "performance":
        if data.specialty not in codes.SPECIALTIES:
            raise InvalidInput("请选择工程类别", field="specialty")
        if data.count is None or data.within_years is None:
            raise InvalidInput("请填写类似项目个数和年限", field="count")
        fields.update(
            specialty=data.specialty,
            count=data.count,
            within_years=data.within_years,
            min_amount=Decimal(data.min_amount) if data.min_amount else None,
        )
    else:
        raise InvalidInput("要求类别应为资质、人员或业绩", field="kind")
    return fields


def add_requirement(session: Session, actor: Principal, section_id: int, data: RequirementIn) -> Requirement:
    project, section, editable = editable_section(session, actor, section_id)
    if not editable:
        raise Conflict("公告发布后不能修改资格条件；如需修改，请发布更正公告")
    if len(requirements_of(session, [section.id])[section.id]) >= MAX_REQUIREMENTS:
        raise InvalidInput(f"每个标段最多 {MAX_REQUIREMENTS} 项结构化资格条件", field="kind")
    req = Requirement(section_id=section.id, **_check(data))
    session.add(req)
    session.flush()
    ledger.append(
        session,
        "qualifications:requirement:added",
        f"project:{project.code}",
        {"section": section.number, "requirement": req.id, "text": label(req)},
    )
    return req


def remove_requirement(session: Session, actor: Principal, section_id: int, requirement_id: int) -> None:
    project, section, editable = editable_section(session, actor, section_id)
    req = session.get(Requirement, requirement_id)
    if req is None or req.section_id != section.id:
        raise NotFound("资格条件不存在")
    if not editable:
        raise Conflict("公告发布后不能修改资格条件；如需修改，请发布更正公告")
    text = label(req)
    session.delete(req)
    session.flush()
    ledger.append(
        session,
        "qualifications:requirement:removed",
        f"project:{project.code}",
        {"section": section.number, "requirement": requirement_id, "text": text},
    )


# --------------------------------------------------------------------------- assessment


@dataclass
class Finding:
    """One requirement against one enterprise's records on a day."""

    requirement: Requirement
    label: str
    met: bool  # met on the day
    records: list[Any] = field(default_factory=list)  # the records that meet it (or would, but for validity)
    valid_until: date | None = None  # the last day the meeting records count (the latest among them)
    note: str = ""

    @property
    def record_labels(self) -> list[str]:
        return [records.title(r) for r in self.records]


def _certificates(session: Session, org: int) -> list[Certificate]:
    stmt = select(Certificate).where(Certificate.organisation_id == org, Certificate.retired_at.is_(None))
    return list(session.scalars(stmt))


def _people(session: Session, org: int) -> list[Person]:
    return list(session.scalars(select(Person).where(Person.organisation_id == org, Person.retired_at.is_(None))))


def _performance(session: Session, org: int) -> list[Performance]:
    stmt = select(Performance).where(Performance.organisation_id == org, Performance.retired_at.is_(None))
    return list(session.scalars(stmt))


def _finding_of_dated(req: Requirement, candidates: list[Any], on: date) -> Finding:
    valid = [r for r in candidates if records.valid_on(r, on)]
    if valid:
        until = max(records.valid_until(r) for r in valid)
        return Finding(req, label(req), True, valid, until)
    if candidates:
        latest = max(records.valid_until(r) for r in candidates)
        return Finding(req, label(req), False, candidates, latest, f"已过期（有效期至 {latest}）")
    return Finding(req, label(req), False, [], None, "无相应记录")


def years_before(on: date, years: int) -> date:
    """The same day ``years`` earlier (29 February falls back to the 28th)."""
    day = on - timedelta(days=1) if (on.month, on.day) == (2, 29) else on
    return day.replace(year=day.year - years)


def assess(session: Session, section: Section, organisation_id: int, *, on: date) -> list[Finding]:
    """Each structured requirement of ``section`` against the organisation's current records, on the day ``on``."""
    reqs = requirements_of(session, [section.id])[section.id]
    if not reqs:
        return []
    certs, people, works = (
        _certificates(session, organisation_id),
        _people(session, organisation_id),
        _performance(session, organisation_id),
    )
    findings = []
    for req in reqs:
        if req.kind == "certificate":
            scale = codes.scale_of(req.certificate_kind)
            matching = [
                c for c in certs if c.kind == req.certificate_kind and codes.at_least(c.grade, req.min_grade, scale)
            ]
            findings.append(_finding_of_dated(req, matching, on))
        elif req.kind == "person":
            matching = [
                p
                for p in people
                if p.post == req.post
                and p.specialty == req.specialty
                and codes.at_least(p.grade, req.min_grade, codes.REGISTERED)
            ]
            findings.append(_finding_of_dated(req, matching, on))
        else:
            since = years_before(on, req.within_years or 0)
            matching = [
                w
                for w in works
                if w.specialty == req.specialty
                and w.accepted_on is not None
                and since <= w.accepted_on <= on
                and (req.min_amount is None or w.amount >= req.min_amount)
            ]
            met = len(matching) >= (req.count or 0)
            note = "" if met else f"符合条件的已验收项目 {len(matching)} 个，少于要求的 {req.count} 个"
            findings.append(Finding(req, label(req), met, matching, None, note))
    return findings


def deadline_day(project: Project) -> date | None:
    """The bid deadline's local calendar day: a record must be valid on it."""
    from sunshine.config import get_settings

    if project.bid_deadline is None:
        return None
    return project.bid_deadline.astimezone(get_settings().tz).date()


# --------------------------------------------------------------------------- at registration


def check_registration(session: Session, project: Project, section: Section, org: Organisation) -> None:
    """Installed with ``trading.registrations.registration_check``.

    Registration day D (the server's local date), bid deadline day T. Each requirement must be met by records
    valid on D, or the registration is refused naming every unmet requirement. A requirement met on D only by
    records that lapse before T (none of them valid on T) is accepted with a warning kept for the opening and
    evaluation, and a 站内通知 to the bidder.
    """
    today = clock.today_local()
    findings = assess(session, section, org.id, on=today)
    missing = [f for f in findings if not f.met]
    if missing:
        parts = [f"{f.label}（{f.note}）" if f.note else f.label for f in missing]
        raise QualificationNotMet(
            f"不满足第 {section.number} 标段的资格条件，不能报名：" + "；".join(parts),
            missing=[f.label for f in missing],
        )
    deadline = deadline_day(project)
    if deadline is None:
        return
    warnings = []
    for f in findings:
        if f.requirement.kind == "performance" or f.valid_until is None or f.valid_until >= deadline:
            continue
        record = max(f.records, key=records.valid_until)
        message = (
            f"{f.label}：所依据的{records.title(record) if isinstance(record, Certificate) else '人员注册或B证'}"
            f"有效期至 {f.valid_until}，早于投标截止日 {deadline}；请在投标截止前办理延续并更新记录，"
            f"否则开标和评审时将显示为过期"
        )
        session.add(
            RegistrationWarning(
                section_id=section.id,
                organisation_id=org.id,
                requirement_id=f.requirement.id,
                record_kind="certificate" if isinstance(record, Certificate) else "person",
                record_id=record.id,
                valid_until=f.valid_until,
                deadline=deadline,
                message=message[:500],
                created_at=clock.now(),
            )
        )
        warnings.append(message)
    if warnings:
        session.add(
            Message(
                organisation_id=org.id,
                subject="资格证书将在投标截止前到期",
                body=f"你单位已报名“{project.name}”第 {section.number} 标段。\n" + "\n".join(warnings),
                link="/my/qualifications",
                created_at=clock.now(),
            )
        )
        session.flush()


def warnings_of(
    session: Session, section_ids: list[int], organisation_id: int | None = None
) -> list[RegistrationWarning]:
    if not section_ids:
        return []
    stmt = select(RegistrationWarning).where(RegistrationWarning.section_id.in_(section_ids))
    if organisation_id is not None:
        stmt = stmt.where(RegistrationWarning.organisation_id == organisation_id)
    return list(session.scalars(stmt.order_by(RegistrationWarning.id)))


def my_warnings(session: Session, actor: Principal) -> list[tuple[RegistrationWarning, Project, Section]]:
    """The bidder's own warnings, newest first, with their project and section."""
    if actor.organisation_id is None or not (actor.roles & records.READERS):
        return []
    stmt = (
        select(RegistrationWarning, Project, Section)
        .join(Section, Section.id == RegistrationWarning.section_id)
        .join(Project, Project.id == Section.project_id)
        .where(RegistrationWarning.organisation_id == actor.organisation_id)
        .order_by(RegistrationWarning.id.desc())
        .limit(50)
    )
    return [tuple(row) for row in session.execute(stmt)]
