"""Information requests: the regime setting, intake (public form and staff entry), who may see a
request, and the queue. The lifecycle steps are in ``steps``; the answer clock and the tracked
deadlines in ``deadlines``; what a request has stored, read back, in ``repository``; the tick's
reminders and alerts in ``alerts``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core import alerts, calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden, InvalidInput, NotFound
from sunshine.core.models import Alert, TrackedDeadline
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.core.serials import check_character, next_serial
from sunshine.inforequests import states, steps, visibility
from sunshine.inforequests.deadlines import clock_of, open_deadlines_for, refresh_deadlines
from sunshine.inforequests.models import InfoRequest, RequestSetting
from sunshine.inforequests.repository import ALERT_SUBJECT, events_for, month_rank, rule_days
from sunshine.inforequests.schemas import RequestIn
from sunshine.inforequests.timing import AnswerClock
from sunshine.inforequests.visibility import OFFICE_ROLES
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.rules.registry import registry
from sunshine.rules.service import ResolvedPack

REGIMES: dict[str, str] = {
    "disclosure.gip_2019": "2019年修订的《政府信息公开条例》（20＋20个工作日）",
    "disclosure.seed_legacy": "中心原规则（15＋15个工作日，2个工作日内转办，10个工作日内审查）",
}
DEFAULT_REGIME = "disclosure.gip_2019"
REGIME_SETTING = "regime"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


# --------------------------------------------------------------------------- regime


def current_regime(session: Session) -> str:
    row = session.get(RequestSetting, REGIME_SETTING)
    return row.value if row is not None and row.value in REGIMES else DEFAULT_REGIME


def set_regime(session: Session, *, actor: Principal, key: str) -> str:
    """The administrator's choice of regime for requests received from now on (earlier requests keep theirs)."""
    if key not in REGIMES:
        raise InvalidInput("请选择2019年条例规则或中心原规则", field="regime")
    registry().versions(key)  # the pack must ship
    row = session.get(RequestSetting, REGIME_SETTING)
    previous = row.value if row is not None else DEFAULT_REGIME
    if row is None:
        row = RequestSetting(key=REGIME_SETTING)
        session.add(row)
    row.value, row.set_by, row.set_at = key, actor.user_id, clock.now()
    session.flush()
    ledger.append(
        session,
        "inforequest:regime:set",
        "inforequest-setting:regime",
        {"regime": key, "previous": previous, "by": actor.user_id},
    )
    return key


# --------------------------------------------------------------------------- applicants and tracking numbers


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def applicant_key(name: str, id_number: str | None, phone: str) -> str:
    """One applicant across requests (for the monthly count of fees and 第三十五条), without storing more."""
    digits = re.sub(r"\D", "", phone or "")
    ident = _normal(id_number) if id_number and id_number.strip() else f"{_normal(name)}|{digits}"
    return hashlib.sha256(f"applicant|v1|{ident}".encode()).hexdigest()


