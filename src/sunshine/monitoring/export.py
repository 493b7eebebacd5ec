"""A statistics table as a download: CSV (UTF-8 with BOM, so that spreadsheet programs read the Chinese headings)
or xlsx (openpyxl), with the Chinese headings, the rows and a totals row where the table has one."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from urllib.parse import quote

from fastapi.responses import Response
from openpyxl import Workbook

from sunshine.core.errors import NotFound
from sunshine.monitoring.statistics import Table

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _lines(table: Table) -> list[list]:
    fields = [f for f, _ in table.columns]
    lines = [[label for _, label in table.columns]]
    lines += [[r.get(f) for f in fields] for r in table.rows]
    totals = table.totals()
    if totals and table.rows:
        lines.append(["合计", *[totals.get(f) for f in fields[1:]]])
    return lines


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    return "" if value is None else value


def response(table: Table, fmt: str) -> Response:
    if fmt not in FORMATS:
        raise NotFound("下载格式应为 csv 或 xlsx")
    lines = _lines(table)
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows([["" if v is None else v for v in line] for line in lines])
        body = ("\ufeff" + out.getvalue()).encode("utf-8")
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = table.key[:31]
        for line in lines:
            sheet.append([_cell(v) for v in line])
        buf = io.BytesIO()
        book.save(buf)
        body = buf.getvalue()
    name = quote(f"{table.title}.{fmt}")
    return Response(
        body,
        media_type=FORMATS[fmt],
        headers={"Content-Disposition": f"attachment; filename=\"{table.key}.{fmt}\"; filename*=UTF-8''{name}"},
    )
