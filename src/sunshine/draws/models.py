"""Tables of a draw: the draw itself (its public hashes, seed and order), its candidates (leaf with the secret
salt and ref, disclosed only after the results), its parties (commitments and reveals), who signed in to the
draw room, and the outcomes recorded against called candidates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class Draw(Base):
    # 抽取 one draw: a list committed before the draw, parties' secrets, the seed and the call order
    __tablename__ = "draw"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # public code: /draws/<code>
    purpose: Mapped[str] = mapped_column(String(60), index=True)  # registered purpose code (draws.purposes)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(120), index=True)  # opaque owning object, e.g. committee_request:12
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True, nullable=True)
    section_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    groups: Mapped[str] = mapped_column(Text)  # JSON [{"code","label","count","reserve"}] in request order
    witnesses: Mapped[str] = mapped_column(Text)  # JSON [{"role","label","user_ids"}] required in the room
    state: Mapped[str] = mapped_column(String(20), index=True)  # prepared | revealing | drawn | disclosed
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reveal_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    beacon_source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    beacon_value: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    pool_hash: Mapped[str] = mapped_column(String(64))
    list_hash: Mapped[str] = mapped_column(String(64))
    seed: Mapped[str | None] = mapped_column(String(64), nullable=True)
    call_order: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON list of leaves (v1); v2: {"lazy": m}
    # the construction the draw was made with (docs/draws.md): sunshine-draw-v1 (draws before it) or v2
    construction: Mapped[str] = mapped_column(String(30), default="sunshine-draw-v1", server_default="sunshine-draw-v1")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    disclosed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class DrawCandidate(Base):
    # 候选人 one pool entry; ref and salt stay on the server until the draw is disclosed
    __tablename__ = "draw_candidate"
    __table_args__ = (UniqueConstraint("draw_id", "leaf"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id", ondelete="CASCADE"), index=True)
    leaf: Mapped[str] = mapped_column(String(64))
    ref: Mapped[str] = mapped_column(String(120))
    salt: Mapped[str] = mapped_column(String(64))
    groups: Mapped[str] = mapped_column(Text)  # JSON list of group codes, request order
    status: Mapped[str] = mapped_column(String(60))  # eligible or a registered reason code


class DrawParty(Base):
    # 参与方 a party whose secret enters the seed: the platform or an independent party (supervisor, witness)
    __tablename__ = "draw_party"
    __table_args__ = (UniqueConstraint("draw_id", "party"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(80))  # "platform", "supervisor:<user id>", ...
    label: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    commitment: Mapped[str | None] = mapped_column(String(64), nullable=True)
    secret: Mapped[str | None] = mapped_column(String(64), nullable=True)  # platform: from prepare; others: at reveal
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    defaulted: Mapped[bool] = mapped_column(Boolean, default=False)


class DrawAttendance(Base):
    # 签到 a person signed in to the draw room, as a required witness or an observer
    __tablename__ = "draw_attendance"
    __table_args__ = (UniqueConstraint("draw_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    role: Mapped[str] = mapped_column(String(40))  # the witness role it fills, or "observer"
    display_name: Mapped[str] = mapped_column(String(100))
    signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DrawOutcome(Base):
    # 应答结果 confirmed / declined / no_show against a called leaf, in the order recorded
    __tablename__ = "draw_outcome"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id", ondelete="CASCADE"), index=True)
    leaf: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DrawPool(Base):
    # 候选池 the whole committed pool of a draw in one row (draws.pooldata): the leaves sorted, with each entry's
    # ref, salt, groups and status; secret until the draw is disclosed. Draws prepared before it have their pool
    # in draw_candidate, one row per entry.
    __tablename__ = "draw_pool"

    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id", ondelete="CASCADE"), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    eligible_count: Mapped[int] = mapped_column(Integer)
    entries: Mapped[str] = mapped_column(Text)  # JSON, see draws.pooldata.encode
