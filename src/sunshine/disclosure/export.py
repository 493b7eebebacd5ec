"""The catalog as a spreadsheet (公开事项目录 .xlsx), in the column order of the standard catalogs: levels 1–3,
content, basis, time limit (from the rule packs), body, channels, audience, mode, 五公开, level; and a second
sheet with every revision."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.disclosure import catalog_service, vocab
from sunshine.disclosure.models import CatalogCategory, CatalogItem, ItemRevision

COLUMNS = (
    ("一级事项", 14),
    ("二级事项", 16),
    ("事项编码", 11),
    ("三级事项（公开事项名称）", 26),
    ("公开内容（要素）", 40),
    ("公开依据", 40),
    ("公开时限", 28),
    ("时限依据", 30),
    ("公开主体", 20),
    ("公开渠道和载体", 36),
    ("公开对象", 10),
    ("公开方式", 10),
    ("五公开类别", 10),
    ("公开层级", 12),
    ("触发环节", 22),
    ("版本", 6),
    ("现行内容生效日期", 14),
)


def channels_text(channels: dict[str, str]) -> str:
    parts = []
    for need in ("required", "optional"):
        names = [vocab.CHANNELS[c] for c, n in channels.items() if n == need]
        if names:
            parts.append(f"{vocab.CHANNEL_NEEDS[need]}：{'、'.join(names)}")
    return "；".join(parts)


def levels_text(levels: list[str]) -> str:
    return "、".join(vocab.LEVELS[level] for level in levels)


def _sheet_header(sheet, columns) -> None:
    sheet.append([name for name, _ in columns])
    for i, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.cell(row=1, column=i).font = Font(bold=True)
    sheet.freeze_panes = "A2"


def catalog_xlsx(session: Session) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "公开事项目录"
    _sheet_header(sheet, COLUMNS)
    categories = {c.id: c for c in session.scalars(select(CatalogCategory))}
    limits = catalog_service.Limits(session)
    wrap = Alignment(wrap_text=True, vertical="top")
    for item in catalog_service.all_items(session):
        scope = categories[item.category_id]
        top = categories.get(scope.parent_id, scope)
        limit = limits.of(item.time_limit_ref)
        sheet.append(
            [
                top.name,
                scope.name,
                item.code,
                item.name,
                item.content,
                item.legal_basis,
                limit.text,
                limit.basis_text,
                item.responsible_body,
                channels_text(item.channels),
                vocab.AUDIENCES[item.audience],
                vocab.MODES[item.mode],
                vocab.FIVE_CATEGORIES[item.five_category],
                levels_text(item.levels),
                vocab.trigger_label(item.trigger),
                item.version,
                item.effective_from.isoformat(),
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    history = book.create_sheet("修订记录")
    _sheet_header(
        history,
        (("事项编码", 11), ("生效日期", 12), ("修订理由", 40), ("修订前", 50), ("修订后", 50), ("留痕序号", 10)),
    )
    codes = dict(session.execute(select(CatalogItem.id, CatalogItem.code)).all())
    for rev in session.scalars(select(ItemRevision).order_by(ItemRevision.id)):
        history.append(
            [
                codes.get(rev.item_id, ""),
                rev.effective_from.isoformat(),
                rev.reason,
                _fields_text(rev.before),
                _fields_text(rev.after),
                rev.ledger_seq,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fields_text(values: dict) -> str:
    return "；".join(f"{catalog_service.FIELD_LABELS.get(k, k)}：{v}" for k, v in values.items())
