"""JSON API of a person's own inbox: ``/api/v1/me/messages`` (newest first, with the unread count), one
message, marking read. Nobody reads another person's messages: someone else's answers 404."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, LIMIT
from sunshine.messaging import service
from sunshine.messaging.models import InboxMessage

router = APIRouter(prefix="/api/v1/me/messages", tags=["我的消息"])
SIGNED_IN = Depends(Access.signed_in())


class MessageOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    subject: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class MessageList(BaseModel):
    items: list[MessageOut]
    unread: int
    next_cursor: str | None


class MarkedOut(BaseModel):
    marked: int
    unread: int


def message_out(m: InboxMessage) -> MessageOut:
    return MessageOut(
        id=m.id,
        kind=m.kind,
        kind_label=service.kind_label(m.kind),
        subject=m.subject,
        body=m.body,
        link=m.link,
        created_at=m.created_at,
        read_at=m.read_at,
    )


@router.get("", response_model=MessageList, summary="我的站内消息（最新在前）与未读条数")
def list_messages(
    unread: bool = Query(False, description="只列未读消息"),
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    session: Session = SessionDep,
    principal: Principal = SIGNED_IN,
) -> MessageList:
    page = service.inbox(session, principal.user_id, unread_only=unread, cursor=cursor, limit=limit)
    return MessageList(
        items=[message_out(m) for m in page.items],
        unread=service.unread_count(session, principal.user_id),
        next_cursor=page.next_cursor,
    )


@router.get("/{message_id}", response_model=MessageOut, summary="一条站内消息")
def get_message(message_id: Id, session: Session = SessionDep, principal: Principal = SIGNED_IN) -> MessageOut:
    return message_out(service.message_of(session, principal.user_id, message_id))


@router.post("/{message_id}/read", response_model=MessageOut, summary="标记为已读")
def read_message(message_id: Id, session: Session = SessionDep, principal: Principal = SIGNED_IN) -> MessageOut:
    return message_out(service.mark_read(session, principal.user_id, message_id))


@router.post("/read-all", response_model=MarkedOut, summary="全部标记为已读")
def read_all(session: Session = SessionDep, principal: Principal = SIGNED_IN) -> MarkedOut:
    marked = service.mark_all_read(session, principal.user_id)
    return MarkedOut(marked=marked, unread=service.unread_count(session, principal.user_id))
