"""Satisfaction surveys (满意度测评, seed 004): after each service a party received (project accepted, opening
held, deposit refunded, request answered, work order closed) one invitation per person reaches them — a link on
the workbench (/me/surveys) and a platform message, or a link with a token for someone without an account. The
questionnaire of each service is data the centre edits (five-level items); an answer is scored 0–100 (the mean
rating × 20). A score below ``survey_low_score`` alerts the centre's head, whose answer is recorded. The
特约监督员 (social supervisors) rate service results through ``rate``; their ratings join the figures, labelled.
Never commits."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.identity.roles import Role
from sunshine.messaging import service as messaging
from sunshine.servicedesk import desk
from sunshine.servicedesk.labels import SERVICES
from sunshine.servicedesk.models import Questionnaire, SurveyInvitation, SurveyResponse
from sunshine.supervision import registry as supervisors

DOMAIN = "servicedesk"
MESSAGE_KIND = "servicedesk"
#: seed 004 names the county's 《公共资源交易服务满意度测评表》 but not its questions: these follow what the
#: seed asks of the service — 看得到、听得懂、易获取、能监督、好参与, and 零差错、零投诉、零腐败 (平台默认值; the
#: centre edits them at /desk/surveys).
DEFAULT_ITEMS = [
    {"id": "attitude", "text": "工作人员服务态度热情、规范"},
    {"id": "efficiency", "text": "在承诺时限内办结，办事效率高"},
    {"id": "openness", "text": "政策依据、办事指南、业务流程看得到、易获取"},
    {"id": "clarity", "text": "工作人员讲解清楚，听得懂、好参与"},
    {"id": "integrity", "text": "办理过程公开透明、廉洁规范（无吃拿卡要）"},
]
SEED_NOTE = (
    "题目依据：《青川县公共资源交易服务满意度测评表》的测评要求"
    "（看得到、听得懂、易获取、能监督、好参与；零差错、零投诉、零腐败）"
)


class SurveyClosed(Conflict):
    code = "survey_closed"
    title = "测评已提交或已过期"


def _hash(token: str) -> str:
    return hashlib.sha256(f"survey|{token}".encode()).hexdigest()


def questionnaire(session: Session, service: str) -> Questionnaire:
    """The service's questionnaire; created from the defaults the first time it is needed."""
    if service not in SERVICES:
        raise InvalidInput("测评的服务事项应为：" + "、".join(SERVICES.values()), field="service")
    row = session.scalar(select(Questionnaire).where(Questionnaire.service == service))
    if row is None:
        row = Questionnaire(
            service=service,
            title=f"{SERVICES[service]}满意度测评",
            items=json.dumps(DEFAULT_ITEMS, ensure_ascii=False),
            version=1,
            updated_at=clock.now(),
        )
        session.add(row)
        session.flush()
    return row


def items_of(q: Questionnaire) -> list[dict]:
    return json.loads(q.items)


def edit_questionnaire(
    session: Session, actor: Principal, service: str, *, title: str, items: list[str], department_id: int | None
) -> Questionnaire:
    q = questionnaire(session, service)
    texts = [t.strip() for t in items if t.strip()]
    if not texts:
        raise InvalidInput("至少一个题目", field="items")
    if any(len(t) > 100 for t in texts):
        raise InvalidInput("每个题目不超过 100 个字", field="items")
    if department_id is not None:
        desk.get_department(session, department_id)
    old = {i["text"]: i["id"] for i in items_of(q)}
    out = []
    for n, text in enumerate(texts, 1):
        out.append({"id": old.get(text, f"q{q.version + 1}_{n}"), "text": text})
    q.title = title.strip() or q.title
    q.items = json.dumps(out, ensure_ascii=False)
    q.department_id = department_id
    q.version += 1
    q.updated_by, q.updated_at = actor.user_id, clock.now()
    session.flush()
    return q


