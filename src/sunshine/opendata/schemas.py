"""API shapes of open data besides the OCDS packages themselves (which follow the OCDS schemas): a bulk
download with its hash and ledger entry."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from sunshine.opendata import exports
from sunshine.opendata.models import OpenDump


class DumpOut(BaseModel):
    dataset: str
    title: str
    scope: str  # full | YYYY-MM-DD
    format: str
    filename: str
    url: str
    sha256: str
    size: int
    rows: int
    ledger_seq: int
    created_at: datetime

    @classmethod
    def of(cls, d: OpenDump) -> DumpOut:
        return cls(
            dataset=d.dataset,
            title=exports.DATASET_LABELS.get(d.dataset, d.dataset),
            scope=d.scope,
            format=d.fmt,
            filename=d.filename,
            url=f"/api/v1/opendata/downloads/{d.filename}",
            sha256=d.sha256,
            size=d.size,
            rows=d.rows,
            ledger_seq=d.ledger_seq,
            created_at=d.created_at,
        )
