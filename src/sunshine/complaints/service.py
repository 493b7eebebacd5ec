"""Filing an objection (异议), a challenge (质疑) or a complaint (投诉): who may file, the statutory contents
(the refusal names every one missing), the filing window of each kind computed by ``complaints.clocks``, the
objection a complaint on the documents, the opening or the result needs first (条例 第六十条第二款; 94号令
第十九条), and the suspension an objection to the documents causes until it is answered (条例 第二十二条). A
complaint that is out of time, filed by a non-party or without the prior objection is still received — the
department must decide not to accept it (不予受理) within its days — and the grounds are shown to it at once.
Withdrawal and evidence are here too. Never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.complaints import base, clocks, jurisdiction, kinds
from sunshine.complaints.models import ComplaintCase, ComplaintEvidence
from sunshine.complaints.schemas import CaseIn
from sunshine.complaints.visibility import get_visible, is_complainant, is_department, is_respondent
from sunshine.config import get_settings
from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.content import Upload, checked_upload
from sunshine.core.errors import Conflict, Forbidden, InvalidInput
from sunshine.core.filestore import file_store
from sunshine.identity.roles import Role
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Project, Registration

TEXT_MIN = 10
#: the states of a project whose documents can still be objected to
DOC_STATES = frozenset({"accepted", "notice_published"})


class ContentsMissing(InvalidInput):
    code = "contents_missing"
    title = "缺少法定内容"


class TooLate(InvalidInput):
    code = "filing_too_late"
    title = "超过提出期限"


class NotAParty(Forbidden):
    code = "not_a_party"
    title = "不是所涉活动的参与者"


def may_file(actor: Principal) -> bool:
    """Bidders, suppliers and other interested parties speak through a market participant's account."""
    return actor.organisation_id is not None and bool(actor.roles & {Role.BIDDER, Role.ENTERPRISE_ADMIN})


def missing_contents(kind: str, data: CaseIn) -> list[str]:
    """The statutory contents (94号令 第十二条、第十八条; 七部委11号令 第七条) the letter lacks."""
    out = []
    for name in kinds.REQUIRED_CONTENTS[kind]:
        value = getattr(data, name)
        if name == "signed":
            ok = bool(value)
        elif name == "facts":
            ok = len((value or "").strip()) >= TEXT_MIN
        else:
            ok = bool((value or "").strip())
        if not ok:
            out.append(name)
    return out


def is_participant(session: Session, project_id: int, organisation_id: int) -> bool:
    """Registered for the project (报名、获取招标文件): a participant or a potential supplier holding the documents."""
    stmt = select(Registration.id).where(
        Registration.project_id == project_id, Registration.organisation_id == organisation_id
    )
    return session.scalar(stmt.limit(1)) is not None


@dataclass(frozen=True)
class Prior:
    """The objection (challenge) a complaint follows: its receipt and answer days, and its answer period's end."""

    label: str
    received_on: date
    answered_on: date | None
    period_end: date | None


def _local(value) -> date | None:  # noqa: ANN001
    return value.astimezone(get_settings().tz).date() if value is not None else None


def prior_of(session: Session, data: CaseIn, organisation_id: int, project: Project) -> Prior | None:
    """The objection (challenge) the complaint follows: the one named, else — for a complaint on the opening or the
    result — the complainant's own objection raised at the opening or during the candidates' publicity."""
    wanted = kinds.OBJECTION_KINDS if data.kind == "eng_complaint" else frozenset({"challenge"})
    named, field = data.prior_case_id, "prior_case_id"
    if named is None and data.prior_result_objection_id is not None:
        named, field = data.prior_result_objection_id, "prior_result_objection_id"
        wanted = frozenset({"result_objection"})
    row = None
    if named is not None:
        row = session.get(ComplaintCase, named)
        theirs = row is not None and row.project_id == project.id and row.organisation_id == organisation_id
        if not theirs or row.kind not in wanted:
            label = "、".join(kinds.KINDS[k].label for k in sorted(wanted))
            raise InvalidInput(f"所附的{label}不是本单位对本项目提出的", field=field)
    elif data.matter in ("opening", "result") and data.kind == "eng_complaint":
        own = "opening_objection" if data.matter == "opening" else "result_objection"
        stmt = select(ComplaintCase).where(
            ComplaintCase.project_id == project.id,
            ComplaintCase.organisation_id == organisation_id,
            ComplaintCase.kind == own,
            ComplaintCase.state != "withdrawn",
        )
        row = session.scalars(stmt.order_by(ComplaintCase.id)).first()
    if row is None:
        return None
    running = clocks.case_clocks(calendar.load(session), row.kind, project, base.history(base.events(session, row)))
    end = running[0].due if running else None
    return Prior(f"{kinds.KINDS[row.kind].label}{row.code}", row.received_on, _local(row.answered_at), end)