def invite(
    session: Session,
    *,
    service: str,
    subject_kind: str,
    subject_id: int,
    subject_label: str,
    user_id: int | None,
    department_id: int | None = None,
    anonymous_ok: bool = False,
    token: str | None = None,
    valid_for: tuple[str, int] = ("survey_answer_within", 30),
) -> tuple[SurveyInvitation, str] | None:
    """One invitation per service, subject and person (a second call does nothing): (invitation, token).
    ``token``: a link token the caller derives (so that it can show the link again); a random one otherwise.
    ``valid_for``: the rule of ``centre.service`` giving its days of validity, and its platform default."""
    if user_id is None and not anonymous_ok:
        return None
    key = f"{service}:{subject_kind}:{subject_id}:{user_id or 'anon'}"
    if session.scalar(select(SurveyInvitation.id).where(SurveyInvitation.key == key)) is not None:
        return None
    q = questionnaire(session, service)
    days, _ = desk.rule_value(session, *valid_for)
    token = token or secrets.token_urlsafe(24)
    row = SurveyInvitation(
        key=key,
        service=service,
        subject_kind=subject_kind,
        subject_id=subject_id,
        subject_label=subject_label[:300],
        department_id=department_id if department_id is not None else q.department_id,
        user_id=user_id,
        token_hash=_hash(token),
        sent_at=clock.now(),
        expires_on=clock.today_local() + timedelta(days=days),
    )
    session.add(row)
    session.flush()
    if user_id is not None:
        messaging.send(
            session,
            user_id=user_id,
            subject=f"请评价：{SERVICES[service]}",
            body=f"{subject_label[:120]}。请花一分钟评价我们的服务（{row.expires_on.isoformat()} 前有效）。",
            link=f"/me/surveys/{row.id}",
            kind=MESSAGE_KIND,
        )
    return row, token


def by_token(session: Session, token: str) -> SurveyInvitation:
    row = session.scalar(select(SurveyInvitation).where(SurveyInvitation.token_hash == _hash(token or "")))
    if row is None:
        raise NotFound("测评邀请不存在")
    return row


def own(session: Session, actor: Principal, invitation_id: int) -> SurveyInvitation:
    row = session.get(SurveyInvitation, invitation_id)
    if row is None or actor.user_id is None or row.user_id != actor.user_id:
        raise NotFound("测评邀请不存在")
    return row


PENDING_ORDER = Keyset.of("survey-invitations", SurveyInvitation.sent_at, SurveyInvitation.id)
LOW_ORDER = Keyset.of("low-scores", SurveyResponse.id)


def pending_for(
    session: Session, user_id: int, *, cursor: str | None = None, limit: int | None = None
) -> Page[SurveyInvitation]:
    stmt = select(SurveyInvitation).where(
        SurveyInvitation.user_id == user_id,
        SurveyInvitation.answered_at.is_(None),
        SurveyInvitation.expires_on >= clock.today_local(),
    )
    return paginate(session, stmt, PENDING_ORDER, cursor=cursor, limit=limit)


def _scored(q: Questionnaire, answers: dict[str, int]) -> tuple[dict[str, int], int]:
    items = items_of(q)
    ids = {i["id"] for i in items}
    unknown = set(answers) - ids
    if unknown:
        raise InvalidInput("有不属于本测评表的题目", field="answers")
    missing = [i["text"] for i in items if i["id"] not in answers]
    if missing:
        raise InvalidInput(f"请为每一题评分：{missing[0]}", field="answers")
    if any(v not in range(1, 6) for v in answers.values()):
        raise InvalidInput("每题评分应为 1 至 5", field="answers")
    clean = {i["id"]: int(answers[i["id"]]) for i in items}
    return clean, score_of(list(clean.values()))


