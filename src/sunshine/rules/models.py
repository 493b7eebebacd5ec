"""Table of local overrides of rule values: a centre may make a statutory limit stricter, with a recorded
reason. Clearing an override keeps its row (``cleared_at``), so the history stays readable."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class RuleOverride(Base):
    # 本地规则调整 a centre's stricter local value of one rule of a pack, with its reason
    __tablename__ = "rule_override"
    __table_args__ = (
        # At most one active (uncleared) override per rule; cleared ones are history.
        Index(
            "uq_rule_override_active",
            "pack_key",
            "rule_id",
            unique=True,
            sqlite_where=text("cleared_at IS NULL"),
            postgresql_where=text("cleared_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_key: Mapped[str] = mapped_column(String(100), index=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cleared_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
