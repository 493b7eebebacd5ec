"""Pages of the message gateway: the person's inbox ``/me/messages`` (opening a message marks it read), and the
centre's view of the simulated SMS/voice gateway ``/staff/messages/gateway`` (numbers masked; the text of a
confidential kind — an expert's call to an evaluation — withheld)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.roles import Role
from sunshine.messaging import service
from sunshine.web.refusals import act
from sunshine.web.templating import redirect, render

router = APIRouter(tags=["我的消息"], include_in_schema=False)
SIGNED_IN = Depends(Access.signed_in())
CENTRE = Depends(Access(Role.CENTRE_STAFF, Role.ADMIN))
INBOX = "/me/messages"


@router.get(INBOX, response_class=HTMLResponse)
def inbox_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = SIGNED_IN
) -> Response:
    page = service.inbox(session, principal.user_id, cursor=cursor)
    return render(
        request,
        "messaging_inbox.html",
        page_title="我的消息",
        page=page,
        page_url=page_urls(INBOX, {}),
        unread=service.unread_count(session, principal.user_id),
        kind_label=service.kind_label,
    )


@router.post(INBOX + "/{message_id}/open", response_class=HTMLResponse)
def open_message(
    request: Request, message_id: Id, session: Session = SessionDep, principal: Principal = SIGNED_IN
) -> Response:
    """Marks the message read and follows its link (or returns to the inbox)."""
    message = service.mark_read(session, principal.user_id, message_id)
    return redirect(request, message.link or INBOX)


@router.post(INBOX + "/read-all", response_class=HTMLResponse)
def read_all(request: Request, session: Session = SessionDep, principal: Principal = SIGNED_IN) -> Response:
    mark = lambda: service.mark_all_read(session, principal.user_id)  # noqa: E731
    return act(request, INBOX, mark, lambda n: f"已将 {n} 条消息标记为已读")


@router.get("/staff/messages/gateway", response_class=HTMLResponse)
def gateway_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, _: Principal = CENTRE
) -> Response:
    from sunshine.config import get_settings

    return render(
        request,
        "messaging_gateway.html",
        page_title="模拟短信/语音网关",
        page=service.gateway_log(session, cursor=cursor),
        page_url=page_urls("/staff/messages/gateway", {}),
        gateway=get_settings().message_gateway,
    )
