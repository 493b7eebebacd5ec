"""An S3-compatible server for the tests: moto's standalone server (``moto[server]``) started as a real process
on a free loopback port, so the file store's S3 backend talks HTTP to it exactly as to MinIO or OSS.

moto keeps objects in the server process's memory: it checks the protocol (requests, signatures, MD5s, errors),
not durability or behaviour under failure (docs/deployment.md says what it does not prove).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.subprocesses import popen, stop

ACCESS_KEY, SECRET_KEY, REGION = "testing", "testing", "us-east-1"


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    bucket: str

    def client(self):  # noqa: ANN201 - a boto3 S3 client
        from sunshine.core.filestore_s3 import make_client

        return make_client(self.endpoint, REGION, ACCESS_KEY, SECRET_KEY, "path", 10.0)

    def env(self, prefix: str | None = None) -> dict[str, str]:
        """The ``SUNSHINE_*`` settings naming this server and a fresh prefix in its bucket."""
        return {
            "SUNSHINE_FILE_STORE": f"s3://{self.bucket}/{prefix or uuid.uuid4().hex}",
            "SUNSHINE_S3_ENDPOINT_URL": self.endpoint,
            "SUNSHINE_S3_REGION": REGION,
            "SUNSHINE_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "SUNSHINE_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "SUNSHINE_S3_ADDRESSING_STYLE": "path",
        }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"moto server did not listen on port {port} within {seconds} s")


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """One moto server per test process, with one bucket; each test takes its own prefix (``env()``)."""
    pytest.importorskip("moto.server", reason="moto[server] is not installed (make install-test installs it)")
    pytest.importorskip("boto3", reason="boto3 is not installed (make install-test installs it)")
    port = _free_port()
    process = popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, process)
        server = S3Server(f"http://127.0.0.1:{port}", "sunshine-test")
        server.client().create_bucket(Bucket=server.bucket)
        yield server
    finally:
        stop(process)
