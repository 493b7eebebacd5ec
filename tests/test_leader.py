"""The leader lock on the test's database: an advisory lock on PostgreSQL, ``flock`` on a file of the data
folder on SQLite. A second holder is refused while the first holds it, and gets it once the first gives
it up or its process dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from sunshine.config import get_settings
from sunshine.leader import APPLICATION_NAME, LOCK_FILE, AdvisoryLock, FileLock, leader_lock

HOLD_AND_WAIT = """
from sunshine.config import get_settings
from sunshine.leader import leader_lock
import sys, time
lock = leader_lock(get_settings())
print("held" if lock.hold() else "refused", flush=True)
time.sleep(120)
"""


def take_within(lock, seconds: float = 20.0) -> bool:
    """The lock taken by ``lock`` within ``seconds`` (a dead holder's session ends a moment after it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if lock.hold():
            return True
        time.sleep(0.1)
    return False


def test_the_lock_suits_the_database(db, environment):
    lock = leader_lock(get_settings())
    if db.dialect == "postgresql":
        assert isinstance(lock, AdvisoryLock)
    else:
        assert isinstance(lock, FileLock)
        assert lock.path == environment / LOCK_FILE


def test_a_second_holder_is_refused_until_the_first_releases(db):
    first, second = leader_lock(get_settings()), leader_lock(get_settings())
    try:
        assert first.hold() and first.held
        assert first.hold(), "the holder keeps the lock on its next round"
        assert not second.hold() and not second.held
        assert not second.hold(), "and the other is refused on each of its rounds"
        first.release()
        assert not first.held
        assert second.hold()
        assert not first.hold()
    finally:
        first.release()
        second.release()


def test_the_lock_of_a_killed_process_is_taken_over(db, environment):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_WAIT], env={**os.environ}, stdout=subprocess.PIPE, text=True
    )
    lock = leader_lock(get_settings())
    try:
        assert holder.stdout.readline().strip() == "held"
        assert not lock.hold()
        if db.dialect == "sqlite":
            assert (environment / LOCK_FILE).read_text().strip() == str(holder.pid), "the file names its holder"
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        assert take_within(lock), "the lock died with the process that held it"
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        holder.stdout.close()
        lock.release()


def test_a_leader_whose_session_ended_learns_it_lost_the_lock(db):
    if db.dialect != "postgresql":
        pytest.skip("a database session only exists on PostgreSQL")
    leader, standby = leader_lock(get_settings()), leader_lock(get_settings())
    try:
        assert leader.hold()
        with db.engine.begin() as conn:  # what a database restart or a lost network does to its session
            ended = conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = :name AND datname = current_database()"
                ),
                {"name": APPLICATION_NAME},
            ).all()
        assert ended == [(True,)]
        assert take_within(standby), "the lock went with the session"
        assert not leader.hold(), "the old leader finds its session gone and the lock taken"
        assert not leader.held
        standby.release()
        assert leader.hold(), "and takes it again once it is free"
    finally:
        leader.release()
        standby.release()
