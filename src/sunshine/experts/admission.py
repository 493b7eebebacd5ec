"""Admission to the pool (入库), as the seed's procedure has it: the person (self-service signup, which creates
their account) or their employer submits the application → the industry supervisory department reviews it
against the admission rules of the ``centre.experts`` rule pack → the office of the trading management
committee approves it into the pool with an appointment term, or either refuses it with reasons. Re-appointment
after a passed re-assessment starts a new term.

Ledger entries carry ids, codes, states, specialty codes, dates and hashes of reasons — never the name, the date
of birth, the phone or the ID number. Never commits."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import alerts, clock, serials
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound, SunshineError
from sunshine.disclosure.detectors import is_id_number
from sunshine.experts import codes, publish, specialties
from sunshine.experts.models import ACTIVE, EXPIRED, Expert, ExpertApplication, ExpertEvaluation, ExpertSpecialty
from sunshine.experts.pool import PACK, age_on
from sunshine.experts.pool import pack as pool_pack
from sunshine.identity import service as identity
from sunshine.identity.models import Organisation, UserRole
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.trading.models import Message

MOBILE = re.compile(r"^1[3-9]\d{9}$")
REGION = re.compile(r"^\d{6}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NOTE = 1000
MAX_SPECIALTIES = 5


class AdmissionRuleNotMet(SunshineError):
    status = 422
    code = "admission_rule_not_met"
    title = "不符合评标专家入库条件"


class ApplicationClosed(Conflict):
    code = "expert_application_closed"
    title = "该申请已办结或不在本环节"


class OpenApplication(Conflict):
    code = "expert_application_open"
    title = "已有正在办理的入库申请"


class AlreadyExpert(Conflict):
    code = "already_expert"
    title = "已是在库评标专家"


class ReassessmentMissing(Conflict):
    code = "reassessment_missing"
    title = "本聘期内没有合格的考核结果，不能续聘"


@dataclass(frozen=True)
class Facts:
    """What an application states about the person (personal data included: kept, never published)."""

    name: str
    title: str
    title_level: str
    practice_since: int
    education: str
    regions: list[str]
    specialties: list[str]  # main first
    date_of_birth: date
    mobile: str
    id_number: str
    email: str = ""
    statement: str = ""


def _text(value: str, field: str, label: str, low: int, high: int) -> str:
    value = (value or "").strip()
    if not low <= len(value) <= high:
        raise InvalidInput(f"{label}应为{low}至{high}个字", field=field)
    return value


def check_facts(session: Session, facts: Facts) -> Facts:
    today = clock.today_local()
    name = _text(facts.name, "name", "姓名", 2, 30)
    title = _text(facts.title, "title", "职称名称", 2, 50)
    if facts.title_level not in codes.TITLE_LEVELS:
        raise InvalidInput("请选择职称等级", field="title_level")
    if not 1950 <= facts.practice_since <= today.year:
        raise InvalidInput("从业起始年份不正确", field="practice_since")
    if facts.education and facts.education not in codes.EDUCATION:
        raise InvalidInput("请选择学历", field="education")
    regions = [r.strip() for r in facts.regions if r and r.strip()]
    if not regions or len(regions) > 5 or not all(REGION.match(r) for r in regions):
        raise InvalidInput("请填写1至5个可参加评标的地区（6位行政区划代码）", field="regions")
    chosen = specialties.check_codes(session, facts.specialties)
    if not 1 <= len(chosen) <= MAX_SPECIALTIES:
        raise InvalidInput(f"请选择1至{MAX_SPECIALTIES}个评标专业，第一个为主专业", field="specialties")
    if not date(1940, 1, 1) <= facts.date_of_birth <= today - timedelta(days=365 * 18):
        raise InvalidInput("出生日期不正确", field="date_of_birth")
    mobile = (facts.mobile or "").strip()
    if not MOBILE.match(mobile):
        raise InvalidInput("请填写11位手机号码", field="mobile")
    id_number = (facts.id_number or "").strip().upper()
    if not is_id_number(id_number):
        raise InvalidInput("居民身份证号码不正确", field="id_number")
    if id_number[6:14] != facts.date_of_birth.strftime("%Y%m%d"):
        raise InvalidInput("出生日期与居民身份证号码不一致", field="date_of_birth")
    email = (facts.email or "").strip()
    if email and (len(email) > 100 or not EMAIL.match(email)):
        raise InvalidInput("电子邮箱格式不正确", field="email")
    statement = (facts.statement or "").strip()
    if len(statement) > 3000:
        raise InvalidInput("个人简历最多3000个字", field="statement")
    return Facts(
        name=name,
        title=title,
        title_level=facts.title_level,
        practice_since=facts.practice_since,
        education=facts.education or "",
        regions=regions,
        specialties=chosen,
        date_of_birth=facts.date_of_birth,
        mobile=mobile,
        id_number=id_number,
        email=email,
        statement=statement,
    )


def padded(values: list[str]) -> str:
    return f" {' '.join(values)} " if values else ""


def unpadded(value: str) -> list[str]:
    return value.split()


def _employer(session: Session, credit_code: str) -> Organisation:
    code = (credit_code or "").strip().upper()
    org = identity.find_organisation_by_code(session, code) if code else None
    if org is None:
        raise InvalidInput("未找到该统一社会信用代码的单位，请先由单位在平台登记", field="employer_credit_code")
    return org


def _record(session: Session, app: ExpertApplication, event: str, actor: Principal | None, **extra: object) -> None:
    ledger.append(
        session,
        f"experts:application:{event}",
        f"expert-application:{app.id}",
        {
            "application": app.code,
            "state": app.state,
            "channel": app.channel,
            "employer_organisation_id": app.employer_organisation_id,
            "specialties": unpadded(app.specialties),
            "by": actor.user_id if actor else None,
            **extra,
        },
    )


def _new(
    session: Session, *, facts: Facts, user_id: int, submitted_by: int, channel: str, employer_id: int
) -> ExpertApplication:
    today = clock.today_local()
    serial = serials.next_serial(session, f"ZJSQ{today.year}")
    app = ExpertApplication(
        code=f"ZJSQ{today.year}{serial:05d}",
        state="submitted",
        channel=channel,
        user_id=user_id,
        submitted_by=submitted_by,
        name=facts.name,
        employer_organisation_id=employer_id,
        title=facts.title,
        title_level=facts.title_level,
        practice_since=facts.practice_since,
        education=facts.education,
        regions=padded(facts.regions),
        specialties=padded(facts.specialties),
        date_of_birth=facts.date_of_birth,
        mobile=facts.mobile,
        id_number=facts.id_number,
        email=facts.email,
        statement=facts.statement,
        submitted_at=clock.now(),
    )
    session.add(app)
    session.flush()
    _record(session, app, "submitted", None)
    return app


def _no_open_application(session: Session, user_id: int) -> None:
    if session.scalar(select(Expert.id).where(Expert.user_id == user_id)) is not None:
        raise AlreadyExpert("您已是在库评标专家，无需再次申请")
    open_state = ExpertApplication.state.in_(("submitted", "reviewed"))
    if session.scalar(select(ExpertApplication.id).where(ExpertApplication.user_id == user_id, open_state)):
        raise OpenApplication("您已有正在办理的入库申请，请等待审核结果")


def apply_self(
    session: Session,
    actor: Principal,
    *,
    facts: Facts,
    employer_credit_code: str,
    username: str = "",
    password: str = "",
) -> ExpertApplication:
    """The person applies. Anonymous: the account is created with the application (it signs in at once to follow
    it; the role 评标专家 comes with admission). Signed in: a new application of one's own account."""
    facts = check_facts(session, facts)
    employer = _employer(session, employer_credit_code)
    if actor.is_authenticated:
        user_id = actor.user_id
        _no_open_application(session, user_id)
    else:
        user = identity.create_user(session, username=username, display_name=facts.name, password=password, roles=[])
        user_id = user.id
    return _new(session, facts=facts, user_id=user_id, submitted_by=user_id, channel="self", employer_id=employer.id)