def _code_hash(short_code: str, code: str) -> str:
    return hashlib.sha256(f"lookup|{short_code}|{_normal(code).replace('-', '')}".encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _next_serial(session: Session, year: int) -> int:
    return next_serial(session, f"inforequest:{year}")


def tracking_number(year: int, serial: int) -> str:
    return f"依申〔{year}〕第{serial:04d}号"


def _short_code(year: int, serial: int) -> str:
    body = f"YS{year}{serial:04d}"
    return body + check_character(body)


# --------------------------------------------------------------------------- intake


@dataclass(frozen=True)
class Receipt:
    request: InfoRequest
    code: str  # shown once, to the applicant only
    clock: AnswerClock


def _receipt_date(data: RequestIn, today: date, public: bool) -> tuple[date, date]:
    """(submitted_on, received_on) by the channel (条例第三十一条)."""
    if public:
        # The online form confirms receipt at once on the receipt page: both sides confirm that day.
        return today, today
    submitted = data.submitted_on or today
    received = data.received_on or (submitted if data.channel == "in_person" else None)
    if received is None:
        what = {
            "post": "签收之日" if data.post_signed is not False else "与申请人确认之日",
            "online": "双方确认之日",
            "fax": "双方确认之日",
        }[data.channel]
        raise InvalidInput(f"请填写收到申请之日（{what}）", field="received_on")
    if data.channel == "in_person" and received != submitted:
        raise InvalidInput("当面提交的申请，以提交之日为收到申请之日", field="received_on")
    if received > today:
        raise InvalidInput("收到申请之日不能晚于今天", field="received_on")
    if submitted > received:
        raise InvalidInput("收到申请之日不能早于申请人提交（寄出）之日", field="received_on")
    if received < today - timedelta(days=366):
        raise InvalidInput("收到申请之日距今超过一年，请核对", field="received_on")
    return submitted, received


def submit(session: Session, actor: Principal, data: RequestIn, *, public: bool) -> Receipt:
    """Register a request: from the public form (online) or entered by the disclosure office for a
    request received in person, by post, online or by fax. The regime in force is frozen into it."""
    if not public and not visibility.is_office(actor):
        raise Forbidden("只有政务公开办可以登记申请")
    if public and data.channel != "online":
        raise InvalidInput("在线提交的申请渠道为互联网", field="channel")
    if data.channel == "post" and data.post_signed is None:
        raise InvalidInput("请选择邮件是否需要签收（挂号信、快递等需签收；平常信函无需签收）", field="post_signed")
    today = clock.today_local()
    submitted, received = _receipt_date(data, today, public)
    key = current_regime(session)
    pack = rules.resolve(session, key, received)
    serial = _next_serial(session, received.year)
    code = _new_code()
    short = _short_code(received.year, serial)
    now = clock.now()
    req = InfoRequest(
        year=received.year,
        serial=serial,
        tracking_no=tracking_number(received.year, serial),
        short_code=short,
        code_hash=_code_hash(short, code),
        channel=data.channel,
        post_signed=data.post_signed if data.channel == "post" else None,
        submitted_on=submitted,
        received_on=received,
        applicant_type=data.applicant_type,
        applicant_name=data.applicant_name.strip(),
        id_number=(data.id_number or "").strip() or None,
        contact_phone=data.contact_phone.strip(),
        email=(data.email or "").strip() or None,
        address=(data.address or "").strip() or None,
        applicant_key=applicant_key(data.applicant_name, data.id_number, data.contact_phone),
        description=data.description.strip(),
        form_wanted=data.form_wanted,
        delivery=data.delivery,
        pack_key=pack.key,
        pack_version=pack.version,
        rules_snapshot=json.dumps(pack.snapshot(), ensure_ascii=False),
        state="new",
        volume_flag=False,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(req)
    session.flush()
    receipt_rule = states.RECEIPT_RULES["post_ordinary" if data.post_signed is False else data.channel]
    steps.apply(
        session,
        req,
        "receive",
        actor,
        day=received,
        data={"receipt_rule": receipt_rule},
        payload={"regime": pack.key, "version": pack.version, "channel": data.channel},
        system_ok=public,
    )
    _flag_volume(session, req, pack)
    cal = calendar.load(session)
    return Receipt(req, code, refresh_deadlines(session, req, cal))


def _flag_volume(session: Session, req: InfoRequest, pack: ResolvedPack) -> None:
    limit = rule_days(pack, "volume_requests_per_month")
    if limit is None:
        return
    rank = month_rank(session, req)
    if rank > limit:
        req.volume_flag = True
        raise_alert(
            session,
            req,
            "volume",
            req.received_on,
            f"该申请人本月第{rank}件申请，超过{limit}件：可依条例第三十五条要求说明理由，"
            "理由不合理的不予处理，理由合理但无法按期答复的可确定延迟答复期限",
            None,
        )


def raise_alert(
    session: Session, req: InfoRequest, kind: str, due: date, message: str, user_id: int | None
) -> Alert | None:
    """One alert per request, kind and due date (a new due date gets its own); None if raised before.
    The disclosure office watches them all; ``user_id`` is the department that must act, if any."""
    return alerts.raise_once(
        session,
        key=f"{ALERT_SUBJECT}:{req.id}:{kind}:{due.isoformat()}",
        domain="inforequests",
        kind=kind,
        subject_kind=ALERT_SUBJECT,
        subject_id=req.id,
        due=due,
        message=message,
        audience=OFFICE_ROLES,
        user_id=user_id,
    )


# --------------------------------------------------------------------------- reading


def get(session: Session, request_id: int) -> InfoRequest:
    req = session.get(InfoRequest, request_id)
    if req is None:
        raise NotFound("申请不存在")
    return req


_SHORT = re.compile(r"^YS(\d{4})(\d{4,})([0-9A-Z])$")
_CHINESE = re.compile(r"(\d{4})\D+?(\d{1,6})")


def lookup(session: Session, tracking: str, code: str) -> InfoRequest:
    """The applicant's own request, by its tracking number (either form) and the lookup code."""
    text = _normal(tracking)
    req = None
    if _SHORT.match(text):
        req = session.scalar(select(InfoRequest).where(InfoRequest.short_code == text))
    else:
        match = _CHINESE.search(tracking or "")
        if match:
            req = session.scalar(
                select(InfoRequest).where(
                    InfoRequest.year == int(match.group(1)), InfoRequest.serial == int(match.group(2))
                )
            )
    expected = req.code_hash if req is not None else "0" * 64
    supplied = _code_hash(req.short_code if req is not None else "", code or "")
    if req is None or not hmac.compare_digest(expected, supplied):
        raise NotFound("未找到该申请，或查询码不正确。请核对受理回执上的申请编号和查询码")
    return req


# --------------------------------------------------------------------------- queue


@dataclass(frozen=True)
class Row:
    request: InfoRequest
    clock: AnswerClock
    deadlines: dict[str, TrackedDeadline]
    alerts: list[Alert]

    @property
    def overdue(self) -> bool:
        return (
            self.clock.due is not None
            and self.request.state not in states.CONCLUDED_STATES
            and (self.clock.due < clock.today_local())
        )


QUEUE_ORDER = Keyset.of("requests", InfoRequest.received_on, InfoRequest.id)


def queue(
    session: Session,
    actor: Principal,
    *,
    state: str | None = None,
    open_only: bool = False,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Row]:
    """The requests ``actor`` handles, latest received first, one page after ``cursor``."""
    stmt = select(InfoRequest)
    stmt = stmt.where(visibility.readable(actor))
    if state:
        stmt = stmt.where(InfoRequest.state == state)
    if open_only:
        stmt = stmt.where(InfoRequest.state.in_(sorted(states.OPEN_STATES - {"new"})))
    page = paginate(session, stmt, QUEUE_ORDER, cursor=cursor, limit=limit)
    return replace(page, items=rows_for(session, page.items))


def rows_for(session: Session, reqs: Sequence[InfoRequest]) -> list[Row]:
    cal = calendar.load(session)
    history = events_for(session, [r.id for r in reqs])
    deadlines = open_deadlines_for(session, reqs)
    raised = alerts.for_subjects(session, ALERT_SUBJECT, [r.id for r in reqs])
    return [Row(r, clock_of(r, history[r.id], cal), deadlines.get(r.id, {}), raised.get(r.id, [])) for r in reqs]


def recent_alerts(session: Session, actor: Principal, limit: int = 30) -> list[tuple[Alert, InfoRequest]]:
    stmt = (
        select(Alert, InfoRequest)
        .join(InfoRequest, InfoRequest.id == Alert.subject_id)
        .where(Alert.subject_kind == ALERT_SUBJECT, InfoRequest.state.in_(sorted(states.OPEN_STATES)))
        .order_by(Alert.created_at.desc(), Alert.id.desc())
        .limit(limit)
    )
    stmt = stmt.where(visibility.readable(actor))
    return [(a, r) for a, r in session.execute(stmt).all()]


def count_open(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(InfoRequest).where(InfoRequest.state.in_(sorted(states.OPEN_STATES)))
        )
        or 0
    )
