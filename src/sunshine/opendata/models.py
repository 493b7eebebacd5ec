"""Tables of open data: each OCDS release as it was first made public (never rewritten: a later stage is a
new release), the bulk downloads made from them with their hashes and ledger entries, and how far the
synchronisation with the published stages has read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class OpenRelease(Base):
    # 发布记录 one OCDS release: a stage of a project once its publication is public
    __tablename__ = "opendata_release"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[str] = mapped_column(String(120), unique=True)  # OCDS release id, stable
    ocid: Mapped[str] = mapped_column(String(80), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(30))  # the stage registry's name: tender, amendment, bids, ...
    tag: Mapped[str] = mapped_column(String(30), index=True)  # the OCDS release tag
    date: Mapped[datetime] = mapped_column(UTCDateTime)  # the release's date (the publication's)
    ledger_seq: Mapped[int | None] = mapped_column(Integer)  # the ledger entry that fixed the published stage
    data: Mapped[str] = mapped_column(Text)  # the release as JSON (canonical key order, UTF-8)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # when it entered open data


class OpenDump(Base):
    # 批量下载文件 one bulk download: releases/records as gzip JSON Lines, or a table as CSV/xlsx
    __tablename__ = "opendata_dump"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(40), index=True)  # releases, records, projects, notices, ...
    scope: Mapped[str] = mapped_column(String(20))  # full | a local date YYYY-MM-DD (daily)
    fmt: Mapped[str] = mapped_column(String(10))  # jsonl.gz | csv | xlsx
    filename: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))  # the file store's name of the file
    size: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    ledger_seq: Mapped[int] = mapped_column(Integer)  # the entry fixing the file's hash
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class OpenSync(Base):
    # 同步进度 how far the synchronisation with the published stages has read (one row)
    __tablename__ = "opendata_sync"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    read_until: Mapped[datetime] = mapped_column(UTCDateTime)


class OpenRecord(Base):
    # 汇编发布 the compiled release of one ocid, merged when a release of it is added (same transaction), so that
    # records are read, never compiled, when asked for or exported
    __tablename__ = "opendata_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ocid: Mapped[str] = mapped_column(String(80), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    compiled: Mapped[str] = mapped_column(Text)  # the compiled release as JSON (canonical key order, UTF-8)
    sha256: Mapped[str] = mapped_column(String(64))
    releases: Mapped[int] = mapped_column(Integer)  # how many releases it was compiled from
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
