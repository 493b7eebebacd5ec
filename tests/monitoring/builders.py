"""Bid documents carrying author metadata (a docx, a PDF), and a bidding walk that seals bids from chosen client
addresses and devices and opens them, for the monitoring tests."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from pypdf import PdfWriter
from starlette.testclient import TestClient

from sunshine import tasks
from sunshine.bidding import envelope
from tests.bidding.builders import seal_for

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{author}</dc:creator>
 <cp:lastModifiedBy>{author}</cp:lastModifiedBy></cp:coreProperties>"""
APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
<Application>WPS Office</Application><Company>{company}</Company></Properties>"""


def docx(author: str, company: str = "") -> envelope.Document:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("docProps/core.xml", CORE.format(author=author))
        z.writestr("docProps/app.xml", APP.format(company=company))
    return envelope.Document(
        "商务标.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buf.getvalue()
    )


def pdf(author: str) -> envelope.Document:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": author, "/Producer": "Microsoft Word"})
    buf = io.BytesIO()
    writer.write(buf)
    return envelope.Document("技术标.pdf", "application/pdf", buf.getvalue())


def submit(app, w, i: int, sealed, *, address: str, device: str = "") -> dict:
    with TestClient(app, client=(address, 50000)) as from_there:
        r = from_there.post(
            f"/api/v1/sections/{w.section_id}/bids",
            content=sealed.sealed,
            headers={
                **w.tokens[i],
                "Content-Type": "application/octet-stream",
                "Idempotency-Key": sealed.idempotency_key,
                "Sunshine-Key-Commitment": sealed.commitment,
                **({"Sunshine-Device": device} if device else {}),
            },
        )
    assert r.status_code == 201, r.text
    return r.json()


def open_bids(db, client, clock, w, kept, resign) -> None:
    clock.advance(timedelta(days=30))
    resign()
    assert tasks.tick(db).opened == [w.code]
    for i, (sealed, bid_no) in enumerate(kept):
        r = client.post(f"/api/v1/bids/{bid_no}/reveal", json={"key": sealed.key_text}, headers=w.tokens[i])
        assert r.status_code == 200, r.text


__all__ = ["docx", "open_bids", "pdf", "seal_for", "submit"]
