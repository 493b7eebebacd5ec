"""The platform's one PDF kit (reportlab): a CJK font embedded as a subset, so every letter, contract and
sealed copy renders the same in any reader without fonts of its own, and a simple document writer (title,
lines wrapped by width, a QR code). The font is WenQuanYi Micro Hei (文泉驿微米黑, Apache-2.0 or GPLv3 with
the font exception; licence beside it in core/fonts/) cut to GB2312 and punctuation by
scripts/build_cjk_font.py. Domain-free: seals/copies.py and the award letters and contracts use it."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "WenQuanYiMicroHei"
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei-gb2312.ttf"
MARGIN = 56


def font() -> str:
    """Register the embedded CJK font once per process and return its name (reportlab embeds the glyphs a
    document uses as a subset of it)."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT


def wrap(text: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` that fit ``width`` points at ``size``, measured with the font's own widths
    (Chinese has no spaces: a line breaks between any two characters, a Latin word is kept whole if it fits)."""
    name = font()
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for char in paragraph:
            if pdfmetrics.stringWidth(current + char, name, size) <= width:
                current += char
                continue
            cut = current.rfind(" ") if char != " " and current[-1:].isascii() and char.isascii() else -1
            if cut > 0:
                lines.append(current[:cut])
                current = current[cut + 1 :] + char
            else:
                lines.append(current)
                current = char
        lines.append(current)
    return lines


def qr_png(url: str, scale: int = 6) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


class Document:
    """A plain A4 document written top to bottom: ``title``, ``para`` (wrapped), ``gap``, ``qr``; ``bytes``
    returns the PDF. Deterministic (reportlab's invariant mode): the same content gives the same bytes."""

    def __init__(self, title: str, author: str = "") -> None:
        self._out = io.BytesIO()
        self.pdf = canvas.Canvas(self._out, pagesize=A4, invariant=1)
        self.pdf.setTitle(title)
        if author:
            self.pdf.setAuthor(author)
        self.width, self.height = A4
        self.y = self.height - MARGIN
        self.font = font()

    @property
    def text_width(self) -> float:
        return self.width - 2 * MARGIN

    def ensure(self, space: float) -> None:
        if self.y - space < MARGIN:
            self.pdf.showPage()
            self.y = self.height - MARGIN

    def line(self, text: str, size: float = 10.5, gap: float | None = None, *, centre: bool = False) -> None:
        gap = gap or size * 1.6
        self.ensure(gap)
        self.pdf.setFont(self.font, size)
        if centre:
            self.pdf.drawCentredString(self.width / 2, self.y, text)
        else:
            self.pdf.drawString(MARGIN, self.y, text)
        self.y -= gap

    def title(self, text: str, size: float = 18) -> None:
        for part in wrap(text, size, self.text_width):
            self.line(part, size, size * 1.5, centre=True)
        self.gap(6)

    def para(self, text: str, size: float = 10.5, gap: float | None = None) -> None:
        for part in wrap(text, size, self.text_width):
            self.line(part, size, gap)

    def right(self, text: str, size: float = 10.5) -> None:
        self.ensure(size * 1.6)
        self.pdf.setFont(self.font, size)
        self.pdf.drawRightString(self.width - MARGIN, self.y, text)
        self.y -= size * 1.6

    def gap(self, points: float) -> None:
        self.y -= points

    def qr(self, url: str, caption: str, size: float = 96) -> None:
        """The QR code of ``url`` at the left margin with the caption and the address beside it."""
        self.ensure(size + 8)
        top = self.y
        self.pdf.drawImage(ImageReader(io.BytesIO(qr_png(url))), MARGIN, top - size, size, size)
        self.pdf.setFont(self.font, 9)
        x = MARGIN + size + 12
        self.pdf.drawString(x, top - 20, caption)
        for i, part in enumerate(wrap(url, 8, self.width - MARGIN - x)):
            self.pdf.setFont(self.font, 8)
            self.pdf.drawString(x, top - 36 - 12 * i, part)
        self.y = top - size - 8

    def bytes(self) -> bytes:
        self.pdf.showPage()
        self.pdf.save()
        return self._out.getvalue()
