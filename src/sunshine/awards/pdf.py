"""An award letter as a PDF (core/pdf.py: the CJK font embedded as a subset): the letter's title, number, text
and issuer, the seal block (organisation, time, the letter's SHA-256) and the QR code of the seal's public
verification page (``/verify/<code>``: the letter's hash, the signature and its ledger inclusion proof)."""

from __future__ import annotations

from sunshine.awards.models import AwardLetter
from sunshine.core import pdf
from sunshine.core.formatting import local_time
from sunshine.seals.models import DocumentSeal


def letter_pdf(letter: AwardLetter, issuer_name: str, seal: DocumentSeal, verify_url: str) -> bytes:
    doc = pdf.Document(letter.title, issuer_name)
    doc.title(letter.title)
    doc.right(f"编号：{letter.number}", 9)
    doc.gap(6)
    for paragraph in letter.body.split("\n"):
        doc.para(paragraph, 11.5, 21)
    doc.gap(10)
    doc.right(f"{issuer_name}（电子签章）", 11)
    if letter.issued_at is not None:
        doc.right(local_time(letter.issued_at, "%Y年%m月%d日"), 11)
    doc.gap(16)
    doc.line(f"签章时间：{local_time(seal.sealed_at)}    算法：{seal.algorithm}    验证码：{seal.code}", 8, 12)
    doc.line(f"文书 SHA-256：{seal.document_sha256}", 8, 14)
    doc.qr(verify_url, "扫码核验本通知书的电子签章及其在全程留痕账本中的记录")
    return doc.bytes()
