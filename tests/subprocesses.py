"""Processes the tests start (``sunshine serve`` with its workers, the worker command, the S3 server): each in a
process group of its own, and stopped with every process it started.

A server with ``--workers N`` is a supervisor and N children. Stopping only the supervisor (SIGKILL after a
grace period that ran out) leaves the children running as orphans; with the scheduler on, they keep ticking on the
worker's test database for the rest of the run — making bulk downloads into a folder no later test knows, and
moving the information requests of whatever test comes next. So every process is started as the leader of a new
session and stopped by signalling its whole group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from typing import Any


def popen(command: list[str], **kwargs: Any) -> subprocess.Popen:
    """``subprocess.Popen`` in a new session, so that ``stop`` reaches every process it starts."""
    return subprocess.Popen(command, start_new_session=True, **kwargs)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)  # the leader's pid is the group's id, even after the leader exited


def stop(process: subprocess.Popen, grace: float = 10.0, *, kill: bool = False) -> None:
    """Stop ``process`` and the processes it started: SIGTERM (or SIGKILL at once with ``kill``) to the group,
    SIGKILL to the group after ``grace`` seconds, and SIGKILL to whatever of the group is left after the leader
    exited."""
    if not kill and process.poll() is None:
        _signal_group(process, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    _signal_group(process, signal.SIGKILL)
    process.wait(timeout=10)
