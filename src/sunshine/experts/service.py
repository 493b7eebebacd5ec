"""The expert pool's operations: who an expert is, how to reach them (server-side only), and the pool at the
moment of a draw. Admission, sanctions, leave and records live in ``admission`` and ``records``; this module is the
face other domains import.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.errors import NotFound
from sunshine.experts.models import Expert
from sunshine.experts.pool import REASONS, PoolMember
from sunshine.experts.poolquery import pool_for_draw

__all__ = ["REASONS", "PoolMember", "contact", "expert_of_user", "get_expert", "pool_for_draw"]


def expert_of_user(session: Session, user_id: int) -> Expert | None:
    """The pool record of a user account, if the user is (or was) an admitted expert."""
    return session.scalar(select(Expert).where(Expert.user_id == user_id))


def get_expert(session: Session, expert_id: int) -> Expert:
    expert = session.get(Expert, expert_id)
    if expert is None:
        raise NotFound("未找到该专家")
    return expert


def contact(session: Session, expert_id: int) -> tuple[str, str]:
    """(name, mobile phone) of an expert, for notifying them. Server-side only: never rendered, never logged."""
    expert = get_expert(session, expert_id)
    return expert.name, expert.mobile
