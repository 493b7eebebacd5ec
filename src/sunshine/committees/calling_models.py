"""Tables of calling the drawn experts (专家通知、确认与签到): one ``ExpertCall`` per seat the draw called — when the
platform told the expert, the time limit to answer, the answer (confirmed, declined with a reason, no answer in
time, recused), and the sign-in at the evaluation.

Server-side only before the sign-in: ``expert_id`` and the decline note are never shown to anyone but the expert
themself; the ledger carries leaves, positions and states (through the draws engine's outcome entries).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class ExpertCall(Base):
    # 专家通知 the platform's call of one drawn expert to one seat, and the expert's answer and sign-in
    __tablename__ = "committee_call"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("committee_request.id", ondelete="CASCADE"), index=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("committee_seat.id", ondelete="CASCADE"), unique=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)  # server-side only
    leaf: Mapped[str] = mapped_column(String(64))
    specialty: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)  # place in the draw's call order
    state: Mapped[str] = mapped_column(String(20), index=True)  # pending confirmed declined timed_out recused
    called_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # answer before this
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason_code: Mapped[str | None] = mapped_column(String(40))  # decline reason, or the avoidance reason code
    note: Mapped[str | None] = mapped_column(Text)  # the expert's own words on a decline: never in the ledger
    signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
