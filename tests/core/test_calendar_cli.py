"""The calendar commands of the ``sunshine`` command line, run in-process with Typer's CliRunner
against the test database (the autouse ``environment`` fixture sets SUNSHINE_DATABASE_URL; every
test requests ``db`` so that the database is migrated and empty)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sunshine.cli import app
from sunshine.core import calendar
from sunshine.core.models import CalendarOverride, TrackedDeadline
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from tests.builders import make_user

runner = CliRunner()

SCHEDULE_2027 = {
    "year": 2027,
    "source": "国办发明电〔2026〕9号",
    "holidays": [
        {"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
        {"name": "春节", "from": "2027-02-05", "to": "2027-02-13"},
        {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"},
    ],
    "workdays": [
        {"name": "调休上班", "from": "2027-01-31"},
        {"name": "调休上班", "from": "2027-02-20"},
        {"name": "调休上班", "from": "2027-09-26"},
        {"name": "调休上班", "from": "2027-10-09"},
    ],
}


def run(*args: str):
    return runner.invoke(app, list(args))


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.output


def flat(text: str) -> str:
    """Rich wraps long lines at the terminal width (80 under CliRunner): join them back."""
    return text.replace("\n", "")


def row_for(output: str, day: str) -> str:
    [line] = [line for line in output.splitlines() if day in line]
    return line


def overrides(db) -> dict[date, tuple[str, str | None, int | None]]:
    with db.unit_of_work(read_only=True) as s:
        return {r.day: (r.kind, r.name, r.created_by) for r in s.scalars(select(CalendarOverride))}


def test_deadline_in_working_days(db):
    output = ok("calendar", "deadline", "2026-09-30", "20", "--unit", "working")
    assert "截止日：2026-11-03" in output
    assert "暂定" not in output
    text = flat(output)
    assert "民法典" in text
    assert "国庆节" in text
    assert "2026年10月10日（星期六）为调休上班日" in text


def test_deadline_in_calendar_days_is_the_default_and_2027_is_provisional(db):
    assert "截止日：2026-02-24" in ok("calendar", "deadline", "2026-02-10", "5")
    output = ok("calendar", "deadline", "2026-12-22", "10")
    assert "截止日：2027-01-04（暂定）" in output
    assert "国务院放假安排尚未公布" in flat(output)


def test_set_a_day_then_show_lists_it_as_entered_by_hand(db):
    output = ok("calendar", "set", "2027-10-01", "holiday", "--name", "国庆节", "--reason", "国办发明电〔2026〕9号")
    assert "已将 2027-10-01 设为休息日" in output
    assert overrides(db) == {date(2027, 10, 1): ("holiday", "国庆节", None)}

    shown = ok("calendar", "show", "2027")
    assert "尚无官方安排" in flat(shown)
    line = row_for(shown, "2027-10-01")
    assert "国庆节" in line and "休息" in line and "人工录入" in line
    assert "暂定" in row_for(shown, "2027-10-02")  # the rest of 2027 is still an estimate
    assert "人工录入" not in row_for(shown, "2027-10-02")


def test_set_recomputes_open_deadlines_and_prints_them(db):
    with db.unit_of_work() as s:
        tracked = calendar.track(
            s, subject="application:7", purpose="答复信息公开申请", start=date(2027, 9, 25), days=10, unit="calendar"
        ).id
    output = ok("calendar", "set", "2027-10-05", "holiday", "--name", "国庆节")
    assert "重新计算了 1 个期限" in output
    line = row_for(output, "2027-10-06")
    assert "2027-10-05" in line and "答复信息公开申请" in line and "是" in line  # still provisional
    with db.unit_of_work(read_only=True) as s:
        assert s.get(TrackedDeadline, tracked).due == date(2027, 10, 6)
        assert [e.kind for e in ledger.entries_for(s, f"deadline:{tracked}")] == ["calendar:deadline:recomputed"]


def test_show_2026_is_official(db):
    shown = ok("calendar", "show", "2026")
    assert "官方安排" in flat(shown)
    assert "春节" in row_for(shown, "2026-02-17")
    line = row_for(shown, "2026-02-14")
    assert "调休上班" in line and "上班" in line and "官方" in line


def test_import_a_json_schedule(db, tmp_path: Path):
    with db.unit_of_work() as s:
        tracked = calendar.track(
            s, subject="application:8", purpose="提出异议", start=date(2027, 1, 29), days=10, unit="working"
        ).id
    file = tmp_path / "2027.json"
    file.write_text(json.dumps(SCHEDULE_2027, ensure_ascii=False), encoding="utf-8")

    output = ok("calendar", "import", str(file))
    assert "已录入 2027 年放假安排：19 个休息日，4 个调休上班日" in output
    assert "重新计算了 1 个期限" in output
    line = row_for(output, "2027-02-16")
    assert "2027-02-19" in line and "否" in line  # old due, new due, no longer provisional
    with db.unit_of_work(read_only=True) as s:
        assert s.get(TrackedDeadline, tracked).due == date(2027, 2, 19)
        assert calendar.load(s).is_official_year(2027)

    shown = ok("calendar", "show", "2027")
    assert "官方安排" in flat(shown)
    assert "暂定" not in shown
    line = row_for(shown, "2027-01-31")
    assert "调休上班" in line and "上班" in line and "人工录入" in line
    assert "春节" in row_for(shown, "2027-02-13")
    assert "2027-06-09" not in shown  # not in the schedule: an ordinary Wednesday now

    assert "截止日：2027-10-08" in ok("calendar", "deadline", "2027-09-25", "10")


def test_clear_a_day(db):
    ok("calendar", "set", "2027-10-08", "holiday", "--name", "国庆节")
    output = ok("calendar", "clear", "2027-10-08")
    assert "已撤销 2027-10-08 的调整" in output
    assert overrides(db) == {}
    assert "2027-10-08" not in ok("calendar", "show", "2027")

    again = run("calendar", "clear", "2027-10-08")
    assert again.exit_code == 1
    assert "2027-10-08 没有人工调整" in again.output


def test_by_an_administrator_is_recorded(db):
    make_user(db, Role.ADMIN, username="calendar-admin")
    ok("calendar", "set", "2027-10-08", "workday", "--by", "calendar-admin")
    with db.unit_of_work(read_only=True) as s:
        admin_id = s.scalar(select(User.id).where(User.username == "calendar-admin"))
    assert overrides(db) == {date(2027, 10, 8): ("workday", None, admin_id)}


@pytest.mark.parametrize(
    "command",
    [
        ("calendar", "set", "2027-10-01", "holiday"),
        ("calendar", "clear", "2027-10-01"),
        ("calendar", "import", "SCHEDULE"),
    ],
)
def test_by_a_user_who_is_not_an_administrator_is_refused(db, tmp_path, command):
    make_user(db, Role.CENTRE_STAFF, username="clerk")
    file = tmp_path / "2027.json"
    file.write_text(json.dumps(SCHEDULE_2027), encoding="utf-8")
    args = [str(file) if a == "SCHEDULE" else a for a in command]
    for user, message in (("clerk", "用户 clerk 不是系统管理员"), ("nobody", "用户 nobody 不存在")):
        result = run(*args, "--by", user)
        assert result.exit_code == 1
        assert isinstance(result.exception, SystemExit)
        assert message in result.output
        assert "Traceback" not in result.output
    assert overrides(db) == {}
    with db.unit_of_work(read_only=True) as s:
        assert not calendar.load(s).is_official_year(2027)


def _write(tmp_path: Path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("calendar", "deadline", "2026-02-30", "20"), "日期格式应为 YYYY-MM-DD：2026-02-30"),
        (("calendar", "deadline", "30/09/2026", "20"), "日期格式应为 YYYY-MM-DD"),
        (("calendar", "deadline", "2026-09-30", "二十"), "期间长度应为整数"),
        (("calendar", "deadline", "2026-09-30", "5000"), "期间天数不能超过3650天"),
        (("calendar", "deadline", "2026-09-30", "20", "--unit", "hours"), "单位应为 working 或 calendar"),
        (("calendar", "deadline", "9999-12-31", "20"), "日期超出可计算的范围"),
        (("calendar", "set", "2027-13-01", "holiday"), "日期格式应为 YYYY-MM-DD：2027-13-01"),
        (("calendar", "set", "2027-10-01", "weekend"), "类型应为 holiday 或 workday"),
        (("calendar", "set", "2027-10-01", "holiday", "--name", "节" * 51), "名称最多 50 个字符"),
        (("calendar", "clear", "yesterday"), "日期格式应为 YYYY-MM-DD"),
        (("calendar", "show", "3000"), "年份应在1900至2099之间"),
        (("calendar", "import", "MISSING"), "文件不存在"),
        (("calendar", "import", "DIRECTORY"), "无法读取文件"),
        (("calendar", "import", "NOT_JSON"), "放假安排格式有误：不是有效的 JSON"),
        (("calendar", "import", "NOT_UTF8"), "不是 UTF-8 编码"),
        (("calendar", "import", "NO_SOURCE"), "放假安排格式有误：source：缺少必填项"),
        (("calendar", "import", "BAD_SPAN"), "结束日期不能早于开始日期"),
        (("calendar", "import", "WRONG_YEAR"), "2028-01-01 不属于 2027 年"),
    ],
)
def test_errors_exit_non_zero_with_a_chinese_message_and_no_traceback(db, tmp_path, args, message):
    files = {
        "MISSING": str(tmp_path / "missing.json"),
        "DIRECTORY": str(tmp_path),
        "NOT_JSON": _write(tmp_path, "bad.json", '{"year": 2027, "source": "国办"'),
        "NOT_UTF8": _write(tmp_path, "gbk.json", json.dumps(SCHEDULE_2027, ensure_ascii=False).encode("gbk")),
        "NO_SOURCE": _write(tmp_path, "nosource.json", json.dumps({"year": 2027, "holidays": []})),
        "BAD_SPAN": _write(
            tmp_path,
            "span.json",
            json.dumps({**SCHEDULE_2027, "holidays": [{"name": "国庆节", "from": "2027-10-07", "to": "2027-10-01"}]}),
        ),
        "WRONG_YEAR": _write(
            tmp_path, "year.json", json.dumps({**SCHEDULE_2027, "holidays": [{"name": "元旦", "from": "2028-01-01"}]})
        ),
    }
    result = run(*[files.get(a, a) for a in args])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a handled exit, not a crash
    assert "Traceback" not in result.output
    assert "错误：" in result.output
    assert message in flat(result.output)
    assert overrides(db) == {}
