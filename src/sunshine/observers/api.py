"""JSON route of a person's own observer seats (我的观察席): the sessions of every registered kind the centre has
admitted them to watch, each with the page where they watch it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.observers import registry, service

router = APIRouter(prefix="/api/v1/observers", tags=["观察席"])


@router.get("/mine", summary="本人的观察席")
def mine(session: Session = SessionDep, actor: Principal = Depends(Access.signed_in())) -> Any:
    out = []
    for seat in service.mine(session, actor):
        kind = registry.get(seat.kind)
        out.append(
            {
                "id": seat.id,
                "kind": seat.kind,
                "kind_label": kind.label,
                "session_id": seat.subject_id,
                "capacity_label": service.capacity_label(seat.capacity),
                "admitted_at": seat.admitted_at,
                "link": kind.watch_link(seat.subject_id),
            }
        )
    return out
