"""The table of observer seats (观察席): a person the trading centre admits to watch one session of a registered kind
(an evaluation session, later draw rooms and openings), in a capacity (the supervisory department, the centre's
witness, an observer such as a social supervisor or a citizen at an open day), until the seat is revoked. The seat
names the user server-side only; the ledger records the seat's number, kind and capacity, never who."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class ObserverSeat(Base):
    # 观察席 one person admitted to watch one session
    __tablename__ = "observer_seat"
    __table_args__ = (Index("ix_observer_seat_kind_subject", "kind", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # a kind registered by the owning domain (observers.registry)
    subject_id: Mapped[int] = mapped_column(Integer)  # the session's id in the owning domain
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    capacity: Mapped[str] = mapped_column(String(20))  # supervisor | witness | observer
    admitted_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    admitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
