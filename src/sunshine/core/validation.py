"""Chinese messages for input that does not validate: one table of pydantic's error types, and the errors of a
validation failure as (where, field, type, message) — the API's problem details, the pages' forms and the
command line all say the same thing about the same mistake."""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from sunshine.core import inputs

VALIDATION_MESSAGES: dict[str, str] = {
    "missing": "缺少必填项",
    "string_type": "应为字符串",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字金额",
    "decimal_type": "应为数字金额",
    "decimal_max_places": "小数位数过多",
    "bool_type": "应为布尔值",
    "bool_parsing": "应为布尔值（true 或 false）",
    "date_type": "应为日期",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "datetime_type": "应为日期时间",
    "datetime_parsing": "应为日期时间，格式 ISO 8601",
    "datetime_from_date_parsing": "应为日期时间，格式 ISO 8601",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "JSON 格式错误",
    "json_type": "应为 JSON",
    "extra_forbidden": "不允许的字段",
    "value_error": "取值无效",
    "too_short": "项目数量过少",
    "too_long": "项目数量过多",
    "uuid_parsing": "应为 UUID",
    "url_parsing": "应为网址",
}

# The kinds raised by the shared input types (``core.inputs``): their message is their own, already Chinese.
OWN_KINDS = frozenset(
    {
        inputs.ID_OUT_OF_RANGE,
        inputs.OUT_OF_RANGE,
        inputs.NOT_FOUND,
        inputs.DATE_FORMAT,
        inputs.DATETIME_FORMAT,
        inputs.CONTROL_CHARACTERS,
    }
)


def field_errors(exc: ValidationError | RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie", "form"):
            where, path = loc[0], loc[1:]
        else:
            where, path = "body", loc
        kind = err.get("type", "value_error")
        message = (err.get("msg") or "取值无效") if kind in OWN_KINDS else VALIDATION_MESSAGES.get(kind, "取值无效")
        ctx = err.get("ctx") or {}
        if kind in ("string_too_short", "too_short") and "min_length" in ctx:
            message = (
                f"至少 {ctx['min_length']} 个字符" if kind == "string_too_short" else f"至少 {ctx['min_length']} 项"
            )
        elif kind in ("string_too_long", "too_long") and "max_length" in ctx:
            message = (
                f"最多 {ctx['max_length']} 个字符" if kind == "string_too_long" else f"最多 {ctx['max_length']} 项"
            )
        elif kind in ("greater_than_equal", "greater_than") and "ge" in ctx:
            message = f"不得小于 {ctx['ge']}"
        elif kind == "greater_than" and "gt" in ctx:
            message = f"应大于 {ctx['gt']}"
        elif kind in ("less_than_equal", "less_than") and "le" in ctx:
            message = f"不得大于 {ctx['le']}"
        elif kind == "less_than" and "lt" in ctx:
            message = f"应小于 {ctx['lt']}"
        elif kind in ("literal_error", "enum") and "expected" in ctx:
            message = f"取值应为 {str(ctx['expected']).replace(' or ', ' 或 ')}"
        elif kind == "value_error" and isinstance(ctx.get("error"), ValueError | str):
            message = str(ctx["error"])
        out.append({"in": where, "field": ".".join(path) or where, "type": kind, "message": message})
    return out


# Kinds that are the refusal's own code when every error is of that kind (otherwise ``invalid_input``).
CODED_KINDS = frozenset({inputs.CONTROL_CHARACTERS})


def refusal_code(errors: list[dict[str, Any]]) -> str:
    """The stable code of a validation refusal: ``control_characters`` when that is all that is wrong."""
    kinds = {e["type"] for e in errors}
    return kinds.pop() if len(kinds) == 1 and kinds <= CODED_KINDS else "invalid_input"
