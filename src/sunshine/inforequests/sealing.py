"""The reply letter (政府信息公开申请答复书) as a sealable document, issued by the organisation of the staff
member who recorded the answer (the disclosure office), or the trading centre where that is not known.

Its canonical rendering is plain text built from the stored answer — the letter's number, date, answer form
with the article it cites, and the answer's details — and names no applicant, so the seal can be verified
in public; the text itself stays for the office (and the applicant's printed letter) only: the verification
page shows the hash and the checks, not the content."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.identity.models import Organisation, OrganisationKind, User
from sunshine.inforequests import letters, repository, states, visibility
from sunshine.inforequests.models import InfoRequest
from sunshine.seals import registry

DETAIL_LABELS = {
    "location": "获取方式和途径",
    "reason": "理由",
    "holder": "负责公开该信息的机关",
    "detail": "说明",
    "fee_explanation": "收费说明",
    "fee_basis": "收费依据",
}


def _issuer(session: Session, req: InfoRequest) -> Organisation:
    answer = repository.last(repository.events(session, req), "answer")
    user = session.get(User, answer.actor_id) if answer is not None and answer.actor_id else None
    org = session.get(Organisation, user.organisation_id) if user is not None and user.organisation_id else None
    if org is None:
        org = session.scalar(
            select(Organisation).where(Organisation.kind == OrganisationKind.CENTRE.value).order_by(Organisation.id)
        )
    if org is None:
        raise NotFound("答复书的出具单位不明")
    return org


def render_letter(session: Session, request_id: int) -> registry.Rendered:
    req = session.get(InfoRequest, request_id)
    if req is None or not req.answer_form or req.answered_on is None:
        raise NotFound("该申请尚无答复书")
    form = states.ANSWER_FORMS[req.answer_form]
    detail = repository.answer_detail(req)
    lines = [f"答复：{form.label}（{form.basis}）", form.summary]
    reason = states.WITHHELD_REASONS.get(detail.get("reason") or "")
    for key, label in DETAIL_LABELS.items():
        value = detail.get(key)
        if key == "reason" and reason is not None:
            value = getattr(reason, "label", None) or str(reason)
        if value:
            lines.append(f"{label}：{value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}")
    if req.fee_amount is not None:
        lines.append(f"信息处理费：{req.fee_amount} 元")
    issuer = _issuer(session, req)
    return registry.Rendered(
        kind="reply_letter",
        document_id=req.id,
        title=letters.KINDS["answer"],
        number=f"{req.tracking_no}—答复",
        issuer_id=issuer.id,
        issuer_name=issuer.name,
        issuer_credit_code=issuer.credit_code,
        issued_at=req.answered_on.isoformat(),
        body="\n".join(line for line in lines if line),
        media_type="text/plain",
        public=False,
    )


def may_read_letter(session: Session, principal: Principal, request_id: int) -> bool:
    req = session.get(InfoRequest, request_id)
    return req is not None and visibility.can_see(principal, req)


def install() -> None:
    registry.register(
        registry.DocumentKind(
            "reply_letter",
            "政府信息公开申请答复书",
            render_letter,
            may_read_letter,
            page=lambda session, request_id: f"/requests/{request_id}/letter?kind=answer",
        )
    )