def apply_by_employer(
    session: Session, actor: Principal, *, facts: Facts, username: str, password: str
) -> ExpertApplication:
    """The employer's administrator recommends an employee; the expert's own account is created with the
    initial password the employer hands over (the expert changes it after signing in)."""
    if Role.ENTERPRISE_ADMIN not in actor.roles or actor.organisation_id is None:
        raise Forbidden("只有单位管理员可以推荐本单位人员申请入库")
    facts = check_facts(session, facts)
    user = identity.create_user(session, username=username, display_name=facts.name, password=password, roles=[])
    app = _new(
        session,
        facts=facts,
        user_id=user.id,
        submitted_by=actor.user_id,
        channel="employer",
        employer_id=actor.organisation_id,
    )
    return app


# --------------------------------------------------------------------------- the admission rules


@dataclass(frozen=True)
class Check:
    rule: str
    title: str
    required: str
    actual: str
    passed: bool
    basis: str
    waivable: bool = False  # the title rule: "或者具有同等专业水平", a reviewer's finding with reasons


def checks(session: Session, app: ExpertApplication, on: date | None = None) -> list[Check]:
    on = on or clock.today_local()
    pack = rules.resolve(session, PACK, on)
    years_rule, title_rule, age_rule = (
        pack.rule("min_practice_years"),
        pack.rule("min_title_rank"),
        pack.rule("max_age"),
    )
    mid_allowed = int(pack.rule("procurement_mid_title_allowed").value) >= 1
    years = on.year - app.practice_since
    rank = codes.TITLE_RANK[app.title_level]
    age = age_on(app.date_of_birth, on)
    need_years, need_rank, limit = int(years_rule.value), int(title_rule.value), int(age_rule.value)
    title_ok = rank >= need_rank or (mid_allowed and rank >= 2 and years >= need_years)
    rank_label = {4: "正高级", 3: "副高级", 2: "中级", 1: "初级", 0: "无职称"}
    return [
        Check(
            "min_practice_years",
            "从事相关领域工作年限",
            f"满 {need_years} 年",
            f"{years} 年",
            years >= need_years,
            years_rule.basis_text,
        ),
        Check(
            "min_title_rank",
            "职称",
            f"{rank_label.get(need_rank, need_rank)}及以上" + ("（政府采购可为中级）" if mid_allowed else ""),
            codes.TITLE_LEVELS[app.title_level],
            title_ok,
            title_rule.basis_text,
            waivable=True,
        ),
        Check("max_age", "年龄", f"不超过 {limit} 周岁", f"{age} 周岁", age <= limit, age_rule.basis_text),
    ]


