"""The satisfaction survey after an information request is answered (依申请公开答复). Applicants have no account,
so the answer step (through ``inforequests.hooks``) leaves one invitation per request whose private link is shown
to the applicant on the request's status page and at the foot of the reply letter. The link's token is derived
from the platform's secret key and the request (unguessable, the same each time the letter is printed; only its
hash is stored), valid for ``survey_request_link_within`` days (平台默认值), answered at ``/surveys/{token}``
without signing in, once. The answers join the monthly figures as the service 依申请公开答复. Never commits."""

from __future__ import annotations

import base64
import hashlib
import hmac

from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.formatting import cn_day
from sunshine.inforequests.hooks import ReplyLine
from sunshine.inforequests.models import InfoRequest
from sunshine.servicedesk import surveys

SERVICE = "request_answered"
SUBJECT_KIND = "info_request"
VALID_FOR = ("survey_request_link_within", 60)  # the rule of centre.service and its platform default


def token_for(request_id: int) -> str:
    """The request's survey token: HMAC-SHA256 of the request under the platform's secret key (192 bits)."""
    secret = get_settings().resolved_secret_key().encode()
    mac = hmac.new(secret, f"survey-link|{SERVICE}|{SUBJECT_KIND}|{request_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode()


def link_for(request_id: int) -> str:
    return get_settings().public_url.rstrip("/") + f"/surveys/{token_for(request_id)}"


def invite_applicant(session: Session, req: InfoRequest) -> None:
    """After the answer: the applicant's invitation (once per request; no personal data in its label)."""
    surveys.invite(
        session,
        service=SERVICE,
        subject_kind=SUBJECT_KIND,
        subject_id=req.id,
        subject_label=f"{req.tracking_no} 政府信息公开申请答复",
        user_id=None,
        anonymous_ok=True,
        token=token_for(req.id),
        valid_for=VALID_FOR,
    )


def reply_lines(session: Session, req: InfoRequest) -> list[ReplyLine]:
    """What the applicant reads beside the reply: the link while it is open, or why it is not."""
    inv = surveys.of_requester(session, SERVICE, SUBJECT_KIND, req.id)
    if inv is None:
        return []
    if inv.answered_at is not None:
        return [ReplyLine("您已对本次答复进行了满意度测评，感谢您的参与。")]
    if inv.expires_on < clock.today_local():
        return [ReplyLine(f"本次答复的满意度测评已于{cn_day(inv.expires_on)}截止。")]
    return [
        ReplyLine(
            f"欢迎对本次答复进行满意度测评：无需登录，限提交一次，{cn_day(inv.expires_on)}前有效。"
            "测评链接仅发给申请人本人，请勿转给他人：",
            link_for(req.id),
            "参加满意度测评",
        )
    ]