def score_of(ratings: list[int]) -> int:
    """The 0–100 score of a set of five-level ratings: the mean × 20, rounded half up."""
    return int((sum(ratings) * 20 * 2 + len(ratings)) // (2 * len(ratings))) if ratings else 0


def _save(
    session: Session,
    *,
    service: str,
    department_id: int | None,
    subject_label: str,
    answers: dict[str, int],
    score: int,
    comment: str | None,
    respondent: str,
    rater: int | None,
    invitation_id: int | None,
) -> SurveyResponse:
    low_below, _ = desk.rule_value(session, "survey_low_score", 60)
    now = clock.now()
    row = SurveyResponse(
        invitation_id=invitation_id,
        service=service,
        department_id=department_id,
        month=clock.today_local().strftime("%Y-%m"),
        respondent=respondent,
        rater_user_id=rater,
        subject_label=subject_label,
        answers=json.dumps(answers),
        score=score,
        comment=(comment or "").strip() or None,
        low=score < low_below,
        created_at=now,
    )
    session.add(row)
    session.flush()
    if row.low:
        head = desk.head_user_id(session)
        alerts.raise_once(
            session,
            key=f"servicedesk:low_score:{row.id}",
            domain=DOMAIN,
            kind="survey_low_score",
            subject_kind="desk_survey_response",
            subject_id=row.id,
            message=f"{SERVICES[service]}满意度测评得分 {score} 分，低于 {low_below} 分：{subject_label[:80]}",
            audience=[] if head else [Role.CENTRE_STAFF],
            user_id=head,
        )
        if head is not None:
            messaging.send(
                session,
                user_id=head,
                subject=f"满意度低分预警：{SERVICES[service]} {score} 分",
                body=subject_label[:150],
                link=f"/desk/surveys/responses/{row.id}",
                kind=MESSAGE_KIND,
            )
    return row


def answer(
    session: Session, invitation: SurveyInvitation, answers: dict[str, int], comment: str | None
) -> SurveyResponse:
    if invitation.answered_at is not None or invitation.expires_on < clock.today_local():
        raise SurveyClosed("本次测评已提交或已过期，感谢您的参与")
    q = questionnaire(session, invitation.service)
    clean, score = _scored(q, answers)
    invitation.answered_at = clock.now()
    return _save(
        session,
        service=invitation.service,
        department_id=invitation.department_id,
        subject_label=invitation.subject_label,
        answers=clean,
        score=score,
        comment=comment,
        respondent="party",
        rater=None,
        invitation_id=invitation.id,
    )


def rate(
    session: Session,
    actor: Principal,
    *,
    service: str,
    subject: str,
    answers: dict[str, int],
    comment: str | None,
    department_id: int | None,
) -> SurveyResponse:
    """评议服务结果: a 特约监督员 (a user holding SOCIAL_SUPERVISOR) rates a service; the rating joins the
    figures as a supervisor's. The social supervision module calls this for its special supervisors."""
    if Role.SOCIAL_SUPERVISOR not in actor.roles:
        raise Forbidden("服务评议由特约监督员提出")
    status = supervisors.status_of(session, actor.user_id)
    if status is None or not status.valid:
        raise Forbidden("服务评议由在任的特约监督员、社会监督员提出：您的聘任已期满或已被解聘")
    q = questionnaire(session, service)
    if department_id is not None:
        desk.get_department(session, department_id)
    clean, score = _scored(q, answers)
    return _save(
        session,
        service=service,
        department_id=department_id if department_id is not None else q.department_id,
        subject_label=subject.strip()[:300],
        answers=clean,
        score=score,
        comment=comment,
        respondent="special_supervisor",
        rater=actor.user_id,
        invitation_id=None,
    )


def get_response(session: Session, response_id: int) -> SurveyResponse:
    row = session.get(SurveyResponse, response_id)
    if row is None:
        raise NotFound("测评结果不存在")
    return row


def follow_up(session: Session, actor: Principal, response_id: int, text: str) -> SurveyResponse:
    """The centre's answer to a low score (整改或说明), recorded; the alert is handled."""
    row = get_response(session, response_id)
    if not row.low:
        raise Conflict("只有低分测评需要答复")
    text = text.strip()
    if not 4 <= len(text) <= 5000:
        raise InvalidInput("答复应为 4 至 5000 个字", field="follow_up")
    row.follow_up, row.followed_by, row.followed_at = text, actor.user_id, clock.now()
    alerts.resolve(session, subject_kind="desk_survey_response", subject_id=row.id)
    session.flush()
    return row


def low_scores(
    session: Session, *, open_only: bool = False, cursor: str | None = None, limit: int | None = None
) -> Page[SurveyResponse]:
    stmt = select(SurveyResponse).where(SurveyResponse.low.is_(True))
    if open_only:
        stmt = stmt.where(SurveyResponse.follow_up.is_(None))
    return paginate(session, stmt, LOW_ORDER, cursor=cursor, limit=limit)


def of_requester(session: Session, service: str, subject_kind: str, subject_id: int) -> SurveyInvitation | None:
    """The invitation of someone without an account (a work order's requester, who proves who they are by the
    order's number and lookup code on the tracking page)."""
    key = f"{service}:{subject_kind}:{subject_id}:anon"
    return session.scalar(select(SurveyInvitation).where(SurveyInvitation.key == key))