def _checks_json(items: list[Check]) -> str:
    return json.dumps(
        [
            {"rule": c.rule, "title": c.title, "required": c.required, "actual": c.actual, "passed": c.passed}
            for c in items
        ],
        ensure_ascii=False,
    )


def _locked(session: Session, application_id: int) -> ExpertApplication:
    app = session.get(ExpertApplication, application_id, with_for_update=True)
    if app is None:
        raise NotFound("入库申请不存在")
    return app


def _reasons(value: str, field: str, label: str, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请写明{label}", field=field)
    if len(value) > MAX_NOTE:
        raise InvalidInput(f"{label}最多{MAX_NOTE}个字", field=field)
    return value


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _tell(session: Session, app: ExpertApplication, subject: str, body: str) -> None:
    """The applicant sees it on their workbench; an employer who recommended them, in its inbox."""
    alerts.raise_once(
        session,
        key=f"expert_application:{app.id}:{app.state}",
        domain="experts",
        kind="decision",
        subject_kind="expert-application",
        subject_id=app.id,
        message=f"{subject}：{body}",
        user_id=app.user_id,
    )
    if app.channel == "employer":
        session.add(
            Message(
                organisation_id=app.employer_organisation_id,
                subject=subject,
                body=f"{app.name}（申请编号 {app.code}）：{body}",
                link=None,
                created_at=clock.now(),
            )
        )


def review(
    session: Session, actor: Principal, application_id: int, *, decision: str, note: str, equivalence: str = ""
) -> ExpertApplication:
    """行业监督部门审核: pass (to the committee office) or refuse, against the rule pack's admission rules."""
    if not actor.has(*codes.REVIEWERS):
        raise Forbidden("入库申请由行业监督部门审核")
    if decision not in ("pass", "refuse"):
        raise InvalidInput("请选择审核意见：通过或不予通过", field="decision")
    app = _locked(session, application_id)
    if app.state != "submitted":
        raise ApplicationClosed(f"该申请的状态为“{codes.APPLICATION_STATES[app.state]}”，不在审核环节")
    note = _reasons(note, "note", "不予通过的理由" if decision == "refuse" else "审核意见", decision == "refuse")
    equivalence = _reasons(equivalence, "equivalence", "认定具有同等专业水平的理由", False)
    found = checks(session, app)
    if decision == "pass":
        failed = [c for c in found if not c.passed and not (c.waivable and equivalence)]
        if failed:
            detail = "；".join(f"{c.title}应{c.required}，申请人为{c.actual}" for c in failed)
            waiver = "（职称不符的，可写明认定其具有同等专业水平的理由）" if any(c.waivable for c in failed) else ""
            raise AdmissionRuleNotMet(f"不符合入库条件：{detail}{waiver}", field="decision")
    app.checks = _checks_json(found)
    app.reviewed_by, app.reviewed_at = actor.user_id, clock.now()
    app.review_note = "\n".join(x for x in (note, f"同等专业水平认定：{equivalence}" if equivalence else "") if x)
    app.state = "reviewed" if decision == "pass" else "refused"
    session.flush()
    _record(
        session,
        app,
        "reviewed" if decision == "pass" else "refused",
        actor,
        stage="review",
        reasons_sha256=_sha(app.review_note or ""),
        equivalence=bool(equivalence),
    )
    if decision == "refuse":
        _tell(session, app, "评标专家入库申请不予通过", f"行业监督部门审核不予通过。理由：{note}")
    return app


def term_end(session: Session, start: date) -> date:
    years = int(pool_pack(session, start).rule("term_years").value)
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - timedelta(days=1)


def _grant_expert_role(session: Session, user_id: int) -> None:
    held = session.scalar(select(UserRole.id).where(UserRole.user_id == user_id, UserRole.role == Role.EXPERT.value))
    if held is None:
        session.add(UserRole(user_id=user_id, role=Role.EXPERT.value))


def decide(session: Session, actor: Principal, application_id: int, *, decision: str, note: str) -> ExpertApplication:
    """交易管理委员会办公室审批: approve into the pool with a term, or refuse with reasons."""
    if not actor.has(*codes.APPROVERS):
        raise Forbidden("入库申请由公共资源交易管理委员会办公室审批")
    if decision not in ("approve", "refuse"):
        raise InvalidInput("请选择审批意见：批准入库或不予通过", field="decision")
    app = _locked(session, application_id)
    if app.state != "reviewed":
        raise ApplicationClosed(f"该申请的状态为“{codes.APPLICATION_STATES[app.state]}”，不在审批环节")
    note = _reasons(note, "note", "不予通过的理由" if decision == "refuse" else "审批意见", decision == "refuse")
    app.decided_by, app.decided_at, app.decision_note = actor.user_id, clock.now(), note or None
    if decision == "refuse":
        app.state = "refused"
        session.flush()
        _record(session, app, "refused", actor, stage="decision", reasons_sha256=_sha(note))
        _tell(session, app, "评标专家入库申请不予通过", f"交易管理委员会办公室审批不予通过。理由：{note}")
        return app
    if session.scalar(select(Expert.id).where(Expert.user_id == app.user_id)) is not None:
        raise AlreadyExpert("申请人已是在库专家")
    app.state = "approved"
    expert = _admit(session, app)
    session.flush()
    _record(session, app, "approved", actor, stage="decision", expert=expert.code)
    ledger.append(
        session,
        "experts:admitted",
        f"expert:{expert.id}",
        {
            "expert": expert.code,
            "application": app.code,
            "employer_organisation_id": expert.employer_organisation_id,
            "specialties": unpadded(app.specialties),
            "term_starts_on": expert.term_starts_on.isoformat(),
            "term_ends_on": expert.term_ends_on.isoformat(),
            "by": actor.user_id,
        },
    )
    publish.admission(session, actor, expert)
    _tell(
        session,
        app,
        "评标专家入库申请已批准",
        f"已批准入库，专家编号 {expert.code}，聘期 {expert.term_starts_on} 至 {expert.term_ends_on}。",
    )
    return app


def _admit(session: Session, app: ExpertApplication) -> Expert:
    today = clock.today_local()
    now = clock.now()
    serial = serials.next_serial(session, "ZJ")
    expert = Expert(
        code=f"ZJ{serial:06d}",
        user_id=app.user_id,
        name=app.name,
        employer_organisation_id=app.employer_organisation_id,
        title=app.title,
        title_level=app.title_level,
        practice_since=app.practice_since,
        education=app.education,
        regions=app.regions,
        date_of_birth=app.date_of_birth,
        mobile=app.mobile,
        id_number=app.id_number,
        email=app.email,
        status=ACTIVE,
        admitted_on=today,
        term_starts_on=today,
        term_ends_on=term_end(session, today),
        application_id=app.id,
        is_demo=app.is_demo,
        created_at=now,
        updated_at=now,
    )
    session.add(expert)
    session.flush()
    for i, code in enumerate(unpadded(app.specialties)):
        session.add(ExpertSpecialty(expert_id=expert.id, specialty_code=code, is_main=i == 0))
    _grant_expert_role(session, app.user_id)
    return expert


# --------------------------------------------------------------------------- re-appointment


def reappoint(session: Session, actor: Principal, expert_id: int, *, note: str = "") -> Expert:
    """续聘: after a passed assessment within the current term, a new term from the day after the old one
    (or from today, if it has already ended)."""
    if not actor.has(*codes.MANAGERS):
        raise Forbidden("续聘由公共资源交易管理委员会办公室办理")
    expert = session.get(Expert, expert_id, with_for_update=True)
    if expert is None:
        raise NotFound("未找到该专家")
    if expert.status not in (ACTIVE, EXPIRED):
        raise Conflict("暂停或已清退的专家不能续聘")
    note = _reasons(note, "note", "续聘意见", False)
    today = clock.today_local()
    term_began = datetime.combine(expert.term_starts_on, time.min, tzinfo=get_settings().tz)
    passed = session.scalar(
        select(ExpertEvaluation.id).where(
            ExpertEvaluation.expert_id == expert.id,
            ExpertEvaluation.grade != "poor",
            ExpertEvaluation.assessed_at >= term_began,
        )
    )
    if passed is None:
        raise ReassessmentMissing("本聘期内没有合格的考核结果，请先录入考核评价再续聘")
    window = int(rules.resolve(session, PACK, today).rule("term_end_reminder").value)
    if expert.term_ends_on - today > timedelta(days=window):
        raise Conflict(f"聘期届满前 {window} 日内方可办理续聘（聘期至 {expert.term_ends_on}）")
    start = max(today, expert.term_ends_on + timedelta(days=1))
    expert.term_starts_on, expert.term_ends_on = start, term_end(session, start)
    if expert.status == EXPIRED:
        expert.status = ACTIVE
    expert.updated_at = clock.now()
    session.flush()
    alerts.resolve(session, subject_kind="expert", subject_id=expert.id, kind="term_ending")
    ledger.append(
        session,
        "experts:reappointed",
        f"expert:{expert.id}",
        {
            "expert": expert.code,
            "term_starts_on": start.isoformat(),
            "term_ends_on": expert.term_ends_on.isoformat(),
            "note_sha256": _sha(note),
            "by": actor.user_id,
        },
    )
    return expert
