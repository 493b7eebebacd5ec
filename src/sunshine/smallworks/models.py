"""Tables of the small-works fixed-price draw: one row per section (the draw prepared for it, or why it failed,
and who was drawn once the draw is public), and the recorded declines and disqualifications of drawn
contractors before the result is determined."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime

Money = Numeric(18, 2)


class SectionDraw(Base):
    # 小额工程固定价抽取 the draw of one section's contractor (and reserve) among its qualified registrants
    __tablename__ = "smallworks_draw"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), unique=True)
    draw_code: Mapped[str | None] = mapped_column(String(40), unique=True)  # the public draw (None when failed)
    state: Mapped[str] = mapped_column(String(20), index=True)  # prepared | failed | drawn | determined | void
    fixed_price: Mapped[Decimal] = mapped_column(Money)  # 固定价: the section's published estimate
    pool_count: Mapped[int] = mapped_column(Integer)  # registrants in the pool (eligible or not)
    eligible_count: Mapped[int] = mapped_column(Integer)
    failed_reason: Mapped[str | None] = mapped_column(Text)
    # set once the draw is finished and disclosed (the result is public from then on)
    contractor_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    reserve_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    prepared_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DrawnOutcome(Base):
    # 中选人放弃或被查实不符合条件 a drawn contractor's decline or disqualification, recorded by the centre
    __tablename__ = "smallworks_outcome"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("smallworks_draw.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    outcome: Mapped[str] = mapped_column(String(20))  # declined | no_show
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