def findings(session: Session, row: ComplaintCase, project: Project) -> list[tuple[str, str]]:
    """Grounds not to accept a complaint that the platform can see from its records (code, explanation)."""
    if not kinds.KINDS[row.kind].to_department:
        return []
    out = []
    if not is_participant(session, project.id, row.organisation_id):
        out.append(("no_interest", "投诉人未报名参加本项目，也未获取招标（采购）文件"))
    cal = calendar.load(session)
    data = CaseIn(
        kind=row.kind,
        project_id=project.id,
        matter=row.matter,
        prior_case_id=row.prior_case_id,
        prior_result_objection_id=row.prior_result_objection_id,
    )
    prior = prior_of(session, data, row.organisation_id, project)
    needs_prior = row.kind == "gp_complaint" or row.matter in kinds.OBJECTION_FIRST
    if needs_prior and prior is None:
        first = "质疑" if row.kind == "gp_complaint" else "异议"
        out.append(("no_objection", f"投诉事项依法应当先提出{first}，投诉人未提出"))
    if row.kind == "eng_complaint":
        window = clocks.complaint_window(
            cal, project, row.knew_on, (prior.received_on, prior.answered_on) if prior else None
        )
    elif prior is not None and prior.period_end is not None:
        window = clocks.gp_complaint_window(cal, project, prior.period_end)
    else:
        window = None
    if window is not None and window.last_day is not None and row.received_on > window.last_day:
        out.append(("late", f"超过投诉时效：{window.explanation}"))
    return out


def _deadline_day(project: Project) -> date | None:
    return _local(project.bid_deadline)


def file(session: Session, actor: Principal, data: CaseIn) -> ComplaintCase:
    kind = kinds.KINDS.get(data.kind)
    if kind is None:
        raise InvalidInput("请选择异议、质疑或投诉", field="kind")
    if kind.code in kinds.FOLDED:
        where = "开标现场（开标室）" if kind.code == "opening_objection" else "中标候选人公示期间在评标结果页"
        raise InvalidInput(f"{kind.label}在{where}提出（{kind.basis}）", field="kind")
    project = trading_visibility.get_visible(session, actor, data.project_id)
    if not may_file(actor):
        raise Forbidden(f"{kind.label}由投标人（供应商）或者其他利害关系人以本单位账户提出")
    if project.transaction_type != kind.regime:
        other = "异议或投诉（招标投标）" if project.transaction_type == "engineering" else "质疑或投诉（政府采购）"
        if project.transaction_type not in (kinds.ENGINEERING, kinds.PROCUREMENT):
            other = "本模块不受理的交易类型"
        raise InvalidInput(f"本项目适用{other}，不适用{kind.label}", field="kind")
    if data.matter not in kind.matters:
        raise InvalidInput(f"{kind.label}可涉及：{'、'.join(kinds.MATTERS[m] for m in kind.matters)}", field="matter")
    missing = missing_contents(kind.code, data)
    if missing:
        names = "、".join(kinds.CONTENTS[m] for m in missing)
        raise ContentsMissing(f"{kind.label}书缺少法定内容：{names}（{kind.basis}）", field=missing[0], missing=missing)
    if data.section_id is not None and data.section_id not in {s.id for s in project.sections}:
        raise InvalidInput("标段不属于本项目", field="section_id")
    today = clock.today_local()
    knew_on = data.knew_on or today
    if knew_on > today:
        raise InvalidInput("知道或者应当知道之日不能晚于今天", field="knew_on")
    if not kind.to_department:
        _check_objection(session, actor, project, kind, data, knew_on, today)
    prior_of(session, data, actor.organisation_id, project)  # a wrong reference is refused now (422)
    department = jurisdiction.check_addressed(project, data.department if kind.to_department else None)
    code = base.new_code(session, kind.code)
    row = ComplaintCase(
        code=code,
        kind=kind.code,
        project_id=project.id,
        section_id=data.section_id,
        organisation_id=actor.organisation_id,
        filed_by=actor.user_id,
        filed_at=clock.now(),
        received_on=today,
        knew_on=knew_on,
        matter=data.matter,
        respondent=(data.respondent or "").strip() or _respondent_default(session, project),
        contact=data.contact.strip(),
        facts=data.facts.strip(),
        request=data.request.strip(),
        legal_basis=(data.legal_basis or "").strip() or None,
        signed=data.signed,
        prior_case_id=data.prior_case_id,
        prior_result_objection_id=data.prior_result_objection_id,
        state="filed",
        suspended_project=False,
        department=department,
        ledger_seq=-1,
    )
    session.add(row)
    session.flush()
    event = base.record(
        session,
        row,
        "filed",
        actor,
        payload={
            "project": project.code,
            "matter": data.matter,
            "organisation": actor.organisation_id,
            "facts_sha256": base.sha(row.facts),
            "request_sha256": base.sha(row.request),
        },
    )
    row.ledger_seq = event.ledger_seq
    if kind.code == "objection" and project.state in DOC_STATES:
        # 条例 第二十二条: 作出答复前，应当暂停招标投标活动
        base.suspend_project(
            session,
            row,
            project,
            base.SYSTEM,
            "《中华人民共和国招标投标法实施条例》第二十二条：招标人作出答复前，应当暂停招标投标活动",
        )
    return row


