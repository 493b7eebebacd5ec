"""The administrator's holiday editor (工作日历): a year's schedule entered in a form — the year, the State
Council notice's number, each holiday period (name, first and last day) and each working weekend — or imported
from a JSON file in the format of ``sunshine calendar import`` (core/calendar_api.ScheduleIn). Both end as the
same JSON text, checked by ``calendar_api.parse_schedule`` with its Chinese messages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fastapi import UploadFile

from sunshine.core.errors import InvalidInput

MAX_FILE_BYTES = 64 * 1024
#: The statutory holidays (《全国年节及纪念日放假办法》), one row each in the form, in the order of the year.
HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
WORKDAY_ROWS = 8


@dataclass
class Fields:
    year: str = ""
    source: str = ""
    holiday_name: list[str] = field(default_factory=list)
    holiday_from: list[str] = field(default_factory=list)
    holiday_to: list[str] = field(default_factory=list)
    workday_on: list[str] = field(default_factory=list)
    workday_name: list[str] = field(default_factory=list)

    def holidays(self) -> list[tuple[str, str, str]]:
        """The rows to show: what was typed, or the statutory holidays with empty dates."""
        names = self.holiday_name or list(HOLIDAYS)
        return [(n, _at(self.holiday_from, i), _at(self.holiday_to, i)) for i, n in enumerate(names)]

    def workdays(self) -> list[tuple[str, str]]:
        rows = [(_at(self.workday_on, i), _at(self.workday_name, i)) for i in range(len(self.workday_on))]
        return rows + [("", "")] * max(0, WORKDAY_ROWS - len(rows))


def _at(values: list[str], i: int) -> str:
    return values[i].strip() if i < len(values) and values[i] else ""


def schedule_text(fields: Fields, pasted: str, file: UploadFile | None) -> str:
    """The JSON text of the schedule: an uploaded file first, then pasted JSON, else the form's fields."""
    if file is not None and file.filename:
        raw = file.file.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise InvalidInput("放假安排文件过大（不超过 64 KB）", field="schedule")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("放假安排文件应为 UTF-8 编码的 JSON", field="schedule") from None
    if pasted.strip():
        return pasted
    year = fields.year.strip()
    holidays = [
        {"name": name, "from": start, **({"to": end} if end else {})} for name, start, end in fields.holidays() if start
    ]
    workdays = [{"name": name or "调休上班", "from": day} for day, name in fields.workdays() if day]
    if not holidays:
        raise InvalidInput("请至少填写一个假期的起止日期，或导入放假安排文件", field="schedule")
    return json.dumps(
        {
            "year": int(year) if year.isdigit() else year,
            "source": fields.source.strip(),
            "holidays": holidays,
            "workdays": workdays,
        },
        ensure_ascii=False,
    )
