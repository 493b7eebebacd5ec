"""What a sealed document carries out of the platform: its one QR code (segno, no network) linking to the
public verification page, the detached seal file (``sunshine-seal/1`` JSON, docs/seals.md) that goes with the
canonical document, and a printable sealed copy (PDF by reportlab, deterministic: the document's text, the seal
block with the signature value and the QR code)."""

from __future__ import annotations

import io
import json
import re
import textwrap
from typing import Any

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from sunshine.core import content
from sunshine.core import pdf as pdfkit
from sunshine.core.formatting import local_time
from sunshine.seals import registry
from sunshine.seals.models import DocumentSeal

SEAL_FILE_FORMAT = "sunshine-seal/1"
FONT = pdfkit.FONT  # the platform's CJK font, embedded as a subset (core/pdf.py): renders in any reader


def qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> bytes:
    out = io.BytesIO()
    qr(url).save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title="签章验证二维码")
    return out.getvalue()


def qr_png(url: str) -> bytes:
    return pdfkit.qr_png(url)


def seal_file(row: DocumentSeal, org_name: str, credit_code: str, public_key: str | None, url: str) -> dict[str, Any]:
    """The detached seal: everything needed to check the canonical document without the platform's database."""
    return {
        "format": SEAL_FILE_FORMAT,
        "document": {
            "kind": row.kind,
            "id": row.document_id,
            "title": row.title,
            "number": row.number,
            "sha256": row.document_sha256,
            "format": registry.FORMAT,
        },
        "issuer": {"name": org_name, "credit_code": credit_code},
        "message": registry.seal_message(row.kind, row.document_id, row.document_sha256, credit_code).decode(),
        "algorithm": row.algorithm,
        "public_key": public_key,
        "key_fingerprint": row.key_fingerprint,
        "signature": row.signature,
        "sealed_at": row.sealed_at.isoformat(),
        "ledger_seq": row.ledger_seq,
        "verify_url": url,
    }


def seal_file_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|tr|div|table)>|<br\s*/?>", re.IGNORECASE)


def readable_text(rendered: registry.Rendered) -> str:
    if rendered.media_type == "text/html":
        return "\n".join(line.strip() for line in content.text_of(_BLOCK_END.sub("\n", rendered.body)).splitlines())
    if rendered.media_type == "application/json":
        return json.dumps(json.loads(rendered.body), ensure_ascii=False, indent=1)
    return rendered.body


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, width=width, break_long_words=True) or [""])
    return lines


def sealed_pdf(rendered: registry.Rendered, row: DocumentSeal, org_name: str, url: str) -> bytes:
    """The sealed copy: the document's text, then the seal block (organisation, time, algorithm, key fingerprint,
    the document's SHA-256, the signature) and the QR code of the verification page."""
    pdfkit.font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    pdf.setTitle(rendered.title)
    pdf.setAuthor(org_name)
    width, height = A4
    margin = 56
    y = height - margin

    def line(text: str, size: float = 10.5, gap: float = 16) -> None:
        nonlocal y
        if y < margin + gap:
            pdf.showPage()
            y = height - margin
        pdf.setFont(FONT, size)
        pdf.drawString(margin, y, text)
        y -= gap

    for text in _wrap(rendered.title, 26):
        line(text, 15, 22)
    line(f"文书编号：{rendered.number}    出具单位：{rendered.issuer_name}", 9, 14)
    y -= 6
    for text in _wrap(readable_text(rendered) if rendered.public else "（本文书内容不公开，凭原件核对）", 44):
        line(text)
    y -= 10
    if y < margin + 190:
        pdf.showPage()
        y = height - margin
    pdf.setStrokeColorRGB(0.75, 0.1, 0.1)
    pdf.rect(margin - 6, y - 168, width - 2 * margin + 12, 180)
    line("电子签章", 13, 20)
    for text in (
        f"签章单位：{org_name}（统一社会信用代码 {rendered.issuer_credit_code}）",
        f"签章时间：{local_time(row.sealed_at)}    算法：{row.algorithm}",
        f"密钥指纹：{row.key_fingerprint}",
        f"文书 SHA-256：{row.document_sha256}",
        *_wrap(f"签名值：{row.signature}", 70),
        f"验证地址：{url}",
    ):
        line(text, 8, 13)
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(url))), width - margin - 92, y + 8, 90, 90)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
