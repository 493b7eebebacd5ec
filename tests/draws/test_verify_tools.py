"""The verifiers a citizen uses on a real record served by the platform: ``sunshine draw verify`` and the
standalone script printed in docs/draws.md (run as a script, with nothing of ours on its path) pass on the
server's record and fail on every kind of tampering."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sunshine.cli import app as cli_app
from sunshine.draws import engine, replay
from sunshine.draws import service as draws
from tests.draws.conftest import party_key, prepare

DOCS = Path(__file__).resolve().parents[2] / "docs" / "draws.md"


def docs_script() -> str:
    blocks = re.findall(r"```python\n(# verify_draw\.py.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "docs/draws.md should contain one ```python block starting with '# verify_draw.py'"
    return blocks[0]


@pytest.fixture(params=["sunshine-draw-v2", "sunshine-draw-v1"])
def served(request, db, client, room):
    """The record of a disclosed draw with a decline and a replacement, as GET /api/v1/draws/{code}/record, in
    each construction (v2 the default; v1 the draws made before it)."""
    with db.unit_of_work() as s:
        code = prepare(s, room, n=40, construction=request.param).code
        for who in ("supervisor", "tenderer"):
            draws.sign_in(s, room[who], code)
        secret = engine.new_secret()
        draws.commit(s, room["supervisor"], code, engine.commitment(code, party_key(room), secret))
        draws.start_reveal(s, room["centre"], code)
        draws.reveal(s, room["supervisor"], code, secret)
        first = draws.seats(s, draws.get(s, code))
        draws.record_outcome(s, room["centre"], code, first[0].leaf, "declined", "出差")
        draws.record_outcome(s, room["centre"], code, first[1].leaf, "confirmed", "")
        draws.disclose(s, code)
    return client.get(f"/api/v1/draws/{code}/record").json()


def tampered(record: dict) -> list[tuple[str, dict]]:
    out = []

    def case(name, change):
        r = copy.deepcopy(record)
        change(r)
        out.append((name, r))

    case("order", lambda r: r["order"].__setitem__(slice(0, 2), r["order"][1::-1]))
    case("seed", lambda r: r.__setitem__("seed", "0" * 64))
    case("secret", lambda r: r["parties"][1].__setitem__("secret", "1" * 64))
    case(
        "candidate status",
        lambda r: r["candidates"][0].__setitem__(
            "status", "eligible" if r["candidates"][0]["status"] != "eligible" else "on_leave"
        ),
    )
    case("outcome", lambda r: r["outcomes"][0].__setitem__("outcome", "no_show"))
    case(
        "assignment",
        lambda r: r["assignment"][0].__setitem__("group", "cost" if r["assignment"][0]["group"] != "cost" else "civil"),
    )
    case("beacon", lambda r: r["beacon"].__setitem__("value", "x"))
    case("groups", lambda r: r["groups"][0].__setitem__("count", 4))
    if record["version"] == "sunshine-draw-v2":
        case("salt", lambda r: r.__setitem__("salt", "2" * 64))
        case("candidate dropped", lambda r: r["candidates"].pop(3))
        case("candidate's groups", lambda r: r["candidates"][1].__setitem__("groups", ["cost", "civil"]))
        case("ref", lambda r: r["candidates"][2].__setitem__("ref", r["candidates"][2]["ref"] + "0"))
        case("eligible count", lambda r: r.__setitem__("eligible_count", r["eligible_count"] - 1))
        case("order cut short", lambda r: r.__setitem__("order", r["order"][:2]))
    else:
        case("eligible dropped", lambda r: r["eligible"].pop(3))
        case("salt", lambda r: r["candidates"][5].__setitem__("salt", "2" * 64))
    return out


def _cli(tmp_path, record, name="draw.json"):
    path = tmp_path / name
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return CliRunner().invoke(cli_app, ["draw", "verify", str(path)], env={"COLUMNS": "200"})


def test_the_command_line_passes_a_real_record_and_fails_tampered_ones(tmp_path, served):
    good = _cli(tmp_path, served)
    assert good.exit_code == 0, good.output
    assert "验证通过" in good.output and "抽取顺序" in good.output
    for name, record in tampered(served):
        bad = _cli(tmp_path, record)
        assert bad.exit_code == 1, name
        assert "验证未通过" in bad.output, name
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["draw", "verify", str(broken)])
    assert result.exit_code != 0 and "不是有效的 JSON" in result.output
    missing = CliRunner().invoke(cli_app, ["draw", "verify", str(tmp_path / "none.json")])
    assert missing.exit_code != 0 and "文件不存在" in missing.output


def test_the_script_in_the_docs_agrees_with_the_platform(tmp_path, served):
    source = docs_script()
    assert "sunshine" not in source.replace("sunshine-draw-v1", "").replace("sunshine-draw-v2", "")  # nothing of ours
    script = tmp_path / "verify_draw.py"
    script.write_text(source, encoding="utf-8")

    def run(record) -> subprocess.CompletedProcess:
        path = tmp_path / "record.json"
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        return subprocess.run(
            [sys.executable, "-I", str(script), str(path)], capture_output=True, text=True, timeout=60, cwd=tmp_path
        )

    good = run(served)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "FAIL" not in good.stdout and "OK    order" in good.stdout
    for name, record in tampered(served):
        bad = run(record)
        assert bad.returncode == 1, name
        assert not replay.verify(record).ok, name  # and the engine agrees


def test_the_verifier_alone_runs_without_the_platform(tmp_path, served):
    """``python -m sunshine.draws.verify``: the same report, in a new process that imports no database, settings
    or web code."""
    import os
    import sys

    import sunshine

    path = tmp_path / "draw.json"
    path.write_text(json.dumps(served, ensure_ascii=False), encoding="utf-8")
    src = str(Path(sunshine.__file__).resolve().parents[1])
    probe = "import runpy, sys; sys.argv = ['verify', sys.argv[1]]; " + (
        "code = 0\ntry:\n    runpy.run_module('sunshine.draws.verify', run_name='__main__')\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('sunshine') or m in ('sqlalchemy', 'fastapi'))\n"
        "print('MODULES', ' '.join(loaded)); sys.exit(code)"
    )
    env = dict(os.environ, PYTHONPATH=src, COLUMNS="200")
    good = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "验证通过" in good.stdout and "抽取顺序" in good.stdout
    modules = good.stdout.split("MODULES", 1)[1].split()
    assert not {"sqlalchemy", "fastapi", "sunshine.db", "sunshine.config"} & set(modules), modules
    bad_record = tampered(served)[0][1]
    path.write_text(json.dumps(bad_record, ensure_ascii=False), encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "sunshine.draws.verify", str(path)], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 1 and "验证未通过" in bad.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "sunshine.draws.verify", str(tmp_path / "none.json")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert missing.returncode == 2 and "文件不存在" in missing.stderr
