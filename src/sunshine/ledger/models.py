"""Tables of the transparency log: entries (leaves), signed tree heads and the append state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class LedgerEntry(Base):
    # 留痕记录 one leaf of the log; seq is its leaf index, starting at 0
    __tablename__ = "ledger_entry"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(100), index=True)  # source:subject:action tag
    subject: Mapped[str] = mapped_column(String(200), index=True)  # e.g. "user:12", "project:...".
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON (RFC 8785)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    leaf_hash: Mapped[str] = mapped_column(String(64))


class TreeHead(Base):
    # 签名树头 signed tree head: the root of the first `size` entries, signed with Ed25519
    __tablename__ = "ledger_tree_head"

    size: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    root_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))


class LedgerState(Base):
    # The single row that serialises appends: the next leaf index and the compact range of roots.
    __tablename__ = "ledger_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(Integer)
    compact_range: Mapped[str] = mapped_column(Text)  # JSON list of hex subtree roots, left to right


class LedgerNode(Base):
    # A perfect subtree's root (level >= 1; level 0 is the entry's leaf hash), stored as the tree
    # grows so that any proof needs O(log n) rows, not the whole log.
    __tablename__ = "ledger_node"

    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
