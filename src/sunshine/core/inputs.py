"""The shapes every input must have, declared once: bounded integers, dates written as dates, text without
control characters. Routes and input schemas use these types; the text check runs once per request.

- **Integers** are bounded by what they name. Every id the platform stores is a 32-bit INTEGER on
  PostgreSQL, so ``Id`` is 1..2^31−1; a count, a limit or a year has its own ``Between``. A number outside
  its range never reaches the database (SQLite fails on it beyond 64 bits, PostgreSQL beyond 32). The rule
  for the answer: a number **in the path** names an object, so an ``Id`` outside the range answers **404**
  (nothing is there, exactly as for an id that is absent); a number **anywhere else** (query, form, JSON
  body) is a value, so outside its range it answers **422** with the bounds in Chinese. A few numbers keep
  their own answer (a ledger size beyond the log is 404 naming it; a calendar year 422 naming the years).
- **Dates** are text: ``IsoDate`` accepts YYYY-MM-DD only, ``IsoDateTime`` ISO 8601 text (with a zone, or
  without one where the form means Beijing time); a number is never read as a Unix timestamp.
- **Text** never holds control characters (NUL cannot be stored in PostgreSQL text, and none belongs in a
  name or a search) other than tab, line feed and carriage return in multi-line text, nor lone UTF-16
  surrogates (not Unicode text at all). ``check_text`` is an application-wide dependency: it reads the
  path, the query and the body the request has already parsed (JSON or form fields, not uploaded files)
  and refuses with 422 ``control_characters`` before any route or service sees the text.

A route that forgets a bound is found by ``tests/core/test_inputs.py``, which walks every route. A page
that reads a number from a form's text itself (a select's value, a list of ids) reads it with ``stored_id``
or ``whole_number``, never ``int()`` after ``str.isdigit`` (which admits "²"): the walk cannot see those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

MAX_STORED_INT = 2**31 - 1  # INTEGER on PostgreSQL: every id, sequence number and count the platform stores

# The error kinds these types raise: stable codes the API answers with (``core.validation`` gives them
# their Chinese messages, ``web.problems`` the status).
ID_OUT_OF_RANGE = "id_out_of_range"
OUT_OF_RANGE = "out_of_range"
NOT_FOUND = "not_found"
DATE_FORMAT = "date_format"
DATETIME_FORMAT = "datetime_format"
CONTROL_CHARACTERS = "control_characters"


@dataclass(frozen=True)
class Between:
    """An integer between ``low`` and ``high`` (inclusive); outside, the error ``kind`` with ``message``
    (``{value}``, ``{low}`` and ``{high}`` are filled in). The OpenAPI document shows both bounds."""

    low: int
    high: int
    kind: str = OUT_OF_RANGE
    message: str = "应在 {low} 至 {high} 之间"

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> Any:
        out = handler(schema)
        target = handler.resolve_ref_schema(out)
        target.update(minimum=self.low, maximum=self.high)
        return out

    def _check(self, value: int) -> int:
        if not self.low <= value <= self.high:
            raise PydanticCustomError(self.kind, self.message, {"value": value, "low": self.low, "high": self.high})
        return value


Id = Annotated[int, Between(1, MAX_STORED_INT, ID_OUT_OF_RANGE, "编号应在 {low} 至 {high} 之间")]
"""The number of a stored object (project, notice, bid, user, …): in a path, outside the range answers 404."""

Year = Annotated[int, Between(1900, 2099, OUT_OF_RANGE, "年份应在1900至2099之间")]
"""A calendar year the working-day calendar covers."""


def whole_number(text: str | None, low: int, high: int) -> int | None:
    """The integer a page form's text field holds, when it is written in ASCII digits (a leading minus
    allowed) and lies between ``low`` and ``high``; else None, for the form's own Chinese message. Never
    ``int()`` on what ``str.isdigit`` admits: it admits "²", which ``int`` refuses with a ValueError."""
    text = (text or "").strip()
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 20:
        return None
    number = int(text)
    return number if low <= number <= high else None


def stored_id(text: str | None) -> int | None:
    """The id a page form names in a text field (a select's value): the number when it can name a stored
    object, else None — so a form's own check says "请选择…" instead of passing a huge number on."""
    return whole_number(text, 1, MAX_STORED_INT)


def count(low: int, high: int) -> Between:
    """The bounds of a count or a limit: ``n: Annotated[int, count(1, 100)]``."""
    return Between(low, high)


# ----------------------------------------------------------------------------------------------- dates

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|z|[+-]\d{2}(:?\d{2})?)?)?")


