"""投标文件特征码: after the bids are decrypted, the author and machine metadata of each opened document — a PDF's
document information (Author, Creator, Producer) read with pypdf, an Office Open XML file's ``docProps/core.xml``
(creator, lastModifiedBy) and ``docProps/app.xml`` (Application, Company) — kept with a mark, the SHA-256 of the
identifying values, that the collusion signal C03 compares between bidders. A file without such metadata has no
mark. Nothing is read before the opening: the server holds only ciphertext until then."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import service as bidding
from sunshine.core import clock
from sunshine.core.filestore import file_store
from sunshine.monitoring.flags import Mark
from sunshine.monitoring.models import DocumentMark
from sunshine.trading.models import Project

log = logging.getLogger("sunshine.monitoring")
NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}


@dataclass(frozen=True)
class Metadata:
    kind: str
    author: str | None = None
    last_modified_by: str | None = None
    producer: str | None = None
    company: str | None = None

    @property
    def mark(self) -> str | None:
        if not (self.author or self.last_modified_by or self.company):
            return None
        values = [self.author or "", self.last_modified_by or "", self.producer or "", self.company or ""]
        return hashlib.sha256("\x1f".join(v.strip() for v in values).encode()).hexdigest()


def _clean(value) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text[:200] or None


def _ooxml(data: bytes) -> Metadata:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        core = ElementTree.fromstring(z.read("docProps/core.xml")) if "docProps/core.xml" in names else None
        app = ElementTree.fromstring(z.read("docProps/app.xml")) if "docProps/app.xml" in names else None
    kind = "xlsx" if any(n.startswith("xl/") for n in names) else "docx"

    def text(root, path):
        node = root.find(path, NS) if root is not None else None
        return _clean(node.text) if node is not None else None

    return Metadata(
        kind,
        author=text(core, "dc:creator"),
        last_modified_by=text(core, "cp:lastModifiedBy"),
        producer=text(app, "ep:Application"),
        company=text(app, "ep:Company"),
    )


def _pdf(data: bytes) -> Metadata:
    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(data)).metadata or {}
    return Metadata(
        "pdf",
        author=_clean(info.get("/Author")),
        last_modified_by=None,
        producer=_clean(" / ".join(v for v in (info.get("/Creator"), info.get("/Producer")) if v)),
    )


def read(data: bytes) -> Metadata:
    """The metadata of one document, whatever its kind; empty for a file whose metadata cannot be read."""
    try:
        if data.startswith(b"%PDF"):
            return _pdf(data)
        if data.startswith(b"PK"):
            return _ooxml(data)
    except Exception as exc:  # a damaged or unusual file has no mark; the bid itself is unaffected
        log.info("document metadata not readable: %s", exc)
    return Metadata("other")


def extract(session: Session, project: Project) -> int:
    """Read the marks of every opened document of the project's counting bids (once per bid and document)."""
    done = {
        (b, d)
        for b, d in session.execute(
            select(DocumentMark.bid_id, DocumentMark.document_sha256).where(DocumentMark.project_id == project.id)
        )
    }
    added = 0
    for bid in bidding.sealed_bids(session, project.id):
        for doc in json.loads(bid.documents_json or "[]"):
            sha = doc.get("sha256")
            if not sha or (bid.id, sha) in done:
                continue
            try:
                data = file_store().open(sha)
            except Exception:
                log.warning("opened document %s of bid %s is not in the file store", sha, bid.bid_no)
                continue
            meta = read(data)
            session.add(
                DocumentMark(
                    bid_id=bid.id,
                    project_id=project.id,
                    document_sha256=sha,
                    document_name=str(doc.get("name", ""))[:255],
                    kind=meta.kind,
                    author=meta.author,
                    last_modified_by=meta.last_modified_by,
                    producer=meta.producer,
                    mark=meta.mark,
                    read_at=clock.now(),
                )
            )
            done.add((bid.id, sha))
            added += 1
    session.flush()
    return added


def of_projects(session: Session, project_ids: list[int]) -> dict[int, list[Mark]]:
    out: dict[int, list[Mark]] = {}
    if not project_ids:
        return out
    rows = session.scalars(select(DocumentMark).where(DocumentMark.project_id.in_(project_ids)))
    for m in rows:
        out.setdefault(m.bid_id, []).append(Mark(m.bid_id, m.mark or "", m.author, m.last_modified_by, m.producer))
    return out