def _respondent_default(session: Session, project: Project) -> str:
    from sunshine.identity.models import Organisation

    names = [session.get(Organisation, i).name for i in (project.tenderer_id, project.agency_id) if i is not None]
    return "、".join(names)


def _check_objection(
    session: Session, actor: Principal, project: Project, kind: kinds.Kind, data: CaseIn, knew_on: date, today: date
) -> None:
    if not is_participant(session, project.id, actor.organisation_id):
        raise NotAParty(
            f"{kind.label}由参与所质疑项目采购活动的供应商或已依法获取其可质疑的文件的潜在供应商提出（{kind.basis}）"
        )
    if kind.code == "objection":
        if project.state not in DOC_STATES:
            raise TooLate(
                "对资格预审文件、招标文件的异议应当在截止时间前提出；开标的异议在开标现场提出，"
                "评标结果的异议在中标候选人公示期间提出（《中华人民共和国招标投标法实施条例》第二十二条、第四十四条、第五十四条）",
                field="matter",
            )
        window = clocks.objection_window(project, data.matter, _deadline_day(project))
        if window.last_day is not None and today > window.last_day:
            raise TooLate(f"已超过提出异议的期限：{window.explanation}", field="matter")
    else:
        window = clocks.challenge_window(calendar.load(session), project, knew_on)
        if window.last_day is not None and today > window.last_day:
            raise TooLate(f"已超过提出质疑的期限：{window.explanation}", field="knew_on")


# --------------------------------------------------------------------------- withdrawal and evidence


def withdraw(session: Session, actor: Principal, case_id: int, *, note: str) -> ComplaintCase:
    """撤回 (94号令 第三十条): the complainant's written withdrawal ends the case; a suspension it caused ends."""
    row, project = get_visible(session, actor, case_id)
    if not is_complainant(actor, row):
        raise Forbidden("由提出人撤回")
    if row.state not in kinds.OPEN_STATES:
        raise Conflict(f"该{base.kind_of(row).label}已{kinds.STATES[row.state]}，不能撤回")
    row.state = "withdrawn"
    base.record(session, row, "withdrawn", actor, note=(note or "").strip() or None)
    base.close_tracked(session, row)
    base.resume_project(session, row, project, base.SYSTEM, "已撤回，恢复活动")
    from sunshine.core import alerts

    alerts.resolve(session, subject_kind="complaint", subject_id=row.id)
    return row


MAX_EVIDENCE = 20 * 1024 * 1024


def add_evidence(session: Session, actor: Principal, case_id: int, upload: Upload) -> ComplaintEvidence:
    """A party's evidence: the file in the file store, its hash and size in the ledger (the case file only)."""
    row, project = get_visible(session, actor, case_id)
    if is_complainant(actor, row):
        party = "complainant"
    elif is_respondent(actor, project):
        party = "respondent"
    elif is_department(actor):
        party = "department"
    else:  # pragma: no cover - get_visible admits only these
        raise Forbidden("由当事人或行政监督部门提交")
    if row.state in ("published", "withdrawn", "rejected"):
        raise Conflict("案件已办结，不能再提交证明材料")
    name, content_type, data = checked_upload(upload, MAX_EVIDENCE)
    digest = file_store().put(data)
    event = base.record(session, row, "evidence", actor, payload={"party": party, "sha256": digest, "size": len(data)})
    evidence = ComplaintEvidence(
        case_id=row.id,
        party=party,
        name=name,
        sha256=digest,
        size=len(data),
        content_type=content_type,
        uploaded_by=actor.user_id,
        uploaded_at=clock.now(),
        ledger_seq=event.ledger_seq,
    )
    session.add(evidence)
    session.flush()
    return evidence


def evidence_file(session: Session, actor: Principal, evidence_id: int) -> tuple[ComplaintEvidence, bytes]:
    evidence = session.get(ComplaintEvidence, evidence_id)
    if evidence is None:
        from sunshine.core.errors import NotFound

        raise NotFound("证明材料不存在")
    get_visible(session, actor, evidence.case_id)
    return evidence, file_store().open(evidence.sha256)
