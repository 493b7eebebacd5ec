"""Content that users hand in: rich text and uploaded files, checked once for every domain.

Rich text (notices today; evaluation reports, complaints and contracts later) is cleaned with nh3's
allow-list before it is stored or shown: formatting is kept, scripts, event handlers, styles and
``javascript:`` links are removed. An uploaded file is accepted only by an allowed extension whose
content starts with that type's signature (magic bytes), within the size limit of the settings; text
files must be UTF-8 or GB18030. Knows no domain: callers store what it accepts where they keep files.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

import nh3

from sunshine.config import get_settings
from sunshine.core.errors import InvalidInput, SunshineError

# --------------------------------------------------------------------------- errors


class AttachmentTooLarge(SunshineError):
    status = 413
    code = "attachment_too_large"
    title = "附件过大"


class AttachmentTypeNotAllowed(SunshineError):
    status = 415
    code = "attachment_type_not_allowed"
    title = "不允许的附件类型"


# --------------------------------------------------------------------------- rich text

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "sub",
        "sup",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "blockquote",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_BODY_CHARS = 200_000
_TAG = re.compile(r"<[a-zA-Z/!]")


def sanitise(body: str) -> str:
    """Rich text as it may be shown: formatting kept; scripts, event handlers, styles and
    ``javascript:`` links removed. Plain text (no tags at all) becomes paragraphs."""
    if not _TAG.search(body):
        paragraphs = [p.strip() for p in re.split(r"\r?\n\s*\r?\n", body) if p.strip()]
        body = "".join("<p>" + "<br>".join(html.escape(line) for line in p.splitlines()) + "</p>" for p in paragraphs)
    return nh3.clean(
        body,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
        strip_comments=True,
    ).strip()


def text_of(body_html: str) -> str:
    """The visible text of sanitised rich text (to tell an empty body from a filled one)."""
    return html.unescape(nh3.clean(body_html, tags=set())).strip()


# --------------------------------------------------------------------------- uploads


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the web layer hands it over."""

    filename: str
    data: bytes
    content_type: str | None = None  # what the client claimed; the stored type comes from the name


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "doc": ("application/msword", (_OLE,)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xls": ("application/vnd.ms-excel", (_OLE,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "zip": ("application/zip", _ZIP),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "txt": ("text/plain; charset=utf-8", None),
}
ALLOWED_EXTENSIONS_TEXT = "PDF、Word（doc/docx）、Excel（xls/xlsx）、ZIP、JPG、PNG、TXT"
MAX_ATTACHMENTS = 20


def clean_filename(name: str) -> str:
    """The base name of an uploaded file, NFC-normalised, without control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:200]
    return name


def checked_upload(upload: Upload, limit: int) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of an acceptable upload; a 4xx saying why not otherwise."""
    name = clean_filename(upload.filename)
    shown = name or "（无文件名）"
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise AttachmentTypeNotAllowed(
            f"附件“{shown}”的类型不允许；可上传 {ALLOWED_EXTENSIONS_TEXT}", field="attachments"
        )
    if len(upload.data) > limit:
        raise AttachmentTooLarge(
            f"附件“{shown}”为 {len(upload.data) / 1048576:.1f} MB，超过单个附件 {limit / 1048576:g} MB 的上限",
            field="attachments",
        )
    if not upload.data:
        raise InvalidInput(f"附件“{shown}”是空文件", field="attachments")
    content_type, magic = ALLOWED_TYPES[ext]
    if magic is not None and not upload.data.startswith(magic):
        raise AttachmentTypeNotAllowed(f"附件“{shown}”的内容与扩展名 .{ext} 不符", field="attachments")
    if magic is None:  # text: UTF-8 (with or without BOM) or GB18030, and no binary bytes
        if b"\x00" in upload.data:
            raise AttachmentTypeNotAllowed(f"附件“{shown}”不是文本文件", field="attachments")
        try:
            upload.data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                upload.data.decode("gb18030")
            except UnicodeDecodeError:
                raise AttachmentTypeNotAllowed(
                    f"附件“{shown}”不是 UTF-8 或 GB18030 编码的文本", field="attachments"
                ) from None
            content_type = "text/plain; charset=gb18030"
    return name, content_type, upload.data


def checked_uploads(uploads: list[Upload] | None, *, per: str) -> list[tuple[str, str, bytes]]:
    """Every upload of one document checked (at most ``MAX_ATTACHMENTS``; ``per`` names the document in
    the refusal, e.g. "每条公告"), each within the settings' size limit."""
    uploads = list(uploads or [])
    if len(uploads) > MAX_ATTACHMENTS:
        raise InvalidInput(f"{per}最多 {MAX_ATTACHMENTS} 个附件", field="attachments")
    limit = get_settings().max_attachment_bytes
    return [checked_upload(u, limit) for u in uploads]
