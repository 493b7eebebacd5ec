"""The city's 12345 hotline interface (docs/servicedesk.md). In: the hotline system, signed in with its own
platform account (API token of a desk account), hands over orders (``receive``) and its callback results
(``callback``). Out: every reply and closing of an order that came from 12345 is queued as a message
(``desk_hotline_message``, status pending) and delivered by ``deliver_pending`` (the tick) through the
transport in use — ``SimulatedHotline`` by default, which keeps what it was sent; a test or a deployment sets
another with ``use_transport``. Every message in and out is kept as exchanged. Never commits."""

from __future__ import annotations

import json
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import AlreadyExists, InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.servicedesk import orders
from sunshine.servicedesk.labels import KINDS
from sunshine.servicedesk.models import HotlineMessage, WorkOrder
from sunshine.servicedesk.schemas import HotlineCallbackIn, HotlineOrderIn, OrderIn

CATEGORIES = {label: code for code, label in KINDS.items()}
MAX_ATTEMPTS = 10


class Transport(Protocol):
    def send(self, payload: dict) -> None: ...  # raises on failure


class SimulatedHotline:
    """The 12345 system as the platform sees it when none is connected: it accepts and keeps every message."""

    def __init__(self) -> None:
        self.received: list[dict] = []

    def send(self, payload: dict) -> None:
        self.received.append(payload)


_transport: Transport = SimulatedHotline()


def use_transport(transport: Transport) -> Transport:
    global _transport
    previous, _transport = _transport, transport
    return previous


def _log(
    session: Session, direction: str, kind: str, ref: str, order_id: int | None, payload: dict, status: str
) -> HotlineMessage:
    row = HotlineMessage(
        direction=direction,
        kind=kind,
        hotline_ref=ref,
        order_id=order_id,
        payload=json.dumps(payload, ensure_ascii=False, default=str),
        status=status,
        attempts=0,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def receive(session: Session, actor: Principal, data: HotlineOrderIn) -> WorkOrder:
    """A 12345 order handed over: registered on the desk with the hotline's number (once)."""
    kind = CATEGORIES.get(data.category)
    if kind is None:
        raise InvalidInput("category 应为：" + "、".join(CATEGORIES), field="category")
    if session.scalar(select(WorkOrder.id).where(WorkOrder.hotline_ref == data.hotline_ref)) is not None:
        raise AlreadyExists(f"12345 工单 {data.hotline_ref} 已接收", field="hotline_ref")
    order, _ = orders.register(
        session,
        actor,
        OrderIn(
            kind=kind,
            title=data.title,
            content=data.content,
            requester_name=data.caller_name,
            requester_phone=data.caller_phone,
            hotline_ref=data.hotline_ref,
        ),
        channel="hotline",
    )
    kept = data.model_dump(mode="json")
    if kind == "report":  # 举报: the reporter's identity is for the supervisory department only, not this log
        kept["caller_name"] = kept["caller_phone"] = "（举报人信息仅监督部门可见）"
        kept["content"] = "（举报内容仅监督部门可见）"
    _log(session, "in", "order", data.hotline_ref, order.id, kept, "received")
    return order


def callback(session: Session, actor: Principal, data: HotlineCallbackIn) -> WorkOrder:
    """12345's own callback result for an order it handed over: satisfied closes it, unsatisfied reopens it."""
    order = session.scalar(select(WorkOrder).where(WorkOrder.hotline_ref == data.hotline_ref))
    if order is None:
        raise NotFound(f"没有 12345 工单 {data.hotline_ref}")
    _log(session, "in", "callback", data.hotline_ref, order.id, data.model_dump(mode="json"), "received")
    return orders.callback(session, actor, order, data.satisfaction, data.note)


def queue_outbound(session: Session, order: WorkOrder, step: str) -> None:
    """After a step of an order from 12345: its reply or closing goes back to the hotline."""
    if not order.hotline_ref or step not in ("reply", "close", "refer"):
        return
    payload = {
        "hotline_ref": order.hotline_ref,
        "platform_code": order.code,
        "event": {"reply": "答复", "close": "办结", "refer": "移交投诉处理"}[step],
        "reply": order.reply,
        "replied_on": order.replied_on.isoformat() if order.replied_on else None,
        "on_time": order.on_time,
        "closed_on": order.closed_on.isoformat() if order.closed_on else None,
    }
    _log(session, "out", step, order.hotline_ref, order.id, payload, "pending")


def deliver_pending(session: Session, limit: int = 200) -> list[int]:
    """Send the queued messages through the transport; a failure is kept for the next tick."""
    sent = []
    rows = session.scalars(
        select(HotlineMessage)
        .where(
            HotlineMessage.direction == "out",
            HotlineMessage.status.in_(["pending", "failed"]),
            HotlineMessage.attempts < MAX_ATTEMPTS,
        )
        .order_by(HotlineMessage.id)
        .limit(limit)
    )
    for row in list(rows):
        row.attempts += 1
        try:
            _transport.send(json.loads(row.payload))
        except Exception as exc:  # noqa: BLE001 — any failure of the far side is kept and retried
            row.status, row.error = "failed", str(exc)[:300]
        else:
            row.status, row.sent_at, row.error = "sent", clock.now(), None
            sent.append(row.id)
    session.flush()
    return sent


EXCHANGE_ORDER = Keyset.of("hotline-exchange", HotlineMessage.id)


def exchange(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[HotlineMessage]:
    """The exchange log, newest first, one page at a time."""
    return paginate(session, select(HotlineMessage), EXCHANGE_ORDER, cursor=cursor, limit=limit)