def _iso_date(value: Any) -> Any:
    if isinstance(value, datetime):
        raise PydanticCustomError(DATE_FORMAT, "应为日期，格式 YYYY-MM-DD")
    if isinstance(value, date) or (isinstance(value, str) and _DATE.fullmatch(value)):
        return value
    raise PydanticCustomError(DATE_FORMAT, "应为日期，格式 YYYY-MM-DD")


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime) or (isinstance(value, str) and _DATETIME.fullmatch(value)):
        return value
    raise PydanticCustomError(DATETIME_FORMAT, "应为日期时间，格式 YYYY-MM-DDTHH:MM（ISO 8601）")


ISO_DATE = BeforeValidator(_iso_date)
ISO_DATETIME = BeforeValidator(_iso_datetime)
IsoDate = Annotated[date, ISO_DATE]
"""A date written YYYY-MM-DD (never a number read as a Unix timestamp)."""
IsoDateTime = Annotated[datetime, ISO_DATETIME]
"""A date and time in ISO 8601 text (never a number)."""


# ------------------------------------------------------------------------------------------------ text

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
CONTROL_MESSAGE = "不得包含控制字符（如 NUL）或无效字符"


def has_control_characters(text: str) -> bool:
    """True when ``text`` holds a C0 control character other than tab, LF and CR, DEL, or a lone surrogate."""
    return _FORBIDDEN.search(text) is not None


def _texts(value: Any, loc: tuple[Any, ...]) -> Any:
    """Every string inside a parsed JSON value (keys too), with where it is."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*loc, key), str(key)
            yield from _texts(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*loc, index))


async def _body_texts(request: Request) -> list[tuple[tuple[Any, ...], str]]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method in ("GET", "HEAD", "OPTIONS") or not kind:
        return []
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()  # the same parsed form the route reads (the request keeps it)
        out: list[tuple[tuple[Any, ...], str]] = []
        for name, value in form.multi_items():
            out.append((("body", name), name))
            text = value if isinstance(value, str) else getattr(value, "filename", None)
            if text:
                out.append((("body", name), text))
        return out
    if kind == "application/json" or kind.endswith("+json"):
        try:
            data = await request.json()  # parsed once: FastAPI reads the same cached body
        except ValueError:
            return []  # not JSON: the route answers that itself (400 invalid_json)
        return list(_texts(data, ("body",)))
    return []


async def check_text(request: Request) -> None:
    """Application-wide dependency: refuse control characters in the path, the query and the body's text."""
    found: list[tuple[tuple[Any, ...], str]] = [
        (("path", name), value) for name, value in request.path_params.items() if isinstance(value, str)
    ]
    for name, value in request.query_params.multi_items():
        found += [(("query", name), name), (("query", name), value)]
    found += await _body_texts(request)
    errors = []
    for loc, text in found:
        if has_control_characters(text) and all(e["loc"] != loc for e in errors):
            errors.append({"type": CONTROL_CHARACTERS, "loc": loc, "msg": CONTROL_MESSAGE, "input": None})
    if errors:
        raise RequestValidationError(errors)


__all__ = [
    "CONTROL_CHARACTERS",
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "ID_OUT_OF_RANGE",
    "ISO_DATE",
    "ISO_DATETIME",
    "MAX_STORED_INT",
    "NOT_FOUND",
    "OUT_OF_RANGE",
    "Between",
    "Id",
    "IsoDate",
    "IsoDateTime",
    "Year",
    "check_text",
    "count",
    "has_control_characters",
    "stored_id",
    "whole_number",
]
