"""The archive of a project (项目档案): made once, when the project closes (or, for a failed or terminated project,
when the centre archives it); the manifest itself is kept in the file store under its SHA-256, which the ledger
entry records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class ProjectArchive(Base):
    # 项目档案 one project's archive: its manifest's hash, the ledger entry recording it, what it holds
    __tablename__ = "project_archive"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)  # 档案号
    state: Mapped[str] = mapped_column(String(40))  # the project's state when archived (closed, failed, terminated)
    manifest_sha256: Mapped[str] = mapped_column(String(64))  # the manifest's bytes, also its name in the file store
    ledger_seq: Mapped[int] = mapped_column(Integer)  # the one entry holding the manifest's hash
    records: Mapped[int] = mapped_column(Integer)  # how many documents and records it lists
    total_bytes: Mapped[int] = mapped_column(BigInteger)
    archived_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    archived_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
