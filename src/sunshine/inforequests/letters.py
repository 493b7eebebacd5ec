"""Reply letters and notices to the applicant, each from its own Jinja template under
``web/templates/inforequests/letters/`` (one per answer form, plus the receipt, the correction notice
and the extension notice), printable from ``/requests/{id}/letter``. This module gathers what a letter
says; the wording lives in the templates so a centre can adapt it without touching code."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from sunshine.core import calendar
from sunshine.core.errors import NotFound
from sunshine.core.formatting import cn_day
from sunshine.inforequests import deadlines, repository, states
from sunshine.inforequests.models import InfoRequest
from sunshine.inforequests.timing import explain

KINDS: dict[str, str] = {
    "receipt": "政府信息公开申请受理回执",
    "correction": "政府信息公开申请补正告知书",
    "extension": "政府信息公开申请延期答复告知书",
    "answer": "政府信息公开申请答复书",
}


cn_date = cn_day  # 2026年11月23日; the letters' templates call it cn_date


def access_key(secret: str, req: InfoRequest) -> str:
    """A key that opens the letters of one request for its applicant (derived from the code hash, which
    only the applicant's code matches): shown after a successful lookup, never guessable."""
    message = f"letters|{req.id}|{req.code_hash}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def key_ok(secret: str, req: InfoRequest, key: str | None) -> bool:
    return bool(key) and hmac.compare_digest(access_key(secret, req), key or "")


@dataclass
class Letter:
    kind: str
    title: str
    template: str
    request: InfoRequest
    number: str
    issued_on: date | None
    context: dict[str, Any] = field(default_factory=dict)


def available_kinds(session: Session, req: InfoRequest) -> list[str]:
    history = repository.events(session, req)
    kinds = ["receipt"]
    if repository.last(history, "request_correction"):
        kinds.append("correction")
    if repository.last(history, "extend", "volume_delay"):
        kinds.append("extension")
    if req.answer_form:
        kinds.append("answer")
    return kinds


def build(session: Session, req: InfoRequest, kind: str) -> Letter:
    if kind not in KINDS or kind not in available_kinds(session, req):
        raise NotFound("该申请没有这份文书")
    history = repository.events(session, req)
    pack = repository.pack_of(req)
    answer_days = int(pack.rule("answer_within").value)
    clock = deadlines.clock_of(req, history, calendar.load(session))
    base = {
        "channel": states.CHANNELS[req.channel],
        "received": cn_date(req.received_on),
        "receipt_rule": states.RECEIPT_RULES["post_ordinary" if req.post_signed is False else req.channel],
        "clock": clock,
        "clock_basis": explain(clock, answer_days),
        "answer_days": answer_days,
        "answer_basis": pack.rule("answer_within").basis_text,
        "cn_date": cn_date,
        "applicant_type": states.APPLICANT_TYPES[req.applicant_type],
        "form_wanted": states.FORMS_WANTED.get(req.form_wanted, req.form_wanted),
        "delivery": states.DELIVERY.get(req.delivery, req.delivery),
    }
    if kind == "receipt":
        return Letter(
            kind, KINDS[kind], "inforequests/letters/receipt.html", req, f"{req.tracking_no}", req.received_on, base
        )
    if kind == "correction":
        notice = repository.last(history, "request_correction")
        due = calendar.compute(session, notice.day, notice.days, "working")
        context = {**base, "items": repository.data_of(notice).get("items", ""), "period": notice.days, "due": due}
        return Letter(
            kind,
            KINDS[kind],
            "inforequests/letters/correction.html",
            req,
            f"{req.tracking_no}—补正",
            notice.day,
            context,
        )
    if kind == "extension":
        event = repository.last(history, "extend", "volume_delay")
        data = repository.data_of(event)
        context = {
            **base,
            "event": event,
            "approver": data.get("approver"),
            "reason": data.get("reason"),
            "volume": event.step == "volume_delay",
        }
        return Letter(
            kind, KINDS[kind], "inforequests/letters/extension.html", req, f"{req.tracking_no}—延期", event.day, context
        )
    form = states.ANSWER_FORMS[req.answer_form]
    detail = repository.answer_detail(req)
    reason = states.WITHHELD_REASONS.get(detail.get("reason") or "")
    context = {
        **base,
        "form": form,
        "detail": detail,
        "reason": reason,
        "fee": {
            "method": states.FEE_METHODS.get(req.fee_method or "none"),
            "amount": req.fee_amount,
            "explanation": detail.get("fee_explanation"),
            "basis": detail.get("fee_basis"),
        },
        "fee_payment_days": _fee_payment_days(session, req),
    }
    return Letter(
        kind,
        KINDS[kind],
        f"inforequests/letters/{form.key}.html",
        req,
        f"{req.tracking_no}—答复",
        req.answered_on,
        context,
    )


def _fee_payment_days(session: Session, req: InfoRequest) -> int | None:
    from sunshine.inforequests import fees

    pack = fees.pack_for(session, req.received_on)
    if pack is None or not pack.has("fee_payment_within"):
        return None
    return int(pack.rule("fee_payment_within").value)
