"""Several processes on one database, as real subprocesses: ``sunshine serve --workers 2`` answers from both
workers while only one runs the tick, and another takes the tick over when that one is killed;
``sunshine worker`` leads the servers and hands the tick over when stopped; ``sunshine tick`` (run in
this process, on the same database and data folder) refuses to run beside a leader.

What each process did is read from the log, where every line carries its process id: the access lines
say which worker answered a request, the tick lines which process ran a tick.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from sunshine.cli import app as cli
from tests.subprocesses import popen, stop
from tests.web.conftest import LiveServer, _free_port, sunshine_executable

TICK_SECONDS = 1
WAIT_SECONDS = 60.0
LINE = re.compile(r"^\S+ (\S+) \w+:\s+\[(\d+)\] (.*)$")  # date, time, level, [pid], message
TICKED = "定时任务完成"
LEADS = "本进程成为定时任务主进程"
STANDBY = "本进程待命"


@dataclass(frozen=True)
class Line:
    clock: str  # HH:MM:SS
    pid: int
    message: str


@dataclass
class Running:
    process: subprocess.Popen
    log_path: Path

    def lines(self) -> list[Line]:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return [Line(m[1], int(m[2]), m[3]) for m in map(LINE.match, text.splitlines()) if m]

    def pids(self, words: str, after: int = 0) -> list[int]:
        """The process ids of the lines saying ``words``, in order, from line ``after`` on."""
        return [line.pid for line in self.lines()[after:] if words in line.message]

    def wait_for(self, what: str, found: Callable[[], object]) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if found():
                return
            if self.process.poll() is not None:
                pytest.fail(f"{what}: the process exited with {self.process.returncode}\n{self.log()}")
            time.sleep(0.2)
        pytest.fail(f"{what}: not within {WAIT_SECONDS}s\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


class Processes:
    """``sunshine`` commands on the test's database and data folder, with the tick every second; all
    stopped at teardown."""

    def __init__(self, data_dir: Path, database_url: str, folder: Path) -> None:
        self.folder = folder
        self.env = {
            **os.environ,
            "SUNSHINE_DATABASE_URL": database_url,
            "SUNSHINE_DATA_DIR": str(data_dir),
            "SUNSHINE_SCHEDULER": "true",
            "SUNSHINE_TICK_SECONDS": str(TICK_SECONDS),
            "PYTHONUNBUFFERED": "1",
        }
        self.running: list[Running] = []

    def start(self, name: str, *args: str) -> Running:
        log_path = self.folder / f"{name}.log"
        with log_path.open("wb") as log:
            process = popen([sunshine_executable(), *args], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        running = Running(process, log_path)
        self.running.append(running)
        return running

    def serve(self, workers: int) -> tuple[Running, LiveServer]:
        port = _free_port()
        running = self.start("serve", "serve", "--port", str(port), "--workers", str(workers))
        server = LiveServer(f"http://127.0.0.1:{port}", running.process, running.log_path)
        running.wait_for(
            f"{workers} workers started", lambda: len(set(running.pids("Application startup complete"))) == workers
        )
        running.wait_for("/healthz answers", lambda: healthy(server))
        return running, server

    def stop_all(self) -> None:
        for running in self.running:
            stop(running.process, grace=5)


@pytest.fixture
def processes(db, environment, database_url, tmp_path) -> Iterator[Processes]:
    found = Processes(environment, database_url, tmp_path)
    try:
        yield found
    finally:
        found.stop_all()


def healthy(server: LiveServer) -> bool:
    try:
        return server.get_json("/healthz").get("status") == "ok"
    except (OSError, ValueError):  # not listening yet, or an answer that is not the health document
        return False


def clock_seconds(clock: str) -> int:
    hours, minutes, seconds = map(int, clock.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def answering_workers(serve: Running, server: LiveServer) -> set[int]:
    """The process ids that answered probes sent on fresh connections, until two of them did."""
    seen: set[int] = set()
    with httpx.Client(base_url=server.base_url, limits=httpx.Limits(max_keepalive_connections=0)) as client:
        for batch in range(20):
            probes = [f"/healthz?probe={batch}-{n}" for n in range(16)]
            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(client.get, probes))
            assert [a.status_code for a in answers] == [200] * len(probes)
            assert all("server" not in a.headers for a in answers), "no Server banner"
            seen = {line.pid for line in serve.lines() if "GET /healthz?probe=" in line.message}
            if len(seen) >= 2:
                return seen
    return seen


def test_two_server_processes_answer_one_ticks_and_another_takes_over_when_it_dies(processes):
    serve, server = processes.serve(workers=2)
    workers = answering_workers(serve, server)
    assert len(workers) == 2, f"both workers answer:\n{serve.log()}"
    assert serve.process.pid not in workers, "the workers are processes of their own"

    serve.wait_for("three ticks", lambda: len(serve.pids(TICKED)) >= 3)
    (leader,) = serve.pids(LEADS)
    assert serve.pids(STANDBY) == list(workers - {leader}), "the other worker is on standby"
    ticks = [line for line in serve.lines() if TICKED in line.message]
    assert {line.pid for line in ticks} == {leader}, "only the leader ticks"
    seconds = (clock_seconds(ticks[-1].clock) - clock_seconds(ticks[0].clock)) % 86400
    assert len(ticks) <= seconds / TICK_SECONDS + 2, "at most one tick per interval"

    killed_at = len(serve.lines())
    os.kill(leader, signal.SIGKILL)
    serve.wait_for("a new leader", lambda: serve.pids(LEADS, after=killed_at))
    (successor,) = serve.pids(LEADS, after=killed_at)
    assert successor != leader
    serve.wait_for("ticks by the new leader", lambda: len(serve.pids(TICKED, after=killed_at)) >= 2)
    assert set(serve.pids(TICKED, after=killed_at)) == {successor}
    assert server.get_json("/healthz")["status"] == "ok"


def test_the_worker_process_leads_the_servers_and_hands_over_when_stopped(processes):
    worker = processes.start("worker", "worker")
    worker.wait_for("the worker leads", lambda: worker.pids(TICKED))
    assert worker.pids(LEADS) == [worker.process.pid]

    refused = CliRunner().invoke(cli, ["tick"])  # this process, on the same database and data folder
    assert refused.exit_code == 1
    assert "定时任务正由另一进程" in refused.output and "本次未运行" in refused.output

    serve, _ = processes.serve(workers=2)
    serve.wait_for("both server workers on standby", lambda: len(set(serve.pids(STANDBY))) == 2)
    ticks_before = len(worker.pids(TICKED))
    worker.wait_for("more ticks by the worker", lambda: len(worker.pids(TICKED)) >= ticks_before + 2)
    assert not serve.pids(TICKED), "no server process ticks beside the worker"

    worker.process.send_signal(signal.SIGTERM)
    assert worker.process.wait(timeout=30) == 0
    assert "定时任务进程已停止" in worker.log()
    stopped_at = len(serve.lines())
    serve.wait_for("a server worker takes the tick over", lambda: serve.pids(TICKED, after=stopped_at))
    assert len(set(serve.pids(LEADS))) == 1

    processes.stop_all()  # the servers give the lock up as they stop
    ran = CliRunner().invoke(cli, ["tick"])
    assert ran.exit_code == 0, ran.output
    assert "定时任务完成" in ran.output


def test_several_workers_refuse_a_stale_schema_with_the_command_to_run(tmp_path, monkeypatch):
    from sunshine.config import get_settings

    monkeypatch.setenv("SUNSHINE_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["serve", "--workers", "2", "--port", "0"])
    assert result.exit_code == 1
    assert "sunshine db upgrade" in result.output
